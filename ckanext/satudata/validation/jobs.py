"""Background work of validation (``ckan satudata jobs worker``): validating a stored
resource again, and loading a file that passed into the DataStore. Also what
follows every validation, in any path: ``after_validation`` stores the report
and queues the load of a file that passed (a harvester's write loads it
itself: ``loads_in_this_process``).

Neither can be left hanging by a fault (validation/recovery.py takes up what
was lost): queueing never fails a save (Redis down: the work is recorded as
owed, unqueued); a job holds a lease (leases.py) while it runs, so a killed
worker's job is known to be lost; a job that meets an infrastructure error
(faults.py) leaves its work owed, and any other error is recorded (the
report's status, or the load's ``failed``). The queued validation and the
load's state are entries of the report's document (``job``, ``datastore``),
shown by satudata_validation_show.
"""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import redis
import redis.exceptions
from ckan import model
from ckan.lib import uploader
from ckan.lib.redis import connect_to_redis
from ckan.plugins import toolkit as tk

from ckanext.satudata import config, contexts, faults, leases
from ckanext.satudata.model import validation_report
from ckanext.satudata.validation import datastore, engine, reports, service
from ckanext.satudata.validation.reader import FileRejected

log = logging.getLogger(__name__)

LOAD_TIMEOUT_SECONDS = 1800
# leases.key kinds of a running validation and a running DataStore load.
VALIDATION_LEASE = "validation"
LOAD_LEASE = "datastore-load"


def _now() -> str:
    return datetime.datetime.utcnow().isoformat()


def _enqueue(
    fn: Callable[..., Any], args: list[Any], title: str, rq_kwargs: dict[str, Any] | None = None
) -> str | None:
    """Queue a job; its id, or None when Redis is unreachable (the caller
    records the work as owed and the watchdog queues it later)."""
    try:
        job = tk.enqueue_job(
            fn, args, title=title, queue=config.validation_queue(), rq_kwargs=rq_kwargs
        )
    except redis.exceptions.RedisError as err:
        log.warning("could not queue %r (%s); the watchdog will", title, err)
        return None
    return str(job.id)


@contextmanager
def _leased(kind: str, resource_id: str) -> Iterator[bool]:
    with leases.hold(
        connect_to_redis(), kind, resource_id, config.recovery_lease_seconds()
    ) as mine:
        yield mine


def after_validation(
    resource: dict[str, Any], result: engine.ValidationResult, source: str
) -> None:
    """Store the report of ``resource`` (with its id and package_id); a file
    that passed reaches the DataStore, typed by the Table Schema it passed
    against (its data standard's, or the inferred one). Nothing else loads
    data, so a failed or refused file never reaches the DataStore."""
    reports.save_result(resource, result, source)
    if result.status == engine.SUCCESS and result.checked_as == "table" and result.table_schema:
        owed = _loads_here.get()
        if owed is None:
            enqueue_load(resource["id"], result.table_schema)
        else:
            # Recorded as owed first (no job): a process killed before the
            # load is done leaves it to the watchdog, as a lost job would.
            set_load_state(
                resource["id"], "queued", job_id=None, attempt=1, table_schema=result.table_schema
            )
            owed.append((resource["id"], result.table_schema))


def queue_validation(resource: dict[str, Any], source: str, standard: str | None) -> None:
    """Record a pending report and validate the stored resource in the background."""
    reports.save_pending(resource["id"], resource["package_id"], source, standard)
    enqueue_validation(resource["id"])


# Validation --------------------------------------------------------------------


def enqueue_validation(resource_id: str, attempt: int = 1) -> None:
    job_id = _enqueue(validation_job, [resource_id], f"satudata validation {resource_id}")
    validation_report.set_entry(
        resource_id, "job", {"id": job_id, "attempt": attempt, "at": _now()}
    )


def validation_job(resource_id: str) -> None:
    """Job: validate a stored resource; never raises for a bad file."""
    with _leased(VALIDATION_LEASE, resource_id) as mine:
        if not mine:
            log.info("resource %s is being validated by another job", resource_id)
            return
        try:
            run_now(resource_id)
        except Exception as err:
            faults.discard_session()
            fault = faults.classify(err)
            if fault is not None:
                log.warning(
                    "validation of resource %s: %s; left pending for the watchdog",
                    resource_id,
                    fault.report(),
                )
                return
            log.exception("validation job for resource %s failed", resource_id)
            record_not_run(resource_id, f"{type(err).__name__}: {err}")


def record_not_run(resource_id: str, detail: str, attempts: int = 1) -> None:
    """The report of a validation that could not run (an error, or its job
    lost ``attempts`` times): status "error" with the reason, never "pending"."""
    record = validation_report.get(resource_id)
    if record is None:
        return
    resource = model.Resource.get(resource_id)
    fmt = (resource.format or "").lower() if resource is not None else ""
    error = FileRejected("not-run", detail=detail, attempts=attempts)
    result = engine.rejected(fmt, record.data_standard, error)
    reports.save_result({"id": resource_id, "package_id": record.package_id}, result, record.source)


