"""The watchdog (ops/watchdog.py, run inside harvest_jobs_run) on what killed
consumers and a restarted Redis leave behind, set up on the suite's stack:
work neither queued nor leased is sent again, work in progress is left to
its consumer, a finished job's leftovers are errored, an interrupted gather
is gathered again and closed after too many interruptions; and compat.py's
shim that keeps ckanext-harvest from re-sending objects a consumer holds."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import redis
from ckan import model
from ckan.tests.helpers import call_action
from ckanext.harvest import queue
from ckanext.harvest.logic.action import update
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject

from ckanext.satudata import leases
from ckanext.satudata.ops import queues, watchdog

LONG_AGO = datetime.datetime.utcnow() - datetime.timedelta(hours=1)
pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    pytest.mark.ckan_config("ckanext.satudata.recovery.grace_seconds", "60"),
    pytest.mark.ckan_config("ckanext.satudata.recovery.lease_seconds", "3"),
    pytest.mark.ckan_config("ckanext.satudata.recovery.attempts", "2"),
]


def _job(sysadmin: dict, source: dict, **state: Any) -> HarvestJob:
    created = call_action(
        "harvest_job_create", context={"user": sysadmin["name"]}, source_id=source["id"], run=False
    )
    job = HarvestJob.get(created["id"])
    for key, value in {"status": "Running", "created": LONG_AGO, **state}.items():
        setattr(job, key, value)
    job.save()
    return job


def _object(job: HarvestJob, guid: str, **state: Any) -> HarvestObject:
    harvest_object = HarvestObject(
        guid=guid, job=job, content="{}", **{"gathered": LONG_AGO, **state}
    )
    harvest_object.save()
    return harvest_object


def test_lost_and_interrupted_objects_are_sent_again(
    sysadmin: dict, dukcapil_source: dict, queues_emptied: redis.Redis
) -> None:
    job = _job(sysadmin, dukcapil_source, gather_started=LONG_AGO, gather_finished=LONG_AGO)
    lost = _object(job, "lost", state="WAITING")
    queued = _object(job, "queued", state="WAITING")
    just_gathered = _object(
        job, "just-gathered", state="WAITING", gathered=datetime.datetime.utcnow()
    )
    interrupted = _object(job, "interrupted", state="IMPORT", import_started=LONG_AGO)
    in_progress = _object(job, "in-progress", state="FETCH", fetch_started=LONG_AGO)
    done = _object(job, "done", state="COMPLETE")
    queues.send(queues_emptied, queues.FETCH, queued.id)
    holder = leases.Lease(queues_emptied, queues.FETCH.lease_kind, in_progress.id, 30)
    assert holder.acquire()
    try:
        findings = watchdog.recover_harvests()
    finally:
        holder.release()

    waiting = queues_emptied.lrange(queues.FETCH.routing_key(), 0, -1)
    assert sorted(waiting) == sorted(
        f'{{"harvest_object_id": "{i}"}}' for i in (queued.id, lost.id, interrupted.id)
    )
    assert findings == [
        f"job {job.id}: 2 unfinished object(s) were neither queued nor being processed: "
        "sent to the fetch queue again"
    ]
    assert HarvestObject.get(just_gathered.id).state == "WAITING"
    assert HarvestObject.get(done.id).state == "COMPLETE"


def test_unsent_jobs_are_sent(
    sysadmin: dict, dukcapil_source: dict, queues_emptied: redis.Redis
) -> None:
    job = _job(sysadmin, dukcapil_source, status="New")

    watchdog.recover_harvests()

    assert queues.waiting(queues_emptied, queues.GATHER) == {job.id}
    assert HarvestJob.get(job.id).status == "Running"


def test_an_interrupted_gather_is_gathered_again_then_closed(
    sysadmin: dict, dukcapil_source: dict, queues_emptied: redis.Redis
) -> None:
    job = _job(sysadmin, dukcapil_source, gather_started=LONG_AGO)
    _object(job, "partial", state="WAITING")

    watchdog.recover_harvests()

    job = HarvestJob.get(job.id)
    assert job.gather_started is None and not job.objects
    assert queues.waiting(queues_emptied, queues.GATHER) == {job.id}
    [first] = [e.message for e in job.gather_errors]
    assert first == "gather interrupted (its consumer stopped); gathered again (try 2 of 2)"

    queues_emptied.delete(queues.GATHER.routing_key())
    job.gather_started = LONG_AGO
    job.save()
    watchdog.recover_harvests()  # interrupted again: attempts spent

    job = HarvestJob.get(job.id)
    assert job.gather_finished is not None
    messages = sorted(
        e.message for e in model.Session.query(HarvestGatherError).filter_by(harvest_job_id=job.id)
    )
    assert len(messages) == 2
    assert messages[1].startswith("gather interrupted 2 times (its consumer stopped); given up")
    call_action("harvest_jobs_run", context={"ignore_auth": True}, source_id=dukcapil_source["id"])
    assert HarvestJob.get(job.id).status == "Finished"


def test_leftovers_of_a_finished_job_are_errored(
    sysadmin: dict, dukcapil_source: dict, queues_emptied: redis.Redis
) -> None:
    job = _job(sysadmin, dukcapil_source, gather_started=LONG_AGO, gather_finished=LONG_AGO)
    leftover = _object(job, "leftover", state="WAITING")
    job.status = "Finished"
    job.save()

    watchdog.recover_harvests()

    harvest_object = HarvestObject.get(leftover.id)
    assert (harvest_object.state, harvest_object.report_status) == ("ERROR", "errored")
    assert [e.message for e in harvest_object.errors] == [
        "the job was finished (aborted or timed out) before this object was done"
    ]


def test_ckanext_harvest_re_sends_an_object_a_consumer_holds_without_the_shim(
    sysadmin: dict, dukcapil_source: dict, queues_emptied: redis.Redis
) -> None:
    job = _job(sysadmin, dukcapil_source, gather_started=LONG_AGO, gather_finished=LONG_AGO)
    taken = _object(job, "taken", state="WAITING")
    # A consumer popped it from the queue and leased it; its state is still WAITING.
    holder = leases.Lease(queues_emptied, queues.FETCH.lease_kind, taken.id, 30)
    assert holder.acquire()
    try:
        queue.resubmit_objects()  # ckanext-harvest's own
        assert queues.waiting(queues_emptied, queues.FETCH) == {taken.id}  # a duplicate

        queues_emptied.delete(queues.FETCH.routing_key())
        call_action("harvest_jobs_run", context={"ignore_auth": True})  # with the shim
        assert queues.waiting(queues_emptied, queues.FETCH) == set()
    finally:
        holder.release()
    assert update.resubmit_objects is not queue.resubmit_objects
