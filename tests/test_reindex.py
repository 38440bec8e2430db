"""``ckan satudata index rebuild --processes N``: every dataset indexed again,
as ``ckan search-index rebuild`` does, shared out over child processes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ckan.lib import search
from ckan.tests.helpers import call_action
from solr_support import count_solr_writes

from ckanext.satudata.catalog import reindex

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _indexed_then_cleared(
    sysadmin: dict, sdi_dataset: Callable[..., dict], count: int
) -> tuple[list[dict], dict[str, str]]:
    """``count`` datasets made by package_create, the documents its index
    wrote, and the index emptied."""
    created = [
        call_action(
            "package_create", context={"user": sysadmin["name"]}, **sdi_dataset(name=f"data-{n}")
        )
        for n in range(count)
    ]
    written = {d["id"]: search.show(d["id"])["validated_data_dict"] for d in created}
    search.clear_all()
    return created, written


def test_rebuild_in_two_processes_indexes_every_dataset_as_ckan_does(
    sysadmin: dict, sdi_dataset: Callable[..., dict]
) -> None:
    created, before = _indexed_then_cleared(sysadmin, sdi_dataset, 3)
    assert call_action("package_search", q="*:*")["count"] == 0

    done = reindex.rebuild(2)

    assert (done.datasets, done.processes) == (3, 2)
    assert call_action("package_search", q="*:*")["count"] == 3
    # The same documents CKAN's own rebuild (package_create's index) wrote.
    assert {d["id"]: search.show(d["id"])["validated_data_dict"] for d in created} == before


def test_a_part_sends_its_documents_in_batches_and_keeps_what_ckan_wrote(
    sysadmin: dict,
    sdi_dataset: Callable[..., dict],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    created, before = _indexed_then_cleared(sysadmin, sdi_dataset, 5)
    monkeypatch.setattr(reindex, "BATCH_DOCUMENTS", 2)
    writes = count_solr_writes(monkeypatch)

    reindex.rebuild_part([d["id"] for d in created])

    # CKAN alone sends one request per dataset; the part sends 2 + 2 + 1,
    # the last when it ends, and leaves the commit to its parent.
    assert writes.requests == 3
    assert sorted(writes.indexed) == sorted(d["name"] for d in created)
    assert writes.commits == 0
    search.commit()
    assert {d["id"]: search.show(d["id"])["validated_data_dict"] for d in created} == before


def test_a_deletion_inside_the_batch_reaches_solr_after_the_kept_adds(
    sysadmin: dict, sdi_dataset: Callable[..., dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    context = {"user": sysadmin["name"]}
    kept = call_action("package_create", context=dict(context), **sdi_dataset(name="kept"))
    writes = count_solr_writes(monkeypatch)
    with reindex.batched_adds():
        search.rebuild(package_ids=[kept["id"]], defer_commit=True, quiet=True)
        assert writes.requests == 0  # kept, not sent yet
        search.index_for("Package").delete_package({"id": kept["id"]})
        assert writes.requests == 1  # the add went first
    search.commit()
    assert call_action("package_search", q="name:kept")["count"] == 0
