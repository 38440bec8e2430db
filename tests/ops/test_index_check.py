"""`ckan satudata index check [--repair]` on the suite's stack: what an outage
leaves behind between PostgreSQL and Solr (a dataset never indexed, one
indexed in a version the database did not keep, one gone from the database
but still in the index), found and repaired."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import search
from ckan.tests.helpers import call_action

from ckanext.satudata.catalog import index_check

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def three(sysadmin: dict, sdi_dataset: Any) -> list[str]:
    return [
        call_action(
            "package_create",
            context={"user": sysadmin["name"]},
            **sdi_dataset(name=f"penduduk-{n}"),
        )["id"]
        for n in ("satu", "dua", "tiga")
    ]


def test_agreeing_index(three: list[str]) -> None:
    found = index_check.check()
    assert found.agrees and found.checked == 3


def test_differences_found_and_repaired(cli: Any, three: list[str]) -> None:
    missing, stale, purged = three
    search.index_for(model.Package).delete_package({"id": missing})  # committed while Solr was down
    package = model.Package.get(stale)
    package.metadata_modified = datetime.datetime.utcnow() + datetime.timedelta(minutes=5)
    model.Session.commit()  # written, its new version never indexed
    model.Package.get(purged).purge()
    model.repo.commit_and_remove()  # gone from the database behind the index's back
    search.commit()

    result = cli.invoke(ckan_cli, ["satudata", "index", "check"])
    assert result.exit_code == 1
    assert "3 dataset(s) checked" not in result.output  # two left in the database
    assert f"missing: {missing}" in result.output
    assert f"stale: {stale}" in result.output
    assert f"extra: {purged}" in result.output

    result = cli.invoke(ckan_cli, ["satudata", "index", "check", "--repair"])
    assert result.exit_code == 0, result.output
    assert "after repair: 2 dataset(s) checked: 0 missing from the index, 0 stale" in result.output
    assert index_check.check().agrees
