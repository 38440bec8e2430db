"""Tables of the chart tests, loaded into the real DataStore by our loader."""

from __future__ import annotations

import csv
import io
from typing import Any

from ckan.tests.helpers import call_action
from sdi_data import sdi_dataset_dict
from werkzeug.datastructures import FileStorage

from ckanext.satudata.demo import dukcapil_feed as sample
from ckanext.satudata.harvesters.dukcapil.standard import FAMILIES
from ckanext.satudata.reference import regions
from ckanext.satudata.standards import registry
from ckanext.satudata.validation import datastore

AGAMA = [
    {"kode_wilayah": "64.01.01", "nama_wilayah": "Batu Sopang", "tahun": 2024, "semester": 2,
     "islam": 20011, "kristen": 1204, "katolik": 388, "hindu": 55, "buddha": 12,
     "konghucu": 3, "kepercayaan": 0, "jumlah": 21673},
    {"kode_wilayah": "64.01.02", "nama_wilayah": "Tanjung Harapan", "tahun": 2024, "semester": 2,
     "islam": 9310, "kristen": 311, "katolik": 120, "hindu": 10, "buddha": 4,
     "konghucu": 0, "kepercayaan": 0, "jumlah": 9755},
    {"kode_wilayah": "64.01.04", "nama_wilayah": "Tanah Grogot", "tahun": 2024, "semester": 2,
     "islam": 62110, "kristen": 3480, "katolik": 1710, "hindu": 320, "buddha": 140,
     "konghucu": 12, "kepercayaan": 5, "jumlah": 67777},
]  # fmt: skip
PERIODS = {(2024, 1): "2024 Semester I", (2024, 2): "2024 Semester II"}


def _family_rows(family_key: str, semesters: tuple[str, ...]) -> list[dict[str, Any]]:
    """Kecamatan rows of the sample feed for a family, as the harvester writes them."""
    family = FAMILIES[family_key]
    known = regions.tenant_regions()
    rows = []
    for semester in semesters:
        release = sample.generate(semester)
        for code in sorted(c for c in release.counts if c.count(".") == 2):
            counts = release.counts[code]
            row: dict[str, Any] = {
                "kode_wilayah": code,
                "nama_wilayah": known[code].name,
                "tahun": int(semester[:4]),
                "semester": int(semester[-1]),
            }
            row.update({column: counts[key] for column, key in family.columns})
            row["jumlah"] = counts["jumlah_penduduk"]
            rows.append(row)
    return rows


def sex_rows() -> list[dict[str, Any]]:
    return _family_rows("jenis_kelamin", ("2024-S1", "2024-S2"))


def pyramid_rows() -> list[dict[str, Any]]:
    return _family_rows("kelompok_umur_jenis_kelamin", ("2024-S2",))


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _site() -> dict[str, Any]:
    user = call_action("get_site_user", {"ignore_auth": True})
    return {"user": user["name"], "ignore_auth": True}


def make_table(
    opd: dict[str, Any] | None,
    standard: str | None,
    rows: list[dict[str, Any]],
    dataset: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A dataset (or ``dataset``) with one CSV resource of ``rows``, validated
    and loaded into the DataStore (typed by ``standard`` or the inferred schema)."""
    if dataset is None:
        assert opd is not None
        overrides = {"standar_data": standard} if standard else {}
        dataset = call_action(
            "package_create",
            _site(),
            **sdi_dataset_dict(
                owner_org=opd["id"], name=f"tabel-{standard or 'bebas'}", **overrides
            ),
        )
    name = f"{standard or 'tabel'}.csv"
    resource = call_action(
        "resource_create",
        _site(),
        package_id=dataset["id"],
        name=name,
        format="CSV",
        url=name,
        upload=FileStorage(io.BytesIO(to_csv(rows).encode("utf-8")), filename=name),
    )
    descriptor = (
        registry.standard_descriptor(standard)
        if standard
        else {
            "fields": [
                {"name": key, "type": "integer" if isinstance(value, int) else "string"}
                for key, value in rows[0].items()
            ]
        }
    )
    datastore.load_resource(resource["id"], descriptor)
    return call_action("resource_show", _site(), id=resource["id"])


def chart_view_of(resource: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """The resource's chart view (the default one), with ``settings`` stored."""
    views = [
        v
        for v in call_action("resource_view_list", _site(), id=resource["id"])
        if v["view_type"] == "satudata_chart"
    ]
    if views and not settings:
        return views[0]
    return call_action(
        "resource_view_create",
        _site(),
        resource_id=resource["id"],
        view_type="satudata_chart",
        title="Grafik",
        **settings,
    )
