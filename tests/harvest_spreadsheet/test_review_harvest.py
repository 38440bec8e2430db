"""Harvested datasets and the walidata's review (review/workflow.py), through
the spreadsheet harvester's real stages: a new or changed record waits in the
queue unless the source is trusted; a published dataset's harvested change
stays out of the public version until the walidata publishes it; an
unchanged re-harvest never resets a review. (Only a sysadmin names a source
trusted: test_source_permissions.py.)"""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from spreadsheet_support import Harvests
from test_spreadsheet_harvest import PUSKESMAS, SAMPLE_ROWS, inventory, publish_sample, show

from ckanext.satudata.demo import build_opd
from ckanext.satudata.model import pending_change, review_event


@pytest.fixture(autouse=True)
def review_enabled(ckan_config: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ckan_config, "ckanext.satudata.review.enabled", True)


def _harvest_one(harvests: Harvests, **config: object) -> None:
    publish_sample(harvests, SAMPLE_ROWS[0])
    harvests.server.put("opd/daftar_data.csv", inventory(SAMPLE_ROWS[0]))
    harvests.configure(**config)
    result = harvests.run()
    assert result.gather_errors == [] and result.object_errors == []
    assert result.statuses() == ["added"]


def _anonymous_sees(name: str) -> bool:
    try:
        tk.get_action("package_show")({"user": ""}, {"id": name})
    except tk.NotAuthorized:
        return False
    return True


def _events(package_id: str) -> list[tuple[str, str, str]]:
    return [(e.subject, e.action, e.to_state) for e in review_event.history(package_id)]


def _queue(harvests: Harvests) -> list[tuple[str, str]]:
    queue = call_action("satudata_review_queue", context={"user": harvests.sysadmin["name"]})
    return [(e["name"], e["subject"]) for e in queue["results"]]


def _walidata(harvests: Harvests, action: str, name: str) -> None:
    call_action(f"satudata_review_{action}", context={"user": harvests.sysadmin["name"]}, id=name)


CHANGED_FROM = b"64.01.04,Tanah Grogot,2024,Jumlah Puskesmas,3"
CHANGED_TO = b"64.01.04,Tanah Grogot,2024,Jumlah Puskesmas,4"


def test_harvested_records_wait_for_the_walidata(harvests: Harvests) -> None:
    _harvest_one(harvests)
    dataset = show(PUSKESMAS)
    assert dataset["status_data"] == "menunggu_persetujuan" and dataset["private"] is True
    assert not _anonymous_sees(PUSKESMAS)
    assert _queue(harvests) == [(PUSKESMAS, "dataset")]
    [event] = review_event.history(dataset["id"])
    assert (event.origin, event.action) == ("harvest", "submit")

    # Unchanged: nothing written, the submission's age is kept.
    harvests.server.responses.clear()
    assert harvests.run().statuses() == ["not modified"]
    assert _events(dataset["id"]) == [("dataset", "submit", "menunggu_persetujuan")]

    _walidata(harvests, "approve", PUSKESMAS)
    _walidata(harvests, "publish", PUSKESMAS)
    assert _anonymous_sees(PUSKESMAS)
    published = show(PUSKESMAS)

    # A changed file: the public keeps the published version; the change queues.
    changed = build_opd.dinkes()["dinkes/jumlah_puskesmas.csv"].replace(CHANGED_FROM, CHANGED_TO)
    assert changed != build_opd.dinkes()["dinkes/jumlah_puskesmas.csv"]
    harvests.server.put("opd/puskesmas.csv", changed)
    assert harvests.run().statuses() == ["updated"]
    public = tk.get_action("package_show")({"user": "", "use_cache": False}, {"id": PUSKESMAS})
    assert public["status_data"] == "ditayangkan"
    assert public["metadata_modified"] == published["metadata_modified"]
    change = pending_change.get(dataset["id"])
    assert change is not None and change.state == "menunggu_persetujuan"
    assert change.origin == "harvest" and change.files  # the new file is staged
    assert _queue(harvests) == [(PUSKESMAS, "revision")]
    events_before = _events(dataset["id"])

    # The same change harvested again does not reset its review.
    harvests.server.responses.clear()
    assert harvests.run().statuses() == ["not modified"]
    assert _events(dataset["id"]) == events_before
    again = pending_change.get(dataset["id"])
    assert again is not None and again.modified == change.modified

    _walidata(harvests, "approve", PUSKESMAS)
    _walidata(harvests, "publish", PUSKESMAS)
    model.Session.remove()
    public = tk.get_action("package_show")({"user": "", "use_cache": False}, {"id": PUSKESMAS})
    assert public["metadata_modified"] > published["metadata_modified"]
    assert pending_change.get(dataset["id"]) is None


def test_a_trusted_source_publishes_at_once(harvests: Harvests) -> None:
    _harvest_one(harvests, trusted=True)
    dataset = show(PUSKESMAS)
    assert dataset["status_data"] == "ditayangkan" and _anonymous_sees(PUSKESMAS)
    assert _queue(harvests) == []

    changed = build_opd.dinkes()["dinkes/jumlah_puskesmas.csv"].replace(CHANGED_FROM, CHANGED_TO)
    harvests.server.put("opd/puskesmas.csv", changed)
    assert harvests.run().statuses() == ["updated"]
    assert pending_change.get(dataset["id"]) is None
    public = tk.get_action("package_show")({"user": "", "use_cache": False}, {"id": PUSKESMAS})
    assert public["metadata_modified"] > dataset["metadata_modified"]
