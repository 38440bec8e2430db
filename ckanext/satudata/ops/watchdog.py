"""The watchdog: takes up harvest work that a fault left behind, so that no
job stays ``Running`` without progress and no object stays unfinished.

It runs inside every ``harvest_jobs_run`` (``ckan harvester run``, run by the
scheduler every few minutes; logic/action/harvest.py), in place of
ckanext-harvest's own re-sending (compat.py turns that off: it re-sent
objects a consumer had already taken). Work is taken up when nothing is
doing it: not waiting in the queue and not leased by a consumer
(ops/leases.py). Per job:

- New, or Running but never gathered, and not in the gather queue (a Redis
  restart lost it, or Redis was down when the job was sent): sent again.
- Gather started, not finished, lease lapsed (its consumer died): the partial
  gather is dropped (as ckanext-harvest drops a failed one) and the job is
  gathered again, with a gather error saying so; after ``recovery.attempts``
  interruptions the job is closed with that report.
- Gathered: each unfinished object that is neither queued nor leased is sent
  again (WAITING ones after ``recovery.grace_seconds``, ones a consumer was
  fetching or importing once their lease lapsed); the consumer counts the
  deliveries and errors an object interrupted too often.
- Finished (aborted, timed out) with unfinished objects: those are errored.

A Redis restart forgets leases and queues; until Redis has been up longer
than a lease a missing lease proves nothing, so only WAITING objects and
unsent jobs are taken up then.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

import redis
from ckan import model
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestJob,
    HarvestObject,
    HarvestObjectError,
    HarvestObjectExtra,
)

from ckanext.satudata import config, leases
from ckanext.satudata.ops import consumers, queues

log = logging.getLogger(__name__)

INTERRUPTED_GATHER = "gather interrupted"


@dataclass
class Findings:
    """What the watchdog did, one line each (also logged)."""

    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        log.warning("watchdog: %s", line)
        self.lines.append(line)


@dataclass(frozen=True)
class _View:
    """What the queue's Redis says at the start of a round."""

    connection: redis.Redis
    waiting_jobs: set[str]
    waiting_objects: set[str]
    trust_leases: bool

    def leased(self, stage: queues.Stage, ident: str) -> bool:
        return leases.held(self.connection, stage.lease_kind, ident)


def recover_harvests(source_id: str | None = None) -> list[str]:
    """One round over the jobs of ``source_id`` (default: every source)."""
    findings = Findings()
    if not queues.uses_redis():
        return findings.lines
    connection = queues.connect()
    lease_seconds = config.recovery_lease_seconds()
    view = _View(
        connection,
        queues.waiting(connection, queues.GATHER),
        queues.waiting(connection, queues.FETCH),
        leases.redis_uptime(connection) > lease_seconds,
    )
    now = datetime.datetime.utcnow()
    grace = datetime.timedelta(seconds=config.recovery_grace_seconds())
    lease = datetime.timedelta(seconds=lease_seconds)
    jobs = model.Session.query(HarvestJob).filter(HarvestJob.status.in_(("New", "Running")))
    if source_id:
        jobs = jobs.filter(HarvestJob.source_id == source_id)
    for job in jobs.order_by(HarvestJob.created).all():
        if job.gather_started is None:
            _unsent_job(view, job, now - grace, findings)
        elif job.gather_finished is None:
            _interrupted_gather(view, job, now - lease, findings)
        else:
            _unfinished_objects(view, job, now - grace, now - lease, findings)
    _objects_of_finished_jobs(source_id, findings)
    return findings.lines


def _unsent_job(
    view: _View, job: HarvestJob, older_than: datetime.datetime, findings: Findings
) -> None:
    if job.created > older_than or job.id in view.waiting_jobs:
        return
    if view.leased(queues.GATHER, job.id):
        return
    job.status = "Running"
    job.save()
    queues.send(view.connection, queues.GATHER, job.id)
    findings.add(f"job {job.id} was never gathered and is not queued: sent to the gather queue")


