"""The dataset form as a data steward uses it, in a real browser (Debian's
Chromium through Playwright, against a real CKAN server on the test stack).
Screenshots in test-output/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SCREENSHOTS, STEWARD, call, signed_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# What overflows a step of the form's header (a cut label), in the page's terms.
OVERFLOW = """
(steps) => steps.map((step) => ({
  text: step.innerText.trim(),
  cut: step.scrollWidth > step.clientWidth + 1 || step.scrollHeight > step.clientHeight + 1,
  outside: step.getBoundingClientRect().right > document.documentElement.clientWidth + 1,
}))
"""


@pytest.fixture
def steward_at(browser: Any, portal_url: str, seeded_portal: dict[str, Any]) -> Iterator[Any]:
    """A function opening a signed-in steward's tab at a screen width."""
    contexts: list[Any] = []

    def open_tab(width: int) -> Any:
        tab = signed_in(browser, portal_url, STEWARD, width)
        contexts.append(tab.context)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def shot(tab: Any, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.mark.parametrize("width", [360, 1366])
def test_form_steps_readable(steward_at: Any, portal_url: str, width: int) -> None:
    tab = steward_at(width)
    tab.goto(f"{portal_url}/dataset/new")
    steps = tab.locator("ol.stages li")
    expect(steps).to_have_count(5)
    tab.locator("ol.stages").screenshot(
        path=str(SCREENSHOTS / f"50-dataset-form-steps-{width}.png")
    )
    shot(tab, f"50-dataset-form-{width}", full_page=False)
    found = steps.evaluate_all(OVERFLOW)
    assert [" ".join(step["text"].split()) for step in found] == [
        "Informasi Umum",
        "Standar dan Cakupan",
        "Produsen dan Walidata",
        "Metadata Statistik",
        "Tambah data",
    ]
    assert not [step for step in found if step["cut"] or step["outside"]], found
    scroll = tab.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert scroll <= 0


def field_group(tab: Any, field: str) -> Any:
    """The form group of a field (its label, input and error)."""
    return tab.locator(f".form-group:has(#field-{field})")


def test_untouched_classification_refused_until_chosen(steward_at: Any, portal_url: str) -> None:
    tab = steward_at(1366)
    tab.goto(f"{portal_url}/dataset/new")
    expect(tab.locator("#field-accessRights")).to_have_value("")
    expect(tab.locator("#field-accessRights option").first).to_have_text("— pilih —")
    expect(tab.locator("#field-accessRights-choices")).to_contain_text("Tertutup:")
    tab.fill("#field-title", "Jumlah Posyandu Aktif per Kecamatan")
    tab.fill("#field-notes", "Posyandu yang aktif melayani balita, per kecamatan.")
    tab.select_option("#field-theme", "perlindungan-sosial-kesehatan")
    tab.select_option("#field-jenis", "statistik")
    tab.locator("form#dataset-edit button[name=save]").click()

    classification = field_group(tab, "accessRights")
    expect(classification.locator(".error-block")).to_have_text("Wajib diisi")
    expect(tab.locator("#field-title")).to_have_value("Jumlah Posyandu Aktif per Kecamatan")
    expect(tab.locator("#field-name")).to_have_value("jumlah-posyandu-aktif-per-kecamatan")
    expect(tab.locator("#field-theme")).to_have_value("perlindungan-sosial-kesehatan")
    expect(tab.locator("#field-accessRights")).to_have_value("")
    classification.scroll_into_view_if_needed()
    shot(tab, "51-dataset-form-classification-refused")

    tab.select_option("#field-accessRights", "terbatas")
    tab.locator("form#dataset-edit button[name=save]").click()
    expect(tab).to_have_url(f"{portal_url}/dataset/new/jumlah-posyandu-aktif-per-kecamatan/2")
    expect(tab.locator("ol.stages li.active")).to_contain_text("Standar dan Cakupan")


def test_refused_value_keeps_the_rest_of_the_form(
    steward_at: Any, portal_url: str, seeded_portal: dict[str, Any]
) -> None:
    name = "jumlah-kader-posyandu"
    # The draft the form's first page saves (as test_untouched_classification… does).
    call("package_create", state="draft", _ckan_phase="1", name=name,
         title="Jumlah Kader Posyandu", notes="Kader posyandu aktif per kecamatan.",
         owner_org=seeded_portal["steward_opd"], theme="perlindungan-sosial-kesehatan",
         jenis="statistik", accessRights="terbuka")  # fmt: skip
    tab = steward_at(1366)
    tab.goto(f"{portal_url}/dataset/new/{name}/2")
    expect(tab.locator("#field-satuan")).to_have_value("")
    tab.select_option("#field-satuan", "unit")
    tab.select_option("#field-accrualPeriodicity", "tahunan")
    tab.select_option("#field-periode", "tahun")
    tab.fill("#field-tahun_mulai", "2024")
    tab.fill("#field-tahun_akhir", "2020")  # before the first year: refused
    tab.select_option("#field-tingkat_wilayah", "kecamatan")
    # The regions by name, typed ahead (CKAN's select2 over the portal's list).
    regions = field_group(tab, "kode_wilayah")
    regions.locator(".select2-container").click()
    search = regions.locator(".select2-search__field")
    search.fill("grogot")
    expect(tab.locator(".select2-results__option--highlighted")).to_have_text(
        "Tanah Grogot (64.01.04)"
    )
    search.press("Enter")
    search.click()
    search.press_sequentially("64.01.05")  # by its code
    expect(tab.locator(".select2-results__option--highlighted")).to_contain_text("(64.01.05)")
    search.press("Enter")
    expect(tab.locator("#field-kode_wilayah")).to_have_values(["64.01.04", "64.01.05"])
    tab.locator("form#dataset-edit button[name=save]").click()

    last_year = field_group(tab, "tahun_akhir")
    expect(last_year.locator(".error-block")).to_have_text(
        "Tahun akhir 2020 sebelum tahun awal 2024"
    )
    expect(tab.locator("#field-satuan")).to_have_value("unit")
    expect(tab.locator("#field-accrualPeriodicity")).to_have_value("tahunan")
    expect(tab.locator("#field-tahun_mulai")).to_have_value("2024")
    expect(tab.locator("#field-tahun_akhir")).to_have_value("2020")
    expect(tab.locator("#field-kode_wilayah")).to_have_values(["64.01.04", "64.01.05"])
    expect(regions).to_contain_text("Tanah Grogot (64.01.04)")
    last_year.scroll_into_view_if_needed()
    shot(tab, "52-dataset-form-refused-value-kept")

    tab.fill("#field-tahun_akhir", "2025")
    tab.locator("form#dataset-edit button[name=save]").click()
    expect(tab).to_have_url(f"{portal_url}/dataset/new/{name}/3")
