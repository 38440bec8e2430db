"""The Dukcapil feed as it really is (issue 13), through the harvester's real
stages on the real stack, the sample feed serving over HTTP on 127.0.0.1:
one service per region level, families the feed lacks, dirty region codes and
the quarantine policy, ArcGIS errors sent with HTTP 200, a recreated source,
and reports in the reader's language."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from dukcapil_support import (
    ALL_DATASETS,
    RELIGION_DATASET,
    SEX_DATASET,
    Harvests,
    by_period,
    fast_config,
    show,
)
from harvest_support import run_job

from ckanext.satudata.demo.dukcapil_feed import DIRTY_DESA_CODE
from ckanext.satudata.harvesters.dukcapil.standard import FAMILIES

SEMESTER = "2024-S2"


def auth(harvests: Harvests) -> dict[str, str]:
    """Job reports are for the source's editors: the sysadmin's API token."""
    return {"Authorization": harvests.sysadmin["token"]}


EDUCATION_KEYS = FAMILIES["pendidikan"].source_keys


def test_one_service_per_level_reads_like_one_service_with_layers(harvests: Harvests) -> None:
    feed = harvests.feed
    harvests.configure(semester=SEMESTER, services=feed.level_services(SEMESTER))

    first = harvests.run()

    assert first.gather_errors == [] and first.object_errors == []
    assert sorted(first.statuses_by_guid().values()) == ["added"] * 3
    queried = {path.split("?")[0] for path in feed.state.requests}
    assert queried == {
        f"/arcgis/rest/services/DKB_{level}_2024_S2/MapServer/0/query"
        for level in ("KAB", "KEC", "DESA")
    }
    sex = show(SEX_DATASET)
    # The dataset links the service that publishes its level.
    assert sex["url"] == feed.level_services(SEMESTER)["kecamatan"]
    hashes = {name: [r["hash"] for r in show(name)["resources"]] for name in ALL_DATASETS}

    # The same release read from one service with a layer per level: the same tables.
    harvests.configure(url=feed.service_url(SEMESTER), semester=SEMESTER)
    second = harvests.run()

    assert second.gather_errors == [] and second.object_errors == []
    assert sorted(second.statuses_by_guid().values()) == ["not modified"] * 3
    assert {name: [r["hash"] for r in show(name)["resources"]] for name in ALL_DATASETS} == hashes


def test_a_level_without_its_service_is_a_configuration_error(harvests: Harvests) -> None:
    services = harvests.feed.level_services(SEMESTER)
    del services["kecamatan"]

    with pytest.raises(tk.ValidationError) as refused:
        harvests.configure(semester=SEMESTER, services=services)

    assert "2024-S2: no service or layer for the published level(s) kecamatan" in str(
        refused.value.error_dict["config"]
    )


def test_a_family_the_source_does_not_ask_for_may_be_absent(harvests: Harvests) -> None:
    harvests.feed.state.faults.missing_keys = set(EDUCATION_KEYS)
    harvests.configure(url=harvests.feed.service_url(SEMESTER), semester=SEMESTER)

    result = harvests.run()

    assert result.gather_errors == [] and result.object_errors == []
    assert sorted(result.statuses_by_guid().values()) == ["added"] * 3


def test_a_requested_familys_absent_fields_are_reported_once_each(harvests: Harvests) -> None:
    harvests.feed.state.faults.missing_keys = set(EDUCATION_KEYS)
    harvests.configure(
        url=harvests.feed.service_url(SEMESTER),
        semester=SEMESTER,
        families=["jenis_kelamin", "agama", "pendidikan"],
    )

    result = harvests.run()

    statuses = result.statuses_by_guid()
    education = next(guid for guid in statuses if ":pendidikan:" in guid)
    assert statuses.pop(education) == "errored"
    assert sorted(statuses.values()) == ["added"] * 2  # the other families publish
    [report] = result.object_errors
    absent = [line for line in report.splitlines() if "field absent" in line]
    # ~3,000 records without them: one line per field, not one per record.
    assert len(absent) == len(EDUCATION_KEYS)
    assert "feed tamat_sd: field absent from the feed's records, needed by the family " in report
    assert show(RELIGION_DATASET)["resources"]


def test_a_dirty_code_rejects_the_semester_by_default(harvests: Harvests) -> None:
    harvests.feed.state.faults.dirty_code = True
    harvests.configure(url=harvests.feed.service_url(SEMESTER), semester=SEMESTER)

    result = harvests.run()

    assert {o["state"] for o in result.objects} == {"ERROR"}
    assert (
        f"{DIRTY_DESA_CODE} kode wilayah: region code not in the region reference list"
        in (result.object_errors[0])
    )
    assert call_action("package_search", q="*:*")["count"] == 0


def quarantining(harvests: Harvests, **config: Any) -> None:
    harvests.feed.state.faults.dirty_code = True
    harvests.configure(
        url=harvests.feed.service_url(SEMESTER),
        semester=SEMESTER,
        dirty_records="quarantine",
        **config,
    )


def test_quarantine_publishes_the_rest_and_reports_the_record(harvests: Harvests, app) -> None:
    quarantining(harvests, levels=["kecamatan", "desa"])

    result = harvests.run()

    assert result.gather_errors == [] and result.object_errors == []
    assert sorted(result.statuses_by_guid().values()) == ["added"] * 6
    # Published: every known region, the dirty record left out.
    desa = by_period(show(SEX_DATASET.replace("per-kecamatan", "per-desa")))
    from test_dukcapil_harvest import table

    rows = table(desa["2024 Semester II"])
    assert len(rows) == 144 and DIRTY_DESA_CODE not in {r["kode_wilayah"] for r in rows}
    assert "1 rekaman dikarantina" in desa["2024 Semester II"]["description"]

    # On the harvest job, in the reader's language (Indonesian by default).
    job_id = result.job["id"]
    report = app.get(f"/api/action/harvest_job_report?id={job_id}", headers=auth(harvests)).json[
        "result"
    ]
    quarantined = report["satudata_quarantine"]
    assert len(quarantined) == 6  # each family and level's object
    assert "dikarantina" in quarantined[0]["message"]
    assert DIRTY_DESA_CODE in quarantined[0]["message"]
    page = app.get(f"/harvest/{harvests.source['name']}/job/{job_id}", headers=auth(harvests)).body
    assert "Rekaman dikarantina" in page and DIRTY_DESA_CODE in page
    english = app.get(
        f"/en/harvest/{harvests.source['name']}/job/{job_id}", headers=auth(harvests)
    ).body
    assert "Quarantined records" in english
    assert "quarantined (policy dirty_records: quarantine)" in english

    # On the dataset page, both languages.
    dataset_page = app.get(f"/dataset/{SEX_DATASET}", headers=auth(harvests)).body
    assert "Rekaman dikarantina" in dataset_page and DIRTY_DESA_CODE in dataset_page
    assert (
        "region code not in the region reference list"
        in app.get(f"/en/dataset/{SEX_DATASET}", headers=auth(harvests)).body
    )


def test_quarantine_limit_still_rejects_a_dirty_feed(harvests: Harvests) -> None:
    quarantining(harvests, quarantine_limit=0.0001)

    result = harvests.run()

    assert {o["state"] for o in result.objects} == {"ERROR"}
    assert "more records quarantined than the policy allows" in result.object_errors[0]
    assert call_action("package_search", q="*:*")["count"] == 0


def test_consistency_is_checked_on_what_is_published(harvests: Harvests) -> None:
    """With the quarantine, a kecamatan that no longer matches its published desa
    plus its quarantined ones is still refused."""
    harvests.feed.state.faults.inconsistent = (
        True  # kecamatan 64.01.04: 25 more, its breakdowns not
    )
    quarantining(harvests, quarantine_limit=0.5)

    result = harvests.run()

    assert {o["state"] for o in result.objects} == {"ERROR"}
    report = result.object_errors[0]
    # The kecamatan fails its own checks (quarantined); the kabupaten is compared
    # with its published kecamatan plus what the quarantined one carries.
    assert (
        "64.01 jumlah_penduduk: kabupaten total differs from the sum of its 9 kecamatan and "
        "its 1 quarantined record(s) (expected 311,491, found 311,466)" in report
    )
    assert "more records quarantined than the policy allows" not in report


def test_an_arcgis_error_sent_with_http_200_is_retried(harvests: Harvests) -> None:
    harvests.feed.state.faults.arcgis_errors[(3, 50)] = 1
    harvests.configure(url=harvests.feed.service_url(SEMESTER), semester=SEMESTER)

    result = harvests.run()

    assert (
        result.gather_errors == [] and sorted(result.statuses_by_guid().values()) == ["added"] * 3
    )
    second_page = [p for p in harvests.feed.state.requests if "/3/query" in p and "Offset=50" in p]
    assert len(second_page) == 2


def test_a_persistent_arcgis_error_changes_nothing(harvests: Harvests) -> None:
    harvests.feed.state.faults.arcgis_errors[(3, 50)] = 10
    harvests.configure(url=harvests.feed.service_url(SEMESTER), semester=SEMESTER)

    result = harvests.run()

    assert result.objects == []
    [error] = result.gather_errors
    assert "ArcGIS error 500" in error and "still after 3 attempt(s)" in error
    assert "nothing was changed" in error


def second_source(harvests: Harvests, name: str = "dukcapil-paser-2025") -> dict[str, Any]:
    """A new source of the same OPD for the next semester's renamed services."""
    return call_action(
        "harvest_source_create",
        context={"user": harvests.sysadmin["name"]},
        name=name,
        title="Dukcapil DKB Kabupaten Paser 2025",
        source_type="satudata_dukcapil",
        owner_org=harvests.org["id"],
        url=harvests.feed.base_url + "/arcgis/rest/services",
        config=json.dumps(
            fast_config(semester="2025-S1", services=harvests.feed.level_services("2025-S1"))
        ),
    )


