"""The population dashboard (/kependudukan) from a real harvest of the sample
Dukcapil feed (this folder's fixtures) loaded into the DataStore by the
background jobs: its figures equal the DataStore's sums, in both languages."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

import pytest
from auth_matrix import ROLES, AuthRoles
from ckan.tests.helpers import call_action
from dukcapil_support import Harvests, show
from jobs_support import run_jobs

from ckanext.satudata.harvesters.dukcapil import mapping
from ckanext.satudata.harvesters.dukcapil.standard import FAMILIES
from ckanext.satudata.population import figures


@pytest.fixture
def harvested(harvests: Harvests, clean_redis: None) -> Harvests:
    """`make demo`'s Dukcapil source (demo/loader.py, its config from
    demo/dukcapil_feed.py: 2024-S1 and 2024-S2, kecamatan and desa, every
    family) harvested through the real stages, loaded into the DataStore."""
    from harvest_support import run_job

    from ckanext.satudata.demo import loader as demo

    assert demo.load_harvest_sources(harvests.feed.base_url, None) == {
        demo.DUKCAPIL_SOURCE: "created"
    }
    source = call_action("harvest_source_show", id=demo.DUKCAPIL_SOURCE)
    result = run_job(harvests.sysadmin["name"], source["id"], "satudata_dukcapil")
    assert result.gather_errors == [] and result.object_errors == []
    run_jobs()
    return harvests


def records(family: str, level: str, year: int, half: int) -> list[dict[str, Any]]:
    """The DataStore rows of a family's semester table, as the API serves them."""
    name = mapping.dataset_name(FAMILIES[family], level, "Kabupaten Paser")
    period = f"{year} Semester {'I' if half == 1 else 'II'}"
    resource = next(r for r in show(name)["resources"] if r["periode_data"] == period)
    found = call_action("datastore_search", resource_id=resource["id"], limit=1000)
    return found["records"]


def column_sums(rows: list[dict[str, Any]], columns: list[str]) -> dict[str, int]:
    return {column: sum(r[column] for r in rows) for column in columns}


@pytest.mark.ckan_config("ckanext.satudata.population.cache_seconds", 0)
def test_demo_dashboard_figures_equal_the_datastore_sums(app: Any, harvested: Harvests) -> None:
    board = figures.dashboard("2024-S2", "id")

    sex = records("jenis_kelamin", "kecamatan", 2024, 2)
    assert (board.total, board.male, board.female) == (
        sum(r["jumlah"] for r in sex),
        sum(r["laki_laki"] for r in sex),
        sum(r["perempuan"] for r in sex),
    )
    assert (board.total, board.male, board.female) == (309_667, 160_276, 149_391)
    assert [s.key for s in board.semesters] == ["2024-S1", "2024-S2"]
    assert board.previous_total == sum(
        r["jumlah"] for r in records("jenis_kelamin", "kecamatan", 2024, 1)
    )
    assert dict(
        zip(
            board.charts["tren"].data.categories,
            (v for *_, v in board.charts["tren"].data.values),
            strict=True,
        )
    ) == {
        "2024 Semester I": 307_842,
        "2024 Semester II": 309_667,
    }

    for key, family, _ in figures.BREAKDOWNS:
        columns = [c for c, _ in FAMILIES[family].columns]
        titles = board.charts[key].data.categories
        assert len(titles) == len(columns)
        expected = column_sums(records(family, "kecamatan", 2024, 2), columns)
        assert [v for *_, v in board.charts[key].data.values] == [expected[c] for c in columns]

    pyramid = board.charts["piramida"].data
    assert pyramid.chart_type == "pyramid" and pyramid.series == ("Laki-laki", "Perempuan")
    age_rows = records("kelompok_umur_jenis_kelamin", "kecamatan", 2024, 2)
    assert pyramid.value("0-4", "Perempuan") == sum(r["perempuan_umur_0_4"] for r in age_rows)
    assert pyramid.value("75+", "Laki-laki") == sum(r["laki_laki_umur_75_keatas"] for r in age_rows)

    comparison = board.charts["kecamatan"].data
    by_kecamatan = {r["nama_wilayah"]: r for r in sex}
    assert comparison.categories[0] == "Tanah Grogot"  # the largest first
    for name, row in by_kecamatan.items():
        assert comparison.value(name, "Laki-laki") == row["laki_laki"]

    desa = records("jenis_kelamin", "desa", 2024, 2)
    assert len(board.desa) == len(desa) == 144
    assert sum(r.total for r in board.desa) == 309_667
    per_kecamatan: dict[str, int] = defaultdict(int)
    for row in board.desa:
        per_kecamatan[row.kecamatan] += row.total
    assert per_kecamatan == {name: row["jumlah"] for name, row in by_kecamatan.items()}

    # The pages, in both languages (the same harvest: one is enough for the suite).
    page = app.get("/kependudukan").get_data(as_text=True)
    assert "309.667" in page and "160.276" in page
    assert "31 Desember 2024" in page
    assert "51,8%" in page  # men's share, Indonesian decimal comma
    assert page.count('data-module="satudata-chart"') == len(figures.CHART_KEYS)
    assert "Kelurahan Tanah Grogot" in page or "Tanah Grogot" in page
    for key in figures.CHART_KEYS:
        assert f"/kependudukan/{key}.csv?semester=2024-S2" in page

    english = app.get("/en/kependudukan").get_data(as_text=True)
    assert "309,667" in english and "December 31, 2024" in english and "51.8%" in english

    first = app.get("/kependudukan?semester=2024-S1").get_data(as_text=True)
    assert "307.842" in first and "30 Juni 2024" in first

    searched = app.get("/kependudukan?q=grogot").get_data(as_text=True)
    table = searched.split('id="desa-table"', 1)[1]
    assert table.count("<tr>") - 1 == len(
        figures.search_desa(figures.dashboard(None, "id").desa, "grogot")
    )

    trend = app.get("/kependudukan/tren.csv?semester=2024-S2").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(trend.lstrip("\ufeff"))))
    assert rows[1:] == [["2024 Semester I", "307842"], ["2024 Semester II", "309667"]]
    png = app.get("/kependudukan/piramida.png")
    assert png.get_data()[:4] == b"\x89PNG"
    svg = app.get("/en/kependudukan/agama.svg").get_data(as_text=True)
    assert "<svg" in svg
    desa = app.get("/kependudukan/desa.csv?q=grogot").get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(desa)))) > 1

    embed = app.get("/kependudukan/sematan").get_data(as_text=True)
    assert "309.667" in embed and "site-footer" not in embed
    assert set(board.charts) == set(figures.CHART_KEYS)
    assert 'href="/kependudukan"' in app.get("/").get_data(as_text=True)  # in the main menu


def test_dashboard_without_harvested_data_says_so(app: Any, clean_db: None) -> None:
    page = app.get("/kependudukan").get_data(as_text=True)
    assert "satudata-population-empty" in page


def test_dashboard_is_public_for_every_role(app: Any, auth_roles: AuthRoles) -> None:
    """Every role, signed in with its API token, sees the same public page."""
    for role in ROLES:
        name = auth_roles.name(role)
        headers = {}
        if name:
            token = call_action(
                "api_token_create", {"user": name, "ignore_auth": True}, user=name, name="uji"
            )["token"]
            headers = {"Authorization": token}
        response = app.get("/kependudukan", headers=headers)
        assert response.status_code == 200, role
        assert "satudata-population" in response.get_data(as_text=True)
