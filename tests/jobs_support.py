"""Running CKAN background jobs in tests, on the real Redis queue."""

from __future__ import annotations


def run_jobs(queues: tuple[str, ...] = ("default",)) -> None:
    """Drain the queues in this process, as CKAN's own job tests do: a forked
    work horse would not share the test configuration."""
    from ckan.lib import jobs

    worker = jobs.Worker(list(queues))
    worker.execute_job = lambda job, queue: worker.perform_job(job, queue)
    worker.work(burst=True)
