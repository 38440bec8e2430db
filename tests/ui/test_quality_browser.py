"""Data quality in a real browser (Chromium through Playwright, against a
real CKAN server on the test stack): a dataset's breakdown and the ranking
of OPDs, drawn with the vendored Vega, and their tables without JavaScript.
Screenshots in test-output/."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import call
from playwright.sync_api import expect
from sdi_data import opd_fields

pytestmark = pytest.mark.browser

CHART_DRAWN = ".satudata-chart-canvas[data-rendered=true] svg"
WALIDATA = {"name": "walidata-kualitas", "password": "Walidata-Kualitas-2024!"}


@pytest.fixture(scope="module")
def walidata(seeded_portal: dict[str, Any]) -> dict[str, str]:
    """A member of the walidata's OPD (the DKISP): /kualitas/opd is theirs."""
    dkisp = call(
        "organization_create",
        **opd_fields("dkisp-paser", "Dinas Komunikasi, Informatika, Statistik dan Persandian",
                     peran="walidata"),
    )  # fmt: skip
    call("user_create", name=WALIDATA["name"], email="kualitas@paserkab.go.id",
         password=WALIDATA["password"], fullname="Walidata DKISP")  # fmt: skip
    call("organization_member_create", id=dkisp["id"], username=WALIDATA["name"], role="member")
    return WALIDATA


def test_dataset_quality_breakdown(
    page: Any, portal_url: str, seeded_portal: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    page.goto(f"{portal_url}/dataset/{seeded_portal['dataset_with_table']}")
    section = page.locator("#kualitas")
    expect(section).to_be_visible()
    expect(section.locator("h2")).to_contain_text("Kualitas data")
    expect(section.locator(".satudata-grade")).to_have_text(re.compile(r"^[A-E]$"))
    chart = section.locator("#kualitas-dimensi")
    expect(chart.locator(CHART_DRAWN)).to_be_visible()
    # A bar per dimension that applies; the SVG says what it shows.
    expect(chart.locator("svg")).to_have_attribute("aria-label", re.compile("Skor per dimensi"))
    expect(chart.locator("svg .mark-rect path")).to_have_count(
        6 - chart.locator(".satudata-quality-na").count()
    )
    # The table of the scores stays, folded once the chart is drawn.
    expect(chart.locator("table.satudata-quality-bars tbody tr")).to_have_count(6)
    expect(chart.locator("details.satudata-chart-table")).not_to_have_attribute("open", "")
    section.scroll_into_view_if_needed()
    screenshot("30-kualitas-dataset")


def test_opd_ranking(
    page: Any,
    portal_url: str,
    seeded_portal: dict[str, Any],
    walidata: dict[str, str],
    screenshot: Callable[[str], Path],
) -> None:
    page.goto(f"{portal_url}/user/login")
    page.fill("#field-login", walidata["name"])
    page.fill("#field-password", walidata["password"])
    page.locator("form.form-horizontal button[type=submit], form button.btn-primary").first.click()
    expect(page.locator(".account.authed")).to_be_visible()
    page.goto(f"{portal_url}/kualitas/opd")
    expect(page.locator("h1")).to_contain_text("Peringkat kualitas")
    ranking = page.locator("#kualitas-peringkat")
    expect(ranking.locator(CHART_DRAWN)).to_be_visible()
    rows = page.locator(".satudata-quality-table tbody tr")
    expect(rows.first).to_be_visible()
    expect(ranking.locator("svg .mark-rect path")).to_have_count(rows.count())
    screenshot("31-kualitas-peringkat-opd")
    page.goto(f"{portal_url}/en/kualitas")
    expect(page.locator("h1")).to_contain_text("Data quality")
    expect(page.locator("#kualitas-peringkat svg")).to_have_attribute(
        "aria-label", re.compile("Score per agency")
    )


def test_quality_tables_without_javascript(
    browser: Any, portal_url: str, seeded_portal: dict[str, Any]
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    try:
        page = context.new_page()
        page.goto(f"{portal_url}/dataset/{seeded_portal['dataset_with_table']}")
        table = page.locator("#kualitas table.satudata-quality-bars")
        expect(table).to_be_visible()
        expect(table.locator("tbody tr")).to_have_count(6)
        page.goto(f"{portal_url}/kualitas")
        expect(page.locator(".satudata-quality-table tbody tr").first).to_be_visible()
    finally:
        context.close()
