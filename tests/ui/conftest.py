"""Fixtures of the portal UI tests: a seeded portal (OPDs, topic groups, a
steward, datasets with files loaded into the DataStore), and for the browser
tests a real CKAN web server started from the test configuration plus
Debian's Chromium driven by Playwright."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import live_site
import pytest
from sdi_data import opd_fields, sdi_dataset_dict

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output"
STEWARD = {"name": "steward-dinkes", "password": "Steward-Paser-2024!"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AGAMA_HEADER = (
    "kode_wilayah,nama_wilayah,tahun,semester,islam,kristen,katolik,hindu,buddha,"
    "konghucu,kepercayaan,jumlah"
)
AGAMA_ROWS = [
    "64.01.01,Batu Sopang,2024,2,20011,1204,388,55,12,3,0,21673",
    "64.01.02,Tanjung Harapan,2024,2,9310,311,120,10,4,0,0,9755",
    "64.01.04,Tanah Grogot,2024,2,62110,3480,1710,320,140,12,5,67777",
]
VALID_AGAMA_CSV = "\n".join([AGAMA_HEADER, *AGAMA_ROWS]) + "\n"
# "banyak" is not an integer and 64.99.99 is not a region of the list.
INVALID_AGAMA_CSV = (
    "\n".join([AGAMA_HEADER, "64.99.99,Entah,2024,2,banyak,1,1,1,1,1,1,x", AGAMA_ROWS[0]]) + "\n"
)


def site_context() -> dict[str, Any]:
    from ckan.plugins import toolkit as tk

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def call(action: str, **data: Any) -> Any:
    from ckan.plugins import toolkit as tk

    return tk.get_action(action)(site_context(), data)


def upload(text: str, filename: str) -> Any:
    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(text.encode("utf-8")), filename=filename)


def sdi_dataset(owner_org: str, name: str, title: str, **overrides: Any) -> dict[str, Any]:
    ui_defaults = {
        "notes": f"{title}, data registrasi Kabupaten Paser.",
        "kode_wilayah": ["64.01.01", "64.01.02", "64.01.04"],
        "klasifikasi": "per kecamatan, per agama",
        "tags": None,
    }
    return sdi_dataset_dict(owner_org, name=name, title=title, **{**ui_defaults, **overrides})


def seed_portal() -> dict[str, Any]:
    """The content every UI test reads; returns the names it needs."""
    from ckan import model

    from ckanext.satudata.demo import loader as demo
    from ckanext.satudata.standards import registry as standards
    from ckanext.satudata.validation import datastore

    demo.load_topic_groups()
    disdukcapil = call(
        "organization_create",
        **opd_fields(
            "disdukcapil-paser", "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Paser"
        ),
    )
    dinkes = call(
        "organization_create", **opd_fields("dinkes-paser", "Dinas Kesehatan Kabupaten Paser")
    )
    call(
        "user_create",
        name=STEWARD["name"],
        email="steward@paserkab.go.id",
        password=STEWARD["password"],
        fullname="Pengelola Data Dinkes",
    )
    call("organization_member_create", id=dinkes["id"], username=STEWARD["name"], role="editor")

    agama = call(
        "package_create",
        **sdi_dataset(
            disdukcapil["id"],
            "penduduk-menurut-agama",
            "Jumlah Penduduk menurut Agama per Kecamatan",
            standar_data="penduduk_agama",
        ),
    )
    resource = call(
        "resource_create",
        package_id=agama["id"],
        name="Penduduk menurut Agama Semester II 2024",
        format="CSV",
        url="penduduk_agama_2024_2.csv",
        upload=upload(VALID_AGAMA_CSV, "penduduk_agama_2024_2.csv"),
    )
    datastore.load_resource(resource["id"], standards.standard_descriptor("penduduk_agama"))

    overdue = call(
        "package_create",
        **sdi_dataset(
            disdukcapil["id"],
            "penduduk-menurut-kelompok-umur",
            "Jumlah Penduduk menurut Kelompok Umur",
            accrualPeriodicity="tahunan",
            periode="tahun",
        ),
    )
    call(
        "resource_create",
        package_id=overdue["id"],
        name="Kelompok umur 2021",
        format="CSV",
        url="https://example.org/umur-2021.csv",
        last_modified="2021-12-31T00:00:00",
    )
    call(
        "package_create",
        **sdi_dataset(
            dinkes["id"],
            "jumlah-puskesmas",
            "Jumlah Puskesmas menurut Kecamatan",
            theme="perlindungan-sosial-kesehatan",
            subtopik=None,
            accrualPeriodicity="tahunan",
            periode="tahun",
            satuan="unit",
            klasifikasi="per kecamatan",
            standar_data="penduduk_agama",
        ),
    )
    # Re-index so the freshness fields computed from the resources are searchable.
    from ckan.lib.search import rebuild

    rebuild()
    model.Session.remove()
    return {
        "dataset_with_table": agama["name"],
        "resource_with_table": resource["id"],
        "overdue_dataset": overdue["name"],
        "steward_dataset": "jumlah-puskesmas",
        "steward_opd": dinkes["name"],
        "opd": disdukcapil["name"],
    }


@pytest.fixture(scope="module")
def seeded_portal() -> Iterator[dict[str, Any]]:
    """Module-scoped (the web server of the browser tests reads it), so it
    loads the configured plugins itself instead of CKAN's per-test with_plugins."""
    from ckan import plugins

    plugins.load_all()
    try:
        live_site.reset_portal()
        yield seed_portal()
    finally:
        plugins.unload_all()


@pytest.fixture(scope="module")
def portal_url(
    request: pytest.FixtureRequest, seeded_portal: dict[str, Any], tmp_path_factory: Any
) -> Iterator[str]:
    """A real CKAN web server (`ckan run`) on the test configuration, with
    site_url pointing at it so every link the pages print works."""
    port = live_site.free_port()
    url = f"http://127.0.0.1:{port}"
    base_ini = Path(request.config.getoption("ckan_ini")).resolve()
    # A test module may set options of its own (PORTAL_SETTINGS = {key: value}).
    settings = {"ckan.search.solr_commit": "true", **getattr(request.module, "PORTAL_SETTINGS", {})}
    ini = live_site.site_ini(base_ini, tmp_path_factory.mktemp("portal"), url, **settings)
    with live_site.serve(ini, port):
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    context.set_default_timeout(20_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def signed_in(browser: Any, portal_url: str, user: dict[str, str], width: int = 1366) -> Any:
    """A new tab (its own browser context, ``width`` px wide) signed in as ``user``."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    context.set_default_timeout(20_000)
    tab = context.new_page()
    tab.goto(f"{portal_url}/user/login")
    tab.fill("#field-login", user["name"])
    tab.fill("#field-password", user["password"])
    tab.locator("form.form-horizontal button[type=submit], form button.btn-primary").first.click()
    from playwright.sync_api import expect

    expect(tab.locator(".account.authed")).to_be_attached()
    return tab


@pytest.fixture
def screenshot(page: Any) -> Callable[[str], Path]:
    """Saves a full-page screenshot as test-output/<name>.png."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def days_ago(days: int) -> str:
    return (datetime.datetime.now() - datetime.timedelta(days=days)).isoformat()
