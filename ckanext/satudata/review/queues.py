"""The walidata's queue (what waits, oldest first, with its age against the
SLA, per OPD) and the producer's list of their datasets by state with the
walidata's last decision."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from ckan import model

from ckanext.satudata import config
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.model import pending_change, review_event
from ckanext.satudata.review import states

STATUS = model.Package.extras["status_data"].astext


def _datasets(organization_ids: Iterable[str] | None = None) -> Any:
    query = (
        model.Session.query(model.Package)
        .filter(model.Package.type == "dataset")
        .filter(model.Package.state == "active")
    )
    if organization_ids is not None:
        query = query.filter(model.Package.owner_org.in_(list(organization_ids)))
    return query


def _organizations(ids: Iterable[str]) -> dict[str, model.Group]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    return {g.id: g for g in model.Session.query(model.Group).filter(model.Group.id.in_(wanted))}


def queue(owner_org: str | None = None, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Datasets and revisions waiting for the walidata, oldest first."""
    now = now or datetime.datetime.utcnow()
    datasets = _datasets([owner_org] if owner_org else None)
    waiting = {p.id: (p, "dataset", states.status_of(p.extras.get("status_data")))
               for p in datasets.filter(STATUS.in_(states.WAITING))}  # fmt: skip
    for change in pending_change.in_states(None, states.WAITING):
        package = model.Package.get(change.package_id)
        if package is None or package.state != "active":
            continue
        if owner_org and package.owner_org != owner_org:
            continue
        waiting[package.id] = (package, "revision", change.state)
    submitted = review_event.last_submissions(list(waiting))
    organizations = _organizations(p.owner_org for p, _, _ in waiting.values())
    sla = config.review_sla_days()
    lang = current_lang()
    entries = []
    for package_id, (package, subject, state) in waiting.items():
        since = submitted.get(package_id) or package.metadata_modified
        age = (now - since).total_seconds() / 86400
        organization = organizations.get(package.owner_org or "")
        entries.append(
            {
                "package_id": package_id,
                "name": package.name,
                "title": package.title,
                "owner_org": package.owner_org,
                "organization_title": organization.title if organization else "",
                "subject": subject,
                "state": state,
                "state_label": states.label(state, lang),
                "submitted": since.isoformat(),
                "age_days": round(age, 1),
                "overdue": age > sla,
            }
        )
    entries.sort(key=lambda e: e["submitted"])
    per_opd: dict[str, dict[str, Any]] = {}
    for entry in entries:
        opd = per_opd.setdefault(
            entry["owner_org"] or "",
            {
                "owner_org": entry["owner_org"],
                "title": entry["organization_title"],
                "count": 0,
                "overdue": 0,
                "oldest_days": 0.0,
            },
        )
        opd["count"] += 1
        opd["overdue"] += int(entry["overdue"])
        opd["oldest_days"] = max(opd["oldest_days"], entry["age_days"])
    return {
        "sla_days": sla,
        "count": len(entries),
        "results": entries,
        "per_opd": sorted(per_opd.values(), key=lambda o: -o["oldest_days"]),
    }


def mine(organization_ids: list[str]) -> dict[str, Any]:
    """The datasets of the producer's OPDs by state (a published one with a
    pending change also under its change's state), each with the walidata's
    last decision."""
    packages = _datasets(organization_ids).order_by(model.Package.metadata_modified.desc()).all()
    changes = {c.package_id: c for c in pending_change.in_states([p.id for p in packages],
                                                                 tuple(states.TRANSITIONS_STATES))}  # fmt: skip
    decisions = review_event.last_decisions([p.id for p in packages])
    lang = current_lang()
    by_state: dict[str, list[dict[str, Any]]] = {}
    for package in packages:
        status = states.status_of(package.extras.get("status_data"))
        change = changes.get(package.id)
        decision = decisions.get(package.id)
        entry = {
            "package_id": package.id,
            "name": package.name,
            "title": package.title,
            "status": status,
            "revision_state": change.state if change is not None else None,
            "last_decision": decision.as_dict() if decision is not None else None,
        }
        by_state.setdefault(change.state if change is not None else status, []).append(entry)
    order = [term for term in states.ORDER if term in by_state]
    return {
        "states": [
            {"state": state, "label": states.label(state, lang), "datasets": by_state[state]}
            for state in order
        ]
    }
