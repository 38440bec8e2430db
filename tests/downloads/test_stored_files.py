"""Downloading a resource whose stored file is gone answers with a clear page
in the visitor's language, not HTTP 500: 410 Gone when the validation
removed it for holding personal data (async mode deletes such a file), 404
when the file is missing for any other reason. The upload is made by the
OPD's editor through the Action API; the downloads are fetched over HTTP."""

from __future__ import annotations

import io
import os
from typing import Any
from urllib.parse import urlsplit

import pytest
from auth_matrix import ROLES, AuthRoles, allowed_roles
from ckan.lib import uploader
from ckan.tests import factories
from jobs_support import run_jobs
from validation_files import (  # pyright: ignore[reportMissingImports] (tests/validation, on sys.path by tests/conftest.py)
    HEADER,
    csv_bytes,
    good_rows,
)

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")

REMOVED = {
    "": "mengandung data pribadi",
    "/en": "contained personal data",
}
MISSING = {
    "": "tidak ada di penyimpanan",
    "/en": "is missing from the portal",
}


def _upload(app: Any, token: str, dataset: dict[str, Any], content: bytes) -> dict[str, Any]:
    return app.post(
        "/api/action/resource_create",
        data={
            "package_id": dataset["id"],
            "name": "Penduduk per kecamatan",
            "upload": (io.BytesIO(content), "penduduk.csv"),
        },
        headers={"Authorization": token},
    ).json["result"]


def _path(resource: dict[str, Any]) -> str:
    return uploader.get_resource_uploader(resource).get_path(resource["id"])


def _with_nik() -> bytes:
    rows = [[*row, f"640104450190{index + 1:04d}"] for index, row in enumerate(good_rows())]
    return csv_bytes(rows, [*HEADER, "nik"])


@pytest.fixture
def editor_token(auth_roles: AuthRoles) -> str:
    return factories.APIToken(user=auth_roles.name("producer"))["token"]


@pytest.mark.ckan_config("ckanext.satudata.validation.mode", "async")
def test_a_file_removed_for_personal_data_is_gone(
    app: Any, auth_roles: AuthRoles, editor_token: str
) -> None:
    resource = _upload(app, editor_token, auth_roles.dataset(), _with_nik())
    run_jobs()  # the async validation finds the NIK column and deletes the file
    assert not os.path.exists(_path(resource))
    download = urlsplit(resource["url"]).path
    for prefix, message in REMOVED.items():
        response = app.get(prefix + download, status=410)
        assert message in response.body, prefix
        assert "6401044501900001" not in response.body
    # The editor gets the same answer (the file is gone for everyone).
    response = app.get(download, headers={"Authorization": editor_token}, status=410)
    assert REMOVED[""] in response.body


def test_a_file_missing_for_another_reason_is_not_found(
    app: Any, auth_roles: AuthRoles, editor_token: str
) -> None:
    resource = _upload(app, editor_token, auth_roles.dataset(), csv_bytes(good_rows()))
    download = urlsplit(resource["url"]).path
    assert app.get(download).data == csv_bytes(good_rows())  # served while it is there
    os.remove(_path(resource))
    for prefix, message in MISSING.items():
        response = app.get(prefix + download, status=404)
        assert message in response.body, prefix


def test_a_private_dataset_keeps_its_answers(
    app: Any, auth_roles: AuthRoles, editor_token: str
) -> None:
    """Who may not see the resource is answered as before (403), missing file or not."""
    dataset = auth_roles.dataset(private=True)
    resource = _upload(app, editor_token, dataset, csv_bytes(good_rows()))
    os.remove(_path(resource))
    download = urlsplit(resource["url"]).path
    allowed = allowed_roles(auth_roles, "resource_show", {"id": resource["id"]})
    assert "anonymous" not in allowed and {"producer", "sysadmin"} <= allowed
    for role in ROLES:
        name = auth_roles.name(role)
        headers = {"Authorization": factories.APIToken(user=name)["token"]} if name else {}
        response = app.get(download, headers=headers)
        assert response.status_code == (404 if role in allowed else 403), role
