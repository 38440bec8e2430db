"""The portal in a real browser: Debian's Chromium, driven by Playwright,
against a real CKAN server on the test stack. Each test saves a screenshot
under test-output/ (select them alone with ``-m browser``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import INVALID_AGAMA_CSV, STEWARD, VALID_AGAMA_CSV
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def log_in(page: Any, portal_url: str) -> None:
    page.goto(f"{portal_url}/user/login")
    page.fill("#field-login", STEWARD["name"])
    page.fill("#field-password", STEWARD["password"])
    page.locator("form.form-horizontal button[type=submit], form button.btn-primary").first.click()
    expect(page.locator(".account.authed")).to_be_visible()


def test_home_page_in_indonesian(
    page: Any, portal_url: str, seeded_portal: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    page.goto(portal_url + "/")
    expect(page.locator(".satudata-hero input[name=q]")).to_be_visible()
    stats = page.locator(".satudata-stats")
    expect(stats).to_contain_text("Dataset")
    expect(stats).to_contain_text("Perangkat Daerah (OPD)")
    expect(stats.locator(".satudata-stat-value").first).to_have_text("3")
    expect(page.get_by_role("heading", name="Pemutakhiran paling terlambat")).to_be_visible()
    expect(page.locator(".satudata-card").nth(1)).to_contain_text("Kelompok Umur")
    expect(page.locator(".satudata-tiles").first).to_contain_text("Pemerintahan Umum")
    screenshot("01-home-id")


def test_search_and_facet_filter(
    page: Any, portal_url: str, seeded_portal: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    page.goto(portal_url + "/")
    page.fill(".satudata-hero input[name=q]", "penduduk")
    page.press(".satudata-hero input[name=q]", "Enter")
    expect(page.locator(".dataset-list")).to_contain_text("Agama")
    expect(page.locator(".dataset-list")).to_contain_text("Kelompok Umur")
    # Freshness facet, labelled in Indonesian.
    facet = page.locator("section.module-narrow", has_text="Kemutakhiran")
    facet.get_by_role("link", name=re.compile("Terlambat")).click()
    expect(page).to_have_url(re.compile(r"freshness=overdue"))
    expect(page.locator(".dataset-list .dataset-item")).to_have_count(1)
    expect(page.locator(".dataset-list")).to_contain_text("Kelompok Umur")
    screenshot("02-search-facet-overdue")


def test_dataset_page_and_table_preview(
    page: Any, portal_url: str, seeded_portal: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    page.goto(f"{portal_url}/dataset/{seeded_portal['dataset_with_table']}")
    expect(page.locator(".satudata-freshness")).to_have_text(re.compile("Mutakhir"))
    metadata = page.locator(".satudata-metadata")
    expect(metadata.locator("caption").first).to_have_text("Informasi Umum")
    expect(metadata).to_contain_text("Tanah Grogot (64.01.04)")
    expect(metadata).to_contain_text("Semesteran")
    expect(page.get_by_role("link", name="Templat Excel")).to_be_visible()
    screenshot("03-dataset-id")

    page.goto(
        f"{portal_url}/dataset/{seeded_portal['dataset_with_table']}"
        f"/resource/{seeded_portal['resource_with_table']}"
    )
    preview = page.frame_locator("iframe").first
    expect(preview.locator("table#dtprv")).to_contain_text("Tanah Grogot", timeout=30_000)
    expect(preview.locator("table#dtprv")).to_contain_text("67.777")  # Indonesian grouping
    page.wait_for_timeout(500)  # let DataTables finish its layout before the picture
    screenshot("04-resource-preview")


def test_switch_language_to_english(
    page: Any, portal_url: str, seeded_portal: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    page.goto(f"{portal_url}/dataset/{seeded_portal['dataset_with_table']}")
    expect(page.locator(".satudata-freshness")).to_have_text(re.compile("Mutakhir"))
    page.locator(".satudata-lang").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/dataset/"))
    expect(page.locator(".satudata-freshness")).to_have_text(re.compile("Current"))
    expect(page.locator(".satudata-metadata caption").first).to_have_text("General information")
    expect(page.locator(".satudata-metadata")).to_contain_text("Half-yearly")
    screenshot("05-dataset-en")
    page.goto(f"{portal_url}/en/")
    expect(page.get_by_role("heading", name="Browse by topic")).to_be_visible()
    expect(page.locator(".satudata-tiles").first).to_contain_text("General Government")
    screenshot("06-home-en")


def test_opd_page(
    page: Any, portal_url: str, seeded_portal: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    page.goto(f"{portal_url}/organization/{seeded_portal['opd']}")
    summary = page.locator(".satudata-opd-summary")
    expect(summary).to_contain_text("Perlu perhatian")
    expect(summary.locator(".satudata-attention")).to_contain_text("Kelompok Umur")
    expect(summary.locator(".satudata-attention")).to_contain_text("Terlambat")
    screenshot("07-opd")


def test_developer_page(
    page: Any, portal_url: str, seeded_portal: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    page.goto(f"{portal_url}/api-docs")
    expect(page).to_have_url(re.compile(r"/pengembang$"))
    expect(page.locator(".satudata-developer")).to_contain_text(
        f"{portal_url}/api/3/action/datastore_search?resource_id={seeded_portal['resource_with_table']}"
    )
    # The live example link answers with the real rows.
    page.get_by_role("link", name=re.compile(r"datastore_search\?resource_id=")).click()
    expect(page.locator("body")).to_contain_text("Tanah Grogot")
    page.go_back()
    screenshot("08-developer")


def test_steward_uploads_invalid_then_valid_csv(
    page: Any,
    portal_url: str,
    seeded_portal: dict[str, Any],
    screenshot: Callable[[str], Path],
    tmp_path: Path,
) -> None:
    log_in(page, portal_url)
    dataset = seeded_portal["steward_dataset"]
    invalid = tmp_path / "puskesmas_salah.csv"
    invalid.write_text(INVALID_AGAMA_CSV)
    valid = tmp_path / "puskesmas_2024.csv"
    valid.write_text(VALID_AGAMA_CSV)

    page.goto(f"{portal_url}/dataset/{dataset}/resource/new")
    page.set_input_files("#field-resource-upload", str(invalid))
    page.fill("#field-name", "Data salah")
    page.locator("button[name=save]").last.click()
    errors = page.locator(".error-explanation, .alert-error, .alert-danger").first
    expect(errors).to_be_visible()
    screenshot("09-upload-invalid-report")

    page.goto(f"{portal_url}/dataset/{dataset}/resource/new")
    page.set_input_files("#field-resource-upload", str(valid))
    page.fill("#field-name", "Jumlah 2024")
    page.locator("button[name=save]").last.click()
    expect(page).to_have_url(re.compile(rf"/dataset/{dataset}(/resource/[\w-]+)?$"))
    expect(page.locator("body")).to_contain_text("Jumlah 2024")
    screenshot("10-upload-valid")


def test_dataset_form_groups_and_dropdowns(
    page: Any, portal_url: str, seeded_portal: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    log_in(page, portal_url)
    page.goto(f"{portal_url}/dataset/new")
    expect(page.locator("#field-title")).to_be_visible()
    topic = page.locator("select#field-theme")
    expect(topic.locator("option", has_text="Pemerintahan Umum")).to_have_count(1)
    expect(page.locator("select#field-accessRights option", has_text="Terbuka")).to_have_count(1)
    expect(page.locator("select#field-jenis option", has_text="Statistik")).to_have_count(1)
    screenshot("11-dataset-form")


def test_harvest_page(
    page: Any, portal_url: str, seeded_portal: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    page.goto(f"{portal_url}/harvest")
    expect(page.locator("h1, h2").first).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Internal Server Error")
    screenshot("12-harvest")
