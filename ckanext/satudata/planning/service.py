"""A year's Daftar Data as a user sees it: the items with their OPD, their
computed progress (progress.py) and the datasets linked to them, the tallies
per OPD and for the kabupaten, the overdue list and the release schedule.

Progress counts every linked dataset, but a user is only shown the datasets
they may read (a private dataset of another OPD is counted, not named).
Everything is read in a few queries whatever the number of items.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.satudata.i18n import current_lang
from ckanext.satudata.model import daftar_data, daftar_data_link
from ckanext.satudata.model.daftar_data import PlanItem
from ckanext.satudata.planning import progress
from ckanext.satudata.reference import vocabularies


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    title: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "title": self.title}


@dataclass(frozen=True)
class LinkedDataset:
    id: str
    name: str
    title: str
    stage: str
    status_data: str | None
    private: bool
    source: str  # how it was linked (daftar_data_link.SOURCES)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "stage": self.stage,
            "status_data": self.status_data,
            "private": self.private,
            "link_source": self.source,
        }


@dataclass
class ItemView:
    item: PlanItem
    organization: Organization
    progress: progress.Progress
    datasets: list[LinkedDataset] = field(default_factory=list)  # those the user may read
    hidden_datasets: int = 0  # linked, but not readable by the user

    def as_dict(self) -> dict[str, Any]:
        labels = state_labels()
        return {
            **self.item.as_dict(),
            "organization": self.organization.as_dict(),
            "progress": {
                "stage": self.progress.stage,
                "state": self.progress.state,
                "state_label": labels[self.progress.state],
                "deadline": self.progress.deadline,
                "days_late": self.progress.days_late,
            },
            "datasets": [dataset.as_dict() for dataset in self.datasets],
            "hidden_datasets": self.hidden_datasets,
        }


def state_labels() -> dict[str, str]:
    return {
        progress.PLANNED: tk._("Planned"),
        progress.COLLECTED: tk._("Collected"),
        progress.VERIFIED: tk._("Verified"),
        progress.PUBLISHED: tk._("Published"),
        progress.OVERDUE: tk._("Overdue"),
    }


def deadline_labels() -> dict[str, str]:
    return {
        progress.ON_TRACK: tk._("On schedule"),
        progress.DUE_SOON: tk._("Release due soon"),
        progress.LATE: tk._("Release date passed"),
        progress.UNSCHEDULED: tk._("No release date"),
    }


def default_year(today: datetime.date) -> int | None:
    """The plan to show first: this year's, else the latest before it, else the first after."""
    available = daftar_data.years()
    if not available:
        return None
    past = [year for year in available if year <= today.year]
    return max(past) if past else min(available)


def organization(id_or_name: str) -> Organization | None:
    group = model.Group.get(id_or_name)
    if group is None or not group.is_organization or group.state != "active":
        return None
    return Organization(group.id, group.name, group.title or group.name)


def _organizations(ids: Iterable[str]) -> dict[str, Organization]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = model.Session.query(model.Group.id, model.Group.name, model.Group.title).filter(
        model.Group.id.in_(wanted)
    )
    found = {id_: Organization(id_, name, title or name) for id_, name, title in rows}
    for missing in wanted - set(found):  # an OPD purged since the import
        found[missing] = Organization(missing, missing, missing)
    return found


def organizations_of_year(tahun: int) -> list[Organization]:
    """The OPDs with items in a year's plan, by title."""
    ids = {
        id_
        for (id_,) in model.Session.query(PlanItem.organization_id)
        .filter(PlanItem.tahun == tahun)
        .distinct()
    }
    return sorted(_organizations(ids).values(), key=lambda found: found.title)


def _datasets(package_ids: Iterable[str]) -> dict[str, tuple[model.Package, str | None]]:
    wanted = set(package_ids)
    if not wanted:
        return {}
    status = model.Package.extras["status_data"].astext
    rows = model.Session.query(model.Package, status).filter(model.Package.id.in_(wanted))
    return {package.id: (package, status_data) for package, status_data in rows}


def _may_read(user: str | None, package_id: str) -> bool:
    try:
        tk.check_access("package_show", {"user": user or ""}, {"id": package_id})
    except tk.NotAuthorized:
        return False
    return True


