"""The harvest source form (harvesters/form.py), through the real web pages:
fields generated from the Setting entries, the same JSON config the
harvester reads, errors at the field in Indonesian, the JSON view for
sysadmins only, and privileged settings kept when a producer saves."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

DUKCAPIL = "satudata_dukcapil"
SPREADSHEET = "satudata_spreadsheet"
FEED = "https://dukcapil.example/arcgis/rest/services"


def cfg(source_type: str, key: str, part: str = "") -> str:
    return f"cfg.{source_type}.{key}" + (f".{part}" if part else "")


@pytest.fixture
def people(with_plugins: None, clean_db: None, make_opd: Callable[..., dict]) -> dict[str, Any]:
    from ckan.tests import factories
    from ckan.tests.helpers import call_action

    own = make_opd("disdukcapil-paser", "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Paser")
    producer = factories.User()
    call_action(
        "member_create", id=own["id"], object=producer["id"], object_type="user", capacity="editor"
    )
    sysadmin = factories.Sysadmin()
    return {
        "opd": own,
        "producer": factories.APIToken(user=producer["name"])["token"],
        "sysadmin": factories.APIToken(user=sysadmin["name"])["token"],
    }


def dukcapil_form(opd: dict, **fields: Any) -> dict[str, Any]:
    return {
        "satudata_form": "1",
        "url": f"{FEED}/DKB_2024_S2/MapServer",
        "title": "DKB Disdukcapil",
        "name": "dkb-disdukcapil",
        "source_type": DUKCAPIL,
        "frequency": "MANUAL",
        "owner_org": opd["id"],
        cfg(DUKCAPIL, "semester"): "2024-S2",
        cfg(DUKCAPIL, "levels"): ["kecamatan", "desa"],
        cfg(DUKCAPIL, "families"): ["jenis_kelamin"],
        **fields,
    }


def stored_config(name: str) -> dict[str, Any]:
    from ckan.tests.helpers import call_action

    return json.loads(call_action("harvest_source_show", id=name)["config"] or "{}")


def field_block(page: str, name: str) -> str:
    """The form group of a field (its label, input, error and help)."""
    ident = "field-" + name.replace(".", "-")
    start = page.index(f'id="{ident}"')
    start = page.rindex('<div class="form-group', 0, start)
    return page[start : page.index("info-block", start)]


def test_producer_creates_a_dukcapil_source_through_the_form(
    app: Any, people: dict[str, Any]
) -> None:
    auth = {"Authorization": people["producer"]}
    page = app.get("/harvest/new", headers=auth).get_data(as_text=True)
    assert "Jenis sumber" in page and "Source type" not in page
    assert 'value="Simpan"' in page  # the save button
    assert "Tingkat yang ditayangkan" in page and "Kelompok indikator" in page
    # The OPD's name, not its slug, in the organisation list.
    assert re.search(r"<option [^>]*>\s*Dinas Kependudukan dan Pencatatan Sipil", page)
    # Sysadmins' settings and the JSON view are not offered to a producer.
    assert 'name="config"' not in page
    assert cfg(DUKCAPIL, "trusted") not in page and cfg(DUKCAPIL, "dirty_records") not in page

    # A value the form cannot read: refused at its field, the rest kept, nothing stored.
    form = dukcapil_form(people["opd"], **{cfg(DUKCAPIL, "page_size"): "dua ribu"})
    page = app.post("/harvest/new", data=form, headers=auth).get_data(as_text=True)
    assert "Isi dengan bilangan bulat" in field_block(page, cfg(DUKCAPIL, "page_size"))
    assert 'value="2024-S2"' in field_block(page, cfg(DUKCAPIL, "semester"))
    assert re.search(r'value="desa"\s+checked', page)
    assert "Catatan per halaman" in html.unescape(page.split("error-explanation")[1][:600])

    # A value the harvester refuses: its message at the field it names.
    form = dukcapil_form(people["opd"], **{cfg(DUKCAPIL, "semester"): "2024-S3"})
    page = app.post("/harvest/new", data=form, headers=auth).get_data(as_text=True)
    block = html.unescape(field_block(page, cfg(DUKCAPIL, "semester")))
    assert "semester '2024-S3' tidak berbentuk TTTT-S1 atau TTTT-S2" in block
    # A setting the harvester requires, left empty: said at its field.
    form = dukcapil_form(people["opd"], **{cfg(DUKCAPIL, "semester"): ""})
    page = app.post("/harvest/new", data=form, headers=auth).get_data(as_text=True)
    assert "Isi pengaturan ini" in field_block(page, cfg(DUKCAPIL, "semester"))

    from ckan.tests.helpers import call_action

    assert call_action("harvest_source_list") == []

    form = dukcapil_form(
        people["opd"],
        **{
            cfg(DUKCAPIL, "services", "kecamatan"): f"{FEED}/DKB_KEC_2024_S2/MapServer",
            cfg(DUKCAPIL, "services", "desa"): f"{FEED}/DKB_DESA_2024_S2/MapServer",
            cfg(DUKCAPIL, "region"): "64.01",
            cfg(DUKCAPIL, "page_size"): "500",
        },
    )
    app.post("/harvest/new", data=form, headers=auth, status=200)
    assert stored_config("dkb-disdukcapil") == {
        "semester": "2024-S2",
        "services": {
            "kecamatan": f"{FEED}/DKB_KEC_2024_S2/MapServer",
            "desa": f"{FEED}/DKB_DESA_2024_S2/MapServer",
        },
        "region": "64.01",
        "levels": ["kecamatan", "desa"],
        "families": ["jenis_kelamin"],
        "page_size": 500,
    }


def test_producer_edit_keeps_the_settings_a_sysadmin_set(app: Any, people: dict[str, Any]) -> None:
    admin = {"Authorization": people["sysadmin"]}
    page = app.get("/harvest/new", headers=admin).get_data(as_text=True)
    assert cfg(DUKCAPIL, "trusted") in page and 'name="config"' in page
    form = dukcapil_form(
        people["opd"],
        **{cfg(DUKCAPIL, "trusted"): "true", cfg(DUKCAPIL, "dirty_records"): "quarantine"},
    )
    app.post("/harvest/new", data=form, headers=admin, status=200)
    assert stored_config("dkb-disdukcapil")["trusted"] is True

    producer = {"Authorization": people["producer"]}
    page = app.get("/harvest/edit/dkb-disdukcapil", headers=producer).get_data(as_text=True)
    assert cfg(DUKCAPIL, "trusted") not in page and cfg(DUKCAPIL, "dirty_records") not in page
    assert re.search(r'value="kecamatan"\s+checked', page)  # the stored config, shown
    form = dukcapil_form(people["opd"], **{cfg(DUKCAPIL, "levels"): ["kabupaten", "kecamatan"]})
    response = app.post("/harvest/edit/dkb-disdukcapil", data=form, headers=producer)
    assert "error-explanation" not in response.get_data(as_text=True)
    config = stored_config("dkb-disdukcapil")
    assert config["levels"] == ["kabupaten", "kecamatan"]
    assert config["trusted"] is True and config["dirty_records"] == "quarantine"

    # The same through the API: the stored value passes, a new one does not.
    from ckan.tests.helpers import call_action

    source = call_action("harvest_source_show", id="dkb-disdukcapil")
    update = {k: source[k] for k in ("id", "url", "title", "name", "source_type", "owner_org")}
    changed = json.dumps({**config, "levels": ["kecamatan"]})
    app.post(
        "/api/action/harvest_source_update",
        json={**update, "config": changed},
        headers=producer,
        status=200,
    )
    refused = json.dumps({**config, "quarantine_limit": 0.5})
    error = app.post(
        "/api/action/harvest_source_update",
        json={**update, "config": refused},
        headers=producer,
        status=409,
    ).json["error"]
    assert "quarantine_limit" in json.dumps(error)


def test_sysadmin_may_save_the_json_view(app: Any, people: dict[str, Any]) -> None:
    admin = {"Authorization": people["sysadmin"]}
    config = {"semester": "2024-S1", "levels": ["desa"], "layers": {"desa": 4}}
    form = dukcapil_form(
        people["opd"], config=json.dumps(config), satudata_form_json="true"
    )  # the form's own fields are ignored when the JSON is chosen
    app.post("/harvest/new", data=form, headers=admin, status=200)
    assert stored_config("dkb-disdukcapil") == config

    # The producer cannot use the JSON view: their post is read from the form.
    producer = {"Authorization": people["producer"]}
    form = dukcapil_form(
        people["opd"],
        name="dkb-kedua",
        config=json.dumps({"semester": "2024-S1", "trusted": True}),
        satudata_form_json="true",
    )
    app.post("/harvest/new", data=form, headers=producer, status=200)
    assert "trusted" not in stored_config("dkb-kedua")


def test_spreadsheet_form_writes_the_config_the_harvester_reads(
    app: Any, people: dict[str, Any]
) -> None:
    auth = {"Authorization": people["producer"]}
    form = {
        "satudata_form": "1",
        "url": "https://opd.example/daftar_data.xlsx",
        "title": "Daftar data Disdukcapil",
        "name": "daftar-disdukcapil",
        "source_type": SPREADSHEET,
        "frequency": "MANUAL",
        "owner_org": people["opd"]["id"],
        cfg(SPREADSHEET, "organization"): "disdukcapil-paser",
        cfg(SPREADSHEET, "column_mapping"): "Judul Data = nama_data\n\n",
        cfg(SPREADSHEET, "defaults"): 'license_id = cc-by\nkode_wilayah = ["64.01"]',
        cfg(SPREADSHEET, "removed_rows"): "delete",
        cfg(SPREADSHEET, "max_shrink"): "0,2",
        cfg(SPREADSHEET, "max_file_size"): "0.5",
        cfg(SPREADSHEET, "standar_data"): "tidak-ada",
    }
    page = app.post("/harvest/new", data=form, headers=auth).get_data(as_text=True)
    assert "Pilih salah satu pilihan" in field_block(page, cfg(SPREADSHEET, "standar_data"))
    assert "bilangan bulat" in field_block(page, cfg(SPREADSHEET, "max_file_size"))

    # Numbers written the Indonesian way: 0,2 and 1.000.000.
    form[cfg(SPREADSHEET, "max_file_size")] = "1.000.000"

    form[cfg(SPREADSHEET, "standar_data")] = "indikator_wilayah_tahun"
    app.post("/harvest/new", data=form, headers=auth, status=200)
    config = stored_config("daftar-disdukcapil")
    assert config == {
        "organization": "disdukcapil-paser",
        "column_mapping": {"Judul Data": "nama_data"},
        "standar_data": "indikator_wilayah_tahun",
        "defaults": {"license_id": "cc-by", "kode_wilayah": ["64.01"]},
        "max_file_size": 1_000_000,
        "removed_rows": "delete",
        "max_shrink": 0.2,
    }
    # What the harvester reads from it.
    from ckanext.satudata.harvesters.spreadsheet.settings import SpreadsheetSettings

    settings = SpreadsheetSettings.parse(config)
    assert settings.removed_rows == "delete" and settings.max_shrink == 0.2

    # The edit page shows the stored config in the fields, "name = value" lines.
    page = app.get("/harvest/edit/daftar-disdukcapil", headers=auth).get_data(as_text=True)
    assert "Judul Data = nama_data" in html.unescape(page)
    assert re.search(r'<option value="delete"\s+selected', page)


@pytest.mark.parametrize(
    ("field", "value", "indonesian", "english"),
    [
        ("page_size", "-5", "page_size harus bilangan bulat lebih dari 0, bukan -5",
         "page_size must be a whole number above 0, not -5"),
        ("timeout", "-1", "timeout harus angka lebih dari 0, bukan -1",
         "timeout must be a number above 0, not -1"),
        ("max_pages", "0", "max_pages harus bilangan bulat lebih dari 0, bukan 0",
         "max_pages must be a whole number above 0, not 0"),
    ],
)  # fmt: skip
def test_a_refused_setting_is_said_at_its_field_in_the_users_language(
    app: Any, people: dict[str, Any], field: str, value: str, indonesian: str, english: str
) -> None:
    """The harvester's own check (harvesters/settings.py HarvestConfigError),
    in Indonesian by default and in English under /en, at the field it names."""
    auth = {"Authorization": people["producer"]}
    form = dukcapil_form(people["opd"], **{cfg(DUKCAPIL, field): value})
    page = app.post("/harvest/new", data=form, headers=auth).get_data(as_text=True)
    block = html.unescape(field_block(page, cfg(DUKCAPIL, field)))
    assert indonesian in block
    assert english not in page and "Error parsing" not in page
    # Nothing else refused, the rest of the form kept.
    assert 'value="2024-S2"' in field_block(page, cfg(DUKCAPIL, "semester"))

    page = app.post("/en/harvest/new", data=form, headers=auth).get_data(as_text=True)
    assert english in html.unescape(field_block(page, cfg(DUKCAPIL, field)))
    assert indonesian not in html.unescape(page)

    from ckan.tests.helpers import call_action

    assert call_action("harvest_source_list") == []


def test_a_refused_privileged_setting_is_said_at_its_field(
    app: Any, people: dict[str, Any]
) -> None:
    """A sysadmin's bad "host:port" list: said at the field, in the user's language."""
    auth = {"Authorization": people["sysadmin"]}
    name = cfg(DUKCAPIL, "allow_private_addresses")
    form = dukcapil_form(people["opd"], **{name: '["10.1.2.3"]'})
    page = app.post("/harvest/new", data=form, headers=auth).get_data(as_text=True)
    assert 'allow_private_addresses: daftar harus berisi entri "host:port"' in html.unescape(
        field_block(page, name)
    )
    page = app.post("/en/harvest/new", data=form, headers=auth).get_data(as_text=True)
    assert 'allow_private_addresses: a list must hold "host:port" entries' in html.unescape(
        field_block(page, name)
    )
