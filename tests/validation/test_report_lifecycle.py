"""A resource's validation report lives as long as the resource: deleting one
resource (resource_delete, or a package_update that leaves it out) keeps the
reports of the others and makes the deleted one's unreadable. Through the
Action API over HTTP, as the OPD's editor and as anonymous."""

from __future__ import annotations

import io
from typing import Any

import pytest
from auth_matrix import ROLES, AuthRoles, assert_matrix
from ckan import model
from ckan.tests import factories
from validation_files import csv_bytes, good_rows

from ckanext.satudata.model import validation_report

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def editor_token(auth_roles: AuthRoles) -> str:
    return factories.APIToken(user=auth_roles.name("producer"))["token"]


def _upload(app: Any, token: str, dataset: dict[str, Any], name: str) -> dict[str, Any]:
    response = app.post(
        "/api/action/resource_create",
        data={
            "package_id": dataset["id"],
            "name": name,
            "upload": (io.BytesIO(csv_bytes(good_rows())), f"{name}.csv"),
        },
        headers={"Authorization": token},
    )
    return response.json["result"]


def _report(app: Any, resource_id: str, token: str | None = None, status: int = 200) -> Any:
    headers = {"Authorization": token} if token else {}
    return app.get(
        "/api/action/satudata_validation_show",
        query_string={"resource_id": resource_id},
        headers=headers,
        status=status,
    ).json


@pytest.fixture
def three(app: Any, auth_roles: AuthRoles, editor_token: str) -> list[dict[str, Any]]:
    dataset = auth_roles.dataset(standar_data="penduduk_jenis_kelamin")
    resources = [_upload(app, editor_token, dataset, f"semester-{n}") for n in (1, 2, 3)]
    for resource in resources:
        assert _report(app, resource["id"])["result"]["status"] == "success"
    return resources


def test_resource_delete_keeps_the_other_reports_and_hides_its_own(
    app: Any, editor_token: str, three: list[dict[str, Any]]
) -> None:
    deleted, *kept = three
    app.post(
        "/api/action/resource_delete",
        json={"id": deleted["id"]},
        headers={"Authorization": editor_token},
    )
    for resource in kept:
        assert _report(app, resource["id"])["result"]["status"] == "success"
        shown = app.get("/api/action/resource_show", query_string={"id": resource["id"]}).json
        assert shown["result"]["validation_status"] == "success"
    assert not _report(app, deleted["id"], status=404)["success"]
    assert not _report(app, deleted["id"], editor_token, status=404)["success"]
    rerun = app.post(
        "/api/action/satudata_validation_run",
        json={"resource_id": deleted["id"]},
        headers={"Authorization": editor_token},
        status=404,
    )
    assert not rerun.json["success"]
    assert validation_report.get(deleted["id"]) is None


def test_a_resource_left_out_by_package_update_loses_its_report(
    app: Any, editor_token: str, three: list[dict[str, Any]]
) -> None:
    dropped, *kept = three
    shown = app.get("/api/action/package_show", query_string={"id": dropped["package_id"]})
    dataset = shown.json["result"]
    dataset["resources"] = [r for r in dataset["resources"] if r["id"] != dropped["id"]]
    app.post("/api/action/package_update", json=dataset, headers={"Authorization": editor_token})
    assert not _report(app, dropped["id"], status=404)["success"]
    for resource in kept:
        assert _report(app, resource["id"])["result"]["status"] == "success"


def test_a_deleted_resource_report_is_served_to_nobody(
    app: Any, auth_roles: AuthRoles, three: list[dict[str, Any]], sysadmin: dict[str, Any]
) -> None:
    """Even a report left behind (deleted before this fix) is not served."""
    resource = three[0]
    reference = {"resource_id": resource["id"]}
    assert_matrix(auth_roles, "satudata_validation_show", reference, allowed=set(ROLES))
    stale = model.Resource.get(resource["id"])
    assert stale is not None
    stale.state = "deleted"  # as resource_delete left it before this fix
    model.Session.commit()
    assert validation_report.get(resource["id"]) is not None
    # Sysadmins pass every auth function; the action itself refuses them.
    assert_matrix(auth_roles, "satudata_validation_show", reference, allowed={"sysadmin"})
    assert not _report(app, resource["id"], sysadmin["token"], status=404)["success"]
