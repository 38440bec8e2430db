"""Who may call the interoperability actions and pages: Portal Pelita and
the concept schemes are public (and only ever serve public data); the MQA
self-check of a dataset follows who may see the dataset."""

from __future__ import annotations

from typing import Any

import pytest
from auth_matrix import ROLES, AuthRoles, assert_matrix

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_index")

EVERYONE = set(ROLES)


def test_pelita_actions_are_public(auth_roles: AuthRoles) -> None:
    dataset = auth_roles.dataset()
    assert_matrix(auth_roles, "satudata_pelita_dataset_list", {}, allowed=EVERYONE)
    assert_matrix(
        auth_roles, "satudata_pelita_dataset_show", {"id": dataset["id"]}, allowed=EVERYONE
    )


def test_mqa_follows_who_may_see_the_dataset(auth_roles: AuthRoles) -> None:
    public = auth_roles.dataset()
    assert_matrix(auth_roles, "satudata_mqa_show", {"id": public["id"]}, allowed=EVERYONE)
    restricted = auth_roles.dataset(name="data-terbatas", accessRights="terbatas")
    assert restricted["private"]
    assert_matrix(
        auth_roles, "satudata_mqa_show", {"id": restricted["id"]}, allowed={"producer", "sysadmin"}
    )


def _as(role: str, roles: AuthRoles) -> dict[str, Any]:
    """Request headers acting as ``role``: the user's own API token."""
    from ckan.plugins import toolkit as tk

    name = roles.name(role)
    if not name:
        return {}
    token = tk.get_action("api_token_create")(
        {"ignore_auth": True, "user": name}, {"user": name, "name": "interop-test"}
    )["token"]
    return {"Authorization": token}


def test_pelita_pages_serve_public_data_to_every_role(app: Any, auth_roles: AuthRoles) -> None:
    public = auth_roles.dataset()
    restricted = auth_roles.dataset(name="data-terbatas", accessRights="terbatas")
    for role in ROLES:
        headers = _as(role, auth_roles)
        listing = app.get("/api/pelita/v1.3/dataset", headers=headers, status=200).json
        assert [e["id"] for e in listing["data"]] == [public["id"]], role
        app.get(f"/api/pelita/v1.3/dataset/{public['name']}", headers=headers, status=200)
        # Restricted data never leaves through Pelita, whoever asks.
        app.get(f"/api/pelita/v1.3/dataset/{restricted['name']}", headers=headers, status=404)
        app.get("/api/pelita/v1.3/openapi.json", headers=headers, status=200)
        app.get("/skema/topik", headers=headers, status=200)
        app.get("/skema/wilayah/64.01.04", headers=headers, status=200)


def test_mqa_action_as_each_role(app: Any, auth_roles: AuthRoles) -> None:
    restricted = auth_roles.dataset(name="data-terbatas", accessRights="terbatas")
    for role in ROLES:
        status = 200 if role in ("producer", "sysadmin") else 403
        app.get(
            f"/api/3/action/satudata_mqa_show?id={restricted['id']}",
            headers=_as(role, auth_roles),
            status=status,
        )
