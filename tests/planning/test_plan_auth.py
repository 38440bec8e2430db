"""Who may do what with the Daftar Data: every action and page through the
auth matrix (tests/auth_matrix.py) on the real stack."""

from __future__ import annotations

from typing import Any

import pytest
from auth_matrix import ROLES, assert_matrix
from plan_support import Plan

pytestmark = pytest.mark.usefixtures("with_plugins")

EVERYONE = set(ROLES)
WALIDATA = {"walidata", "sysadmin"}


def test_actions(plan: Plan) -> None:
    """Everyone reads the plan; the walidata edits it; an OPD links its own items."""
    year = {"tahun": 2025}
    for auth in (
        "satudata_daftar_data_list",
        "satudata_daftar_data_progress",
        "satudata_jadwal_rilis",
        "satudata_daftar_data_export",
    ):
        assert_matrix(plan.roles, auth, year, allowed=EVERYONE)
    own = {"id": plan.item_id("DDD-6401-DINKES-001"), "package_id": "x", "tahun": 2025}
    theirs = {"id": plan.item_id("DDD-6401-DISTAN-001"), "package_id": "x"}
    assert_matrix(plan.roles, "satudata_daftar_data_show", own, allowed=EVERYONE)
    for auth in ("satudata_daftar_data_import", "satudata_daftar_data_update"):
        assert_matrix(plan.roles, auth, own, allowed=WALIDATA)
    for auth in ("satudata_daftar_data_link", "satudata_daftar_data_unlink"):
        assert_matrix(plan.roles, auth, own, allowed={"producer", "walidata", "sysadmin"})
        assert_matrix(plan.roles, auth, theirs, allowed={"other_producer", "walidata", "sysadmin"})
    readers = {"walidata", "walidata_pendukung", "sysadmin"}
    assert_matrix(plan.roles, "satudata_daftar_data_board", {}, allowed=readers)
    assert_matrix(
        plan.roles,
        "satudata_daftar_data_board",
        {"organization": plan.roles.owner["name"]},
        allowed=readers | {"producer"},
    )


def pages(plan: Plan) -> dict[str, tuple[str, set[str]]]:
    """Each page and the roles that may open it."""
    item = plan.item_id("DDD-6401-DINKES-001")
    owner = plan.roles.owner["name"]
    return {
        "jadwal": ("/jadwal-rilis/2025", EVERYONE),
        "daftar": ("/daftar-data/2025", EVERYONE),
        "item": (f"/daftar-data/item/{item}", EVERYONE),
        "download": ("/daftar-data/2025/unduh/jadwal-rilis.xlsx", EVERYONE),
        "walidata_board": (
            "/daftar-data/2025/papan",
            {"walidata", "walidata_pendukung", "sysadmin"},
        ),
        "opd_board": (
            f"/daftar-data/2025/papan/{owner}",
            {"producer", "walidata", "walidata_pendukung", "sysadmin"},
        ),
    }


def tokens(plan: Plan) -> dict[str, dict[str, str]]:
    """The Authorization header of each role (none for anonymous)."""
    from ckan.tests.helpers import call_action

    found = {}
    for role in ROLES:
        name = plan.roles.name(role)
        if name is None:
            found[role] = {}
            continue
        token = call_action("api_token_create", context={"user": name}, user=name, name="uji")
        found[role] = {"Authorization": token["token"]}
    return found


def test_pages_as_each_role(app: Any, plan: Plan) -> None:
    headers = tokens(plan)
    for page, (path, allowed) in pages(plan).items():
        for role in ROLES:
            status = app.get(path, headers=headers[role]).status_code
            assert status == (200 if role in allowed else 403), (page, role, status)


def test_forms_as_each_role(app: Any, plan: Plan) -> None:
    """Posting the link, unlink, edit and import forms: refused (403) to whoever may not."""
    item = plan.item_id("DDD-6401-DINKES-001")
    dataset = plan.roles.dataset(name="jumlah-puskesmas")
    forms = {
        "link": (f"/daftar-data/item/{item}/tautan", {"package_id": dataset["id"]},
                 {"producer", "walidata", "sysadmin"}),
        "unlink": (f"/daftar-data/item/{item}/lepas", {"package_id": dataset["id"]},
                   {"producer", "walidata", "sysadmin"}),
        "update": (f"/daftar-data/item/{item}/ubah", {"jadwal_rilis": "30/04/2025"}, WALIDATA),
        "import": ("/daftar-data/impor", {"tahun": "2025"}, WALIDATA),
    }  # fmt: skip
    headers = tokens(plan)
    for form, (path, data, allowed) in forms.items():
        for role in ROLES:
            if form == "unlink" and role in allowed:  # something to unlink
                app.post(f"/daftar-data/item/{item}/tautan", data={"package_id": dataset["id"]},
                         headers=headers["sysadmin"])  # fmt: skip
            response = app.post(path, data=data, headers=headers[role], follow_redirects=False)
            expected = {302, 200} if role in allowed else {403}
            assert response.status_code in expected, (form, role, response.status_code)
