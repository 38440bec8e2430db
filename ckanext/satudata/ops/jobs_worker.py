"""A CKAN jobs worker that runs each job in its own process instead of a
fork per job (``ckan satudata jobs worker``, in place of ``ckan jobs worker``).

CKAN's worker forks a work horse per job, and the horse loads the whole CKAN
environment again (``load_environment``: plugins, schemas, templates) and
opens new database and Solr connections, then disposes of them: about as much
time as a small DataStore load itself, and a harvest queues one per
validated table. This worker runs the job in the worker process, which
loaded the environment once, like rq's SimpleWorker, and keeps what the
fork gave:

- a job's exception is rq's failure (the job is marked failed, the worker
  goes on); jobs of ours record their own failures anyway (validation/jobs.py);
- the job's timeout is rq's death penalty (SIGALRM in this process), as in
  the horse;
- each job starts and ends with a clean database session (rolled back and
  removed: nothing a failed job left uncommitted reaches the next one);
- a killed worker loses its running job as a killed horse did: its lease
  (leases.py) expires and the watchdog (validation/recovery.py) queues it again.
"""

from __future__ import annotations

import logging
from typing import Any

from ckan.lib import jobs as ckan_jobs
from rq.job import Job
from rq.queue import Queue
from rq.worker import SimpleWorker, WorkerStatus

from ckanext.satudata import faults

log = logging.getLogger(__name__)


class InProcessWorker(ckan_jobs.Worker):
    """CKAN's worker (queue names, logging, the scheduler) without the fork."""

    def execute_job(self, job: Job, queue: Queue) -> None:
        log.info("Worker %s starts job %s (%s) in process", self.key, job.id, job.description)
        faults.discard_session()
        self.prepare_execution(job)
        try:
            self.perform_job(job, queue)
        finally:
            self.set_state(WorkerStatus.IDLE)
        log.info("Worker %s has finished job %s", self.key, job.id)

    def perform_job(self, job: Job, queue: Queue) -> bool:
        # rq's own perform_job (not CKAN's, which disposes of the database
        # engine for the horse's exit): the connection pool is kept, the
        # session is not.
        try:
            return super(ckan_jobs.Worker, self).perform_job(job, queue)
        finally:
            faults.discard_session()

    def get_heartbeat_ttl(self, job: Job) -> int:
        return SimpleWorker.get_heartbeat_ttl(self, job)  # type: ignore[arg-type]

    # No horse: rq's forking worker would signal the process group of pid 0,
    # its own, on a cold shutdown.

    def kill_horse(self, sig: Any = None) -> None:
        return None

    def wait_for_horse(self) -> tuple[None, None, None]:
        return None, None, None


def work(queues: list[str], burst: bool = False, **kwargs: Any) -> None:
    InProcessWorker(queues or None).work(burst=burst, **kwargs)
