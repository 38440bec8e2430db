"""Validations and DataStore loads a fault left owed: queued again, or, after
``recovery.attempts`` tries, recorded as failed with the reason; so no
resource stays "pending" and no passed file silently misses its DataStore
table. Run by the watchdog (``ckan satudata watchdog``, the scheduler).

Owed work is taken up once it is older than ``recovery.grace_seconds`` and
nothing is doing it: its job is not waiting in the queue (rq) and no job
holds its lease (jobs.py takes one while it runs). A Redis restart forgets
both, so nothing is taken up until Redis has been up longer than a lease.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from ckan.lib import jobs as ckan_jobs
from ckan.lib.redis import connect_to_redis

from ckanext.satudata import config, leases
from ckanext.satudata.model import validation_report
from ckanext.satudata.validation import jobs

log = logging.getLogger(__name__)

# rq job statuses of a job that will still run by itself.
WILL_RUN = frozenset({"deferred", "scheduled"})


def _will_run(job_id: str | None, waiting: set[str]) -> bool:
    """Whether the job is waiting in its queue (or deferred, scheduled). A
    job a killed worker had taken stays "queued" in rq's work-in-progress
    list until rq's own clean-up, minutes later: not waiting."""
    if not job_id:
        return False
    if job_id in waiting:
        return True
    try:
        status = ckan_jobs.job_from_id(job_id).get_status()
    except KeyError:  # gone: finished long ago, or lost with a Redis restart
        return False
    return str(getattr(status, "value", status)) in WILL_RUN


def _queued_at(entry: dict[str, Any], fallback: datetime.datetime) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(str(entry["at"]))
    except (KeyError, ValueError):
        return fallback


def recover() -> list[str]:
    """One round; returns what was done, one line each."""
    connection = connect_to_redis()
    lease_seconds = config.recovery_lease_seconds()
    if leases.redis_uptime(connection) <= lease_seconds:
        return []  # a fresh Redis has forgotten every lease: wait a round
    now = datetime.datetime.utcnow()
    due = now - datetime.timedelta(seconds=config.recovery_grace_seconds())
    attempts = config.recovery_attempts()
    waiting = set(ckan_jobs.get_queue(config.validation_queue()).job_ids)
    lines: list[str] = []
    for record in validation_report.pending(created_before=due):
        entry = (record.report or {}).get("job") or {}
        if _queued_at(entry, record.created) > due or _will_run(entry.get("id"), waiting):
            continue
        if leases.held(connection, jobs.VALIDATION_LEASE, record.resource_id):
            continue
        attempt = int(entry.get("attempt", 1))
        if attempt >= attempts:
            jobs.record_not_run(
                record.resource_id,
                f"its job was lost {attempt} times (the jobs worker stopped or Redis restarted)",
                attempts=attempt,
            )
            lines.append(f"validation of resource {record.resource_id}: given up after {attempt}")
        else:
            jobs.enqueue_validation(record.resource_id, attempt + 1)
            lines.append(f"validation of resource {record.resource_id}: queued again")
    for record in validation_report.with_load("queued"):
        entry = record.report["datastore"]
        if _queued_at(entry, record.created) > due or _will_run(entry.get("job_id"), waiting):
            continue
        if leases.held(connection, jobs.LOAD_LEASE, record.resource_id):
            continue
        attempt = int(entry.get("attempt", 1))
        if attempt >= attempts or not entry.get("table_schema"):
            jobs.set_load_state(
                record.resource_id,
                "failed",
                error=f"its job was lost {attempt} times (the jobs worker stopped or "
                "Redis restarted); run satudata_validation_run to load it again",
            )
            lines.append(f"DataStore load of resource {record.resource_id}: given up")
        else:
            jobs.enqueue_load(record.resource_id, entry["table_schema"], attempt + 1)
            lines.append(f"DataStore load of resource {record.resource_id}: queued again")
    for line in lines:
        log.warning("watchdog: %s", line)
    return lines
