"""The dataset page's schema.org JSON-LD (ckanext-dcat's structured_data
plugin) is ckanext-dcat's own text, serialised once per version of the
dataset (catalog/structured_data.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ckan.tests.helpers import call_action

from ckanext.satudata.catalog import structured_data

PLUGINS = (
    "activity satudata satudata_chart scheming_datasets scheming_organizations scheming_groups "
    "harvest dcat structured_data datastore datatables_view"
)


def test_the_same_dataset_is_serialised_once_and_a_change_again() -> None:
    structured_data.forget()
    calls: list[str] = []

    def serialise(dataset: dict[str, Any], profiles: Any) -> str:
        calls.append(dataset["title"])
        return json.dumps({"name": dataset["title"]})

    first = {"id": "a", "title": "Jumlah Penduduk", "metadata_modified": "2026-01-01T00:00:00"}
    assert structured_data.of_dataset(first, serialise, "id") == '{"name": "Jumlah Penduduk"}'
    assert structured_data.of_dataset(dict(first), serialise, "id") == '{"name": "Jumlah Penduduk"}'
    assert calls == ["Jumlah Penduduk"]
    changed = {**first, "title": "Jumlah Penduduk 2025"}
    assert (
        structured_data.of_dataset(changed, serialise, "id") == '{"name": "Jumlah Penduduk 2025"}'
    )
    structured_data.of_dataset(first, serialise, "en")  # another language: its own text
    assert calls == ["Jumlah Penduduk", "Jumlah Penduduk 2025", "Jumlah Penduduk"]


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_dataset_page_carries_ckanext_dcats_own_json_ld(
    app: Any, sysadmin: dict, sdi_dataset: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ckanext.dcat import helpers as dcat_helpers

    structured_data.forget()
    created = call_action("package_create", context={"user": sysadmin["name"]}, **sdi_dataset())
    shown = call_action("package_show", id=created["id"])
    serialised: list[str] = []
    original = dcat_helpers._get_serialization

    def counted(*args: Any, **kwargs: Any) -> str:
        serialised.append(args[0]["id"])
        return original(*args, **kwargs)

    monkeypatch.setattr(dcat_helpers, "_get_serialization", counted)
    pages = [app.get(f"/dataset/{created['name']}").get_data(as_text=True) for _ in range(2)]
    assert serialised == [created["id"]]  # the second view served the kept text
    blocks = []
    for page in pages:
        start = page.index('<script type="application/ld+json">') + len(
            '<script type="application/ld+json">'
        )
        blocks.append(json.loads(page[start : page.index("</script>", start)]))
    # The first view's text is ckanext-dcat's (counted above); the second the same.
    assert blocks[0] == blocks[1]
    assert shown["title"] in json.dumps(blocks[0])
