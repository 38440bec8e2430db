"""The transitions of the review (the satudata_review_* actions call
``run``): each is checked against the state it starts from, recorded in the
review history (with the walidata's comment per item and a snapshot of what
was reviewed), in the activity stream, and announced by e-mail.

A published dataset with a pending change is reviewed through that change
(subject "revision"): approving and rejecting it leave the published version
public; publishing it replaces the published version. Unpublishing always
concerns the dataset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context

from ckanext.satudata import contexts
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.model import pending_change, review_event
from ckanext.satudata.review import activity, notify, pending, states, workflow
from ckanext.satudata.validation import service

# Snapshots keep what the next review compares with (items.diff).
SNAPSHOT_ACTIONS = ("approve", "reject")


@dataclass(frozen=True)
class Subject:
    package: model.Package
    kind: str  # "dataset" or "revision"
    state: str


def subject_of(package: model.Package, action: str | None = None) -> Subject:
    """What a transition of ``package`` acts on: its pending change while it
    is published and has one (but for unpublishing), else the dataset."""
    status = workflow.status_of(package)
    change = pending_change.get(package.id)
    if (
        change is not None
        and status == states.PUBLISHED
        and (action is None or action in states.REVISION_ACTIONS)
    ):
        return Subject(package, "revision", change.state)
    return Subject(package, "dataset", status)


def reviewed_version(subject: Subject) -> dict[str, Any]:
    """The dataset as the walidata reviews it."""
    change = pending_change.get(subject.package.id) if subject.kind == "revision" else None
    if change is not None:
        return pending.as_shown(subject.package, change)
    return pending.published_version(subject.package.id)


def _refused(action: str, state: str) -> tk.ValidationError:
    return tk.ValidationError(
        {
            "status_data": [
                tk._("Cannot {action} a dataset that is {state}").format(
                    action=activity.action_label(action), state=states.label(state, current_lang())
                )
            ]
        }
    )


def _clean_items(items: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
    cleaned = []
    for item in items or []:
        key = str(item.get("key") or "").strip()
        if not key:
            continue
        cleaned.append(
            {
                "key": key,
                "label": str(item.get("label") or key),
                "accepted": bool(item.get("accepted", True)),
                "comment": str(item.get("comment") or "").strip(),
            }
        )
    return cleaned


def run(
    context: Context,
    package: model.Package,
    action: str,
    comment: str = "",
    items: Sequence[dict[str, Any]] | None = None,
    origin: str = "user",
) -> dict[str, Any]:
    """Take transition ``action`` (auth already checked); returns the event."""
    subject = subject_of(package, action)
    try:
        transition = states.check(action, subject.state)
    except states.TransitionRefused:
        raise _refused(action, subject.state) from None
    cleaned = _clean_items(items)
    comment = (comment or "").strip()
    service.refuse_personal_text({"comment": comment, "items": cleaned})
    if action == "reject" and not comment and all(item["accepted"] for item in cleaned):
        raise tk.ValidationError(
            {"comment": [tk._("Say what must be corrected: a comment, or an item not accepted")]}
        )
    if any(not item["accepted"] and not item["comment"] for item in cleaned):
        raise tk.ValidationError(
            {"items": [tk._("Every item not accepted needs a comment saying what to correct")]}
        )
    actor = str(context.get("user") or "") or None
    snapshot = reviewed_version(subject) if action in SNAPSHOT_ACTIONS else None

    event = review_event.record(
        package.id,
        subject=subject.kind,
        action=action,
        from_state=subject.state,
        to_state=transition.target,
        actor=actor,
        origin=origin,
        comment=comment,
        items=cleaned,
        snapshot=snapshot,
    )
    if subject.kind == "revision":
        change = pending_change.get(package.id)
        assert change is not None
        if action == "publish":
            pending.apply(context, package)  # commits the event with the dataset
        else:
            change.state = transition.target
    else:
        if action == "unpublish":
            pending.discard(package.id)
        _write_status(actor, package.id, transition.target)  # commits the event too
    activity.record(package, event)
    model.Session.commit()
    notify.after_transition(package.id, event.id)
    return event.as_dict()


def _write_status(actor: str | None, package_id: str, status: str) -> None:
    """Store a new status (package_patch: activity, search index, private
    flag), committing what the session holds with it."""
    write_context = contexts.with_flag(
        {"user": actor or "", "ignore_auth": True}, workflow.TRANSITION_FLAG, True
    )
    tk.get_action("package_patch")(write_context, {"id": package_id, "status_data": status})


def withdraw_by_source(context: Context, package_id: str, source: str) -> None:
    """A harvested record left its source: the dataset is no longer shown
    (whatever its state) and a pending change of it is dropped."""
    package = model.Package.get(package_id)
    if package is None:
        return
    status = workflow.status_of(package)
    actor = str(context.get("user") or "") or None
    pending.discard(package_id)
    event = review_event.record(
        package_id,
        subject="dataset",
        action="unpublish",
        from_state=status,
        to_state=states.UNPUBLISHED,
        actor=actor,
        origin="harvest",
        comment=tk._("The record left its source ({source})").format(source=source),
    )
    if status != states.UNPUBLISHED:
        _write_status(actor, package_id, states.UNPUBLISHED)
    activity.record(package, event)
    model.Session.commit()
