"""The Daftar Data pages in a real browser (Chromium through Playwright,
against a real CKAN server on the test stack): the public Jadwal Rilis and
an OPD's board, where its steward links a dataset to an item. Screenshots in
test-output/."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import call, upload
from playwright.sync_api import expect
from test_browser import log_in

pytestmark = pytest.mark.browser

DINKES = "Dinas Kesehatan Kabupaten Paser"
DISDUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Paser"


@pytest.fixture(scope="module")
def seeded_plan(seeded_portal: dict[str, Any]) -> dict[str, Any]:
    """A plan of this year dated around today: late, published, due soon and
    later items of the seeded OPDs, imported as the walidata would."""
    today = datetime.date.today()
    tahun = (today - datetime.timedelta(days=60)).year

    def day(offset: int) -> str:
        return (today + datetime.timedelta(days=offset)).strftime("%d/%m/%Y")

    header = ["ID DDD", "Nama Data", "Produsen Data", "Jadwal Pemutakhiran", "Topik",
              "Subtopik", "Data Prioritas", "Kriteria Prioritas", "Jadwal Rilis"]  # fmt: skip
    rows = [
        ["DDD-6401-DISDUKCAPIL-001", "Jumlah Penduduk menurut Agama per Kecamatan", DISDUKCAPIL,
         "Semesteran", "", "Kependudukan", "Ya", "Data dasar perencanaan", day(-40)],
        ["DDD-6401-DISDUKCAPIL-002", "Jumlah Penduduk menurut Kelompok Umur", DISDUKCAPIL,
         "Semesteran", "", "Kependudukan", "Tidak", "", day(-25)],
        ["DDD-6401-DINKES-001", "Jumlah Puskesmas menurut Kecamatan", DINKES, "Tahunan", "",
         "Kesehatan", "Tidak", "", day(-55)],
        ["DDD-6401-DINKES-002", "Prevalensi Balita Stunting menurut Kecamatan", DINKES, "Tahunan",
         "", "Kesehatan", "Ya", "Percepatan penurunan stunting", day(-30)],
        ["DDD-6401-DINKES-003", "Cakupan Imunisasi Dasar Lengkap", DINKES, "Tahunan", "",
         "Kesehatan", "Ya", "Standar Pelayanan Minimal", day(12)],
        ["DDD-6401-DINKES-004", "Jumlah Kasus Demam Berdarah Dengue", DINKES, "Bulanan", "",
         "Kesehatan", "Tidak", "", day(75)],
        ["DDD-6401-DINKES-005", "Jumlah Posyandu Aktif menurut Kecamatan", DINKES, "Tahunan", "",
         "Kesehatan", "Tidak", "", ""],
    ]  # fmt: skip
    content = "\n".join(",".join(f'"{cell}"' for cell in line) for line in [header, *rows])
    call("satudata_daftar_data_import", tahun=tahun, upload=upload(content, "daftar_data.csv"))
    items = {i["id_ddd"]: i for i in call("satudata_daftar_data_list", tahun=tahun)["items"]}
    call(
        "satudata_daftar_data_link",
        id=items["DDD-6401-DISDUKCAPIL-001"]["id"],
        package_id=seeded_portal["dataset_with_table"],
    )
    return {"tahun": tahun, "items": items, **seeded_portal}


def test_jadwal_rilis_page(
    page: Any, portal_url: str, seeded_plan: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    tahun = seeded_plan["tahun"]
    page.goto(f"{portal_url}/jadwal-rilis")
    expect(page).to_have_url(re.compile(rf"/jadwal-rilis/{tahun}$"))
    expect(page.get_by_role("heading", name=f"Jadwal Rilis {tahun}")).to_be_visible()
    expect(page.locator(".satudata-plan-card.overdue strong")).to_have_text("3")
    published = page.locator("tr.satudata-plan-row-published")
    expect(published).to_contain_text("Jumlah Penduduk menurut Agama per Kecamatan")
    expect(published).to_contain_text("Dipublikasikan")
    expect(page.locator("tr.satudata-plan-row-overdue").first).to_contain_text("Terlambat")
    expect(page.locator(".satudata-plan-soon").first).to_have_text("segera")
    expect(page.locator("h2.satudata-plan-month").last).to_have_text("Belum dijadwalkan")
    screenshot("13-jadwal-rilis")

    page.select_option("#filter-opd", "dinkes-paser")
    page.select_option("#filter-status", "overdue")
    page.get_by_role("button", name="Saring").click()
    expect(page).to_have_url(re.compile(r"opd=dinkes-paser.*status=overdue"))
    expect(page.locator("tr.satudata-plan-row")).to_have_count(2)


def test_opd_board_and_linking_a_dataset(
    page: Any, portal_url: str, seeded_plan: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    tahun = seeded_plan["tahun"]
    log_in(page, portal_url)
    page.goto(f"{portal_url}/daftar-data/{tahun}")
    board_tab = page.get_by_role("link", name=f"Papan: {DINKES}")
    board_tab.click()
    expect(page).to_have_url(re.compile(rf"/daftar-data/{tahun}/papan/dinkes-paser$"))
    expect(page.get_by_role("heading", name=DINKES, exact=True)).to_be_visible()
    overdue = page.locator(".satudata-attention li")
    expect(overdue).to_have_count(2)
    expect(overdue.first).to_contain_text("Jumlah Puskesmas menurut Kecamatan")
    screenshot("14-papan-opd-dinkes")

    row = page.locator("tr", has_text="Jumlah Puskesmas menurut Kecamatan")
    row.get_by_role("link", name="Tautkan dataset").click()
    page.select_option("#link-dataset", label="Jumlah Puskesmas menurut Kecamatan")
    page.get_by_role("button", name="Tautkan", exact=True).click()
    expect(page.locator(".flash-messages")).to_contain_text("Dataset ditautkan ke item ini")
    expect(page.locator(".satudata-plan-dataset")).to_contain_text("ditautkan secara manual")
    page.goto(f"{portal_url}/daftar-data/{tahun}/papan/dinkes-paser")
    expect(page.locator(".satudata-attention li")).to_have_count(1)
    screenshot("15-papan-opd-dinkes-linked")
