"""The dataset form as a data steward uses it, in a real browser (Debian's
Chromium through Playwright, against a real CKAN server on the test stack).
Screenshots in test-output/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SCREENSHOTS, STEWARD
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
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
        context.set_default_timeout(20_000)
        contexts.append(context)
        tab = context.new_page()
        tab.goto(f"{portal_url}/user/login")
        tab.fill("#field-login", STEWARD["name"])
        tab.fill("#field-password", STEWARD["password"])
        tab.locator("form button.btn-primary[type=submit]").first.click()
        expect(tab.locator(".account.authed")).to_be_attached()
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