def _interrupted_gather(
    view: _View, job: HarvestJob, started_before: datetime.datetime, findings: Findings
) -> None:
    assert job.gather_started is not None
    if not view.trust_leases or job.gather_started > started_before:
        return
    if job.id in view.waiting_jobs or view.leased(queues.GATHER, job.id):
        return
    interruptions = (
        model.Session.query(HarvestGatherError)
        .filter(HarvestGatherError.harvest_job_id == job.id)
        .filter(HarvestGatherError.message.startswith(INTERRUPTED_GATHER))
        .count()
        + 1
    )
    attempts = config.recovery_attempts()
    # The partial gather published nothing (its objects are queued only once
    # it finishes): drop it, as queue.gather_stage drops a failed one.
    _drop_objects(job)
    if interruptions >= attempts:
        message = (
            f"{INTERRUPTED_GATHER} {interruptions} times (its consumer stopped); "
            "given up, nothing was changed; the next run harvests again"
        )
        HarvestGatherError(message=message, job=job).save()
        job.gather_finished = datetime.datetime.utcnow()
        job.save()
        findings.add(f"job {job.id}: {message}")
        return
    message = (
        f"{INTERRUPTED_GATHER} (its consumer stopped); gathered again "
        f"(try {interruptions + 1} of {attempts})"
    )
    HarvestGatherError(message=message, job=job).save()
    job.gather_started = None
    job.save()
    queues.send(view.connection, queues.GATHER, job.id)
    findings.add(f"job {job.id}: {message}")


def _drop_objects(job: HarvestJob) -> None:
    ids = model.Session.query(HarvestObject.id).filter(HarvestObject.harvest_job_id == job.id)
    for table in (HarvestObjectExtra, HarvestObjectError):
        model.Session.query(table).filter(
            table.harvest_object_id.in_(ids.scalar_subquery())
        ).delete(synchronize_session=False)
    model.Session.query(HarvestObject).filter(HarvestObject.harvest_job_id == job.id).delete(
        synchronize_session=False
    )
    model.Session.expire(job)


def _unfinished_objects(
    view: _View,
    job: HarvestJob,
    waiting_before: datetime.datetime,
    started_before: datetime.datetime,
    findings: Findings,
) -> None:
    unfinished = (
        model.Session.query(HarvestObject)
        .filter(HarvestObject.harvest_job_id == job.id)
        .filter(HarvestObject.state.notin_(consumers.FINAL_STATES))
        .all()
    )
    sent = 0
    for harvest_object in unfinished:
        if harvest_object.id in view.waiting_objects:
            continue
        if harvest_object.state == "WAITING":
            if harvest_object.gathered > waiting_before:
                continue
        else:
            started = (
                harvest_object.import_started
                if harvest_object.state == "IMPORT"
                else harvest_object.fetch_started
            )
            if not view.trust_leases or (started is not None and started > started_before):
                continue
        if view.leased(queues.FETCH, harvest_object.id):
            continue
        queues.send(view.connection, queues.FETCH, harvest_object.id)
        sent += 1
    if sent:
        findings.add(
            f"job {job.id}: {sent} unfinished object(s) were neither queued nor being "
            "processed: sent to the fetch queue again"
        )


def _objects_of_finished_jobs(source_id: str | None, findings: Findings) -> None:
    query = (
        model.Session.query(HarvestObject.id)
        .join(HarvestJob, HarvestJob.id == HarvestObject.harvest_job_id)
        .filter(HarvestJob.status == "Finished")
        .filter(HarvestObject.state.notin_(consumers.FINAL_STATES))
    )
    if source_id:
        query = query.filter(HarvestJob.source_id == source_id)
    ids = [row[0] for row in query.all()]
    for object_id in ids:
        consumers.fail_object(
            object_id, "the job was finished (aborted or timed out) before this object was done"
        )
    if ids:
        findings.add(f"{len(ids)} unfinished object(s) of finished jobs errored")
