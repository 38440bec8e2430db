"""The harvester through ckanext-harvest's real stages against the real stack
(PostgreSQL, Solr, Redis) and the sample feed over real HTTP on 127.0.0.1."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from ckan.lib import uploader
from ckan.tests.helpers import call_action
from dukcapil_support import (
    AGE_DATASET,
    ALL_DATASETS,
    ORG_NAME,
    ORG_TITLE,
    RELIGION_DATASET,
    SEX_DATASET,
    Harvests,
    by_period,
    releases,
    show,
)


def table(resource: dict[str, Any]) -> list[dict[str, str]]:
    path = uploader.get_resource_uploader(resource).get_path(resource["id"])
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(io.StringIO(handle.read())))


def activity_count(name: str) -> int:
    return len(call_action("package_activity_list", id=name, limit=100))


def test_first_harvest_of_two_semesters(harvests: Harvests) -> None:
    harvests.configure(releases=releases(harvests, "2024-S1", "2024-S2"))

    result = harvests.run()

    assert result.gather_errors == [] and result.object_errors == []
    assert sorted(result.statuses_by_guid().values()) == ["added"] * 3
    sex = show(SEX_DATASET)
    assert sex["organization"]["name"] == ORG_NAME
    assert sex["author"] == ORG_TITLE
    expected_metadata = {
        "accrualPeriodicity": "semesteran",
        "periode": "semester",
        "tingkat_wilayah": "kecamatan",
        "kode_wilayah": [f"64.01.{n:02d}" for n in range(1, 11)],
        "sumber": "Dukcapil Kemendagri (DKB)",
        "theme": "pemerintahan-umum",
        "subtopik": "kependudukan",
        "jenis": "statistik",
        "satuan": "jiwa",
        "accessRights": "terbuka",
        "tahun_mulai": "2024",
        "tahun_akhir": "2024",
    }
    assert {key: sex[key] for key in expected_metadata} == expected_metadata
    resources = by_period(sex)
    assert set(resources) == {"Semua Semester", "2024 Semester I", "2024 Semester II"}
    assert all(r["format"] == "CSV" and r["url_type"] == "upload" for r in sex["resources"])

    rows = table(resources["2024 Semester II"])
    assert list(rows[0]) == [
        "kode_wilayah", "nama_wilayah", "tahun", "semester", "laki_laki", "perempuan", "jumlah",
    ]  # fmt: skip
    assert len(rows) == 10
    assert rows[3]["kode_wilayah"] == "64.01.04" and rows[3]["nama_wilayah"] == "Tanah Grogot"
    assert sum(int(r["jumlah"]) for r in rows) == 309_667
    assert sum(int(r["laki_laki"]) for r in rows) == 160_276
    assert sum(int(r["perempuan"]) for r in rows) == 149_391
    cumulative = table(resources["Semua Semester"])
    assert len(cumulative) == 20
    assert [(r["tahun"], r["semester"]) for r in cumulative[::10]] == [("2024", "1"), ("2024", "2")]
    # The duplicate record of the feed was collapsed and said so.
    assert "duplikat" in resources["2024 Semester II"]["description"]
    for name in (AGE_DATASET, RELIGION_DATASET):
        assert len(show(name)["resources"]) == 3


def test_every_default_family_is_published_by_default(harvests: Harvests) -> None:
    """Without ``families`` every default family is published (the opt-in
    age-by-sex family only when asked for), each valid against its data
    standard, its categories summing to the total."""
    from ckanext.satudata.harvesters.dukcapil.standard import DEFAULT_FAMILIES, FAMILIES

    harvests.configure(url=harvests.feed.service_url("2024-S2"), semester="2024-S2", families=None)

    result = harvests.run()

    assert result.object_errors == []
    assert sorted(result.statuses_by_guid().values()) == ["added"] * len(DEFAULT_FAMILIES)
    for family in (FAMILIES[key] for key in DEFAULT_FAMILIES):
        dataset = show(f"{family.slug}-per-kecamatan-kabupaten-paser")
        assert dataset["standar_data"] == family.standard
        semester = by_period(dataset)["2024 Semester II"]
        assert semester["validation_status"] == "success", family.key
        rows = table(semester)
        assert list(rows[0]) == list(family.table_columns)
        categories = [column for column, _ in family.columns]
        assert all(sum(int(r[c]) for c in categories) == int(r["jumlah"]) for r in rows)
        assert sum(int(r["jumlah"]) for r in rows) == 309_667


def test_age_by_sex_family_is_published_when_asked_for(harvests: Harvests) -> None:
    """The pyramid family (opt-in) follows its standard: every age band by sex,
    the men's bands summing to the published laki-laki figure."""
    from ckanext.satudata.harvesters.dukcapil.standard import FAMILIES

    family = FAMILIES["kelompok_umur_jenis_kelamin"]
    harvests.configure(
        url=harvests.feed.service_url("2024-S2"), semester="2024-S2", families=[family.key]
    )

    result = harvests.run()

    assert result.gather_errors == [] and result.object_errors == []
    dataset = show(f"{family.slug}-per-kecamatan-kabupaten-paser")
    assert dataset["standar_data"] == "penduduk_kelompok_umur_jenis_kelamin"
    semester = by_period(dataset)["2024 Semester II"]
    assert semester["validation_status"] == "success"
    rows = table(semester)
    assert list(rows[0]) == list(family.table_columns)
    male = [c for c, _ in family.columns if c.startswith("laki_laki_")]
    assert len(male) == 16
    assert sum(int(r[c]) for r in rows for c in male) == 160_276
    assert sum(int(r["jumlah"]) for r in rows) == 309_667


