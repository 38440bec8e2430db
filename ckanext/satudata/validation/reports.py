"""Stored validation reports as the rest of CKAN sees them: an engine result
stored for a resource, the fields resource_show adds, whether a file was
removed for personal data, forgetting the reports of deleted resources, and
the report's findings in the UI language. (What
follows a stored result, the DataStore load, is jobs.after_validation's.)"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from ckan.plugins import toolkit as tk
from flask import g, has_request_context

from ckanext.satudata.model import validation_report
from ckanext.satudata.validation import engine

# Sent (sender: the package id) when what the validation knows of a dataset's
# data changed after the dataset was saved: a stored report, a DataStore load.
# The quality score listens (plugin.py ISignal -> quality/service.py).
evidence_changed = tk.signals.ckanext.signal("satudata_validation_evidence_changed")

# Fields only the engine may set; whatever a user sends for them is dropped.
READ_ONLY_FIELDS = ("validation_status", "validation_timestamp")


def strip_read_only(resource: dict[str, Any]) -> None:
    for key in READ_ONLY_FIELDS:
        resource.pop(key, None)


def without_read_only(resource: dict[str, Any]) -> dict[str, Any]:
    """A published resource to pass back unchanged in package_patch, without the
    fields only the engine sets (they would otherwise land in its extras)."""
    copy = dict(resource)
    strip_read_only(copy)
    return copy


def save_result(resource: dict[str, Any], result: engine.ValidationResult, source: str) -> None:
    """Store the report of ``resource`` (which has its id and package_id)."""
    validation_report.save(
        resource["id"],
        resource["package_id"],
        status=result.status,
        source=source,
        data_standard=result.standard,
        file_hash=result.file_hash,
        row_count=result.row_count,
        error_count=result.error_count,
        summary=result.summary,
        report={"result": result.as_dict(), "frictionless": result.report},
    )
    _forget_kept_statuses()
    evidence_changed.send(resource["package_id"])


def save_pending(resource_id: str, package_id: str, source: str, standard: str | None) -> None:
    validation_report.save(
        resource_id, package_id, status="pending", source=source, data_standard=standard
    )
    _forget_kept_statuses()
    evidence_changed.send(package_id)


# The reports of the dataset package_show is showing (resource id -> status
# and timestamp, None: no report), read in one query for all its resources
# instead of one per resource; set only while that package_show runs.
_shown: ContextVar[validation_report.Statuses | None] = ContextVar(
    "satudata_reports_of_shown_package", default=None
)


# Within a request, the statuses read for a dataset are kept (under its id
# and its name) for the request's next package_show of it: a resource page
# shows the dataset twice (the page's own package_show by name and
# resource_show's by id). Storing or forgetting a report forgets them.
_REQUEST_KEY = "_satudata_report_statuses"


def _statuses_of_package(name_or_id: str) -> validation_report.Statuses:
    if not has_request_context():
        return validation_report.statuses_of_package(name_or_id)[1]
    kept: dict[str, validation_report.Statuses] = g.setdefault(_REQUEST_KEY, {})
    if name_or_id not in kept:
        keys, statuses = validation_report.statuses_of_package(name_or_id)
        for key in (name_or_id, *keys):
            kept[key] = statuses
    return kept[name_or_id]


def _forget_kept_statuses() -> None:
    if has_request_context():
        g.pop(_REQUEST_KEY, None)


@contextlib.contextmanager
def reports_of_package(name_or_id: str) -> Iterator[None]:
    """Within: add_to_resource reads the reports of this dataset's resources
    from one query (logic/action/dataset.py package_show), or from what this
    request read of them already."""
    token = _shown.set(_statuses_of_package(name_or_id))
    try:
        yield
    finally:
        _shown.reset(token)


def _status(resource_id: str) -> tuple[str, datetime.datetime | None] | None:
    shown = _shown.get()
    if shown is not None and resource_id in shown:
        return shown[resource_id]
    record = validation_report.get(resource_id)
    return (record.status, record.timestamp) if record is not None else None


def add_to_resource(resource: dict[str, Any]) -> dict[str, Any]:
    """IResourceController.before_resource_show: the report's status fields."""
    found = _status(resource["id"]) if resource.get("id") else None
    if found is None:
        strip_read_only(resource)
        return resource
    status, stamp = found
    resource["validation_status"] = status
    resource["validation_timestamp"] = stamp.isoformat() if stamp else None
    return resource


def removed_for_personal_data(resource_id: str) -> bool:
    """Whether the resource's stored report found personal data in its file
    (a stored file such a report belongs to is deleted: jobs.run_now)."""
    record = validation_report.get(resource_id)
    result = (record.report or {}).get("result") if record is not None else None
    return isinstance(result, dict) and bool(result.get("personal_data"))


def forget_removed(package_id: str) -> None:
    """IPackageController.after_dataset_update: forget the reports of the
    dataset's resources that the update deleted. Every removal goes through
    package_update (resource_delete calls it too; the after_resource_delete
    hook only sees the resources that remain), and the reports go in the
    same transaction as the resources."""
    validation_report.delete_unless_active(package_id)
    _forget_kept_statuses()


def summary_for_display(summary: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    key = "message_en" if lang == "en" else "message_id"
    return [{**entry, "message": entry.get(key) or entry.get("message_id")} for entry in summary]


def _result(record: dict[str, Any]) -> dict[str, Any]:
    result = (record.get("report") or {}).get("result") or {}
    return result if isinstance(result, dict) else {}


def checked_as(record: dict[str, Any]) -> str | None:
    """How the gate checked the file: table, text, archive or unchecked."""
    value = _result(record).get("checked_as")
    return str(value) if value else None


def notes_for_display(record: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """What the check found out besides errors (a recognised data standard …)."""
    return summary_for_display(list(_result(record).get("notes") or []), lang)


def adoptable_standard(record: dict[str, Any]) -> str | None:
    """The data standard the report recognised or suggests for the resource."""
    for note in _result(record).get("notes") or []:
        if note.get("type") in ("standard-detected", "standard-suggested") and note.get("standard"):
            return str(note["standard"])
    return None
