"""Who may take each review action and see each review page, for anonymous,
the producer of the owning OPD, the producer of another OPD, the walidata,
the walidata pendukung and a sysadmin (tests/auth_matrix.py)."""

from __future__ import annotations

import pytest
from auth_matrix import ROLES, AuthRoles, assert_matrix
from review_support import act, headers, producer_dataset, publish
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


def test_unpublished_dataset_matrix(auth_roles: AuthRoles) -> None:
    """Who reads a producer's dataset before and after the walidata publishes it."""
    dataset = producer_dataset(auth_roles)
    resource = {"id": dataset["resources"][0]["id"]}
    datastore = {"resource_id": resource["id"]}
    assert_matrix(auth_roles, "package_show", {"id": dataset["id"]}, allowed=READERS)
    assert_matrix(auth_roles, "resource_show", resource, allowed=READERS)
    assert_matrix(auth_roles, "datastore_search", datastore, allowed=READERS)
    # Editing it stays CKAN's rule: the OPD's editors (and sysadmins).
    assert_matrix(auth_roles, "package_update", {"id": dataset["id"]}, allowed=PRODUCER)

    publish(auth_roles, dataset["id"])
    assert_matrix(auth_roles, "package_show", {"id": dataset["id"]}, allowed=set(ROLES))
    assert_matrix(auth_roles, "datastore_search", datastore, allowed=set(ROLES))


# Each form's step, taken by the role named; every other role not allowed to
# take it is refused first and changes nothing.
FORM_STEPS = (
    ("submit", "producer", PRODUCER, "menunggu_persetujuan"),
    ("withdraw", "producer", PRODUCER, "dibatalkan"),
    ("submit", "sysadmin", PRODUCER, "menunggu_persetujuan"),
    ("reject", "walidata", WALIDATA, "ditolak"),
    ("submit", "producer", PRODUCER, "menunggu_persetujuan"),
    ("approve", "walidata", WALIDATA, "disetujui"),
    ("publish", "sysadmin", WALIDATA, "ditayangkan"),
    ("unpublish", "walidata", WALIDATA, "tidak_ditayangkan"),
)


def test_review_forms_matrix(app, auth_roles: AuthRoles) -> None:
    dataset = act(auth_roles, "producer", "package_create", **_draft_fields(auth_roles))
    sign_in = {role: headers(auth_roles, role) for role in ROLES}

    def status() -> str:
        return act(auth_roles, "sysadmin", "package_show", id=dataset["id"])["status_data"]

    for action, actor, allowed, target in FORM_STEPS:
        url = f"/pemeriksaan/{dataset['name']}/{action}"
        form = {"comment": "Lengkapi sumber data."}
        before = status()
        for role in sorted(set(ROLES) - allowed):
            response = app.post(url, data=form, headers=sign_in[role], status=None,
                                follow_redirects=False)  # fmt: skip
            if role == "anonymous":
                assert response.status_code == 302 and "/user/login" in response.location
            else:
                assert response.status_code == 403, (action, role, response.status_code)
            assert status() == before, (action, role)
        response = app.post(url, data=form, headers=sign_in[actor], status=None,
                            follow_redirects=False)  # fmt: skip
        assert response.status_code == 302, (action, actor, response.status_code)
        assert response.location.endswith(f"/pemeriksaan/{dataset['name']}")
        assert status() == target, (action, actor)
