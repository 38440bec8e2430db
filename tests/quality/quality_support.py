"""Datasets of the quality tests: an SDI dataset with one CSV table of the
penduduk_jenis_kelamin standard (every kecamatan of Paser, 2023 and 2024),
validated by the real gate and loaded into the real DataStore; variants
change one thing."""

from __future__ import annotations

import csv
import io
from typing import Any

from ckan.tests.helpers import call_action
from sdi_data import sdi_dataset_dict
from werkzeug.datastructures import FileStorage

from ckanext.satudata.reference import regions
from ckanext.satudata.standards import registry
from ckanext.satudata.validation import datastore

STANDARD = "penduduk_jenis_kelamin"
YEARS = (2023, 2024)


def site() -> dict[str, Any]:
    user = call_action("get_site_user", {"ignore_auth": True})
    return {"user": user["name"], "ignore_auth": True}


def kecamatan() -> list[regions.Region]:
    return sorted(
        (r for r in regions.tenant_regions().values() if r.level == "kecamatan"),
        key=lambda r: r.code,
    )


def sex_rows(years: tuple[int, ...] = YEARS) -> list[dict[str, Any]]:
    rows = []
    for year in years:
        for index, region in enumerate(kecamatan()):
            male, female = 1000 + index * 10 + year % 10, 900 + index * 7
            rows.append(
                {"kode_wilayah": region.code, "nama_wilayah": region.name, "tahun": year,
                 "semester": 2, "laki_laki": male, "perempuan": female, "jumlah": male + female}
            )  # fmt: skip
    return rows


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def make_dataset(owner_org: str, name: str, **overrides: Any) -> dict[str, Any]:
    fields = {
        "name": name,
        "standar_data": STANDARD,
        "kode_wilayah": [r.code for r in kecamatan()],
        "tingkat_wilayah": "kecamatan",
        "accrualPeriodicity": "tahunan",
        "periode": "tahun",
        "id_dds": "DDD-001",
        "author": "Dinas",
        "author_email": "dinas@paserkab.go.id",
        "maintainer": "Walidata",
        "maintainer_email": "walidata@paserkab.go.id",
        "publisher_type": "daerah-kabupaten",
        **overrides,
    }
    return call_action("package_create", site(), **sdi_dataset_dict(owner_org=owner_org, **fields))


def add_table(
    dataset: dict[str, Any], rows: list[dict[str, Any]], load: bool = True, name: str = "data.csv"
) -> dict[str, Any]:
    resource = call_action(
        "resource_create",
        site(),
        package_id=dataset["id"],
        name=name,
        format="CSV",
        url=name,
        upload=FileStorage(io.BytesIO(to_csv(rows)), filename=name),
    )
    if load:
        datastore.load_resource(resource["id"], registry.standard_descriptor(STANDARD))
    return call_action("resource_show", site(), id=resource["id"])


def quality(dataset_id: str, **context: Any) -> dict[str, Any]:
    return call_action("satudata_quality_show", {**site(), **context}, id=dataset_id)
