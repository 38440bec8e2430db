"""Helpers of the review tests: acting as a role, datasets of the
producer's OPD with a table in the DataStore, and what anonymous visitors
can reach."""

from __future__ import annotations

import io
from typing import Any

from auth_matrix import AuthRoles
from ckan.plugins import toolkit as tk
from jobs_support import run_jobs
from sdi_data import sdi_dataset_dict
from werkzeug.datastructures import FileStorage

from ckanext.satudata.reference import regions

STANDARD = "penduduk_jenis_kelamin"
HEADER = "kode_wilayah,nama_wilayah,tahun,semester,laki_laki,perempuan,jumlah"


def good_rows(year: int = 2024) -> list[list[Any]]:
    """Population by sex of Paser's kecamatan (codes of the shipped list)."""
    kecamatan = sorted(
        (r for r in regions.tenant_regions().values() if r.level == "kecamatan"),
        key=lambda r: r.code,
    )
    return [
        [r.code, r.name, year, 2, 1000 + i * 37, 900 + i * 41, 1900 + i * 78]
        for i, r in enumerate(kecamatan)
    ]


def csv_bytes(rows: list[list[Any]]) -> bytes:
    lines = [HEADER, *(",".join(str(cell) for cell in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def act(roles: AuthRoles, role: str, action: str, **data: Any) -> Any:
    return tk.get_action(action)(roles.context(role), data)


def table_upload(rows: list[list[Any]] | None = None, name: str = "penduduk.csv") -> FileStorage:
    return FileStorage(io.BytesIO(csv_bytes(rows or good_rows())), filename=name)


def producer_dataset(roles: AuthRoles, name: str = "penduduk-kecamatan", **overrides: Any) -> dict:
    """A producer's new dataset with a validated CSV loaded into the DataStore."""
    data = sdi_dataset_dict(
        owner_org=roles.owner["id"], name=name, standar_data=STANDARD, **overrides
    )
    dataset = act(roles, "producer", "package_create", **data)
    act(
        roles,
        "producer",
        "resource_create",
        package_id=dataset["id"],
        name="Penduduk menurut Jenis Kelamin 2024",
        upload=table_upload(),
    )
    run_jobs()  # the DataStore load
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset["id"]})


def anonymous_sees(dataset_id: str) -> bool:
    try:
        tk.get_action("package_show")({"user": ""}, {"id": dataset_id})
    except tk.NotAuthorized:
        return False
    return True


def anonymous_finds(name: str) -> bool:
    found = tk.get_action("package_search")({"user": ""}, {"q": f"name:{name}"})
    return found["count"] == 1


def publish(roles: AuthRoles, dataset_id: str) -> None:
    act(roles, "producer", "satudata_review_submit", id=dataset_id)
    act(roles, "walidata", "satudata_review_approve", id=dataset_id)
    act(roles, "walidata", "satudata_review_publish", id=dataset_id)


def headers(roles: AuthRoles, role: str) -> dict[str, str]:
    """Request headers acting as ``role`` (an API token; none for anonymous)."""
    name = roles.name(role)
    if not name:
        return {}
    token = tk.get_action("api_token_create")(
        {"ignore_auth": True, "user": name}, {"user": name, "name": "review-test"}
    )
    return {"Authorization": token["token"]}
