"""Data quality in a real browser (Chromium through Playwright, against a
real CKAN server on the test stack): a dataset's breakdown and the public
ranking of OPDs. Screenshots in test-output/."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_dataset_quality_breakdown(
    page: Any, portal_url: str, seeded_portal: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    page.goto(f"{portal_url}/dataset/{seeded_portal['dataset_with_table']}")
    section = page.locator("#kualitas")
    expect(section).to_be_visible()
    expect(section.locator("h2")).to_contain_text("Kualitas data")
    expect(section.locator(".satudata-grade")).to_have_text(re.compile(r"^[A-E]$"))
    expect(section.locator(".satudata-quality-bars li")).to_have_count(6)
    section.scroll_into_view_if_needed()
    screenshot("30-kualitas-dataset")


def test_opd_ranking(
    page: Any, portal_url: str, seeded_portal: dict[str, Any], screenshot: Callable[[str], Path]
) -> None:
    page.goto(f"{portal_url}/kualitas")
    expect(page.locator("h1")).to_contain_text("Kualitas data")
    rows = page.locator(".satudata-quality-table tbody tr")
    expect(rows.first).to_be_visible()
    expect(page.locator(".satudata-quality-bars li")).to_have_count(6)
    screenshot("31-kualitas-peringkat-opd")
    page.goto(f"{portal_url}/en/kualitas")
    expect(page.locator("h1")).to_contain_text("Data quality")
