"""Indonesian first: every message of our code and templates has an
Indonesian translation, the compiled catalogs ship with the package, and the
API answers validation errors in the language asked for."""

from __future__ import annotations

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
    from ckanext.satudata import vocabularies

    for name in vocabularies.names():
        for term in vocabularies.terms(name):
            for child in (term, *term.children):
                assert child.labels.get("id") and child.labels.get("en"), (name, child.value)

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