def test_a_recreated_source_adopts_its_datasets(harvests: Harvests) -> None:
    harvests.configure(url=harvests.feed.service_url(SEMESTER), semester=SEMESTER)
    harvests.run()
    before = {name: show(name)["id"] for name in ALL_DATASETS}
    assert harvests.source is not None
    call_action(
        "harvest_source_delete",
        context={"user": harvests.sysadmin["name"]},
        id=harvests.source["id"],
    )

    source = second_source(harvests)
    result = run_job(harvests.sysadmin["name"], source["id"], "satudata_dukcapil")

    assert result.gather_errors == [] and result.object_errors == []
    assert sorted(result.statuses_by_guid().values()) == ["updated"] * 3
    assert {name: show(name)["id"] for name in ALL_DATASETS} == before
    sex = show(SEX_DATASET)
    assert set(by_period(sex)) == {"Semua Semester", "2024 Semester II", "2025 Semester I"}
    # The datasets are the new source's now: its next run changes nothing.
    again = run_job(harvests.sysadmin["name"], source["id"], "satudata_dukcapil")
    assert sorted(again.statuses_by_guid().values()) == ["not modified"] * 3


def test_adoption_is_refused_while_the_other_source_is_active(harvests: Harvests, app) -> None:
    harvests.configure(url=harvests.feed.service_url(SEMESTER), semester=SEMESTER)
    harvests.run()
    before = {name: show(name)["metadata_modified"] for name in ALL_DATASETS}

    source = second_source(harvests)
    result = run_job(harvests.sysadmin["name"], source["id"], "satudata_dukcapil")

    assert {o["state"] for o in result.objects} == {"ERROR"}
    assert all(
        "is published by the harvest source dukcapil-paser, which is still active" in error
        for error in result.object_errors
    )
    assert {name: show(name)["metadata_modified"] for name in ALL_DATASETS} == before
    # The same report in Indonesian on the job page.
    page = app.get(f"/harvest/{source['name']}/job/{result.job['id']}", headers=auth(harvests)).body
    assert "masih aktif" in page and "dukcapil-paser" in page


