"""A Dukcapil source on the suite's stack, harvested in-process, and its
queues emptied around each test."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from harvest_support import JobResult, forget_harvest_user, run_job

from ckanext.satudata.demo.dukcapil_feed import FeedServer


@pytest.fixture(scope="module")
def feed() -> Iterator[FeedServer]:
    server = FeedServer(port=0).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def queues_emptied(with_plugins: None) -> Iterator[Any]:
    from ckanext.satudata.ops import queues

    connection = queues.connect()

    def empty() -> None:
        for stage in (queues.GATHER, queues.FETCH):
            connection.delete(stage.routing_key())
        for key in connection.scan_iter("satudata:*:lease:*"):
            connection.delete(key)

    empty()
    yield connection
    empty()


@pytest.fixture
def dukcapil_source(  # the test module uses with_plugins, clean_db, clean_index
    sysadmin: dict, make_opd: Callable[..., dict],
    feed: FeedServer, queues_emptied: Any,
) -> dict:  # fmt: skip
    from ckan.tests.helpers import call_action

    forget_harvest_user()
    org = make_opd("disdukcapil-paser", "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Paser")
    config = {
        "organization": org["name"],
        "semester": "2024-S2",
        "levels": ["kecamatan"],
        "families": ["jenis_kelamin", "agama"],
        "allow_private_addresses": True,
    }
    return call_action(
        "harvest_source_create",
        context={"user": sysadmin["name"]},
        name="dukcapil-paser",
        title="Dukcapil DKB Kabupaten Paser",
        url=feed.service_url("2024-S2"),
        source_type="satudata_dukcapil",
        owner_org=org["id"],
        config=json.dumps(config),
    )


@pytest.fixture
def harvested(sysadmin: dict, dukcapil_source: dict) -> JobResult:
    """The source harvested once (two objects, both "added")."""
    result = run_job(sysadmin["name"], dukcapil_source["id"], "satudata_dukcapil")
    assert result.statuses() == ["added", "added"], result.object_errors
    return result
