"""The dataset form as a data steward meets it, through CKAN's real views on
the real stack (the browser walk-through is test_dataset_form_browser.py):
required choices start empty and are refused until chosen, the form saves
its draft page by page, the classification explains its levels."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from ckan.logic import NotFound as ObjectNotFound
from ckan.logic import ValidationError
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.satudata.catalog import choices
from ckanext.satudata.reference import vocabularies

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

# The required vocabulary fields of the schema, by form page.
REQUIRED_CHOICES = {1: ("theme", "jenis", "accessRights"),
                    2: ("satuan", "accrualPeriodicity", "tingkat_wilayah")}  # fmt: skip


@pytest.fixture
def steward(make_opd: Any) -> dict[str, Any]:
    """An editor (producer) of a producing OPD, with an API token for the views."""
    dinkes = make_opd("dinkes-paser", "Dinas Kesehatan Kabupaten Paser")
    user = factories.UserWithToken()
    call_action("organization_member_create", id=dinkes["id"], username=user["name"], role="editor")
    return {**user, "org": dinkes, "headers": {"Authorization": user["token"]}}


def page_one(steward: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """What a steward types on the form's first page."""
    data = {
        "title": "Jumlah Posyandu menurut Kecamatan",
        "name": "jumlah-posyandu",
        "notes": "Jumlah posyandu aktif menurut kecamatan.",
        "owner_org": steward["org"]["id"],
        "theme": "perlindungan-sosial-kesehatan",
        "jenis": "statistik",
        "accessRights": "terbuka",
        "tag_string": "posyandu",
        # CKAN's phase and scheming's page, both in the real form.
        "_ckan_phase": ["dataset_new_1", "1"],
        "pkg_name": "",
        "save": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def page_two() -> dict[str, str]:
    return {
        "satuan": "unit",
        "accrualPeriodicity": "tahunan",
        "periode": "tahun",
        "tahun_mulai": "2024",
        "tingkat_wilayah": "kecamatan",
        "kode_wilayah": "64.01.04",
        "_ckan_phase": "2",
        "save": "",
    }


def selected(page: str, field: str) -> list[str]:
    """The values of the selected options of a select."""
    select = re.search(rf'<select id="field-{field}".*?</select>', page, re.S)
    assert select, field
    return re.findall(r'<option value="([^"]*)" selected', select.group(0))


def options(page: str, field: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select id="field-{field}".*?</select>', page, re.S)
    assert select, field
    found = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))
    return [(value, html.unescape(text)) for value, text in found]


def field_error(page: str, field: str) -> str:
    """The error printed at a field (CKAN's input_block), '' when none."""
    block = re.search(
        rf'<div class="form-group[^"]*error[^"]*">\s*<label[^>]*for="field-{field}".*?'
        r'<span class="error-block">(.*?)</span>',
        page,
        re.S,
    )
    return html.unescape(block.group(1)).strip() if block else ""


def test_required_choices_start_empty(app: Any, steward: dict[str, Any]) -> None:
    page = app.get("/dataset/new", headers=steward["headers"]).get_data(as_text=True)
    for field in REQUIRED_CHOICES[1]:
        assert options(page, field)[0] == ("", "— pilih —"), field
        assert selected(page, field) in ([], [""]), field
    english = app.get("/en/dataset/new", headers=steward["headers"]).get_data(as_text=True)
    assert options(english, "accessRights")[0] == ("", "— choose —")


def test_classification_explains_its_levels_from_the_vocabulary(
    app: Any, steward: dict[str, Any]
) -> None:
    for prefix, lang in (("", "id"), ("/en", "en")):
        page = app.get(f"{prefix}/dataset/new", headers=steward["headers"]).get_data(as_text=True)
        block = re.search(r'<ul class="satudata-choice-help[^"]*" id="field-accessRights-choices">'
                          r"(.*?)</ul>", page, re.S)  # fmt: skip
        assert block, lang
        lines = [html.unescape(re.sub(r"<[^>]+>", "", li))
                 for li in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]  # fmt: skip
        expected = [
            f"{term.label(lang)}: {term.extra['description'][lang]}"
            for term in vocabularies.terms("classification")
        ]
        assert lines == expected
    assert all("description" in c for c in choices.of_vocabulary("classification"))


def test_untouched_classification_is_refused_at_the_field(
    app: Any, steward: dict[str, Any]
) -> None:
    for prefix, message in (("", "Wajib diisi"), ("/en", "Missing value")):
        response = app.post(
            f"{prefix}/dataset/new",
            headers=steward["headers"],
            data=page_one(steward, accessRights=""),
            follow_redirects=False,
        )
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert field_error(page, "accessRights") == message
        summary = (
            "Ada isian formulir yang perlu diperbaiki:"
            if not prefix
            else ("The form contains invalid entries:")
        )
        assert summary in page
        # Only the untouched field is in error; what was typed is kept.
        assert not field_error(page, "theme")
        assert 'value="Jumlah Posyandu menurut Kecamatan"' in page
        assert selected(page, "theme") == ["perlindungan-sosial-kesehatan"]
        assert selected(page, "accessRights") in ([], [""])
    with pytest.raises(ObjectNotFound):
        call_action("package_show", id="jumlah-posyandu")