def views_of(items: list[PlanItem], user: str | None, today: datetime.date) -> list[ItemView]:
    """Each item with its OPD, progress and the linked datasets ``user`` may read."""
    links = daftar_data_link.of_items(item.id for item in items)
    packages = _datasets(link.package_id for found in links.values() for link in found)
    organizations = _organizations(item.organization_id for item in items)
    readable: dict[str, bool] = {}
    views = []
    for item in items:
        facts: list[progress.DatasetFacts] = []
        shown: list[LinkedDataset] = []
        hidden = 0
        for link in links.get(item.id, []):
            found = packages.get(link.package_id)
            if found is None:  # purged
                continue
            package, status_data = found
            fact = progress.DatasetFacts(
                package.id, package.state, bool(package.private), status_data
            )
            facts.append(fact)
            if package.state != "active":
                continue
            if package.private and package.id not in readable:
                readable[package.id] = _may_read(user, package.id)
            if package.private and not readable[package.id]:
                hidden += 1
                continue
            shown.append(
                LinkedDataset(
                    package.id,
                    package.name,
                    package.title or package.name,
                    progress.dataset_stage(fact),
                    status_data,
                    bool(package.private),
                    link.source,
                )
            )
        views.append(
            ItemView(
                item,
                organizations[item.organization_id],
                progress.of_item(item.jadwal_rilis, item.jadwal_pemutakhiran, facts, today),
                shown,
                hidden,
            )
        )
    return views


def year_views(
    tahun: int,
    user: str | None,
    today: datetime.date,
    *,
    organization_id: str | None = None,
    topik: str | None = None,
    prioritas: bool | None = None,
    state: str | None = None,
) -> list[ItemView]:
    """The items of a year's plan, filtered (``state``: one of progress.STATES)."""
    items = daftar_data.of_year(tahun, organization_id, topik, prioritas)
    views = views_of(items, user, today)
    if state:
        views = [view for view in views if view.progress.state == state]
    return views


def overdue(views: Iterable[ItemView]) -> list[ItemView]:
    """The overdue items, latest first."""
    late = [view for view in views if view.progress.overdue]
    return sorted(late, key=lambda view: (-(view.progress.days_late or 0), view.item.id_ddd))


def summary(views: list[ItemView]) -> dict[str, Any]:
    """Counts and percentages for the kabupaten and per OPD, and the overdue list."""
    kabupaten = progress.tally((view.progress, view.item.prioritas) for view in views)
    organizations = {view.organization.id: view.organization for view in views}
    per_opd = progress.tally_by(
        (view.organization.id, view.progress, view.item.prioritas) for view in views
    )
    rows = [
        {"organization": organizations[id_].as_dict(), **tally.as_dict()}
        for id_, tally in per_opd.items()
    ]
    rows.sort(key=lambda row: row["organization"]["title"])
    return {
        "kabupaten": kabupaten.as_dict(),
        "organizations": rows,
        "overdue": [_brief(view) for view in overdue(views)],
    }


def _brief(view: ItemView) -> dict[str, Any]:
    return {
        "id": view.item.id,
        "id_ddd": view.item.id_ddd,
        "nama_data": view.item.nama_data,
        "organization": view.organization.as_dict(),
        "jadwal_rilis": view.item.jadwal_rilis.isoformat() if view.item.jadwal_rilis else None,
        "prioritas": bool(view.item.prioritas),
        "stage": view.progress.stage,
        "days_late": view.progress.days_late,
    }


@dataclass(frozen=True)
class Schedule:
    """The Jadwal Rilis: items by month of their planned release (ISO
    "YYYY-MM"), in date order, and those without a date yet."""

    months: list[tuple[str, list[ItemView]]]
    unscheduled: list[ItemView]


def schedule(views: list[ItemView]) -> Schedule:
    months: dict[str, list[ItemView]] = {}
    dated = sorted(
        (view for view in views if view.item.jadwal_rilis),
        key=lambda view: (view.item.jadwal_rilis, view.organization.title, view.item.id_ddd),
    )
    for view in dated:
        months.setdefault(view.item.jadwal_rilis.strftime("%Y-%m"), []).append(view)
    return Schedule(list(months.items()), [view for view in views if not view.item.jadwal_rilis])


MONTH_NAMES = {
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip


def month_label(month: str) -> str:
    """ "2025-03" as "Maret 2025" (or "March 2025" under /en)."""
    year, number = (int(part) for part in month.split("-"))
    names = MONTH_NAMES.get(current_lang(), MONTH_NAMES["id"])
    return f"{names[number - 1]} {year}"


def date_label(value: datetime.date | None) -> str:
    """A date as "31 Maret 2025" (or "31 March 2025")."""
    if value is None:
        return ""
    return f"{value.day} {month_label(value.strftime('%Y-%m'))}"


def topic_choices() -> list[tuple[str, str]]:
    lang = current_lang()
    return [(term.value, term.label(lang)) for term in vocabularies.terms("topic")]