def harvest_s2(harvests: Harvests) -> dict[str, dict[str, Any]]:
    """A first harvest of 2024-S2 alone; returns the datasets as published."""
    harvests.configure(url=harvests.feed.service_url("2024-S2"), semester="2024-S2")
    result = harvests.run()
    assert result.gather_errors == [] and result.object_errors == []
    return {name: show(name) for name in ALL_DATASETS}


def assert_untouched(before: dict[str, dict[str, Any]]) -> None:
    for name, dataset in before.items():
        now = show(name)
        assert now["metadata_modified"] == dataset["metadata_modified"], name
        assert [r["hash"] for r in now["resources"]] == [r["hash"] for r in dataset["resources"]]


def test_rerun_of_the_same_semester_writes_nothing(harvests: Harvests) -> None:
    before = harvest_s2(harvests)
    activities = {name: activity_count(name) for name in ALL_DATASETS}

    result = harvests.run()

    assert result.gather_errors == [] and result.object_errors == []
    assert sorted(result.statuses_by_guid().values()) == ["not modified"] * 3
    assert_untouched(before)
    assert {name: activity_count(name) for name in ALL_DATASETS} == activities


def test_rerun_with_another_composition_of_semesters_writes_nothing(harvests: Harvests) -> None:
    """Same figures reached by a different job (backfill listing both semesters,
    then the current one alone): compared per semester, still zero writes."""
    harvests.configure(releases=releases(harvests, "2024-S1", "2024-S2"))
    harvests.run()
    before = {name: show(name) for name in ALL_DATASETS}
    harvests.configure(url=harvests.feed.service_url("2024-S2"), semester="2024-S2", releases=None)

    result = harvests.run()

    assert sorted(result.statuses_by_guid().values()) == ["not modified"] * 3
    assert_untouched(before)


def test_third_semester_adds_a_resource_and_refreshes_the_cumulative_one(
    harvests: Harvests,
) -> None:
    harvests.configure(releases=releases(harvests, "2024-S1", "2024-S2"))
    harvests.run()
    before = by_period(show(SEX_DATASET))
    harvests.configure(url=harvests.feed.service_url("2025-S1"), semester="2025-S1", releases=None)

    result = harvests.run()

    assert (
        result.object_errors == [] and sorted(result.statuses_by_guid().values()) == ["updated"] * 3
    )
    dataset = show(SEX_DATASET)
    after = by_period(dataset)
    assert set(after) == {
        "Semua Semester",
        "2024 Semester I",
        "2024 Semester II",
        "2025 Semester I",
    }
    for period in ("2024 Semester I", "2024 Semester II"):  # kept as they were
        assert (after[period]["id"], after[period]["hash"]) == (
            before[period]["id"],
            before[period]["hash"],
        )
    assert after["Semua Semester"]["id"] == before["Semua Semester"]["id"]
    cumulative = table(after["Semua Semester"])
    assert len(cumulative) == 30
    assert {(r["tahun"], r["semester"]) for r in cumulative} == {
        ("2024", "1"), ("2024", "2"), ("2025", "1"),
    }  # fmt: skip
    assert dataset["tahun_akhir"] == "2025"
    assert sum(int(r["jumlah"]) for r in table(after["2025 Semester I"])) == 311_905


