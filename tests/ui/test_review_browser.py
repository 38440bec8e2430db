"""The walidata's review in a real browser (Chromium through Playwright,
against a real CKAN server on the test stack, the review on): the producer
submits a new dataset, the walidata returns it with a comment on its title,
the producer revises it in the dataset form and submits again, the walidata
approves and publishes it and the public sees it. Screenshots in
test-output/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SCREENSHOTS, STEWARD, call, sdi_dataset, signed_in
from playwright.sync_api import expect
from sdi_data import opd_fields

pytestmark = pytest.mark.browser

ENABLED = "ckanext.satudata.review.enabled"
# Read by conftest.portal_url: the web server runs with the review on.
PORTAL_SETTINGS = {ENABLED: "true"}
WALIDATA = {"name": "walidata-dkisp", "password": "Walidata-Paser-2024!"}
DATASET = "jumlah-posyandu-aktif"
TITLE = "Jumlah Posyandu Aktif menurut Kecamatan"


@pytest.fixture(scope="module", autouse=True)
def review_on() -> Iterator[None]:
    """The review on in this process too (the seeding and the API calls)."""
    from ckan.plugins import toolkit as tk

    before = tk.config.get(ENABLED)
    tk.config[ENABLED] = True
    yield
    tk.config[ENABLED] = before


@pytest.fixture(scope="module")
def draft(seeded_portal: dict[str, Any]) -> str:
    """A walidata of the DKISP, and the steward's new dataset (a draft)."""
    from ckan.plugins import toolkit as tk

    dkisp = call(
        "organization_create",
        **opd_fields("dkisp-paser", "Dinas Komunikasi, Informatika, Statistik dan Persandian",
                     peran="walidata"),
    )  # fmt: skip
    call("user_create", name=WALIDATA["name"], email="walidata@paserkab.go.id",
         password=WALIDATA["password"], fullname="Walidata DKISP")  # fmt: skip
    call("organization_member_create", id=dkisp["id"], username=WALIDATA["name"], role="member")
    data = sdi_dataset(seeded_portal["steward_opd"], DATASET, TITLE, satuan="unit",
                       theme="perlindungan-sosial-kesehatan", subtopik=None,
                       accrualPeriodicity="tahunan", periode="tahun")  # fmt: skip
    created = tk.get_action("package_create")({"user": STEWARD["name"]}, data)
    assert created["status_data"] == "draft"
    return created["name"]


def _signed_in(browser: Any, portal_url: str, user: dict[str, str]) -> Any:
    return signed_in(browser, portal_url, user)


def _shot(tab: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def test_submit_review_revise_publish(
    browser: Any, page: Any, portal_url: str, draft: str, screenshot: Callable[[str], Path]
) -> None:
    producer = _signed_in(browser, portal_url, STEWARD)
    walidata = _signed_in(browser, portal_url, WALIDATA)

    # Not public while a draft.
    assert page.goto(f"{portal_url}/dataset/{draft}").status == 404

    # The producer submits it from its review page.
    producer.goto(f"{portal_url}/pemeriksaan/{draft}")
    expect(producer.locator(".satudata-review-state .badge")).to_have_text("Draft")
    producer.get_by_role("button", name="Ajukan ke walidata").click()
    expect(producer.locator(".satudata-review-state .badge")).to_have_text("Menunggu Persetujuan")
    _shot(producer, "40-review-producer-submitted")

    # The walidata's queue, then the review: the title is not accepted.
    walidata.goto(f"{portal_url}/pemeriksaan")
    expect(walidata.locator("body")).to_contain_text(TITLE)
    _shot(walidata, "41-review-walidata-queue")
    walidata.get_by_role("link", name=TITLE).first.click()
    title_row = walidata.locator("tr.satudata-item[data-key='field:title']")
    title_row.locator("input[type=radio][value='0']").check()
    title_row.locator("input[type=text]").fill("Sebutkan tahun data pada judul.")
    walidata.fill("#review-comment", "Mohon lengkapi judul.")
    _shot(walidata, "42-review-walidata-comment")
    walidata.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    expect(walidata.locator(".satudata-review-state .badge")).to_have_text("Ditolak")

    # The producer reads the comment, revises the title in the dataset form
    # and submits again.
    producer.goto(f"{portal_url}/pemeriksaan/saya")
    expect(producer.locator("body")).to_contain_text("Sebutkan tahun data pada judul.")
    _shot(producer, "43-review-producer-returned")
    producer.goto(f"{portal_url}/dataset/edit/{draft}")
    producer.fill("#field-title", f"{TITLE} Tahun 2024")
    producer.locator("form#dataset-edit button.btn-primary[type=submit][name=save]").click()
    producer.goto(f"{portal_url}/pemeriksaan/{draft}")
    producer.get_by_role("button", name="Ajukan ke walidata").click()
    expect(producer.locator(".satudata-review-state .badge")).to_have_text("Menunggu Persetujuan")

    # The walidata sees what changed, approves and publishes.
    walidata.goto(f"{portal_url}/pemeriksaan/{draft}")
    changed = walidata.locator("tr.satudata-item.satudata-changed[data-key='field:title']")
    expect(changed).to_contain_text(f"{TITLE} Tahun 2024")
    _shot(walidata, "44-review-walidata-changes")
    walidata.get_by_role("button", name="Setujui dan tayangkan").click()
    expect(walidata.locator(".satudata-review-state .badge")).to_have_text("Ditayangkan")
    history = walidata.locator(".satudata-review-history")
    expect(history).to_contain_text("Sebutkan tahun data pada judul.")  # the comment is kept
    _shot(walidata, "45-review-walidata-published")

    assert page.goto(f"{portal_url}/dataset/{draft}").status == 200
    expect(page.locator("h1")).to_contain_text(f"{TITLE} Tahun 2024")
    screenshot("46-review-public-dataset")
