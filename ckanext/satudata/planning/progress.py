"""How far a Daftar Data item has come, computed from what exists (never
typed by hand), and the tallies of a set of items.

Stages, each implying the ones before:

- planned: in the year's Daftar Data, no dataset yet;
- collected: an active dataset is linked to it;
- verified: a linked dataset's ``status_data`` is ``disetujui`` or
  ``ditayangkan`` (set by the walidata's review);
- published: a linked dataset is ``ditayangkan``, or public when it has no
  status at all (a portal without the review workflow).

An item not yet published is **overdue** once its planned release date
(Jadwal Rilis) has passed, by catalog/freshness.py's rule for what "late"
means (``deadline_state``); before that it may be "due soon". An item with
several datasets is as far as the furthest of them.

Pure Python: no CKAN import.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ckanext.satudata.catalog import freshness

PLANNED = "planned"
COLLECTED = "collected"
VERIFIED = "verified"
PUBLISHED = "published"
STAGES = (PLANNED, COLLECTED, VERIFIED, PUBLISHED)
OVERDUE = "overdue"
# What the pages and filters show: the stage, or overdue for a late item.
STATES = (*STAGES, OVERDUE)

# Deadline of the planned release (freshness.deadline_state) or UNSCHEDULED.
ON_TRACK = freshness.CURRENT
DUE_SOON = freshness.DUE_SOON
LATE = freshness.OVERDUE
UNSCHEDULED = freshness.UNSCHEDULED

VERIFIED_STATUSES = frozenset({"disetujui", "ditayangkan"})
PUBLISHED_STATUS = "ditayangkan"


@dataclass(frozen=True)
class DatasetFacts:
    """What the progress rule reads of a linked dataset."""

    id: str
    state: str  # CKAN's: active, draft, deleted
    private: bool
    status_data: str | None


@dataclass(frozen=True)
class Progress:
    stage: str
    state: str  # the stage, or OVERDUE
    deadline: str  # ON_TRACK, DUE_SOON, LATE or UNSCHEDULED (published: its release date's)
    days_late: int | None  # for an overdue item: days since its release date

    @property
    def overdue(self) -> bool:
        return self.state == OVERDUE


def dataset_stage(dataset: DatasetFacts) -> str:
    """The stage a dataset brings its item to."""
    if dataset.state != "active":
        return PLANNED
    status = dataset.status_data or None
    if status == PUBLISHED_STATUS or (status is None and not dataset.private):
        return PUBLISHED
    if status in VERIFIED_STATUSES:
        return VERIFIED
    return COLLECTED


def of_item(
    release: datetime.date | None,
    frequency: str | None,
    datasets: Iterable[DatasetFacts],
    today: datetime.date,
) -> Progress:
    """The progress of an item planned for ``release`` (None: no date yet),
    updated on the schedule ``frequency`` (its warning window), as of ``today``."""
    stage = max((dataset_stage(d) for d in datasets), key=STAGES.index, default=PLANNED)
    if release is None:
        return Progress(stage, stage, UNSCHEDULED, None)
    deadline = freshness.deadline_state(release, today, freshness.period_days(frequency))
    if stage != PUBLISHED and deadline == LATE:
        return Progress(stage, OVERDUE, deadline, (today - release).days)
    return Progress(stage, stage, deadline, None)


@dataclass
class Tally:
    """Counts of a set of items: by stage reached (each item once), how many
    are overdue (none of them published), and the Data Prioritas among them."""

    total: int = 0
    stages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    overdue: int = 0
    due_soon: int = 0
    priority: int = 0
    priority_published: int = 0

    def add(self, progress: Progress, priority: bool) -> None:
        self.total += 1
        self.stages[progress.stage] += 1
        if progress.overdue:
            self.overdue += 1
        elif progress.stage != PUBLISHED and progress.deadline == DUE_SOON:
            self.due_soon += 1
        if priority:
            self.priority += 1
            if progress.stage == PUBLISHED:
                self.priority_published += 1

    def reached(self, stage: str) -> int:
        """Items at ``stage`` or further."""
        return sum(self.stages[s] for s in STAGES[STAGES.index(stage) :])

    @staticmethod
    def percent(part: int, whole: int) -> float:
        return round(100.0 * part / whole, 1) if whole else 0.0

    def as_dict(self) -> dict[str, object]:
        reached = {stage: self.reached(stage) for stage in STAGES[1:]}
        return {
            "total": self.total,
            "stages": dict(self.stages),
            "reached": reached,
            "percent": {
                **{stage: self.percent(count, self.total) for stage, count in reached.items()},
                OVERDUE: self.percent(self.overdue, self.total),
            },
            OVERDUE: self.overdue,
            "due_soon": self.due_soon,
            "priority": self.priority,
            "priority_published": self.priority_published,
            "priority_published_percent": self.percent(self.priority_published, self.priority),
        }


def tally(items: Iterable[tuple[Progress, bool]]) -> Tally:
    """The tally of (progress, is priority) pairs."""
    result = Tally()
    for progress, priority in items:
        result.add(progress, priority)
    return result


def tally_by(
    items: Iterable[tuple[str, Progress, bool]], keys: Iterable[str] = ()
) -> Mapping[str, Tally]:
    """Tallies per key (e.g. per OPD) of (key, progress, is priority); every
    key of ``keys`` has one, if empty."""
    result: dict[str, Tally] = {key: Tally() for key in keys}
    for key, progress, priority in items:
        result.setdefault(key, Tally()).add(progress, priority)
    return result
