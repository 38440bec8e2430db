"""Bulk load of the benchmark catalogue (catalog.py) into a CKAN site.

The OPDs and the topic groups go through CKAN's actions (a few dozen calls).
The datasets do not: 12,000 package_create calls (schema validation, the
personal-data gate, activities, one Solr commit each) take the better part
of an hour on this machine. They are written straight into the tables, in
the form package_create leaves them (tests/bench/test_portal_load.py checks
that a loaded dataset shows exactly like one made by package_create), with
executemany batches in one transaction; CKAN's own ``search-index rebuild``
then indexes them, and its duration is one of the benchmark's figures.
DataStore tables are made by the DataStore backend itself (the table,
its full-text trigger, the rows), without the per-resource action round trip.

Runs inside a CKAN app context (load_config + make_app, as the other
benchmarks do).
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckanext.datastore.backend import DatastoreBackend

from ckanext.satudata import config, contexts
from ckanext.satudata.demo import loader
from ckanext.satudata.model.validation_report import ValidationReport
from ckanext.satudata.quality import service as quality_service

from . import catalog

BATCH = 2000
# The table kinds the portal validates (config ckanext.satudata.validation.formats
# holds content kinds; these are the resources' declared formats).
TABLE_FORMATS = frozenset({"CSV", "XLSX"})
DATASTORE_FIELDS = [
    {"id": "kode_wilayah", "type": "text"},
    {"id": "nama_wilayah", "type": "text"},
    {"id": "tahun", "type": "int"},
    {"id": "indikator", "type": "text"},
    {"id": "nilai", "type": "numeric"},
    {"id": "satuan", "type": "text"},
]


def load_groups() -> dict[str, str]:
    """The OPDs and the topic groups; {name: id}."""
    context = contexts.site
    for opd in catalog.opds():
        if model.Group.get(opd.name) is None:
            tk.get_action("organization_create")(context(), opd.as_dict())
    loader.load_topic_groups()
    return {name: gid for gid, name in model.Session.query(model.Group.id, model.Group.name)}


def _package_row(dataset: catalog.Dataset, org_id: str, user_id: str) -> dict[str, Any]:
    extras = {
        key: json.dumps(value) if isinstance(value, list) else str(value)
        for key, value in dataset.fields.items()
    }
    extras["publisher_type"] = config.publisher_type()
    return {
        "id": dataset.id,
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "license_id": "cc-by",
        "author": dataset.opd.title,
        "maintainer": config.walidata(),
        "type": "dataset",
        "owner_org": org_id,
        "creator_user_id": user_id,
        "metadata_created": dataset.created,
        "metadata_modified": dataset.created,
        "private": dataset.private,
        "state": "active",
        "extras": extras,
    }


def _resource_rows(dataset: catalog.Dataset) -> list[dict[str, Any]]:
    rows = []
    for position, resource in enumerate(dataset.resources):
        extras: dict[str, Any] = {"periode_data": resource.periode_data, "tahun": resource.tahun}
        if resource.datastore_rows:
            extras["datastore_active"] = True
        rows.append(
            {
                "id": resource.id,
                "package_id": dataset.id,
                "url": resource.url,
                "format": resource.format,
                "name": resource.name,
                "position": position,
                "hash": "",
                "state": "active",
                "created": resource.created,
                "metadata_modified": resource.created,
                "extras": extras,
            }
        )
    return rows


def _report_row(dataset: catalog.Dataset, resource: catalog.Resource) -> dict[str, Any]:
    return {
        "resource_id": resource.id,
        "package_id": dataset.id,
        "status": "success",
        "source": "url",
        "data_standard": dataset.fields.get("standar_data"),
        "row_count": len(resource.datastore_rows) or 50,
        "error_count": 0,
        "created": resource.created,
        "finished": resource.created,
        "summary": [],
        "report": {},
    }


def _insert(table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        model.Session.execute(table.insert(), rows[start : start + BATCH])


def load_datasets(datasets: Iterable[catalog.Dataset], groups: dict[str, str]) -> dict[str, int]:
    """Write the datasets, their resources, OPD and topic memberships, tags,
    validation reports and preview views, in one transaction."""
    site_user = model.User.get(contexts.site()["user"])
    assert site_user is not None
    tag_ids = {name: str(uuid.uuid4()) for name in catalog.TAGS}
    _insert(model.tag_table, [{"id": tid, "name": name} for name, tid in tag_ids.items()])
    packages, resources, members, tags, reports, views = [], [], [], [], [], []
    for dataset in datasets:
        org_id = groups[dataset.opd.name]
        packages.append(_package_row(dataset, org_id, site_user.id))
        resources += _resource_rows(dataset)
        members.append(_member(org_id, dataset.id, "organization"))
        members.append(_member(groups[dataset.theme], dataset.id, "public"))
        tags += [
            {"id": str(uuid.uuid4()), "package_id": dataset.id, "tag_id": tag_ids[tag],
             "state": "active"}
            for tag in dataset.tags
        ]  # fmt: skip
        for resource in dataset.resources:
            if resource.format in TABLE_FORMATS:
                reports.append(_report_row(dataset, resource))
            if resource.datastore_rows:
                views.append(
                    {"id": resource.view_id, "resource_id": resource.id, "title": "Tabel",
                     "description": "", "view_type": "datatables_view", "order": 0,
                     "config": {}}
                )  # fmt: skip
    _insert(model.package_table, packages)
    _insert(model.resource_table, resources)
    _insert(model.member_table, members)
    _insert(model.package_tag_table, tags)
    _insert(ValidationReport.__table__, reports)
    _insert(model.resource_view_table, views)
    model.Session.commit()
    return {
        "datasets": len(packages),
        "resources": len(resources),
        "validation_reports": len(reports),
        "previews": len(views),
    }


def _member(group_id: str, package_id: str, capacity: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "group_id": group_id,
        "table_id": package_id,
        "table_name": "package",
        "capacity": capacity,
        "state": "active",
    }


def load_datastore(datasets: Iterable[catalog.Dataset]) -> int:
    """A DataStore table for each resource that has rows; returns how many."""
    backend = DatastoreBackend.get_active_backend()
    count = 0
    for dataset in datasets:
        for resource in dataset.resources:
            if not resource.datastore_rows:
                continue
            records = [
                {**row, "indikator": dataset.title, "satuan": dataset.fields["satuan"]}
                for row in resource.datastore_rows
            ]
            context = {"user": contexts.site()["user"]}
            if backend.resource_exists(resource.id):  # a DataStore kept from an earlier load
                backend.delete(context, {"resource_id": resource.id})
            backend.create(
                context,
                {
                    "resource_id": resource.id,
                    "fields": DATASTORE_FIELDS,
                    "records": records,
                    "include_records": False,
                    "method": "insert",
                },
                {},
            )
            count += 1
    return count


def sample(datasets: list[catalog.Dataset], size: int = 500) -> dict[str, Any]:
    """What the locust mix requests: public datasets and their resources,
    the previewed ones, the facet values to filter by."""
    public = [d for d in datasets if not d.private]
    step = max(1, len(public) // size)
    chosen = public[::step][:size]
    previewed = [d for d in public if d.resources[0].datastore_rows][:size]
    return {
        "datasets": [d.name for d in chosen],
        "resources": [[d.name, d.resources[0].id] for d in chosen],
        "previews": [[d.name, d.resources[0].id, d.resources[0].view_id] for d in previewed],
        "themes": sorted({d.theme for d in public}),
        "organizations": sorted({d.opd.name for d in public}),
        "years": [str(year) for year in range(2015, 2026)],
        "queries": ["penduduk", "sekolah", "puskesmas", "padi", "jalan", "anggaran", "desa"],
        "today": datetime.date.today().isoformat(),
    }


def score_visited(visited: dict[str, Any]) -> int:
    """Store the quality score of every dataset the mix visits, through the
    portal's own scoring (quality/service.py ``recompute``: evidence from
    package_show, the DataStore tables and the DCAT record), as a portal
    scores each dataset at its write. Unscored, a dataset page computes its
    score on every view. The other datasets stay unscored: scoring all
    12,000 takes about ten minutes of the build and changes no page the mix
    measures (search results show the grade from the index)."""
    names = set(visited["datasets"])
    names.update(name for name, *_ in visited["previews"])
    scored = 0
    for name in sorted(names):
        package = model.Package.get(name)
        if package is not None and quality_service.recompute(package.id) is not None:
            scored += 1
    model.Session.commit()
    return scored
