"""The DataStore load of a harvested table is part of the harvester's write
(validation/jobs.py loads_in_this_process): done by the import itself, not
queued, so the dataset is scored once and indexed once, and its file is
fetched once. Real PostgreSQL, Solr, Redis; the file over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from action_support import actions
from ckan.lib import jobs as ckan_jobs
from ckan.tests.helpers import call_action
from scoring_support import count_scorings
from solr_support import count_solr_writes
from spreadsheet_support import Harvests
from test_spreadsheet_harvest import PUSKESMAS, SAMPLE_ROWS, publish_sample, show

from ckanext.satudata.demo import build_opd
from ckanext.satudata.model import validation_report

pytestmark = pytest.mark.usefixtures("clean_redis")

PUSKESMAS_ROWS = 20


def count_dictized(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The datasets CKAN dictizes (package_show's work) from now on; each
    call passed on."""
    from ckan.lib.dictization import model_dictize

    dictized: list[str] = []
    package_dictize = model_dictize.package_dictize

    def counting(pkg: Any, *args: Any, **kwargs: Any) -> Any:
        dictized.append(pkg.id)
        return package_dictize(pkg, *args, **kwargs)

    monkeypatch.setattr(model_dictize, "package_dictize", counting)
    return dictized


def load_state(resource_id: str) -> dict[str, Any]:
    record = validation_report.get(resource_id)
    assert record is not None
    return record.report["datastore"]


def datastore_values(resource_id: str) -> list[str]:
    found = call_action("datastore_search", resource_id=resource_id, limit=1000, sort="_id")
    return [str(record["nilai"]) for record in found["records"]]


def test_a_harvested_table_is_loaded_by_its_write_scored_and_indexed_once(
    harvests: Harvests, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_sample(harvests, SAMPLE_ROWS[0])
    harvests.configure()
    scorings = count_scorings(monkeypatch)
    solr_writes = count_solr_writes(monkeypatch)
    dictized = count_dictized(monkeypatch)

    with actions() as called:
        result = harvests.run()

    assert result.object_errors == [] and result.statuses() == ["added"]
    dataset = show(PUSKESMAS)
    clean = dataset["resources"][0]
    # Loaded by the import: no job left for the jobs worker.
    assert ckan_jobs.get_queue().count == 0
    state = load_state(clean["id"])
    assert (state["status"], state["rows"]) == ("loaded", PUSKESMAS_ROWS)
    assert clean["datastore_active"] is True
    assert len(datastore_values(clean["id"])) == PUSKESMAS_ROWS
    views = call_action("resource_view_list", id=clean["id"])
    assert "datatables_view" in [view["view_type"] for view in views]
    # One write: scored once (with its table), indexed once.
    assert scorings == [dataset["id"]]
    assert solr_writes.ids.count(dataset["id"]) == 1
    assert "package_update" not in called[called.index("package_create") + 1 :]
    # The dataset dictized 4 times (6 before the load showed it once for its
    # DataStore actions and its views; more when the load was a job of its
    # own, scored and indexed again).
    assert dictized.count(dataset["id"]) == 4
    # The file is fetched once, by the fetch stage (the load reads the stored clean CSV).
    assert harvests.server.requests.count("opd/puskesmas.csv") == 1


def test_a_changed_file_is_loaded_again_by_its_harvest(harvests: Harvests) -> None:
    publish_sample(harvests, SAMPLE_ROWS[0])
    harvests.configure()
    harvests.run()
    clean_id = show(PUSKESMAS)["resources"][0]["id"]
    changed = build_opd.dinkes()["dinkes/jumlah_puskesmas.csv"].replace(
        b"64.01.04,Tanah Grogot,2024,Jumlah Puskesmas,3",
        b"64.01.04,Tanah Grogot,2024,Jumlah Puskesmas,4",
    )
    harvests.server.put("opd/puskesmas.csv", changed)
    before = datastore_values(clean_id)

    result = harvests.run()

    assert result.statuses() == ["updated"]
    assert ckan_jobs.get_queue().count == 0
    assert load_state(clean_id)["status"] == "loaded"
    after = datastore_values(clean_id)
    assert len(after) == len(before) == PUSKESMAS_ROWS
    assert after.count("4") == before.count("4") + 1


def test_a_load_that_fails_in_the_harvest_is_recorded_and_the_harvest_goes_on(
    harvests: Harvests, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ckanext.satudata.validation import datastore

    def failing(resource_id: str, table_schema: dict[str, Any]) -> int:
        raise RuntimeError("the load broke")

    monkeypatch.setattr(datastore, "load_resource", failing)
    publish_sample(harvests, *SAMPLE_ROWS[:2])
    harvests.configure()

    result = harvests.run()

    # The datasets stand (written before their load), the failure is the load's.
    assert result.object_errors == [] and result.statuses() == ["added", "added"]
    clean = show(PUSKESMAS)["resources"][0]
    state = load_state(clean["id"])
    assert state["status"] == "failed" and "the load broke" in state["error"]
    assert clean["datastore_active"] is not True
    assert ckan_jobs.get_queue().count == 0
