"""Charts and the population dashboard in a real browser (Debian's Chromium
through Playwright) against a real CKAN server on the test stack, the
Dukcapil data harvested from the sample feed through the real harvest stages.
Every request of every page must go to the portal itself: the portals run on
closed government networks. Screenshots in test-output/."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import live_site
import pytest
from conftest import seed_portal, site_context
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHART_DRAWN = ".satudata-chart-canvas[data-rendered=true] svg"


@pytest.fixture(scope="module")
def seeded_portal() -> Iterator[dict[str, Any]]:
    """The UI tests' portal plus `make demo`'s Dukcapil harvest (2024-S1, 2024-S2,
    kecamatan and desa, every family) loaded into the DataStore."""
    from ckan import plugins
    from ckan.plugins import toolkit as tk
    from ckan.tests import factories
    from harvest_support import forget_harvest_user, run_job
    from jobs_support import run_jobs

    from ckanext.satudata.demo import loader as demo
    from ckanext.satudata.demo.dukcapil_feed import FeedServer

    plugins.load_all()
    feed = FeedServer(port=0).start()
    try:
        live_site.reset_portal()
        names = seed_portal()
        factories.Sysadmin(name="harvest")
        forget_harvest_user()
        demo.load_harvest_sources(feed.base_url, None)
        source = tk.get_action("harvest_source_show")(site_context(), {"id": demo.DUKCAPIL_SOURCE})
        result = run_job(site_context()["user"], source["id"], "satudata_dukcapil")
        assert result.gather_errors == [] and result.object_errors == []
        run_jobs()
        views = tk.get_action("resource_view_list")(
            site_context(), {"id": names["resource_with_table"]}
        )
        names["chart_view"] = next(v["id"] for v in views if v["view_type"] == "satudata_chart")
        yield names
    finally:
        feed.shutdown()
        feed.server_close()
        plugins.unload_all()


@pytest.fixture
def requests_seen(page: Any) -> list[str]:
    """Every URL the page requests (documents, scripts, styles, images, XHR)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def assert_only_portal(requests: list[str], portal_url: str) -> None:
    portal = urlsplit(portal_url).netloc
    external = [
        url for url in requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")
        and urlsplit(url).netloc != portal
    ]  # fmt: skip
    assert requests, "no request seen"
    assert not external, f"requests outside the portal: {external}"


