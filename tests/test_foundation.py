"""The stack itself: plugin loading, Solr search round-trip, API status."""

from __future__ import annotations

import pytest
import requests
from ckan.lib.search.common import make_connection
from ckan.plugins import plugin_loaded
from ckan.tests.helpers import call_action

REQUIRED_EXTENSIONS = {"satudata", "scheming_datasets", "harvest", "dcat"}


@pytest.mark.usefixtures("with_plugins")
def test_plugins_load() -> None:
    for name in REQUIRED_EXTENSIONS | {"scheming_organizations", "scheming_groups", "datastore"}:
        assert plugin_loaded(name), name


@pytest.mark.usefixtures("with_plugins")
def test_status_show_lists_extensions(app) -> None:
    result = app.get("/api/3/action/status_show").json["result"]
    assert set(result["extensions"]) >= REQUIRED_EXTENSIONS
    assert result["ckan_version"].startswith("2.12")


def test_search_backend_is_real_solr_9(ckan_config) -> None:
    assert "/solr/ckan_test" in ckan_config["solr_url"]
    node_url = ckan_config["solr_url"].rsplit("/", 1)[0]
    info = requests.get(f"{node_url}/admin/info/system", params={"wt": "json"}, timeout=10).json()
    assert info["lucene"]["solr-spec-version"].startswith("9.")


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_dataset_create_then_found_with_facets(sysadmin, opd, sdi_dataset) -> None:
    created = call_action(
        "package_create",
        context={"user": sysadmin["name"]},
        **sdi_dataset(
            name="jumlah-penduduk-paser-2024",
            title="Jumlah Penduduk Kabupaten Paser 2024",
            tags=[{"name": "kependudukan"}, {"name": "penduduk"}],
        ),
    )

    result = call_action(
        "package_search",
        q="penduduk paser",
        **{"facet.field": '["organization", "tags"]'},
    )

    assert [d["id"] for d in result["results"]] == [created["id"]]
    facets = result["search_facets"]
    assert facets["organization"]["items"] == [
        {"name": "diskominfo-paser", "display_name": opd["title"], "count": 1}
    ]
    assert {item["name"] for item in facets["tags"]["items"]} == {"kependudukan", "penduduk"}

    # The document really sits in Solr, not only in PostgreSQL.
    docs = make_connection().search(q=f'id:"{created["id"]}"', fl="name,organization")
    assert [dict(d) for d in docs] == [
        {"name": created["name"], "organization": "diskominfo-paser"}
    ]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_search_index_rebuild_restores_the_index(cli, sysadmin, sdi_dataset) -> None:
    from ckan.cli.cli import ckan as ckan_cli
    from ckan.lib.search import clear_all

    created = call_action("package_create", context={"user": sysadmin["name"]}, **sdi_dataset())
    clear_all()
    assert call_action("package_search", q="*:*")["count"] == 0

    result = cli.invoke(ckan_cli, ["search-index", "rebuild"])

    assert result.exit_code == 0, result.output
    found = call_action("package_search", fq='theme:"pemerintahan-umum"')
    assert [d["id"] for d in found["results"]] == [created["id"]]
