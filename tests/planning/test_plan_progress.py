"""The progress rule (planning/progress.py, pure) against a fixed clock."""

from __future__ import annotations

import datetime

import pytest

from ckanext.satudata.catalog import freshness
from ckanext.satudata.planning import progress
from ckanext.satudata.planning.progress import DatasetFacts

TODAY = datetime.date(2025, 7, 1)
RELEASE = datetime.date(2025, 6, 30)  # yesterday


def dataset(
    status: str | None = None, private: bool = False, state: str = "active"
) -> DatasetFacts:
    return DatasetFacts("d", state, private, status)


@pytest.mark.parametrize(
    ("facts", "stage"),
    [
        (dataset(), progress.PUBLISHED),  # public, no review status
        (dataset(private=True), progress.COLLECTED),
        (dataset("draft"), progress.COLLECTED),
        (dataset("menunggu_persetujuan"), progress.COLLECTED),
        (dataset("ditolak"), progress.COLLECTED),
        (dataset("tidak_ditayangkan"), progress.COLLECTED),  # withdrawn by its harvest
        (dataset("disetujui"), progress.VERIFIED),
        (dataset("disetujui", private=True), progress.VERIFIED),
        (dataset("ditayangkan"), progress.PUBLISHED),
        (dataset("ditayangkan", private=True), progress.PUBLISHED),
        (dataset(state="deleted"), progress.PLANNED),
        (dataset(state="draft"), progress.PLANNED),
    ],
)
def test_a_dataset_brings_its_item_to_a_stage(facts: DatasetFacts, stage: str) -> None:
    assert progress.dataset_stage(facts) == stage


def test_an_item_is_as_far_as_its_furthest_dataset() -> None:
    found = progress.of_item(None, "tahunan", [dataset("draft"), dataset("disetujui")], TODAY)
    assert (found.stage, found.state, found.deadline) == (
        progress.VERIFIED, progress.VERIFIED, progress.UNSCHEDULED,
    )  # fmt: skip
    assert progress.of_item(None, None, [], TODAY).stage == progress.PLANNED


@pytest.mark.parametrize(
    ("release", "datasets", "state", "deadline", "days_late"),
    [
        # Late the day after the release date (freshness.is_late), not on it.
        (TODAY, [], progress.PLANNED, progress.DUE_SOON, None),
        (RELEASE, [], progress.OVERDUE, progress.LATE, 1),
        (datetime.date(2025, 3, 31), [dataset("draft")], progress.OVERDUE, progress.LATE, 92),
        (datetime.date(2025, 3, 31), [dataset("disetujui")], progress.OVERDUE, progress.LATE, 92),
        # Published is never overdue, however late it came.
        (
            datetime.date(2025, 3, 31),
            [dataset("ditayangkan")],
            progress.PUBLISHED,
            progress.LATE,
            None,
        ),
        # Due soon in the last 30 days before the date (a tenth of a year, at most 30).
        (datetime.date(2025, 7, 30), [], progress.PLANNED, progress.DUE_SOON, None),
        (datetime.date(2025, 7, 31), [], progress.PLANNED, progress.ON_TRACK, None),
        (None, [], progress.PLANNED, progress.UNSCHEDULED, None),  # no date: never overdue
    ],
)
def test_overdue_against_a_fixed_clock(
    release: datetime.date | None,
    datasets: list[DatasetFacts],
    state: str,
    deadline: str,
    days_late: int | None,
) -> None:
    found = progress.of_item(release, "tahunan", datasets, TODAY)
    assert (found.state, found.deadline, found.days_late) == (state, deadline, days_late)


def test_the_warning_window_follows_the_update_schedule() -> None:
    """A monthly item is due soon in its last 3 days (a tenth of 31), as freshness.py says."""
    assert freshness.period_days("bulanan") == 31
    in_three = TODAY + datetime.timedelta(days=3)
    in_two = TODAY + datetime.timedelta(days=2)
    assert progress.of_item(in_three, "bulanan", [], TODAY).deadline == progress.ON_TRACK
    assert progress.of_item(in_two, "bulanan", [], TODAY).deadline == progress.DUE_SOON
    assert freshness.deadline_state(in_two, TODAY, 31) == freshness.DUE_SOON


def test_tallies_count_each_item_once_with_percentages() -> None:
    late = progress.of_item(datetime.date(2025, 3, 31), "tahunan", [], TODAY)
    soon = progress.of_item(datetime.date(2025, 7, 10), "tahunan", [dataset("draft")], TODAY)
    verified = progress.of_item(None, "tahunan", [dataset("disetujui")], TODAY)
    published = progress.of_item(datetime.date(2025, 3, 31), "tahunan", [dataset()], TODAY)
    tally = progress.tally(
        [(late, True), (soon, False), (verified, False), (published, True)]
    ).as_dict()
    assert tally["total"] == 4
    assert tally["stages"] == {"planned": 1, "collected": 1, "verified": 1, "published": 1}
    assert tally["reached"] == {"collected": 3, "verified": 2, "published": 1}
    assert tally["percent"] == {
        "collected": 75.0,
        "verified": 50.0,
        "published": 25.0,
        "overdue": 25.0,
    }
    assert (tally["overdue"], tally["due_soon"]) == (1, 1)
    assert (tally["priority"], tally["priority_published"], tally["priority_published_percent"]) == (
        2, 1, 50.0,
    )  # fmt: skip
    empty = progress.tally([]).as_dict()
    assert empty["percent"]["published"] == 0.0 and empty["total"] == 0


def test_tallies_per_key_include_keys_without_items() -> None:
    published = progress.of_item(None, None, [dataset()], TODAY)
    per_opd = progress.tally_by([("dinkes", published, False)], keys=["dinkes", "distan"])
    assert per_opd["dinkes"].reached(progress.PUBLISHED) == 1
    assert per_opd["distan"].total == 0
