"""Who may take each review action and see each review page, for anonymous,
the producer of the owning OPD, the producer of another OPD, the walidata,
the walidata pendukung and a sysadmin (tests/auth_matrix.py)."""

from __future__ import annotations

import pytest
from auth_matrix import ROLES, AuthRoles, assert_matrix
from review_support import act, headers
from sdi_data import sdi_dataset_dict

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_index")

PRODUCER = {"producer", "sysadmin"}
WALIDATA = {"walidata", "sysadmin"}
READERS = {"producer", "walidata", "walidata_pendukung", "sysadmin"}


def test_review_actions_matrix(auth_roles: AuthRoles) -> None:
    dataset = auth_roles.dataset()
    ref = {"id": dataset["id"]}
    for action in ("submit", "withdraw"):
        assert_matrix(auth_roles, f"satudata_review_{action}", ref, allowed=PRODUCER)
    for action in ("approve", "reject", "publish", "unpublish"):
        assert_matrix(auth_roles, f"satudata_review_{action}", ref, allowed=WALIDATA)
    assert_matrix(auth_roles, "satudata_review_show", ref, allowed=READERS)
    assert_matrix(
        auth_roles,
        "satudata_review_queue",
        {},
        allowed={"walidata", "walidata_pendukung", "sysadmin"},
    )
    assert_matrix(
        auth_roles, "satudata_review_mine", {}, allowed={"producer", "other_producer", "sysadmin"}
    )


def test_producer_cannot_delete_a_published_dataset(auth_roles: AuthRoles) -> None:
    published = auth_roles.dataset()  # created by a sysadmin: published
    # (The walidata is no editor of the OPD: CKAN's own rule leaves it out.)
    assert_matrix(auth_roles, "package_delete", {"id": published["id"]}, allowed={"sysadmin"})
    draft = act(auth_roles, "producer", "package_create", **_draft_fields(auth_roles))
    assert_matrix(
        auth_roles, "package_delete", {"id": draft["id"]}, allowed={"producer", "sysadmin"}
    )


def _draft_fields(roles: AuthRoles) -> dict:
    return sdi_dataset_dict(owner_org=roles.owner["id"], name="rancangan-dinkes")


@pytest.mark.parametrize("page", ["/pemeriksaan", "/pemeriksaan/saya", "/pemeriksaan/{name}"])
def test_review_pages_matrix(app, auth_roles: AuthRoles, page: str) -> None:
    dataset = auth_roles.dataset()
    url = page.format(name=dataset["name"])
    allowed = {
        "/pemeriksaan": {"walidata", "walidata_pendukung", "sysadmin"},
        "/pemeriksaan/saya": {"producer", "other_producer", "sysadmin"},
        "/pemeriksaan/{name}": READERS,
    }[page]
    for role in ROLES:
        response = app.get(
            url, headers=headers(auth_roles, role), status=None, follow_redirects=False
        )
        if role in allowed:
            assert response.status_code == 200, (role, url, response.status_code)
        else:
            assert response.status_code in (302, 403, 404), (role, url, response.status_code)
