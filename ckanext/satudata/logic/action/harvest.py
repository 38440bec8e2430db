"""Chained ckanext-harvest actions: its own exceptions become clear refusals
(HTTP 409 with a message in the user's language) instead of internal errors,
and ``harvest_jobs_run`` runs the watchdog (ops/watchdog.py).

The refusals are also the exceptions ckanext-harvest raised (e.g.
``JobAlreadyRunning`` is a ``HarvestJobExists``), so its own pages and
commands, which catch those, behave as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ckan.plugins import toolkit as tk
from ckan.types import Action, Context, DataDict
from ckanext.harvest.logic import HarvestJobExists, HarvestSourceInactiveError

from ckanext.satudata import faults
from ckanext.satudata.ops import watchdog

__all__ = [
    "harvest_abort_failed_jobs",
    "harvest_job_create",
    "harvest_jobs_run",
    "harvest_objects_import",
    "harvest_send_job_to_gather_queue",
]

log = logging.getLogger(__name__)

# ckanext-harvest 1.6.3 raises these as a bare Exception or a ValidationError
# holding a string.
_INACTIVE_TEXTS = ("This harvest source is not active", "Source is not active")


class JobAlreadyRunning(tk.ValidationError, HarvestJobExists):
    """A job of the source is waiting or running."""


class SourceInactive(tk.ValidationError, HarvestSourceInactiveError):
    """The source is inactive."""


def _inactive() -> SourceInactive:
    return SourceInactive(
        {"source_id": [tk._("This harvest source is inactive; activate it before harvesting.")]}
    )


def _refusing(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except HarvestJobExists:
        raise JobAlreadyRunning(
            {
                "source_id": [
                    tk._(
                        "This harvest source already has a job waiting or running; "
                        "wait for it to finish, or stop it, before starting another."
                    )
                ]
            }
        ) from None
    except HarvestSourceInactiveError:
        raise _inactive() from None
    except tk.ValidationError as err:
        if str(err.error_dict) in _INACTIVE_TEXTS or err.error_dict in _INACTIVE_TEXTS:
            raise _inactive() from None
        raise
    except Exception as err:
        if type(err) is Exception and str(err) in _INACTIVE_TEXTS:
            raise _inactive() from None
        fault = faults.classify(err)
        if fault is None:
            raise
        raise tk.ValidationError({"service": [fault.user_message()]}) from err


@tk.chained_action
def harvest_job_create(original: Action, context: Context, data_dict: DataDict) -> Any:
    """Refuses a second job of a source (409), and a job of an inactive source."""
    return _refusing(lambda: original(context, data_dict))


@tk.chained_action
def harvest_send_job_to_gather_queue(
    original: Action, context: Context, data_dict: DataDict
) -> Any:
    """A job that cannot be queued because Redis is down stays Running
    without a gather: the watchdog sends it once Redis is back, so the job
    is created all the same (harvest_job_create succeeds)."""
    try:
        return _refusing(lambda: original(context, data_dict))
    except tk.ValidationError as err:
        cause = faults.classify(err.__cause__) if err.__cause__ else None
        if cause is None or cause.service is not faults.Service.QUEUE:
            raise
        log.warning(
            "harvest job %s could not be queued (%s); the watchdog sends it",
            data_dict.get("id"),
            cause.report(),
        )
        return tk.get_action("harvest_job_show")(context.copy(), {"id": data_dict.get("id")})


@tk.chained_action
def harvest_objects_import(original: Action, context: Context, data_dict: DataDict) -> Any:
    return _refusing(lambda: original(context, data_dict))


@tk.chained_action
def harvest_abort_failed_jobs(original: Action, context: Context, data_dict: DataDict) -> Any:
    """Sysadmins only (logic/auth/harvest.py: ckanext-harvest checks no one);
    ``life_span`` (days) is required: ckanext-harvest fails on a missing one."""
    tk.check_access("harvest_abort_failed_jobs", context, data_dict)
    try:
        int(data_dict.get("life_span"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise tk.ValidationError(
            {"life_span": [tk._("Give the number of days a job may run, e.g. 7")]}
        ) from None
    return _refusing(lambda: original(context, data_dict))


@tk.chained_action
def harvest_jobs_run(original: Action, context: Context, data_dict: DataDict) -> Any:
    """Takes up interrupted harvest work first (ops/watchdog.py), then marks
    finished jobs as ckanext-harvest does (whose own re-sending compat.py
    turns off)."""
    try:
        watchdog.recover_harvests(data_dict.get("source_id"))
    except Exception as err:
        fault = faults.classify(err)
        if fault is None:
            raise
        log.warning("harvest watchdog skipped: %s", fault.report())
    return original(context, data_dict)
