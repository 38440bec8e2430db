"""Harvest reports in the reader's language.

Our harvesters store each gather and object error as a harvest report message
(harvesters/messages.py: an English msgid and its parameters). These chained
actions render them through the catalog wherever ckanext-harvest hands them
out (the job page reads harvest_job_show and harvest_job_report; the source
page the last job's error summaries through harvest_source_show), so the
portal says them in Indonesian and under /en in English. Plain-text reports
(other harvesters, older jobs) pass as they are.

harvest_job_report also lists, under ``satudata_quarantine``, the records a
Dukcapil source's quarantine policy left out of what the job published (the
harvest object extra the harvester writes), in the reader's language.
"""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Action, ChainedAction, Context, DataDict
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.satudata.harvesters import messages
from ckanext.satudata.i18n import current_lang

__all__ = ["harvest_job_report", "harvest_job_show", "harvest_source_show"]

# The harvest object extra of the Dukcapil harvester (dukcapil/harvester.py).
QUARANTINE_EXTRA = "satudata_quarantine"


def _exempt(function: ChainedAction) -> ChainedAction:
    """ckanext-harvest's action still checks its auth itself; CKAN exempts an
    extension's action from its auth audit, but a chain keeps only our
    function's attributes, so ours says it too (as logic/action/gate.py)."""
    setattr(function, "auth_audit_exempt", True)  # noqa: B010 (CKAN's attribute)
    return function


def _translate(msgid: str) -> str:
    # harvest_jobs_run also asks for job reports (its status e-mails), from the
    # CLI or the scheduler, where there may be no translations: English then.
    try:
        return tk._(msgid)
    except (RuntimeError, KeyError, AttributeError):
        return msgid


def render(stored: str | None) -> str:
    """A stored report in the current request's language."""
    return messages.render_stored(stored, _translate, current_lang())


def _rendered_summary(summary: Any) -> Any:
    if not isinstance(summary, list):
        return summary
    return [
        {**entry, "message": render(entry.get("message"))} if isinstance(entry, dict) else entry
        for entry in summary
    ]


def _rendered_job(job: Any) -> Any:
    if not isinstance(job, dict):
        return job
    job = dict(job)
    for key in ("object_error_summary", "gather_error_summary"):
        if key in job:
            job[key] = _rendered_summary(job[key])
    return job


@tk.side_effect_free
@tk.chained_action
@_exempt
def harvest_job_report(original: Action, context: Context, data_dict: DataDict) -> Any:
    report = original(context, data_dict)
    report["gather_errors"] = [
        {**error, "message": render(error.get("message"))} for error in report["gather_errors"]
    ]
    report["object_errors"] = {
        object_id: {
            **entry,
            "errors": [
                {**error, "message": render(error.get("message"))} for error in entry["errors"]
            ],
        }
        for object_id, entry in report["object_errors"].items()
    }
    report["satudata_quarantine"] = _quarantine(str(data_dict.get("id")))
    return report


def _quarantine(job_id: str) -> list[dict[str, str]]:
    rows = (
        model.Session.query(HarvestObject.id, HarvestObject.guid, HarvestObjectExtra.value)
        .join(HarvestObjectExtra, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
        .filter(HarvestObject.harvest_job_id == job_id)
        .filter(HarvestObjectExtra.key == QUARANTINE_EXTRA)
        .order_by(HarvestObject.guid)
        .all()
    )
    return [
        {"harvest_object_id": object_id, "guid": guid, "message": render(value)}
        for object_id, guid, value in rows
    ]


@tk.side_effect_free
@tk.chained_action
@_exempt
def harvest_job_show(original: Action, context: Context, data_dict: DataDict) -> Any:
    return _rendered_job(original(context, data_dict))


@tk.side_effect_free
@tk.chained_action
@_exempt
def harvest_source_show(original: Action, context: Context, data_dict: DataDict) -> Any:
    source = original(context, data_dict)
    status = source.get("status") if isinstance(source, dict) else None
    if isinstance(status, dict) and isinstance(status.get("last_job"), dict):
        source["status"] = {**status, "last_job": _rendered_job(status["last_job"])}
    return source