def test_correction_replaces_the_semester_and_shows_in_the_activity(harvests: Harvests) -> None:
    before = harvest_s2(harvests)
    activities = activity_count(SEX_DATASET)
    harvests.feed.state.faults.revised.add("2024-S2")  # Dukcapil publishes corrected figures

    result = harvests.run()

    assert (
        result.object_errors == [] and sorted(result.statuses_by_guid().values()) == ["updated"] * 3
    )
    old, new = by_period(before[SEX_DATASET]), by_period(show(SEX_DATASET))
    semester = "2024 Semester II"
    assert new[semester]["id"] == old[semester]["id"]
    assert new[semester]["hash"] != old[semester]["hash"]
    assert "Riwayat revisi" in new[semester]["description"]
    corrected = table(new[semester])
    assert sum(int(r["jumlah"]) for r in corrected) == 309_667 + 37 - 11
    assert sum(int(r["jumlah"]) for r in table(new["Semua Semester"])) == 309_667 + 37 - 11
    assert activity_count(SEX_DATASET) == activities + 1
    latest = call_action("package_activity_list", id=SEX_DATASET, limit=1)[0]
    assert latest["activity_type"] == "changed package"


def test_500_on_one_page_is_retried(harvests: Harvests) -> None:
    # The desa layer's second page (offset 50) fails once with HTTP 500.
    harvests.feed.state.faults.fail_pages[(3, 50)] = 1
    harvest_s2(harvests)

    second_page = [
        p for p in harvests.feed.state.requests if "/3/query" in p and "resultOffset=50" in p
    ]
    assert len(second_page) == 2  # the 500, then the retry that succeeded
    assert (
        sum(int(r["jumlah"]) for r in table(by_period(show(SEX_DATASET))["2024 Semester II"]))
        == 309_667
    )


def test_persistent_500_changes_nothing(harvests: Harvests) -> None:
    before = harvest_s2(harvests)
    harvests.feed.state.faults.fail_pages[(3, 50)] = 10

    result = harvests.run()

    assert result.objects == []
    assert len(result.gather_errors) == 1 and "HTTP 500" in result.gather_errors[0]
    assert "nothing was changed" in result.gather_errors[0]
    assert_untouched(before)


def test_timeout_changes_nothing(harvests: Harvests) -> None:
    before = harvest_s2(harvests)
    harvests.configure(
        url=harvests.feed.service_url("2024-S2"), semester="2024-S2", timeout=0.3, retries=1
    )
    harvests.feed.state.faults.delay_seconds = 1.0

    result = harvests.run()

    assert result.objects == []
    assert len(result.gather_errors) == 1
    assert "no answer within 0.3 s" in result.gather_errors[0]
    assert_untouched(before)


@pytest.mark.parametrize(
    ("fault", "reason"), [("empty", "empty response"), ("truncated", "truncated JSON")]
)
def test_empty_or_truncated_response_changes_nothing(
    harvests: Harvests, fault: str, reason: str
) -> None:
    before = harvest_s2(harvests)
    harvests.feed.state.faults.revised.add("2024-S2")  # would be a change if it were read
    setattr(harvests.feed.state.faults, fault, True)

    result = harvests.run()

    assert result.objects == []
    assert len(result.gather_errors) == 1 and reason in result.gather_errors[0]
    assert_untouched(before)


def test_inconsistent_total_is_rejected_with_a_clear_report(harvests: Harvests) -> None:
    before = harvest_s2(harvests)
    harvests.feed.state.faults.inconsistent = True  # kecamatan 64.01.04 says 25 more than its desa

    result = harvests.run()

    assert {o["state"] for o in result.objects} == {"ERROR"}
    report = result.object_errors[0]
    assert "2024 Semester II rejected, published data left untouched" in report
    assert (
        "64.01.04 jumlah_penduduk: kecamatan total differs from the sum of its 16 desa "
        "(expected 90,758, found 90,783)" in report
    )
    assert "64.01 jumlah_penduduk: kabupaten total differs" in report
    assert_untouched(before)


