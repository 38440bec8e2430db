"""Indonesian first: every message of our code and templates has an
Indonesian translation, the compiled catalogs ship with the package, and the
API answers validation errors in the language asked for."""

from __future__ import annotations

import html
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ckanext" / "satudata"
CATALOG = PACKAGE / "i18n" / "id" / "LC_MESSAGES" / "ckanext-satudata.po"
# The same mapping as babel.cfg (`make i18n`).
METHOD_MAP = [
    ("**.py", "python"),
    ("templates/**.html", "ckan.lib.extract:extract_ckan"),
]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def extracted_msgids() -> dict[str, str]:
    """msgid -> where it is used, from our Python code and templates."""
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), METHOD_MAP, options_map={"templates/**.html": {}}
    ):
        for msgid in message if isinstance(message, tuple) else (message,):
            if msgid:
                found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def indonesian_catalog() -> dict[str, list[str]]:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="id")
    translations: dict[str, list[str]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = list(message.string) if isinstance(message.string, tuple) else [message.string]
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            translations[msgid] = strings
    return translations


def test_every_message_has_an_indonesian_translation() -> None:
    msgids = extracted_msgids()
    assert len(msgids) > 50  # the extractor really read code and templates
    translations = indonesian_catalog()
    missing = sorted(
        f"{where}: {msgid!r}"
        for msgid, where in msgids.items()
        if not all(translations.get(msgid) or [""])
    )
    assert not missing, "untranslated (run `make i18n`, then translate):\n" + "\n".join(missing)


def test_translations_keep_the_placeholders() -> None:
    wrong = [
        msgid
        for msgid, strings in indonesian_catalog().items()
        for string in strings
        if "{" in msgid
        and string
        and set(PLACEHOLDER.findall(string)) - set(PLACEHOLDER.findall(msgid))
    ]
    assert not wrong, wrong


def test_installed_package_has_compiled_catalogs() -> None:
    i18n = resources.files("ckanext.satudata").joinpath("i18n")
    for lang in ("id", "en"):
        assert i18n.joinpath(f"{lang}/LC_MESSAGES/ckanext-satudata.mo").is_file(), lang


def test_vocabulary_and_schema_labels_are_bilingual() -> None:
    from ckanext.satudata.reference import vocabularies

    for name in vocabularies.names():
        for term in vocabularies.terms(name):
            for child in (term, *term.children):
                assert child.labels.get("id") and child.labels.get("en"), (name, child.value)
                # A term's explanation (shown in the dataset form) in both languages.
                description = child.extra.get("description")
                if description is not None:
                    assert description.get("id") and description.get("en"), (name, child.value)

    def labels(node: Any) -> list[Any]:
        if isinstance(node, dict):
            found = [v for k, v in node.items() if k in ("label", "title") and isinstance(v, dict)]
            return found + [x for v in node.values() for x in labels(v)]
        if isinstance(node, list):
            return [x for v in node for x in labels(v)]
        return []

    for schema in sorted((PACKAGE / "schemas").glob("*.yaml")):
        for label in labels(yaml.safe_load(schema.read_text("utf-8"))):
            assert label.get("id") and label.get("en"), (schema.name, label)


# The most visible CKAN core / ckanext-harvest messages our catalog translates
# (core_messages.py): page -> (English, Indonesian) pairs that must appear in
# the language of the page and never in the other one.
VISIBLE_MESSAGES: dict[str, list[tuple[str, str]]] = {
    "home": [
        ("Log in", "Masuk"),
        # The footer (templates/footer.html): the Walidata's contact.
        ("Telephone", "Telepon"),
        ("Population dashboard", "Dasbor kependudukan"),
    ],
    "search": [
        ("Order by", "Urutkan menurut"),
        ("Name Ascending", "Nama (A\N{EN DASH}Z)"),
        ("Formats", "Format"),
        ("Licenses", "Lisensi"),
        ("1 dataset found", "1 kumpulan data ditemukan"),
        ("Log in", "Masuk"),
    ],
    "search_many": [("2 datasets found", "2 kumpulan data ditemukan")],
    "dataset": [
        ("Data and Resources", "Data dan Sumber Daya"),
        ("Activity Stream", "Riwayat Aktivitas"),
        ("Explore", "Jelajahi"),
        ("Log in", "Masuk"),
    ],
    "resource": [
        ("Data last updated", "Data terakhir diperbarui"),
        ("Dataset description:", "Deskripsi kumpulan data:"),
    ],
    "login": [
        ("Remember me", "Ingat saya"),
        ("Forgotten your password?", "Lupa kata sandi?"),
        ("Username or Email", "Nama pengguna atau surel"),
    ],
    # The dataset form (schemas/dataset.yaml, templates/scheming/form_snippets/).
    "dataset_form": [
        ("— choose —", "— pilih —"),
        ("Next", "Berikutnya"),
        ("Data classification", "Klasifikasi Data"),
        ("Anyone may see and download it", "Boleh dilihat dan diunduh siapa pun"),
        ("Example: ", "Contoh: "),
        ("Start from a data standard", "Mulai dari standar data"),
        ("Visibility", "Visibilitas"),
    ],
    "dataset_form_2": [
        ("Update schedule", "Jadwal Pemutakhiran"),
        ("Type a region name or code", "Ketik nama atau kode wilayah"),
        ("Villages of Tanah Grogot", "Desa/kelurahan di Tanah Grogot"),
        ("Example: ", "Contoh: "),
    ],
    "harvest": [
        ("Add Harvest Source", "Tambah sumber panen"),
        ("1 harvest found", "1 sumber panen ditemukan"),
        ("Search harvest sources...", "Cari sumber panen..."),
        # Facet titles and source type labels (templates/source/search.html).
        ("Update frequency", "Frekuensi pembaruan"),
        ("Source type", "Jenis sumber"),
    ],
    # The harvest source form (harvesters/form.py, templates/source/new_source_form.html).
    "harvest_form": [
        ("Source type", "Jenis sumber"),
        ("Levels published", "Tingkat yang ditayangkan"),
        ("Rows removed from the inventory", "Baris yang hilang dari daftar data"),
        ("Configuration as JSON (sysadmins)", "Konfigurasi sebagai JSON (sysadmin)"),
    ],
    "harvest_source": [("There is no description for this harvest source", "Belum ada")],
    # A job report: its states, counts and error summary.
    "harvest_job": [
        ("not modified", "tidak berubah"),
        ("added", "ditambahkan"),
        ("Error Summary", "Ringkasan galat"),
        ("Finished", "Selesai"),
        ("the inventory lists no datasets", "daftar data tidak"),
    ],
}


def visible_text(page: str) -> str:
    """The text a visitor reads (and placeholders, titles, labels), not
    markup: "dropdownExplorer" in an id is no English leftover."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    # (an optgroup's label is read too; data-module-label is no text)
    attributes = re.findall(r'(?:placeholder|title|aria-label|alt|(?<=\s)label)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(re.sub(r"\s+", " ", " ".join([text, *attributes])))


def spreadsheet_source(sysadmin: dict, opd: dict) -> dict:
    """Harvest source "sumber-uji" of the OPD (its admin page: /harvest/admin/sumber-uji)."""
    from ckan.tests.helpers import call_action

    return call_action(
        "harvest_source_create",
        context={"user": sysadmin["name"]},
        name="sumber-uji",
        title="Sumber uji",
        url="https://example.org/inventaris.xlsx",
        source_type="satudata_spreadsheet",
        owner_org=opd["id"],
    )


def finished_job_with_errors(source_id: str) -> str:
    """A finished job of the source with a gather error (stored as the
    harvesters store them, harvesters/messages.py) and a document error."""
    import datetime

    from ckan import model
    from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject

    from ckanext.satudata.harvesters import messages

    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    job = HarvestJob(source_id=source_id, status="Finished")
    job.gather_started = job.gather_finished = job.finished = now
    job.save()
    error = messages.message(messages.N_("the inventory lists no datasets; nothing was changed"))
    HarvestGatherError(message=messages.dumps(error), job=job).save()
    HarvestObject(
        guid="baris-1", job=job, source=job.source, state="ERROR", report_status="errored"
    ).save()
    model.Session.commit()
    return job.id


def harvest_template_msgids() -> set[str]:
    """The msgids of ckanext-harvest's templates (English on its pages)."""
    import ckanext.harvest

    folder = Path(str(ckanext.harvest.__file__)).parent / "templates"
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(folder), [("**.html", "ckan.lib.extract:extract_ckan")], options_map={"**.html": {}}
    ):
        for msgid in message if isinstance(message, tuple) else (message,):
            if msgid:
                found.add(msgid)
    return found