def run_now(resource_id: str) -> dict[str, Any]:
    """Inspect the stored file (or URL) of a resource through the gate and
    store the report. A stored upload found to hold personal data is deleted
    from storage."""
    resource = tk.get_action("resource_show")(contexts.site(), {"id": resource_id})
    standard = service.data_standard(resource)
    declared = service.declared_format(resource)
    if resource.get("url_type") == "upload":
        path = stored_path(resource)
        if path is None or not os.path.exists(path):
            result = engine.rejected(
                declared, standard, FileRejected("fetch", reason="no stored file")
            )
        else:
            result = service.inspect_path(path, declared, standard)
            if result.personal_data:
                _remove_stored(path)
        source = "upload"
    elif service.is_url_resource(resource):
        result = service.inspect_url(str(resource["url"]).strip(), declared, standard)
        source = "url"
    else:
        raise tk.ValidationError({"resource_id": [tk._("Resource has no file or URL to validate")]})
    after_validation(resource, result, source)
    return result.as_dict()


def stored_path(resource: dict[str, Any]) -> str | None:
    upload = uploader.get_resource_uploader(resource)
    get_path = getattr(upload, "get_path", None)
    return get_path(resource["id"]) if get_path else None


def _remove_stored(path: str) -> None:
    # Personal data must not stay published; the walidata re-uploads a clean file.
    try:
        os.remove(path)
    except OSError:
        log.exception("could not remove %s", path)


# DataStore ---------------------------------------------------------------------

# The loads after_validation owes inside ``loads_in_this_process``.
_loads_here: ContextVar[list[tuple[str, dict[str, Any]]] | None] = ContextVar(
    "satudata_loads_in_this_process", default=None
)


@contextmanager
def loads_in_this_process() -> Iterator[None]:
    """Within: a file that passed is loaded by this process when the block
    ends, not queued for the jobs worker. For a background process's write
    only (a harvester's import), never a web request: the load takes as long
    as the file is big. Used inside the write's ``writes.unit``, the load is
    part of the write: the dataset is scored and indexed once, after it.
    As load_job does it, with its lease and its recorded outcome, but a
    failed load leaves the writer's session in place; when the block
    fails, the owed loads are queued as usual."""
    owed: list[tuple[str, dict[str, Any]]] = []
    token = _loads_here.set(owed)
    try:
        yield
    except BaseException:
        _loads_here.reset(token)
        for resource_id, table_schema in owed:
            try:
                enqueue_load(resource_id, table_schema)
            except Exception:  # never hides the write's own error; still owed
                log.exception("DataStore load of %s left for the watchdog", resource_id)
        raise
    _loads_here.reset(token)
    for resource_id, table_schema in owed:
        try:
            _load_leased(resource_id, table_schema, _roll_back)
        except Exception:
            # Its lease could not be taken (Redis down): the write stands, the
            # load stays owed (queued, no job) for the watchdog, as when
            # queueing it fails.
            log.exception("DataStore load of %s left for the watchdog", resource_id)


def enqueue_load(resource_id: str, table_schema: dict[str, Any], attempt: int = 1) -> None:
    """Queue the load of a validated resource (call only after validation passed)."""
    job_id = _enqueue(
        load_job,
        [resource_id, table_schema],
        f"DataStore load {resource_id}",
        rq_kwargs={"timeout": LOAD_TIMEOUT_SECONDS},
    )
    set_load_state(
        resource_id,
        "queued",
        job_id=job_id,
        attempt=attempt,
        table_schema=table_schema,
    )


def set_load_state(resource_id: str, status: str, **details: Any) -> None:
    """The report's ``datastore`` entry: queued, loaded (rows) or failed (error)."""
    validation_report.set_entry(
        resource_id, "datastore", {"status": status, "at": _now(), **details}
    )


def load_job(resource_id: str, table_schema: dict[str, Any]) -> int:
    """Job: (re)create the resource's DataStore table and fill it; returns the
    row count. A URL that now serves another file is validated again instead."""
    return _load_leased(resource_id, table_schema, faults.discard_session)


def _roll_back() -> None:
    """After a failed load inside a write: roll back, keeping the session
    (the writer's objects stay attached); dropped only when it is broken."""
    try:
        model.Session.rollback()
    except Exception:
        faults.discard_session()


def _load_leased(
    resource_id: str, table_schema: dict[str, Any], after_error: Callable[[], None]
) -> int:
    with _leased(LOAD_LEASE, resource_id) as mine:
        if not mine:
            log.info("resource %s is being loaded by another job", resource_id)
            return 0
        try:
            rows = datastore.load_resource(resource_id, table_schema)
        except datastore.FileChanged:
            log.warning(
                "DataStore: %s changed after validation; not loaded, validating it again",
                resource_id,
            )
            set_load_state(resource_id, "failed", error="the file changed after validation")
            enqueue_validation(resource_id)
            return 0
        except Exception as err:
            after_error()
            fault = faults.classify(err)
            if fault is not None:
                log.warning(
                    "DataStore load of %s: %s; left queued for the watchdog",
                    resource_id,
                    fault.report(),
                )
                return 0
            log.exception("DataStore load of %s failed", resource_id)
            set_load_state(resource_id, "failed", error=f"{type(err).__name__}: {err}")
            return 0
        set_load_state(resource_id, "loaded", rows=rows)
        return rows
