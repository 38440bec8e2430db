"""Who may open and save the harvest source pages this extension changed (the
source form, a source, a job report), as each role of the auth matrix
(tests/auth_matrix.py), through the real web pages; and what each sees of
the settings only a sysadmin may set."""

from __future__ import annotations

import json
from typing import Any

import pytest
from auth_matrix import ROLES, AuthRoles

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_index")

DUKCAPIL = "satudata_dukcapil"
PRIVILEGED_FIELD = f"cfg.{DUKCAPIL}.trusted"
# ckanext-harvest's rule, unchanged: a source is edited (and its jobs read) by
# the editors of its OPD and sysadmins; a new one by whoever may create a
# dataset in an OPD (the walidata's staff are members, not editors).
SOURCE_EDITORS = {"producer", "sysadmin"}
CREATORS = {"producer", "other_producer", "sysadmin"}


def _status(code: int) -> str:
    return "ok" if code == 200 else "refused"


@pytest.fixture
def pages(app: Any, auth_roles: AuthRoles) -> Any:
    from ckan.tests import factories
    from ckan.tests.helpers import call_action

    tokens = {
        role: factories.APIToken(user=auth_roles.name(role))["token"]
        for role in ROLES
        if auth_roles.name(role)
    }
    source = call_action(
        "harvest_source_create",
        context={"user": auth_roles.name("sysadmin")},
        name="dukcapil-uji-formulir",
        title="Dukcapil (uji formulir)",
        url="https://dukcapil.example/arcgis/rest/services/DKB_2024_S2/MapServer",
        source_type=DUKCAPIL,
        owner_org=auth_roles.owner["id"],
        config=json.dumps({"semester": "2024-S2", "trusted": True}),
    )
    job = call_action(
        "harvest_job_create",
        context={"user": auth_roles.name("sysadmin")},
        source_id=source["id"],
        run=False,
    )

    def get(role: str, path: str) -> Any:
        headers = {"Authorization": tokens[role]} if role in tokens else None
        return app.get(path, headers=headers, status=None, follow_redirects=False)

    def post(role: str, path: str, data: dict[str, Any]) -> Any:
        headers = {"Authorization": tokens[role]} if role in tokens else None
        return app.post(path, data=data, headers=headers, status=None, follow_redirects=False)

    return {"source": source, "job": job, "get": get, "post": post, "roles": auth_roles}


def _allowed(pages: Any, path: str) -> set[str]:
    return {role for role in ROLES if pages["get"](role, path).status_code == 200}


def test_who_opens_the_source_form(pages: Any) -> None:
    assert _allowed(pages, "/harvest/new") == CREATORS
    assert _allowed(pages, "/harvest/edit/dukcapil-uji-formulir") == SOURCE_EDITORS


def test_who_reads_a_source_and_its_job_report(pages: Any) -> None:
    # A source of an OPD is public; its job reports are its editors'.
    assert _allowed(pages, "/harvest/about/dukcapil-uji-formulir") == set(ROLES)
    job = pages["job"]["id"]
    assert _allowed(pages, f"/harvest/dukcapil-uji-formulir/job/{job}") == SOURCE_EDITORS


def test_only_sysadmins_see_the_privileged_settings_and_the_json_view(pages: Any) -> None:
    for role in SOURCE_EDITORS:
        page = pages["get"](role, "/harvest/edit/dukcapil-uji-formulir").get_data(as_text=True)
        assert (PRIVILEGED_FIELD in page) == (role == "sysadmin"), role
        assert ('name="config"' in page) == (role == "sysadmin"), role
    for role in CREATORS:
        page = pages["get"](role, "/harvest/new").get_data(as_text=True)
        assert (PRIVILEGED_FIELD in page) == (role == "sysadmin"), role


def test_who_saves_the_source_form(pages: Any) -> None:
    from ckan.tests.helpers import call_action

    source = pages["source"]
    saved = set()
    after: dict[str, Any] = {}
    for role in ROLES:
        form = {
            "satudata_form": "1",
            "url": source["url"],
            "title": source["title"],
            "name": source["name"],
            "source_type": DUKCAPIL,
            "frequency": "MANUAL",
            "owner_org": source["owner_org"],
            f"cfg.{DUKCAPIL}.semester": "2024-S2",
            f"cfg.{DUKCAPIL}.levels": ["desa" if role == "sysadmin" else "kabupaten"],
            f"cfg.{DUKCAPIL}.page_size": str(100 + ROLES.index(role)),
        }
        before = call_action("harvest_source_show", id=source["id"])["config"]
        response = pages["post"](role, "/harvest/edit/dukcapil-uji-formulir", form)
        after = json.loads(call_action("harvest_source_show", id=source["id"])["config"])
        if after.get("page_size") == 100 + ROLES.index(role):
            saved.add(role)
            assert response.status_code in (200, 302), role
        else:
            assert response.status_code in (302, 403), (role, response.status_code)
            assert json.loads(before) == after, role
    assert saved == SOURCE_EDITORS
    # The producer's save kept the sysadmin's setting; the sysadmin's form
    # (which shows it, unticked) cleared it.
    assert "trusted" not in after
