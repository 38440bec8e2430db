"""The harvest queue consumers: ``ckan satudata harvest gather-consumer`` and
``fetch-consumer``, run in place of ckanext-harvest's own.

They run ckanext-harvest's stage functions (``queue.gather_stage``,
``queue.fetch_and_import_stages``) for any harvester, under a loop that
survives its services:

- The queue is read with a bounded wait on a connection with bounded reads,
  so a Redis restart or a dead connection is noticed. A consumer whose Redis
  or database stays unreachable (beyond redis-py's own short reconnect tries)
  puts its message back if it can and exits with status 75 (EX_TEMPFAIL):
  a supervisor restarts it with backoff (docker's restart policy,
  scripts/supervise.sh in the demo). One recovery path for every way a
  consumer can die (Redis gone, PostgreSQL gone, ``kill -9``, a leaked
  session): a fresh process with fresh connections.
- A job's gather and an object's fetch and import are tried again, with a
  doubling wait, when they fail on an infrastructure error (ops/faults.py:
  Solr, PostgreSQL, Redis, a full disk), at most ``recovery.attempts`` times;
  then the object (or the gather) is errored with the reason. Any other error
  is the object's error at once, and the consumer goes on.
- The consumer holds a lease on the work (ops/leases.py). A message for work
  already finished, or leased by another consumer, is dropped: ckanext-harvest
  re-sends WAITING objects a consumer already took, and a consumer processed
  them twice (the demo's "not modified after being written" object).
- Each delivery of an object counts in its ``retry_times``: an object whose
  consumer died more than ``recovery.attempts`` times is errored.
"""

from __future__ import annotations

import datetime
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

import redis
import redis.exceptions
from ckan import model
from ckanext.harvest import queue
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestJob,
    HarvestObject,
    HarvestObjectError,
)

from ckanext.satudata import config, faults, leases
from ckanext.satudata.ops import queues

log = logging.getLogger(__name__)

EXIT_SERVICE_LOST = 75  # EX_TEMPFAIL: try again later (the supervisor restarts us)
FINAL_STATES = ("COMPLETE", "ERROR")


