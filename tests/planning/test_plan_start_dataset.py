"""A steward starts a dataset from a Daftar Data item (a row of the OPD's
inventory spreadsheet, imported through the inventory reader) or from a data
standard: the dataset form comes filled in. Who may, through the auth matrix
(tests/auth_matrix.py), and what the form then shows, on the real stack."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from auth_matrix import ROLES
from plan_support import Plan
from test_plan_auth import tokens

from ckanext.satudata.standards import registry

pytestmark = pytest.mark.usefixtures("with_plugins")


def value_of(page: str, field: str) -> str:
    found = re.search(rf'id="field-{field}"[^>]*value="([^"]*)"', page) or re.search(
        rf'<textarea[^>]*id="field-{field}"[^>]*>([^<]*)</textarea>', page
    )
    return html.unescape(found.group(1)) if found else ""


def selected(page: str, field: str) -> list[str]:
    select = re.search(rf'<select id="field-{field}".*?</select>', page, re.S)
    assert select, field
    return re.findall(r'<option value="([^"]*)" selected', select.group(0))


def test_who_may_start_a_dataset(app: Any, plan: Plan) -> None:
    headers = tokens(plan)
    own = plan.item_id("DDD-6401-DINKES-001")
    theirs = plan.item_id("DDD-6401-DISTAN-001")
    pages = {
        "own_item": (f"/daftar-data/item/{own}/dataset-baru", {"producer", "sysadmin"}),
        "their_item": (f"/daftar-data/item/{theirs}/dataset-baru", {"other_producer", "sysadmin"}),
        "standard": ("/standar-data/penduduk_agama/dataset-baru",
                     {"producer", "other_producer", "sysadmin"}),
    }  # fmt: skip
    for page, (path, allowed) in pages.items():
        for role in ROLES:
            response = app.get(path, headers=headers[role], follow_redirects=False)
            expected = 302 if role in allowed else 403
            assert response.status_code == expected, (page, role, response.status_code)
    # The button on the item page, for those who may.
    item_page = f"/daftar-data/item/{own}"
    assert "satudata-start-dataset" in app.get(item_page, headers=headers["producer"]).get_data(
        as_text=True
    )
    assert "satudata-start-dataset" not in app.get(
        item_page, headers=headers["other_producer"]
    ).get_data(as_text=True)
    assert (
        app.get("/standar-data/tidak_ada/dataset-baru", headers=headers["producer"]).status_code
        == 404
    )


def test_form_filled_in_from_the_inventory_row(app: Any, plan: Plan) -> None:
    producer = tokens(plan)["producer"]
    item = plan.item_id("DDD-6401-DINKES-001")
    response = app.get(f"/daftar-data/item/{item}/dataset-baru", headers=producer,
                       follow_redirects=False)  # fmt: skip
    target = urlsplit(response.headers["Location"])
    assert target.path == "/dataset/new"
    page = app.get(f"{target.path}?{target.query}", headers=producer).get_data(as_text=True)
    assert value_of(page, "title") == "Jumlah Puskesmas menurut Kecamatan di Kabupaten Paser"
    assert value_of(page, "notes").startswith("Jumlah puskesmas rawat inap")
    assert selected(page, "organizations") == [plan.roles.owner["id"]]
    assert selected(page, "theme") == ["perlindungan-sosial-kesehatan"]
    assert selected(page, "subtopik") == ["kesehatan"]
    assert selected(page, "jenis") == ["statistik"]
    # The classification the OPD wrote in its inventory, not a default.
    assert selected(page, "accessRights") == ["terbuka"]


def test_form_started_from_a_data_standard(app: Any, plan: Plan) -> None:
    producer = tokens(plan)["producer"]
    response = app.get("/standar-data/penduduk_agama/dataset-baru", headers=producer,
                       follow_redirects=False)  # fmt: skip
    target = urlsplit(response.headers["Location"])
    page = app.get(f"{target.path}?{target.query}", headers=producer).get_data(as_text=True)
    descriptor = registry.standard_descriptor("penduduk_agama")
    assert value_of(page, "title") == descriptor["title"]
    assert value_of(page, "notes") == descriptor["description"]
    # Never a choice the steward must make.
    assert selected(page, "accessRights") in ([], [""])
    assert registry.dataset_fields("penduduk_agama") == {
        "standar_data": "penduduk_agama",
        "title": descriptor["title"],
        "notes": descriptor["description"],
        "satuan": "jiwa",
    }
    # The first page of a new dataset offers the standards and their templates.
    new = app.get("/dataset/new", headers=producer).get_data(as_text=True)
    assert "/standar-data/penduduk_agama/dataset-baru" in new
    assert "/standar-data/penduduk_agama/template.xlsx" in new
    assert "Mulai dari standar data" in new
