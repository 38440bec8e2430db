"""The harvest source form in a real browser (Chromium through Playwright,
against a real CKAN server on the test stack): the walidata's operator sets up
a Dukcapil source (the sample feed on 127.0.0.1) and a spreadsheet source (the
OPD file server) through the forms, without writing JSON; both are harvested
through ckanext-harvest's real Redis queue by the gather and fetch consumer
processes; the job report reads in Indonesian. Screenshots in test-output/."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import call
from file_server import FileServer
from harvest_support import consumer_processes
from playwright.sync_api import expect
from sdi_data import opd_fields

from ckanext.satudata.demo.dukcapil_feed import FeedServer, level_service_paths

pytestmark = pytest.mark.browser

OPERATOR = {"name": "operator-dkisp", "password": "Operator-Paser-2024!"}
DUKCAPIL = "satudata_dukcapil"
SPREADSHEET = "satudata_spreadsheet"
DISDUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Paser"
DINKES = "Dinas Kesehatan Kabupaten Paser"


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[FeedServer, FileServer]]:
    feed, files = FeedServer(port=0), FileServer(port=0)
    feed.start()
    files.start()
    yield feed, files
    feed.shutdown()
    feed.server_close()
    files.stop()


@pytest.fixture(scope="module")
def operator(seeded_portal: dict[str, Any]) -> dict[str, str]:
    """The walidata's operator: staff of the DKISP (the walidata), and editor of
    the OPDs whose sources they set up (ckanext-harvest's rule for a source)."""
    from ckanext.satudata.demo import loader as demo

    demo.ensure_harvest_user()
    dkisp = call(
        "organization_create",
        **opd_fields("dkisp-paser", "Dinas Komunikasi, Informatika, Statistik dan Persandian",
                     peran="walidata"),
    )  # fmt: skip
    call("user_create", name=OPERATOR["name"], email="operator@paserkab.go.id",
         password=OPERATOR["password"], fullname="Operator DKISP")  # fmt: skip
    call("organization_member_create", id=dkisp["id"], username=OPERATOR["name"], role="member")
    for opd in (seeded_portal["opd"], seeded_portal["steward_opd"]):
        call("organization_member_create", id=opd, username=OPERATOR["name"], role="editor")
    return OPERATOR


@pytest.fixture(scope="module")
def consumers(request: pytest.FixtureRequest, portal_url: str) -> Iterator[None]:
    """The gather and fetch consumers as separate processes (tests/harvest_queue)."""
    with consumer_processes(str(request.config.getoption("--ckan-ini"))):
        yield


def _new_source(tab: Any, portal_url: str, source_type: str, url: str, title: str) -> None:
    """The new-source form, the type chosen (the name is the title's slug)."""
    tab.goto(f"{portal_url}/harvest/new")
    tab.fill("#field-url", url)
    tab.fill("#field-title", title)
    tab.check(f"input[name=source_type][value={source_type}]")
    expect(tab.locator(f".satudata-cfg-section[data-source-type={source_type}]")).to_be_visible()
    other = SPREADSHEET if source_type == DUKCAPIL else DUKCAPIL
    expect(tab.locator(f".satudata-cfg-section[data-source-type={other}]")).to_be_hidden()


def _field(source_type: str, key: str, part: str = "") -> str:
    return f"#field-cfg-{source_type}-{key}" + (f"-{part}" if part else "")


def _allow_test_servers(name: str) -> None:
    """The test servers listen on 127.0.0.1, which only a sysadmin may allow
    (allow_private_addresses); the operator's config is kept as it is."""
    source = call("harvest_source_show", id=name)
    config = {**json.loads(source["config"]), "allow_private_addresses": True}
    call("harvest_source_patch", id=source["id"], config=json.dumps(config))


@pytest.mark.usefixtures("consumers")
def test_operator_sets_up_and_harvests_sources_through_the_forms(
    page: Any,
    portal_url: str,
    operator: dict[str, str],
    servers: tuple[FeedServer, FileServer],
    seeded_portal: dict[str, Any],
    screenshot: Callable[[str], Path],
) -> None:
    from ckanext.satudata.demo import loader as demo

    feed, files = servers
    tab = page
    tab.goto(f"{portal_url}/user/login")
    tab.fill("#field-login", operator["name"])
    tab.fill("#field-password", operator["password"])
    tab.locator("form.form-horizontal button[type=submit], form button.btn-primary").first.click()
    expect(tab.locator(".account.authed")).to_be_visible()

    # The Dukcapil source: semester, one service per level, levels and a family.
    _new_source(tab, portal_url, DUKCAPIL, f"{feed.base_url}/arcgis/rest/services",
                "DKB Disdukcapil Paser")  # fmt: skip
    expect(tab.locator(".harvest-types")).to_contain_text("Jenis sumber")
    tab.locator("#field-organizations").select_option(label=DISDUKCAPIL, force=True)
    org_options = tab.locator("#field-organizations option").all_inner_texts()
    assert DISDUKCAPIL in org_options
    assert "disdukcapil-paser" not in org_options
    tab.fill(_field(DUKCAPIL, "semester"), "2024-S2")
    for level, path in level_service_paths("2024-S2").items():
        if level in ("kecamatan", "desa"):
            tab.fill(_field(DUKCAPIL, "services", level), f"{feed.base_url}{path}")
    tab.check(_field(DUKCAPIL, "levels", "kecamatan"))
    tab.check(_field(DUKCAPIL, "levels", "desa"))
    tab.check(_field(DUKCAPIL, "families", "jenis_kelamin"))
    # The sysadmins' settings are not on the operator's form, nor the JSON view.
    assert tab.locator(_field(DUKCAPIL, "trusted")).count() == 0
    assert tab.locator("#field-config").count() == 0
    screenshot("harvest-form-dukcapil")
    tab.click("#save")
    expect(tab.locator(".error-explanation")).to_have_count(0)
    assert json.loads(call("harvest_source_show", id="dkb-disdukcapil-paser")["config"]) == {
        "semester": "2024-S2",
        "services": {
            level: f"{feed.base_url}{path}"
            for level, path in level_service_paths("2024-S2").items()
            if level in ("kecamatan", "desa")
        },
        "levels": ["kecamatan", "desa"],
        "families": ["jenis_kelamin"],
    }

    # The spreadsheet source: the OPD's Daftar Data on its file server.
    _new_source(tab, portal_url, SPREADSHEET, f"{files.base_url}/dinkes/daftar_data.xlsx",
                "Daftar Data Dinkes Paser")  # fmt: skip
    tab.locator("#field-organizations").select_option(label=DINKES, force=True)
    tab.select_option(_field(SPREADSHEET, "organization"), seeded_portal["steward_opd"])
    tab.select_option(_field(SPREADSHEET, "removed_rows"), "flag")
    # A share written the Indonesian way is read as a number.
    tab.fill(_field(SPREADSHEET, "max_shrink"), "0,3")
    screenshot("harvest-form-spreadsheet")
    tab.click("#save")
    expect(tab.locator(".error-explanation")).to_have_count(0)
    config = json.loads(call("harvest_source_show", id="daftar-data-dinkes-paser")["config"])
    assert config == {"organization": "dinkes-paser", "removed_rows": "flag", "max_shrink": 0.3}

    # Both harvested through the Redis queue and the consumer processes.
    jobs = {}
    for name in ("dkb-disdukcapil-paser", "daftar-data-dinkes-paser"):
        _allow_test_servers(name)
        jobs[name] = demo.run_harvest(name, timeout=240)
        stats = jobs[name]["stats"]
        assert stats["added"] > 0 and stats["errored"] == 0, (name, stats)

    # The job report, in Indonesian.
    job = jobs["dkb-disdukcapil-paser"]
    tab.goto(f"{portal_url}/harvest/dkb-disdukcapil-paser/job/{job['id']}")
    report = tab.locator("#content")
    expect(report).to_contain_text("Laporan pekerjaan")
    expect(report).to_contain_text(f"{job['stats']['added']} ditambahkan")
    expect(report).to_contain_text("tidak berubah")
    expect(report).to_contain_text("Selesai")
    expect(report).not_to_contain_text("not modified")
    screenshot("harvest-job-report")
