"""The scheduler (``ckan satudata scheduler``): the periodic work of a running
portal, the same in docker (the ``harvest_scheduler`` service) and in
``make demo``.

Every ``interval`` seconds: ``harvest_jobs_run`` (starts due harvest jobs,
closes finished ones, and runs the harvest watchdog, ops/watchdog.py) and
the watchdog of validations and DataStore loads (validation/recovery.py).
Once a day (and at start): the harvest log clean-up, the freshness re-index
(catalog/search.py), the quality re-scoring of the time-based dimensions
(quality/service.py) and the index check with repair (catalog/index_check.py).

A task that fails (an outage) is logged and tried again at its next turn;
the scheduler itself keeps running, so it needs no supervisor to come back.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

from ckan.plugins import toolkit as tk
from ckanext.harvest import utils as harvest_utils

from ckanext.satudata import contexts, faults
from ckanext.satudata.catalog import index_check, search
from ckanext.satudata.quality import service as quality
from ckanext.satudata.validation import recovery

log = logging.getLogger(__name__)

DAY_SECONDS = 24 * 60 * 60


@dataclass
class Task:
    name: str
    every_seconds: int
    run: Callable[[], str]
    due: float = 0.0  # monotonic time of the next run (0: at once)


def _harvest_run() -> str:
    tk.get_action("harvest_jobs_run")(contexts.site(), {})
    return "done"


def _jobs_watchdog() -> str:
    lines = recovery.recover()
    return "; ".join(lines) if lines else "nothing owed"


def _harvest_log_clean() -> str:
    harvest_utils.clean_harvest_log()
    return "done"


def _freshness() -> str:
    return f"{len(search.refresh_freshness())} dataset(s) re-indexed"


def _quality() -> str:
    result = quality.refresh()
    return f"{result.datasets} dataset(s) scored, {len(result.changed)} re-indexed"


def _index_check() -> str:
    found = index_check.check()
    if not found.agrees:
        index_check.repair(found)
        return f"{found.summary()}; repaired"
    return found.summary()


def tasks(interval: int) -> list[Task]:
    return [
        Task("harvest jobs run", interval, _harvest_run),
        Task("validation and DataStore watchdog", interval, _jobs_watchdog),
        Task("harvest log clean-up", DAY_SECONDS, _harvest_log_clean),
        Task("freshness refresh", DAY_SECONDS, _freshness),
        Task("quality refresh", DAY_SECONDS, _quality),
        Task("index check", DAY_SECONDS, _index_check),
    ]


class Scheduler:
    def __init__(self, interval: int) -> None:
        self.tasks = tasks(interval)
        self._stop = threading.Event()

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        self._stop.set()

    def run_due(self) -> None:
        """Run every task that is due, each on its own (one failing does not
        keep the others from running)."""
        for task in self.tasks:
            if task.due > time.monotonic():
                continue
            task.due = time.monotonic() + task.every_seconds
            try:
                log.info("scheduler: %s: %s", task.name, task.run())
            except Exception as err:
                fault = faults.classify(err)
                if fault is None:
                    log.exception("scheduler: %s failed; tried again at its next turn", task.name)
                else:
                    log.warning("scheduler: %s skipped: %s", task.name, fault.report())
            finally:
                faults.discard_session()

    def run(self, once: bool = False) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        while not self._stop.is_set():
            self.run_due()
            if once:
                return
            next_due = min(task.due for task in self.tasks)
            self._stop.wait(max(1.0, next_due - time.monotonic()))
