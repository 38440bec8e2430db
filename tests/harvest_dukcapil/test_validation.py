"""Harvested tables through our frictionless engine: validated against their
data standards before anything is written, reports stored through the
validation module after, and valid tables loaded into the DataStore by a real
in-process job worker on the real Redis."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests.helpers import call_action
from dukcapil_support import (
    AGE_DATASET,
    ALL_DATASETS,
    RELIGION_DATASET,
    SEX_DATASET,
    Harvests,
    by_period,
    releases,
    show,
)
from jobs_support import run_jobs

from ckanext.satudata.harvesters.dukcapil import transform

STANDARDS = {
    SEX_DATASET: "penduduk_jenis_kelamin",
    AGE_DATASET: "penduduk_kelompok_umur",
    RELIGION_DATASET: "penduduk_agama",
}
COUNT_COLUMNS = ("laki_laki", "perempuan", "jumlah")


def report(resource_id: str) -> dict[str, Any]:
    return call_action("satudata_validation_show", resource_id=resource_id)


def queued_jobs() -> list[dict[str, Any]]:
    return call_action("job_list", context={"ignore_auth": True})


@pytest.mark.usefixtures("clean_redis")
def test_first_harvest_stores_a_report_per_resource(app: Any, harvests: Harvests) -> None:
    harvests.configure(releases=releases(harvests, "2024-S1", "2024-S2"))

    result = harvests.run()

    assert (
        result.object_errors == [] and sorted(result.statuses_by_guid().values()) == ["added"] * 3
    )
    for name in ALL_DATASETS:
        dataset = show(name)
        assert len(dataset["resources"]) == 3
        for resource in dataset["resources"]:
            shown = call_action("resource_show", id=resource["id"])
            assert shown["validation_status"] == "success", (name, resource["name"])
            assert shown["validation_timestamp"]
            found = report(resource["id"])
            rows = 20 if resource["periode_data"] == "Semua Semester" else 10
            assert (found["status"], found["row_count"], found["error_count"]) == (
                "success",
                rows,
                0,
            )
            assert found["data_standard"] == STANDARDS[name]
            assert found["source"] == "harvest"
            assert found["file_hash"] == resource["hash"]  # the stored bytes were validated
    # One DataStore load queued per resource, by the validation success path.
    loads = [job for job in queued_jobs() if job["title"].startswith("DataStore load ")]
    assert len(loads) == 9

    sex = show(SEX_DATASET)
    semester = by_period(sex)["2024 Semester II"]
    assert "satudata-validation-success" in app.get(f"/dataset/{SEX_DATASET}").body
    page = app.get(f"/dataset/{SEX_DATASET}/resource/{semester['id']}/validation")
    assert page.status_code == 200


@pytest.mark.usefixtures("clean_redis")
def test_valid_tables_reach_the_datastore_typed_by_their_standard(harvests: Harvests) -> None:
    harvests.configure(url=harvests.feed.service_url("2024-S2"), semester="2024-S2")
    harvests.run()

    run_jobs()

    resources = by_period(show(SEX_DATASET))
    found = call_action("datastore_search", resource_id=resources["2024 Semester II"]["id"])
    assert found["total"] == 10
    types = {field["id"]: field["type"] for field in found["fields"]}
    assert {column: types[column] for column in COUNT_COLUMNS} == dict.fromkeys(
        COUNT_COLUMNS, "int4"
    )
    assert (types["kode_wilayah"], types["tahun"], types["semester"]) == ("text", "int4", "int4")
    records = found["records"]
    assert all(isinstance(r[c], int) for r in records for c in COUNT_COLUMNS)
    assert sum(r["jumlah"] for r in records) == 309_667
    assert sum(r["laki_laki"] for r in records) == 160_276
    assert {r["kode_wilayah"] for r in records} == {f"64.01.{n:02d}" for n in range(1, 11)}
    cumulative = resources["Semua Semester"]["id"]
    assert call_action("datastore_search", resource_id=cumulative)["total"] == 10
    assert call_action("resource_show", id=cumulative)["datastore_active"] is True


@pytest.mark.usefixtures("clean_redis")
def test_unchanged_rerun_stores_no_report_and_queues_no_load(harvests: Harvests) -> None:
    harvests.configure(url=harvests.feed.service_url("2024-S2"), semester="2024-S2")
    harvests.run()
    run_jobs()
    assert queued_jobs() == []
    resource_ids = [r["id"] for name in ALL_DATASETS for r in show(name)["resources"]]
    before = {rid: report(rid) for rid in resource_ids}

    result = harvests.run()

    assert sorted(result.statuses_by_guid().values()) == ["not modified"] * 3
    assert {rid: report(rid) for rid in resource_ids} == before
    assert queued_jobs() == []


@pytest.mark.usefixtures("clean_redis")
def test_corrected_semester_gets_a_new_report_and_a_new_load(harvests: Harvests) -> None:
    harvests.configure(url=harvests.feed.service_url("2024-S2"), semester="2024-S2")
    harvests.run()
    run_jobs()
    harvests.feed.state.faults.revised.add("2024-S2")

    result = harvests.run()

    assert (
        result.object_errors == [] and sorted(result.statuses_by_guid().values()) == ["updated"] * 3
    )
    resource = by_period(show(SEX_DATASET))["2024 Semester II"]
    assert report(resource["id"])["file_hash"] == resource["hash"]
    run_jobs()
    records = call_action("datastore_search", resource_id=resource["id"])["records"]
    assert sum(r["jumlah"] for r in records) == 309_667 + 37 - 11


def test_table_breaking_its_standard_is_rejected(
    harvests: Harvests, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A transform defect (a region left without its name) in the sex table
    only: that dataset is refused with a report naming file, row, column and
    rule; the other families are published."""
    original = transform.family_rows

    def defective(data: Any, family: Any, level: str, semester: Any) -> list[list[object]]:
        rows = original(data, family, level, semester)
        if family.key == "jenis_kelamin":
            rows[3][1] = ""  # 64.01.04 Tanah Grogot, data row 4 = CSV row 5
        return rows

    monkeypatch.setattr(transform, "family_rows", defective)
    harvests.configure(url=harvests.feed.service_url("2024-S2"), semester="2024-S2")

    result = harvests.run()

    states = {o["guid"].rsplit(":", 2)[1]: o["state"] for o in result.objects}
    assert states == {"jenis_kelamin": "ERROR", "kelompok_umur": "COMPLETE", "agama": "COMPLETE"}
    (message,) = result.object_errors
    assert message.startswith(
        "jumlah-penduduk-menurut-jenis-kelamin-per-kecamatan-2024-s2.csv: does not follow "
        "data standard penduduk_jenis_kelamin (1 problem(s), status failure); "
        "nothing was published for this dataset"
    )
    assert '- row 5, column "nama_wilayah": rule constraint-error:' in message
    assert "required cell is blank" in message
    names = {d["name"] for d in call_action("package_search", q="*:*")["results"]}
    assert names == {AGE_DATASET, RELIGION_DATASET}
