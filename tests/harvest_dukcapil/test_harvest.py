"""The harvester through ckanext-harvest's real stages against the real stack
(PostgreSQL, Solr, Redis) and the sample feed over real HTTP on 127.0.0.1."""

from __future__ import annotations

import csv
import io
from typing import Any

from ckan.lib import uploader
from ckan.tests.helpers import call_action
from dukcapil_support import ORG_NAME, ORG_TITLE, Harvests

SEX_DATASET = "jumlah-penduduk-menurut-jenis-kelamin-per-kecamatan-kabupaten-paser"
AGE_DATASET = "jumlah-penduduk-menurut-kelompok-umur-per-kecamatan-kabupaten-paser"
RELIGION_DATASET = "jumlah-penduduk-menurut-agama-per-kecamatan-kabupaten-paser"
ALL_DATASETS = (SEX_DATASET, AGE_DATASET, RELIGION_DATASET)


def releases(harvests: Harvests, *semesters: str) -> list[dict[str, str]]:
    return [{"semester": s, "url": harvests.feed.service_url(s)} for s in semesters]


def show(name: str) -> dict[str, Any]:
    return call_action("package_show", id=name)


def table(resource: dict[str, Any]) -> list[dict[str, str]]:
    path = uploader.get_resource_uploader(resource).get_path(resource["id"])
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(io.StringIO(handle.read())))


def by_period(dataset: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["periode_data"]: r for r in dataset["resources"]}


def activity_count(name: str) -> int:
    return len(call_action("package_activity_list", id=name, limit=100))


def test_first_harvest_of_two_semesters(harvests: Harvests) -> None:
    harvests.configure(releases=releases(harvests, "2024-S1", "2024-S2"))

    result = harvests.run()

    assert result.gather_errors == [] and result.object_errors == []
    assert sorted(result.statuses().values()) == ["added"] * 3
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
