"""Our harvest queue consumers (ops/consumers.py), in-process on the suite's
Redis and database with the real Dukcapil harvester: duplicates dropped,
leases respected, infrastructure errors tried again then reported, and an
exit for the supervisor when Redis is gone."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
import redis
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.satudata import leases
from ckanext.satudata.ops import consumers, queues

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch_consumer(**policy: int) -> consumers.Consumer:
    return consumers.Consumer(
        queues.FETCH,
        consumers.RetryPolicy(policy.get("attempts", 3), policy.get("backoff", 0)),
        lease_seconds=10,
        poll_seconds=1,
    )


def _object_ids(result: Any) -> list[str]:
    return [o.id for o in HarvestObject.filter(harvest_job_id=result.job["id"]).all()]


def test_ckanext_harvests_consumer_processes_a_duplicate_message_again(harvested: Any) -> None:
    """The demo's symptom: a second message for an object already written
    (ckanext-harvest re-sends WAITING objects a consumer already took) is
    processed again, and reports "not modified" over "added"."""
    object_id = _object_ids(harvested)[0]
    _still_running(harvested)
    consumer = queue.get_fetch_consumer()
    body = json.dumps({"harvest_object_id": object_id})

    queue.fetch_callback(consumer, queue.FakeMethod(body), None, body)

    assert HarvestObject.get(object_id).report_status == "not modified"


def _still_running(result: Any) -> None:
    """The job as it is while its objects are processed (run_job finished it)."""
    job = HarvestJob.get(result.job["id"])
    job.status = "Running"
    job.save()


def test_ours_drops_it(harvested: Any, queues_emptied: redis.Redis) -> None:
    ids = _object_ids(harvested)
    _still_running(harvested)
    for object_id in ids:
        queues.send(queues_emptied, queues.FETCH, object_id)

    assert _fetch_consumer().run(max_messages=len(ids)) == 0

    assert [HarvestObject.get(i).report_status for i in ids] == ["added", "added"]
    assert [HarvestObject.get(i).retry_times for i in ids] == [0, 0]


def _gathered(sysadmin: dict, source: dict, queues_emptied: redis.Redis) -> list[str]:
    """A job gathered through our gather consumer; its objects' ids."""
    job = call_action(
        "harvest_job_create", context={"user": sysadmin["name"]}, source_id=source["id"], run=True
    )
    assert queues.waiting(queues_emptied, queues.GATHER) == {job["id"]}
    gather = consumers.Consumer(queues.GATHER, lease_seconds=10, poll_seconds=1)
    assert gather.run(max_messages=1) == 0
    ids = sorted(queues.waiting(queues_emptied, queues.FETCH))
    assert len(ids) == 2
    assert {o.id for o in HarvestJob.get(job["id"]).objects} == set(ids)
    return ids


def test_gather_then_fetch_through_the_queue(
    sysadmin: dict, dukcapil_source: dict, queues_emptied: redis.Redis
) -> None:
    ids = _gathered(sysadmin, dukcapil_source, queues_emptied)

    assert _fetch_consumer().run(max_messages=2) == 0

    assert sorted(HarvestObject.get(i).report_status for i in ids) == ["added", "added"]


def test_an_object_leased_by_another_consumer_is_left_to_it(
    sysadmin: dict, dukcapil_source: dict, queues_emptied: redis.Redis
) -> None:
    first, second = _gathered(sysadmin, dukcapil_source, queues_emptied)
    holder = leases.Lease(queues_emptied, queues.FETCH.lease_kind, first, 10)
    assert holder.acquire()
    try:
        assert _fetch_consumer().run(max_messages=2) == 0
    finally:
        holder.release()

    assert HarvestObject.get(first).state == "WAITING"
    assert HarvestObject.get(second).report_status == "added"


def test_infrastructure_error_tried_again_then_reported(
    sysadmin: dict,
    dukcapil_source: dict,
    queues_emptied: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = _gathered(sysadmin, dukcapil_source, queues_emptied)
    # Solr gone (nothing listens there) while the objects are imported.
    monkeypatch.setitem(tk.config, "solr_url", f"http://127.0.0.1:{_closed_port()}/solr/x")

    assert _fetch_consumer(attempts=2).run(max_messages=2) == 0
    monkeypatch.undo()

    for object_id in ids:
        harvest_object = HarvestObject.get(object_id)
        assert harvest_object.state == "ERROR"
        assert harvest_object.report_status == "errored"
        # One report per object (the first try's errors were dropped), with the reason.
        [error] = [e.message for e in harvest_object.errors]
        assert error.startswith("search index (Solr) unavailable: ")
        assert error.endswith("; gave up after 2 tries")


def test_exits_for_the_supervisor_when_redis_is_gone(with_plugins: None) -> None:
    consumer = _fetch_consumer()
    consumer.connection = redis.Redis(port=_closed_port(), socket_connect_timeout=1)

    assert consumer.run() == consumers.EXIT_SERVICE_LOST == 75