def test_record_with_a_nik_is_rejected(harvests: Harvests) -> None:
    harvests.feed.state.faults.nik = True
    harvests.configure(url=harvests.feed.service_url("2024-S2"), semester="2024-S2")

    result = harvests.run()

    assert {o["state"] for o in result.objects} == {"ERROR"}
    report = result.object_errors[0]
    assert "nik: individual-level field (NIK/KK/KTP) in an aggregate feed" in report
    assert "6401044512900001" not in report  # the report never repeats the identifier
    assert call_action("package_search", q="*:*")["count"] == 0


def test_spreadsheet_release(harvests: Harvests) -> None:
    harvests.configure(url=harvests.feed.base_url + "/dkb/2024-S2.xlsx", semester="2024-S2")

    result = harvests.run()

    assert result.gather_errors == [] and result.object_errors == []
    rows = table(by_period(show(SEX_DATASET))["2024 Semester II"])
    assert sum(int(r["jumlah"]) for r in rows) == 309_667


def test_desa_level_dataset(harvests: Harvests) -> None:
    harvests.configure(
        url=harvests.feed.service_url("2024-S2"),
        semester="2024-S2",
        levels=["desa"],
        families=["jenis_kelamin"],
    )

    result = harvests.run()

    assert result.object_errors == [] and list(result.statuses_by_guid().values()) == ["added"]
    dataset = show("jumlah-penduduk-menurut-jenis-kelamin-per-desa-kabupaten-paser")
    assert dataset["tingkat_wilayah"] == "desa" and len(dataset["kode_wilayah"]) == 144
    assert len(table(by_period(dataset)["2024 Semester II"])) == 144


def test_zip_bomb_spreadsheet_release_is_refused_before_parsing(harvests: Harvests) -> None:
    """An XLSX release passes the validation reader's container check before
    calamine inflates it: a zip bomb is a gather error that changes nothing."""
    import pathlib
    import sys

    from file_server import FileServer

    folder = str(pathlib.Path(__file__).parents[1] / "validation")
    if folder not in sys.path:
        sys.path.append(folder)
    import validation_files

    server = FileServer(port=0).start()
    try:
        server.put("dkb/2024-S2.xlsx", validation_files.zip_bomb_xlsx(300))
        harvests.configure(url=server.url("dkb/2024-S2.xlsx"), semester="2024-S2")
        result = harvests.run()
    finally:
        server.stop()

    assert result.objects == []
    assert any("File refused" in e and "(zip bomb)" in e for e in result.gather_errors)
    assert call_action("package_search", q="*:*")["count"] == 0


def test_resources_added_by_hand_survive_a_revision(harvests: Harvests) -> None:
    harvest_s2(harvests)
    pdf = call_action(
        "resource_create",
        context={"user": harvests.sysadmin["name"]},
        package_id=SEX_DATASET,
        name="Metodologi DKB",
        url="https://dukcapil.kemendagri.go.id/metodologi-dkb.pdf",
        format="PDF",
    )
    harvests.feed.state.faults.revised.add("2024-S2")

    result = harvests.run()

    assert result.object_errors == []
    assert sorted(result.statuses_by_guid().values()) == ["updated"] * 3
    resources = show(SEX_DATASET)["resources"]
    kept = [r for r in resources if r["id"] == pdf["id"]]
    assert [(r["name"], r["format"]) for r in kept] == [("Metodologi DKB", "PDF")]
    assert "Riwayat revisi" in by_period(show(SEX_DATASET))["2024 Semester II"]["description"]


def test_a_harvest_source_carries_no_dataset_freshness(harvests: Harvests) -> None:
    """Freshness belongs to datasets: harvest_source_show and the source's
    search entry say nothing of it."""
    source = harvests.configure(semester="2024-S2")
    shown = call_action("harvest_source_show", id=source["id"])
    assert not {"freshness", "freshness_due", "freshness_last_update"} & set(shown)
    found = call_action("package_search", fq="dataset_type:harvest", rows=5)["results"]
    assert found and not any("freshness" in source for source in found)