@pytest.fixture
def visible_pages(app: Any, sysadmin: dict, sdi_dataset: Any, opd: dict) -> Any:
    """A dataset with a resource and a harvest source; returns a function
    that fetches the key pages in a language ("" is the default, id)."""
    from ckan.tests.helpers import call_action

    context = {"user": sysadmin["name"]}
    dataset = call_action("package_create", context=context, **sdi_dataset())
    call_action(
        "package_create", context=context, **sdi_dataset(name="kedua", title="Dataset kedua")
    )
    resource = call_action(
        "resource_create",
        context=context,
        package_id=dataset["id"],
        name="Tautan data",
        format="CSV",
        url="https://example.org/data.csv",
    )
    source = spreadsheet_source(sysadmin, opd)
    job = finished_job_with_errors(source["id"])
    paths = {
        "home": "/",
        "search": f"/dataset/?q=name:{dataset['name']}",
        "search_many": "/dataset/",
        "dataset": f"/dataset/{dataset['name']}",
        "resource": f"/dataset/{dataset['name']}/resource/{resource['id']}",
        "login": "/user/login",
        "harvest": "/harvest",
        "harvest_form": "/harvest/edit/sumber-uji",
        "harvest_source": "/harvest/about/sumber-uji",
        "harvest_job": f"/harvest/sumber-uji/job/{job}",
        "dataset_form": "/dataset/new",
        "dataset_form_2": f"/dataset/edit/{dataset['name']}/2",
    }
    signed_in = ("dataset_form", "dataset_form_2")
    admin = {"Authorization": sysadmin["token"]}

    def fetch(prefix: str) -> dict[str, str]:
        return {
            page: visible_text(
                app.get(
                    prefix + path,
                    headers=admin if page.startswith("harvest") or page in signed_in else None,
                ).get_data(as_text=True)
            )
            for page, path in paths.items()
        }

    return fetch


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_key_pages_show_core_and_harvest_text_in_indonesian(visible_pages: Any) -> None:
    pages = visible_pages("")
    leftovers = [
        (page, english)
        for page, pairs in VISIBLE_MESSAGES.items()
        for english, _indonesian in pairs
        if english in pages[page]
    ]
    absent = [
        (page, indonesian)
        for page, pairs in VISIBLE_MESSAGES.items()
        for _english, indonesian in pairs
        if indonesian not in pages[page]
    ]
    assert not leftovers, f"English left on Indonesian pages: {leftovers}"
    assert not absent, f"Indonesian missing: {absent}"

    # No text of ckanext-harvest's templates left in English on the harvest
    # pages: each of its msgids that shows is one our catalog translates.
    translations = indonesian_catalog()
    untranslated = sorted(
        (page, msgid)
        for msgid in harvest_template_msgids()
        if not re.search(r"[{%]", msgid) and len(msgid) > 3
        for page in ("harvest", "harvest_form", "harvest_source", "harvest_job")
        if re.search(rf"(?<![\w-]){re.escape(msgid)}(?![\w-])", pages[page])
        and msgid not in (translations.get(msgid) or [""])[0]
    )
    assert not untranslated, f"ckanext-harvest text left in English: {untranslated}"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_dataset_form_has_no_untranslated_message(visible_pages: Any) -> None:
    """No English msgid of our catalog (a label, a help text, a choice) is
    left on the Indonesian dataset form."""
    pages = visible_pages("")
    english = [
        msgid
        for msgid, strings in indonesian_catalog().items()
        if " " in msgid and len(msgid) >= 10 and msgid not in strings
        and "{" not in msgid
    ]  # fmt: skip
    for page in ("dataset_form", "dataset_form_2"):
        left = [msgid for msgid in english if msgid in pages[page]]
        assert not left, (page, left)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_key_pages_stay_english_under_en(visible_pages: Any) -> None:
    pages = visible_pages("/en")
    absent = [
        (page, english)
        for page, pairs in VISIBLE_MESSAGES.items()
        for english, _indonesian in pairs
        if english not in pages[page]
    ]
    assert not absent, f"English missing on /en pages: {absent}"
    assert "Data dan Sumber Daya" not in pages["dataset"]
    assert "Urutkan menurut" not in pages["search"]