class ServiceLost(Exception):
    """The queue or the database stayed unreachable: the consumer exits."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int
    backoff_seconds: int
    backoff_max_seconds: int = 300

    @classmethod
    def from_config(cls) -> RetryPolicy:
        return cls(
            config.recovery_attempts(),
            config.recovery_backoff_seconds(),
            config.recovery_backoff_max_seconds(),
        )

    def wait_before(self, attempt: int) -> float:
        """Seconds to wait before try number ``attempt`` (2, 3, …)."""
        return float(min(self.backoff_seconds * 2 ** (attempt - 2), self.backoff_max_seconds))


@dataclass
class Outcome:
    value: Any = None
    error: str | None = None  # why the work failed for good (None: it succeeded)
    stopped: bool = False  # a stop request came during a wait between tries


def _now() -> datetime.datetime:
    return datetime.datetime.utcnow()


class Consumer:
    """One consumer process of one stage's queue."""

    def __init__(
        self,
        stage: queues.Stage,
        policy: RetryPolicy | None = None,
        lease_seconds: int | None = None,
        poll_seconds: int | None = None,
    ) -> None:
        self.stage = stage
        self.policy = policy or RetryPolicy.from_config()
        self.lease_seconds = lease_seconds or config.recovery_lease_seconds()
        self.poll_seconds = poll_seconds or config.recovery_poll_seconds()
        self._stop = threading.Event()
        self.connection = queues.connect(self.poll_seconds)

    # --- the loop --------------------------------------------------------------

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        """Finish the message at hand, then exit (SIGTERM, SIGINT)."""
        self._stop.set()

    def run(self, max_messages: int | None = None) -> int:
        """Consume until stopped; returns the process exit status."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        handled = 0
        log.info("harvest %s consumer started", self.stage.name)
        while not self._stop.is_set():
            try:
                ident = queues.receive(self.connection, self.stage, self.poll_seconds)
            except redis.exceptions.RedisError as err:
                log.error(
                    "harvest %s consumer: the queue is unreachable (%s); exiting for the "
                    "supervisor to restart it",
                    self.stage.name,
                    err,
                )
                return EXIT_SERVICE_LOST
            if ident is None:
                continue
            try:
                self.handle(ident)
            except ServiceLost as lost:
                log.error("harvest %s consumer: %s; exiting", self.stage.name, lost)
                return EXIT_SERVICE_LOST
            finally:
                model.Session.remove()
            handled += 1
            if max_messages is not None and handled >= max_messages:
                break
        log.info("harvest %s consumer stopped", self.stage.name)
        return 0

    def handle(self, ident: str) -> None:
        """Process one message; raises ServiceLost when a service is gone."""
        try:
            if self.stage is queues.GATHER:
                self._gather(ident)
            else:
                self._fetch(ident)
        except ServiceLost:
            self._put_back(ident)
            raise
        except Exception as err:
            fault = faults.classify(err)
            if fault is None:
                # Our own bookkeeping failed: the work stays unfinished, and
                # the watchdog takes it up; the other messages go on.
                log.exception("harvest %s consumer: %s failed", self.stage.name, ident)
                faults.discard_session()
                return
            self._put_back(ident)
            raise ServiceLost(fault.report()) from err

    def _put_back(self, ident: str) -> None:
        try:
            queues.send(self.connection, self.stage, ident)
        except redis.exceptions.RedisError:
            log.warning("could not put %s back on the queue; the watchdog will", ident)

    # --- tries -------------------------------------------------------------------

    def _attempt(
        self,
        what: str,
        work: Callable[[int], Any],
        after_failure: Callable[[], None] | None = None,
    ) -> Outcome:
        """``work(attempt)`` until it succeeds, fails for good, or the tries
        on infrastructure errors are spent; ``after_failure`` runs after each
        failed try (best effort: the database may be the one that failed)."""
        for attempt in range(1, self.policy.attempts + 1):
            try:
                return Outcome(value=work(attempt))
            except Exception as err:
                faults.discard_session()
                if after_failure is not None:
                    after_failure()
                fault = faults.classify(err)
                if fault is None:
                    log.exception("%s failed", what)
                    return Outcome(error=f"unexpected error: {type(err).__name__}: {err}")
                if attempt == self.policy.attempts:
                    return Outcome(
                        error=f"{fault.report()}; gave up after {attempt} tries",
                    )
                wait = self.policy.wait_before(attempt + 1)
                log.warning(
                    "%s: %s; try %d of %d in %.0f s",
                    what,
                    fault.report(),
                    attempt + 1,
                    self.policy.attempts,
                    wait,
                )
                if self._stop.wait(wait):
                    return Outcome(stopped=True)
        raise AssertionError("unreachable")  # pragma: no cover

    # --- gather ------------------------------------------------------------------

    def _gather(self, job_id: str) -> None:
        job = HarvestJob.get(job_id)
        if job is None:
            log.error("harvest job %s does not exist; message dropped", job_id)
            return
        if job.status == "Finished" or job.gather_finished is not None:
            log.info("harvest job %s already gathered; duplicate message dropped", job_id)
            return
        with leases.hold(
            self.connection, self.stage.lease_kind, job_id, self.lease_seconds
        ) as mine:
            if not mine:
                log.info("harvest job %s is being gathered by another consumer", job_id)
                return
            self._gather_leased(job_id)

    def _gather_leased(self, job_id: str) -> None:
        job = HarvestJob.get(job_id)
        harvester = queue.get_harvester(job.source.type)
        if harvester is None:
            self._gather_failed(job_id, f"no harvester for source type {job.source.type!r}")
            return

        def gather(attempt: int) -> Any:
            current = HarvestJob.get(job_id)
            if attempt > 1:
                current.gather_finished = None
            return queue.gather_stage(harvester, current)

        outcome = self._attempt(
            f"gather of harvest job {job_id}", gather, lambda: self._reopen_gather(job_id)
        )
        if outcome.stopped:
            self._reopen_gather(job_id)
            raise ServiceLost("stopped while waiting to gather again")
        if outcome.error is not None:
            self._gather_failed(job_id, f"gather stage: {outcome.error}")
            return
        ids = outcome.value
        if not isinstance(ids, list) or not ids:
            log.info("harvest job %s: nothing to fetch", job_id)
            return
        try:
            for object_id in ids:
                queues.send(self.connection, queues.FETCH, object_id)
        except redis.exceptions.RedisError as err:
            # The objects wait in the database; the watchdog queues them.
            raise ServiceLost(f"could not queue the gathered objects: {err}") from err
        log.info("harvest job %s: %d object(s) sent to the fetch queue", job_id, len(ids))

    @staticmethod
    def _reopen_gather(job_id: str) -> None:
        """After an interrupted gather, so harvest_jobs_run does not take the
        job for gathered (queue.gather_stage marks it in a ``finally``)."""
        try:
            job = HarvestJob.get(job_id)
            job.gather_finished = None
            job.save()
        except Exception:
            faults.discard_session()

    @staticmethod
    def _gather_failed(job_id: str, message: str) -> None:
        """A gather error with the reason; the job, left without objects,
        is finished by the next harvest_jobs_run."""
        log.warning("harvest job %s: %s", job_id, message)
        job = HarvestJob.get(job_id)
        HarvestGatherError(message=message, job=job).save()
        if job.gather_started is None:
            job.gather_started = _now()
        job.gather_finished = job.gather_finished or _now()
        job.save()

    # --- fetch and import ------------------------------------------------------------

    def _fetch(self, object_id: str) -> None:
        harvest_object = HarvestObject.get(object_id)
        if harvest_object is None:
            log.error("harvest object %s does not exist; message dropped", object_id)
            return
        if harvest_object.state in FINAL_STATES:
            log.info(
                "harvest object %s is already %s; duplicate message dropped",
                object_id,
                harvest_object.state,
            )
            return
        with leases.hold(
            self.connection, self.stage.lease_kind, object_id, self.lease_seconds
        ) as mine:
            if not mine:
                log.info("harvest object %s is being processed by another consumer", object_id)
                return
            self._fetch_leased(object_id)

    def _fetch_leased(self, object_id: str) -> None:
        model.Session.remove()  # read the state as it is now that we hold the lease
        harvest_object = HarvestObject.get(object_id)
        if harvest_object.state in FINAL_STATES:
            return
        if harvest_object.job.status == "Finished":
            fail_object(
                object_id,
                "the job was finished (aborted or timed out) before this object was processed",
            )
            return
        harvest_object.retry_times = (harvest_object.retry_times or 0) + 1
        harvest_object.save()
        if harvest_object.retry_times > self.policy.attempts:
            fail_object(
                object_id,
                f"processing was interrupted {harvest_object.retry_times - 1} times (its "
                "consumer stopped or lost a service); given up",
            )
            return
        harvester = queue.get_harvester(harvest_object.source.type)
        if harvester is None:
            fail_object(object_id, f"no harvester for source type {harvest_object.source.type!r}")
            return
        errors_before = {error.id for error in harvest_object.errors}
        first_try = _now()
        tries: list[int] = []

        def stages(attempt: int) -> None:
            tries.append(attempt)
            if attempt > 1:
                _forget_errors_since(object_id, errors_before)
            queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))

        outcome = self._attempt(f"harvest object {object_id}", stages)
        if outcome.stopped:
            raise ServiceLost("stopped while waiting to process the object again")
        if outcome.error is not None:
            fail_object(object_id, outcome.error)
        elif len(tries) > 1:
            _report_an_earlier_tries_write(object_id, first_try)


def _forget_errors_since(object_id: str, kept: set[str]) -> None:
    """Drop the errors a failed try recorded: the next try reports its own."""
    for error in HarvestObject.get(object_id).errors:
        if error.id not in kept:
            model.Session.delete(error)
    model.Session.commit()


def _report_an_earlier_tries_write(object_id: str, first_try: datetime.datetime) -> None:
    """A try that failed after its dataset was committed (PostgreSQL lost while
    the queue saved the object's state) leaves the next try nothing to write:
    it says "not modified". The dataset was this object's doing: report it as
    queue.fetch_and_import_stages would have, "added" or "updated"."""
    harvest_object = HarvestObject.get(object_id)
    if harvest_object.state != "COMPLETE" or harvest_object.report_status != "not modified":
        return
    package = model.Package.get(harvest_object.package_id) if harvest_object.package_id else None
    if (
        package is None
        or package.metadata_modified is None
        or package.metadata_modified < first_try
    ):
        return
    others = (
        model.Session.query(HarvestObject.id)
        .filter(HarvestObject.package_id == package.id)
        .filter(HarvestObject.id != object_id)
        .first()
    )
    harvest_object.report_status = "updated" if others else "added"
    harvest_object.save()


def fail_object(object_id: str, message: str) -> None:
    """Error the object with ``message`` in its report (also the watchdog's)."""
    harvest_object = HarvestObject.get(object_id)
    stage = "Import" if harvest_object.state == "IMPORT" else "Fetch"
    log.warning("harvest object %s (%s): %s", harvest_object.guid, stage, message)
    HarvestObjectError(message=message, object=harvest_object, stage=stage).save()
    harvest_object.state = "ERROR"
    harvest_object.report_status = "errored"
    harvest_object.import_finished = harvest_object.import_finished or _now()
    harvest_object.save()
