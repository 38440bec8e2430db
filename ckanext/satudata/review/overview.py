"""What the review page and satudata_review_show show of one dataset: the
version under review, its items with what changed since the last review,
the SDI checks, and the history."""

from __future__ import annotations

from typing import Any

from ckan import model

from ckanext.satudata.i18n import current_lang
from ckanext.satudata.model import pending_change, review_event, validation_report
from ckanext.satudata.review import evidence, items, pending, states, transitions


def _reports(
    version: dict[str, Any], change: pending_change.PendingChange | None
) -> dict[str, dict[str, Any] | None]:
    """{resource id: the report of the file under review}: a pending file's
    kept validation, else the stored report."""
    found: dict[str, dict[str, Any] | None] = {}
    for resource in version.get("resources") or []:
        resource_id = str(resource.get("id"))
        held = change.validations.get(resource_id) if change is not None else None
        if held is not None:
            found[resource_id] = pending.validation_of(held)
            continue
        if change is not None and resource_id in change.files:
            found[resource_id] = None  # a new file whose validation runs on publication
            continue
        record = validation_report.get(resource_id)
        found[resource_id] = record.as_dict() if record is not None else None
    return found


def overview(package: model.Package) -> dict[str, Any]:
    subject = transitions.subject_of(package)
    version = transitions.reviewed_version(subject)
    change = pending_change.get(package.id) if subject.kind == "revision" else None
    last = review_event.last_of(package.id, transitions.SNAPSHOT_ACTIONS)
    if last is not None and last.snapshot is not None:
        baseline: dict[str, Any] | None = last.snapshot
    elif change is not None:
        baseline = pending.published_version(package.id)
    else:
        baseline = None
    diff = items.changes(baseline, version)
    reports = _reports(version, change)
    lang = current_lang()
    return {
        "package_id": package.id,
        "name": package.name,
        "title": package.title,
        "owner_org": package.owner_org,
        "status": states.status_of((package.extras or {}).get("status_data")),
        "subject": subject.kind,
        "state": subject.state,
        "state_label": states.label(subject.state, lang),
        "version": version,
        "items": items.review_items(version, diff, reports),
        "evidence": evidence.checks(version, reports),
        "changes": {
            "first": diff["first"],
            "fields": {name: list(pair) for name, pair in diff["fields"].items()},
            "resources": diff["resources"],
        },
        "last_decision": last.as_dict() if last is not None else None,
        "history": [event.as_dict() for event in review_event.history(package.id)],
    }