def test_indonesian_plural_rule_matches_ckan_core() -> None:
    """The merged catalog takes its plural rule from the last catalog loaded
    (ours): it must be CKAN's one-form rule, or core plurals with one
    Indonesian form ("{number} datasets found") fall back to English."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="id")
    assert catalog.num_plurals == 1


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestApiErrorLanguage:
    """CKAN picks the language of an API call from the URL prefix (/en/api/3/…,
    I18nMiddleware); without a prefix it is ckan.locale_default (id)."""

    def _create_with_bad_year(self, app: Any, prefix: str, sysadmin: dict, data: dict) -> dict:
        response = app.post(
            f"{prefix}/api/3/action/package_create",
            json={**data, "tahun_akhir": "kemarin"},
            headers={"Authorization": sysadmin["token"]},
            status=409,
        )
        return response.json["error"]

    def test_validation_error_in_indonesian_by_default_and_english_on_request(
        self, app: Any, sysadmin: dict, sdi_dataset: Any
    ) -> None:
        error = self._create_with_bad_year(app, "", sysadmin, sdi_dataset())
        assert error["tahun_akhir"] == ["Harus berupa tahun seperti 2024, bukan 'kemarin'"]

        error = self._create_with_bad_year(app, "/en", sysadmin, sdi_dataset())
        assert error["tahun_akhir"] == ["Must be a year such as 2024, not 'kemarin'"]

        error = self._create_with_bad_year(app, "/id", sysadmin, sdi_dataset())
        assert error["tahun_akhir"][0].startswith("Harus berupa tahun")


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("status", ["New", "Running"])
def test_source_admin_buttons_of_a_waiting_or_running_job_are_translated(
    app: Any, sysadmin: dict, opd: dict, status: str
) -> None:
    """ckanext-harvest writes these button texts as plain English."""
    from ckan import model
    from ckanext.harvest.model import HarvestJob

    source = spreadsheet_source(sysadmin, opd)
    HarvestJob(source_id=source["id"], status=status).save()
    model.Session.commit()
    admin = {"Authorization": sysadmin["token"]}

    page = app.get("/harvest/admin/sumber-uji", headers=admin).get_data(as_text=True)
    assert 'title="Sumber ini sudah punya pekerjaan panen yang belum selesai"' in page
    assert "Panen ulang" in page
    assert "Stop this Job" not in page and "unrun job" not in page
    assert ('title="Hentikan pekerjaan ini"' in page) == (status == "Running")

    english = app.get("/en/harvest/admin/sumber-uji", headers=admin).get_data(as_text=True)
    assert 'title="There already is an unrun job for this source"' in english
    assert ('title="Stop this job"' in english) == (status == "Running")
