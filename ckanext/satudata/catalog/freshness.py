"""Freshness of a dataset: is its data as recent as its update schedule
promises? The one place the rule lives; the search index, the API
(package_show), the facets and the templates all call ``of_dataset``.

Rule: a release stays current for the ``period_days`` of the dataset's
``accrualPeriodicity`` (vocabulary ``frequency``), counted from the last
update of its data. In the last tenth of that period (at least one day, at
most ``DUE_SOON_MAX_DAYS``) it is "due soon"; after it, "overdue". A dataset
without a schedule period (ad hoc, or none given) is "unscheduled"; one with a
schedule but no data file yet is "no_data".

The last update of the data is the newest resource change (a new file is a
new release); editing the metadata alone does not make data current.

``deadline_state`` is the rule for any deadline (a dataset's next update
here, a planned release of the Daftar Data in planning/progress.py): late
the day after it, due soon in its warning window.
Pure Python (no CKAN import) so it can be tested and reused anywhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ckanext.satudata.reference import vocabularies

CURRENT = "current"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
UNSCHEDULED = "unscheduled"
NO_DATA = "no_data"
STATES = (CURRENT, DUE_SOON, OVERDUE, UNSCHEDULED, NO_DATA)

DUE_SOON_MAX_DAYS = 30


@dataclass(frozen=True)
class Freshness:
    state: str
    last_update: datetime.date | None
    due: datetime.date | None

    def as_api_fields(self) -> dict[str, str | None]:
        """Flat fields added to package_show (and indexed for search)."""
        return {
            "freshness": self.state,
            "freshness_last_update": self.last_update.isoformat() if self.last_update else None,
            "freshness_due": self.due.isoformat() if self.due else None,
        }


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.datetime.fromisoformat(value.rstrip("Z")).date()
        except ValueError:
            return None
    return None


def last_update(resources: Iterable[Mapping[str, Any]]) -> datetime.date | None:
    """Newest data change: resources' last_modified (file replaced) or created."""
    dates = [
        date
        for resource in resources
        if (date := _as_date(resource.get("last_modified") or resource.get("created")))
    ]
    return max(dates) if dates else None


def period_days(frequency: str | None) -> int | None:
    """Days a release of ``frequency`` (vocabulary value) stays current; None
    for ad hoc or an unknown schedule."""
    term = vocabularies.get("frequency", frequency)
    days = term.extra.get("period_days") if term else None
    return int(days) if days else None


def is_late(due: datetime.date, today: datetime.date) -> bool:
    """Late means the deadline day has passed (the due day itself is on time)."""
    return today > due


def deadline_state(due: datetime.date, today: datetime.date, period: int | None = None) -> str:
    """OVERDUE, DUE_SOON or CURRENT for a deadline: due soon in the last tenth
    of ``period`` days before it (at least one day, at most
    DUE_SOON_MAX_DAYS; DUE_SOON_MAX_DAYS without a period)."""
    warning_days = min(DUE_SOON_MAX_DAYS, max(1, period // 10)) if period else DUE_SOON_MAX_DAYS
    if is_late(due, today):
        return OVERDUE
    if today > due - datetime.timedelta(days=warning_days):
        return DUE_SOON
    return CURRENT


def evaluate(
    frequency: str | None,
    updated: datetime.date | None,
    today: datetime.date | None = None,
) -> Freshness:
    period = period_days(frequency)
    if not period:
        return Freshness(UNSCHEDULED, updated, None)
    if updated is None:
        return Freshness(NO_DATA, None, None)
    due = updated + datetime.timedelta(days=period)
    return Freshness(deadline_state(due, today or datetime.date.today(), period), updated, due)


def of_dataset(pkg_dict: Mapping[str, Any], today: datetime.date | None = None) -> Freshness:
    """Freshness of a package dict (package_show or index form)."""
    return evaluate(
        pkg_dict.get("accrualPeriodicity"), last_update(pkg_dict.get("resources") or []), today
    )
