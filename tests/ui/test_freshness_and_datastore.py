"""Freshness (one rule, in the API and the search facet) and the DataStore
loader (typed by the Table Schema, idempotent, only after a passed validation)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from ckan.tests.helpers import call_action
from jobs_support import run_jobs
from werkzeug.datastructures import FileStorage

from ckanext.satudata.catalog import freshness
from ckanext.satudata.validation import datastore, jobs

TODAY = datetime.date(2025, 7, 1)


@pytest.mark.parametrize(
    ("frequency", "updated", "state"),
    [
        ("semesteran", datetime.date(2025, 6, 1), freshness.CURRENT),
        ("semesteran", datetime.date(2025, 1, 5), freshness.DUE_SOON),  # due 2025-07-08
        ("semesteran", datetime.date(2024, 12, 1), freshness.OVERDUE),
        ("harian", datetime.date(2025, 6, 30), freshness.DUE_SOON),
        ("tahunan", datetime.date(2021, 12, 31), freshness.OVERDUE),
        ("ad_hoc", datetime.date(2010, 1, 1), freshness.UNSCHEDULED),
        (None, datetime.date(2025, 6, 1), freshness.UNSCHEDULED),
        ("bulanan", None, freshness.NO_DATA),
    ],
)
def test_freshness_rule(frequency: str | None, updated: Any, state: str) -> None:
    assert freshness.evaluate(frequency, updated, TODAY).state == state


def test_last_update_is_the_newest_resource_change() -> None:
    resources = [
        {"created": "2024-01-02T10:00:00", "last_modified": None},
        {"created": "2023-05-01T00:00:00", "last_modified": "2024-06-30T08:00:00"},
    ]
    assert freshness.last_update(resources) == datetime.date(2024, 6, 30)
    assert freshness.last_update([]) is None


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_freshness_in_package_show_and_as_a_facet(sdi_dataset: Any, sysadmin: dict) -> None:
    context = {"user": sysadmin["name"]}
    dataset = call_action(
        "package_create", context, **sdi_dataset(accrualPeriodicity="tahunan", periode="tahun")
    )
    call_action(
        "resource_create",
        context,
        package_id=dataset["id"],
        url="https://example.org/lama.pdf",
        format="PDF",
        last_modified="2020-01-01T00:00:00",
    )
    shown = call_action("package_show", id=dataset["id"])
    assert shown["freshness"] == "overdue"
    assert shown["freshness_last_update"] == "2020-01-01"
    assert shown["freshness_due"] == "2021-01-01"  # 366 days

    found = call_action(
        "package_search", fq="freshness:overdue", **{"facet.field": '["freshness"]'}
    )
    assert [d["name"] for d in found["results"]] == [dataset["name"]]
    items = found["search_facets"]["freshness"]["items"]
    # Labelled in the UI language (a call outside a web request gets the default).
    assert items == [{"name": "overdue", "display_name": items[0]["display_name"], "count": 1}]
    assert items[0]["display_name"] in ("Terlambat", "Overdue")


TYPED_SCHEMA = {
    "fields": [
        {"name": "kode_wilayah", "type": "string", "title": "Kode Wilayah"},
        {"name": "tahun", "type": "integer"},
        {"name": "persentase", "type": "number"},
        {"name": "tanggal", "type": "date"},
    ]
}


def _csv_resource(package_id: str, text: str, user: str) -> dict[str, Any]:
    return call_action(
        "resource_create",
        {"user": user},
        package_id=package_id,
        name="Data",
        format="CSV",
        url="data.csv",
        upload=FileStorage(io.BytesIO(text.encode()), filename="data.csv"),
    )


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_datastore_load_uses_the_table_schema_types_and_replaces(
    sdi_dataset: Any, sysadmin: dict
) -> None:
    from ckanext.datastore.tests.helpers import rebuild_all_dbs  # noqa: F401 (datastore present)

    dataset = call_action("package_create", {"user": sysadmin["name"]}, **sdi_dataset())
    text = "kode_wilayah,tahun,persentase,tanggal\n64.01.04,2024,12.5,2024-12-31\n64.01.05,2024,7.25,2024-12-31\n"
    resource = _csv_resource(dataset["id"], text, sysadmin["name"])

    assert datastore.load_resource(resource["id"], TYPED_SCHEMA) == 2
    assert datastore.load_resource(resource["id"], TYPED_SCHEMA) == 2  # re-load replaces

    result = call_action("datastore_search", resource_id=resource["id"])
    types = {f["id"]: f["type"] for f in result["fields"]}
    assert types == {
        "_id": "int",
        "kode_wilayah": "text",
        "tahun": "int4",
        "persentase": "numeric",
        "tanggal": "date",
    }
    assert result["total"] == 2
    assert result["records"][0]["kode_wilayah"] == "64.01.04"  # a code stays text
    assert call_action("resource_show", id=resource["id"])["datastore_active"] is True
    views = call_action("resource_view_list", id=resource["id"])
    # The default views (test.ini): the table preview and, a measure column
    # (persentase) being there, the chart.
    assert [v["view_type"] for v in views] == ["datatables_view", "satudata_chart"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_only_a_passed_validation_queues_a_typed_load(sdi_dataset: Any, sysadmin: dict) -> None:
    """On the real job queue (Redis): failures queue nothing; a success queues
    one load typed by the Table Schema the file passed against."""
    from ckan.lib import jobs as ckan_jobs

    from ckanext.satudata.validation import engine

    dataset = call_action("package_create", {"user": sysadmin["name"]}, **sdi_dataset())
    resource = call_action(
        "resource_create", {"user": sysadmin["name"]}, package_id=dataset["id"],
        name="Laporan", url="https://paserkab.go.id/laporan.pdf", format="PDF",
    )  # fmt: skip
    queue = ckan_jobs.get_queue()
    queue.empty()
    for status in (engine.FAILURE, engine.ERROR):
        failed = engine.ValidationResult(status=status, format="csv", table_schema=TYPED_SCHEMA)
        jobs.after_validation(resource, failed, "upload")
    assert queue.jobs == []

    passed = engine.ValidationResult(
        status=engine.SUCCESS, format="csv", table_schema=TYPED_SCHEMA, checked_as="table"
    )
    jobs.after_validation(resource, passed, "upload")

    (job,) = queue.jobs
    assert job.func is jobs.load_job
    assert list(job.args) == [resource["id"], TYPED_SCHEMA]
    queue.empty()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")
def test_file_without_a_standard_is_loaded_with_inferred_types(
    sdi_dataset: Any, sysadmin: dict
) -> None:
    """No data standard: the DataStore still gets typed columns, from the
    schema frictionless inferred while validating (a real job worker)."""

    dataset = call_action("package_create", {"user": sysadmin["name"]}, **sdi_dataset())
    text = "kecamatan,jumlah_puskesmas,rasio\nTanah Grogot,3,1.5\nKuaro,2,0.75\n"
    resource = call_action(
        "resource_create", {"user": sysadmin["name"]}, package_id=dataset["id"], name="Puskesmas",
        upload=FileStorage(io.BytesIO(text.encode()), filename="puskesmas.csv"),
    )  # fmt: skip
    run_jobs()

    found = call_action("datastore_search", resource_id=resource["id"])
    types = {f["id"]: f["type"] for f in found["fields"]}
    assert types == {
        "_id": "int",
        "kecamatan": "text",
        "jumlah_puskesmas": "int4",
        "rasio": "numeric",
    }
    assert [r["jumlah_puskesmas"] for r in found["records"]] == [3, 2]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")
@pytest.mark.ckan_config("ckanext.satudata.validation.url_allow_private", "true")
@pytest.mark.parametrize("changed", [False, True])
def test_url_changed_after_validation_is_not_loaded(
    sdi_dataset: Any, sysadmin: dict, changed: bool
) -> None:
    """The load fetches the URL again under the validation's policy: the
    validated file is loaded; other content (here a NIK list swapped in after
    validation) is refused and validated again."""
    from ckan.plugins import toolkit as tk
    from file_server import FileServer

    server = FileServer(port=0, root=None).start()
    try:
        server.put("data.csv", b"kecamatan,jumlah\nTanah Grogot,3\nKuaro,2\n")
        dataset = call_action("package_create", {"user": sysadmin["name"]}, **sdi_dataset())
        resource = call_action(
            "resource_create", {"user": sysadmin["name"]}, package_id=dataset["id"],
            name="Data", url=server.url("data.csv"), format="CSV",
        )  # fmt: skip
        assert call_action("resource_show", id=resource["id"])["validation_status"] == "success"
        if changed:
            server.put("data.csv", b"nama,nomor\nAmir,6401014501900001\nBudi,6401020101900002\n")

        run_jobs()
    finally:
        server.stop()

    if not changed:
        assert call_action("datastore_search", resource_id=resource["id"])["total"] == 2
        return
    with pytest.raises(tk.ObjectNotFound):
        call_action("datastore_search", resource_id=resource["id"])
    assert call_action("resource_show", id=resource["id"])["validation_status"] == "failure"
    report = call_action("satudata_validation_show", resource_id=resource["id"])
    assert "6401014501900001" not in str(report)
