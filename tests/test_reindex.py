"""``ckan satudata index rebuild --processes N``: every dataset indexed again,
as ``ckan search-index rebuild`` does, shared out over child processes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ckan.lib import search
from ckan.tests.helpers import call_action

from ckanext.satudata.catalog import reindex

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_rebuild_in_two_processes_indexes_every_dataset_as_ckan_does(
    sysadmin: dict, sdi_dataset: Callable[..., dict]
) -> None:
    context = {"user": sysadmin["name"]}
    created = [
        call_action("package_create", context=dict(context), **sdi_dataset(name=f"data-{n}"))
        for n in range(3)
    ]
    before = {d["id"]: search.show(d["id"])["validated_data_dict"] for d in created}
    search.clear_all()
    assert call_action("package_search", q="*:*")["count"] == 0

    done = reindex.rebuild(2)

    assert (done.datasets, done.processes) == (3, 2)
    assert call_action("package_search", q="*:*")["count"] == 3
    # The same documents CKAN's own rebuild (package_create's index) wrote.
    assert {d["id"]: search.show(d["id"])["validated_data_dict"] for d in created} == before
