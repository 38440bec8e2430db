"""Running CKAN background jobs in tests, on the real Redis queue."""

from __future__ import annotations


def run_jobs(queues: tuple[str, ...] = ("default",)) -> None:
    """Drain the queues in this process with the production worker that does
    not fork (ops/jobs_worker.py): a forked work horse would not share the
    test configuration."""
    from ckanext.satudata.ops.jobs_worker import InProcessWorker

    InProcessWorker(list(queues)).work(burst=True)


# Jobs of the worker tests (rq imports them by name) --------------------------


def failing_job() -> None:
    raise RuntimeError("this job fails")


def sleeping_job(seconds: float) -> None:
    import time

    time.sleep(seconds)


def leave_uncommitted_job(name: str) -> None:
    """Adds a user to the session and neither commits nor rolls back."""
    from ckan import model

    model.Session.add(model.User(name=name, email=f"{name}@example.org", password="x" * 12))
    model.Session.flush()


def sees_user_job(name: str) -> bool:
    """Whether this job's session sees user ``name`` (flushed but never
    committed by an earlier job, it must not)."""
    from ckan import model

    return model.Session.query(model.User).filter_by(name=name).first() is not None
