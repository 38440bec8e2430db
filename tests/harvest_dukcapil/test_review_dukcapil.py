"""The Dukcapil harvester and the walidata's review (review/workflow.py):
an untrusted source's release waits for the walidata; Dukcapil's correction
of a published release becomes the dataset's pending change, each table's
validation kept with it, and reaches the public when the walidata publishes
it; a re-harvest of the same correction keeps its review."""

from __future__ import annotations

from typing import Any

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from dukcapil_support import ALL_DATASETS, SEX_DATASET, Harvests, by_period, show

from ckanext.satudata.model import pending_change, review_event

SEMESTER = "2024 Semester II"


@pytest.fixture(autouse=True)
def review_enabled(ckan_config: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ckan_config, "ckanext.satudata.review.enabled", True)


def _walidata(harvests: Harvests, action: str, name: str) -> None:
    call_action(f"satudata_review_{action}", context={"user": harvests.sysadmin["name"]}, id=name)


def _public(name: str) -> dict[str, Any]:
    return tk.get_action("package_show")({"user": "", "use_cache": False}, {"id": name})


def test_a_correction_waits_for_the_walidata(harvests: Harvests) -> None:
    harvests.configure(url=harvests.feed.service_url("2024-S2"), semester="2024-S2")
    result = harvests.run()
    assert result.gather_errors == [] and result.object_errors == []
    for name in ALL_DATASETS:
        assert show(name)["status_data"] == "menunggu_persetujuan", name
        _walidata(harvests, "approve", name)
        _walidata(harvests, "publish", name)
    published = by_period(_public(SEX_DATASET))

    harvests.feed.state.faults.revised.add("2024-S2")  # Dukcapil corrects its figures
    result = harvests.run()
    assert result.object_errors == []
    assert sorted(result.statuses_by_guid().values()) == ["updated"] * 3
    public = by_period(_public(SEX_DATASET))
    assert public[SEMESTER]["hash"] == published[SEMESTER]["hash"]  # still the published one
    package_id = public[SEMESTER]["package_id"]
    change = pending_change.get(package_id)
    assert change is not None and change.state == "menunggu_persetujuan"
    assert published[SEMESTER]["id"] in change.validations  # the corrected table's validation
    events = len(review_event.history(package_id))

    result = harvests.run()  # the same correction again
    assert sorted(result.statuses_by_guid().values()) == ["not modified"] * 3
    assert len(review_event.history(package_id)) == events

    _walidata(harvests, "approve", SEX_DATASET)
    _walidata(harvests, "publish", SEX_DATASET)
    model.Session.remove()
    public = by_period(_public(SEX_DATASET))
    assert public[SEMESTER]["id"] == published[SEMESTER]["id"]
    assert public[SEMESTER]["hash"] != published[SEMESTER]["hash"]
    assert public[SEMESTER]["validation_status"] == "success"
    assert pending_change.get(package_id) is None