def test_chart_view_on_a_resource_page(
    page: Any,
    portal_url: str,
    seeded_portal: dict[str, Any],
    requests_seen: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    page.goto(
        f"{portal_url}/dataset/{seeded_portal['dataset_with_table']}"
        f"/resource/{seeded_portal['resource_with_table']}?view_id={seeded_portal['chart_view']}"
    )
    chart = page.locator(CHART_DRAWN).first
    expect(chart).to_be_visible(timeout=30_000)
    expect(chart).to_have_attribute("aria-label", re.compile("^Diagram batang"))
    # Axis ticks in Indonesian grouping, drawn by Vega in the browser.
    expect(chart).to_contain_text("60.000")
    # The table of the figures is folded once the chart is drawn.
    expect(page.locator("details.satudata-chart-table").first).not_to_have_attribute("open", "")
    expect(page.get_by_role("link", name="Data (CSV)")).to_be_visible()
    screenshot("20-chart-view-id")
    assert_only_portal(requests_seen, portal_url)


def test_table_preview_speaks_indonesian(
    page: Any,
    portal_url: str,
    seeded_portal: dict[str, Any],
    requests_seen: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    page.goto(
        f"{portal_url}/dataset/{seeded_portal['dataset_with_table']}"
        f"/resource/{seeded_portal['resource_with_table']}"
    )
    expect(page.get_by_text("Tambah Filter")).to_be_visible()
    preview = page.frame_locator("iframe").first
    table = preview.locator("table#dtprv")
    expect(table).to_contain_text("Tanah Grogot", timeout=30_000)
    expect(table).to_contain_text("67.777")  # a measure, Indonesian grouping
    expect(table).to_contain_text("2024")  # a year stays a year
    expect(preview.locator("body")).to_contain_text("Menampilkan")
    screenshot("21-table-preview-id")
    assert_only_portal(requests_seen, portal_url)


def charts_drawn(page: Any, count: int) -> None:
    expect(page.locator(CHART_DRAWN)).to_have_count(count, timeout=30_000)


def test_dashboard_in_indonesian(
    page: Any,
    portal_url: str,
    seeded_portal: dict[str, Any],
    requests_seen: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    page.goto(f"{portal_url}/kependudukan")
    charts_drawn(page, 6)
    expect(page.locator("#population-total")).to_have_text("309.667")
    expect(page.locator(".satudata-population-reference")).to_contain_text("31 Desember 2024")
    pyramid = page.locator("#population-piramida")
    expect(pyramid.locator("svg")).to_have_attribute("aria-label", re.compile("Piramida penduduk"))
    expect(page.locator("#population-kecamatan svg")).to_contain_text("Tanah Grogot")
    page.wait_for_timeout(300)
    screenshot("22-dashboard-id")

    # The desa search filters while typing, the picker switches semester.
    page.fill("#field-desa-q", "grogot")
    visible = page.locator("#desa-table tbody tr:visible")
    expect(visible).not_to_have_count(144)
    expect(page.locator("#desa-table tbody tr:visible").first).to_contain_text("Grogot")
    page.select_option("#field-semester", "2024-S1")
    expect(page).to_have_url(re.compile(r"semester=2024-S1"))
    expect(page.locator("#population-total")).to_have_text("307.842")
    assert_only_portal(requests_seen, portal_url)


def test_dashboard_in_english(
    page: Any,
    portal_url: str,
    seeded_portal: dict[str, Any],
    requests_seen: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    page.goto(f"{portal_url}/en/kependudukan")
    charts_drawn(page, 6)
    expect(page.locator("#population-total")).to_have_text("309,667")
    expect(page.locator(".satudata-population-reference")).to_contain_text("December 31, 2024")
    expect(page.locator("#population-kecamatan svg")).to_contain_text(re.compile(r"\d+,000"))
    page.wait_for_timeout(300)
    screenshot("23-dashboard-en")
    assert_only_portal(requests_seen, portal_url)


def test_dashboard_at_mobile_width(
    browser: Any, portal_url: str, seeded_portal: dict[str, Any]
) -> None:
    from conftest import SCREENSHOTS

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    try:
        page.goto(f"{portal_url}/kependudukan")
        charts_drawn(page, 6)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways ({width}px)"
        page.wait_for_timeout(300)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "24-dashboard-mobile.png"), full_page=True)
    finally:
        context.close()
    assert_only_portal(seen, portal_url)


def test_dashboard_without_javascript_reads_as_tables(
    browser: Any, portal_url: str, seeded_portal: dict[str, Any]
) -> None:
    from conftest import SCREENSHOTS

    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(f"{portal_url}/kependudukan")
        tables = page.locator("details.satudata-chart-table[open] table")
        expect(tables).to_have_count(6)
        expect(page.locator("#population-agama table")).to_contain_text("Islam")
        # The server-drawn chart in <noscript>.
        image = page.locator("#population-tren img.satudata-chart-image")
        expect(image).to_be_visible()
        # All six load at once: each is drawn (a failed image has no width).
        widths = page.evaluate(
            "[...document.querySelectorAll('img.satudata-chart-image')].map(i => i.naturalWidth)"
        )
        assert len(widths) == 6 and all(width > 0 for width in widths), widths
        page.screenshot(path=str(SCREENSHOTS / "25-dashboard-no-js.png"), full_page=True)
    finally:
        context.close()


def test_embeds(page: Any, portal_url: str, seeded_portal: dict[str, Any]) -> None:
    page.goto(f"{portal_url}/grafik/{seeded_portal['chart_view']}")
    expect(page.locator(CHART_DRAWN)).to_be_visible(timeout=30_000)
    expect(page.locator(".site-footer")).to_have_count(0)
    page.goto(f"{portal_url}/kependudukan/sematan")
    charts_drawn(page, 6)
    image = page.request.get(f"{portal_url}/kependudukan/piramida.png")
    assert image.ok and image.body()[:4] == b"\x89PNG"