def test_form_saves_its_draft_page_by_page(app: Any, steward: dict[str, Any]) -> None:
    headers = steward["headers"]
    response = app.post("/dataset/new", headers=headers, data=page_one(steward),
                        follow_redirects=False)  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dataset/new/jumlah-posyandu/2")
    draft = call_action("package_show", id="jumlah-posyandu")
    assert draft["state"] == "draft"
    assert "satuan" not in draft

    # Page 2 refuses its own untouched choice, at the field.
    response = app.post("/dataset/new/jumlah-posyandu/2", headers=headers,
                        data={**page_two(), "satuan": ""}, follow_redirects=False)  # fmt: skip
    page = response.get_data(as_text=True)
    assert field_error(page, "satuan") == "Wajib diisi"
    # The page shown again posts to itself, not as a new dataset.
    assert '<form id="dataset-edit" method="post" action=""' in page
    assert selected(page, "accrualPeriodicity") == ["tahunan"]

    response = app.post("/dataset/new/jumlah-posyandu/2", headers=headers, data=page_two(),
                        follow_redirects=False)  # fmt: skip
    assert response.headers["Location"].endswith("/dataset/new/jumlah-posyandu/3")
    for page_number in (3, 4):
        response = app.post(f"/dataset/new/jumlah-posyandu/{page_number}", headers=headers,
                            data={"_ckan_phase": str(page_number), "save": ""},
                            follow_redirects=False)  # fmt: skip
        assert response.status_code == 302, page_number
    assert response.headers["Location"].endswith("/dataset/jumlah-posyandu/resource/new")

    # Adding its data makes it a complete, active dataset.
    response = app.post("/dataset/jumlah-posyandu/resource/new", headers=headers,
                        data={"id": "", "url": "https://example.org/posyandu.csv", "name": "Posyandu 2024",
                              "save": "go-metadata"}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 302
    shown = call_action("package_show", id="jumlah-posyandu")
    assert shown["state"] == "active"
    assert shown["accessRights"] == "terbuka"
    assert shown["satuan"] == "unit"


def test_only_a_form_draft_may_leave_later_pages_empty(sysadmin: dict, sdi_dataset: Any) -> None:
    context = {"user": sysadmin["name"]}
    incomplete = sdi_dataset(satuan=None, accessRights=None)
    # Through the API, a draft is checked like any dataset.
    with pytest.raises(ValidationError) as caught:
        call_action("package_create", context=dict(context), state="draft", **incomplete)
    assert set(caught.value.error_dict) >= {"satuan", "accessRights"}
    # A form post of page 1 may leave page 2 empty, never page 1.
    with pytest.raises(ValidationError) as caught:
        call_action("package_create", context=dict(context), state="draft",
                    _ckan_phase="1", **incomplete)  # fmt: skip
    assert set(caught.value.error_dict) == {"accessRights"}
    created = call_action("package_create", context=dict(context), state="draft",
                          _ckan_phase="1", **{**incomplete, "accessRights": "tertutup"})  # fmt: skip
    assert "satuan" not in created
    assert created["private"] is True
    # Leaving the draft state checks everything.
    with pytest.raises(ValidationError) as caught:
        call_action("package_patch", context=dict(context), id=created["id"], state="active")
    assert "satuan" in caught.value.error_dict


def test_every_form_field_says_what_to_write_with_a_paser_example() -> None:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema("dataset")
    assert schema
    for field in schema["dataset_fields"]:
        if "form_snippet" in field and field["form_snippet"] is None:
            continue  # not in the form (status_data)
        help_text = field.get("help_text") or {}
        assert "Contoh: " in help_text.get("id", ""), field["field_name"]
        assert "Example: " in help_text.get("en", ""), field["field_name"]


def test_help_and_regions_on_the_form(app: Any, steward: dict[str, Any]) -> None:
    headers = steward["headers"]
    app.post("/dataset/new", headers=headers, data=page_one(steward), follow_redirects=False)
    for prefix, example in (("", "Contoh: jiwa untuk jumlah penduduk"),
                            ("/en", "Example: jiwa (persons) for population")):  # fmt: skip
        page = app.get(f"{prefix}/dataset/new/jumlah-posyandu/2", headers=headers)
        assert example in html.unescape(page.get_data(as_text=True))

    page = app.get("/dataset/new/jumlah-posyandu/2", headers=headers).get_data(as_text=True)
    select = re.search(r'<select id="field-kode_wilayah"[^>]*>.*?</select>', page, re.S)
    assert select and 'data-module="autocomplete"' in select.group(0)
    assert 'name="kode_wilayah" multiple' in select.group(0)
    groups = re.findall(r'<optgroup label="([^"]*)"', select.group(0))
    assert groups[:2] == ["Kabupaten", "Kecamatan"]
    assert "Desa/kelurahan di Tanah Grogot" in groups
    assert ("64.01.04", "Tanah Grogot (64.01.04)") in options(page, "kode_wilayah")
    assert ("64.01", "Kabupaten Paser (64.01)") in options(page, "kode_wilayah")

    # Several regions picked; an unknown code is refused at the field and kept.
    response = app.post("/dataset/new/jumlah-posyandu/2", headers=headers,
                        data={**page_two(), "kode_wilayah": ["64.01.04", "64.99.99"]},
                        follow_redirects=False)  # fmt: skip
    page = response.get_data(as_text=True)
    assert "Kode wilayah 64.99.99 tidak ada" in field_error(page, "kode_wilayah")
    assert selected(page, "kode_wilayah") == ["64.01.04", "64.99.99"]
    assert selected(page, "satuan") == ["unit"]
    response = app.post("/dataset/new/jumlah-posyandu/2", headers=headers,
                        data={**page_two(), "kode_wilayah": ["64.01.04", "64.01.05"]},
                        follow_redirects=False)  # fmt: skip
    assert response.status_code == 302
    shown = call_action("package_show", id="jumlah-posyandu")
    assert shown["kode_wilayah"] == ["64.01.04", "64.01.05"]
    page = app.get("/dataset/edit/jumlah-posyandu/2", headers=headers).get_data(as_text=True)
    assert selected(page, "kode_wilayah") == ["64.01.04", "64.01.05"]