def test_harvest_reports_speak_indonesian_and_english_under_en(harvests: Harvests, app) -> None:
    harvests.feed.state.faults.fail_pages[(3, 50)] = 10
    harvests.configure(url=harvests.feed.service_url(SEMESTER), semester=SEMESTER)
    result = harvests.run()
    job_id = result.job["id"]

    indonesian = app.get(
        f"/api/action/harvest_job_report?id={job_id}", headers=auth(harvests)
    ).json["result"]
    [error] = indonesian["gather_errors"]
    assert "2024 Semester II: feed tidak dapat dibaca sepenuhnya" in error["message"]
    assert "satudata_message" not in error["message"]
    assert (
        "tidak dapat dibaca sepenuhnya"
        in app.get(f"/harvest/{harvests.source['name']}/job/{job_id}", headers=auth(harvests)).body
    )
    assert (
        "the feed could not be read completely, nothing was changed"
        in app.get(
            f"/en/harvest/{harvests.source['name']}/job/{job_id}", headers=auth(harvests)
        ).body
    )
    summary = app.get(f"/api/action/harvest_job_show?id={job_id}", headers=auth(harvests)).json[
        "result"
    ]
    assert "tidak dapat dibaca sepenuhnya" in summary["gather_error_summary"][0]["message"]
