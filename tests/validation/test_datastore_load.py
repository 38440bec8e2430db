"""The DataStore load of a validated table (validation/jobs.py load_job ->
validation/datastore.py): one write of the dataset, scored once, with the
table's record count computed in the load itself, never a background job of
its own; and the in-process jobs worker that runs it (ops/jobs_worker.py).
Real PostgreSQL, Solr and Redis."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from action_support import actions
from ckan import model
from ckan.lib import jobs as ckan_jobs
from ckan.lib import search
from ckan.tests.helpers import call_action
from scoring_support import count_scorings
from solr_support import SolrWrites, count_solr_writes
from validation_files import csv_bytes, good_rows
from werkzeug.datastructures import FileStorage

from ckanext.satudata.model import validation_report
from ckanext.satudata.ops.jobs_worker import InProcessWorker

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")
STANDARD = "penduduk_jenis_kelamin"


def drain() -> None:
    InProcessWorker(["default"]).work(burst=True, with_scheduler=False)


@pytest.fixture
def solr_writes(monkeypatch: pytest.MonkeyPatch) -> SolrWrites:
    return count_solr_writes(monkeypatch)


@pytest.fixture
def loaded_resource(sysadmin: dict, sdi_dataset: Any) -> dict:
    """A dataset with a table that passed validation, its load queued."""
    context = {"user": sysadmin["name"]}
    dataset = call_action("package_create", context=context, **sdi_dataset(standar_data=STANDARD))
    upload = FileStorage(io.BytesIO(csv_bytes(good_rows())), filename="penduduk.csv")
    resource = call_action(
        "resource_create", context=dict(context), package_id=dataset["id"], name="p", upload=upload
    )
    queued = ckan_jobs.get_queue().jobs
    assert [job.func_name for job in queued] == ["ckanext.satudata.validation.jobs.load_job"]
    return resource


def record_count_jobs(resource_id: str) -> list[str]:
    queue = ckan_jobs.get_queue()
    ids = [job.id for job in queue.jobs] + queue.scheduled_job_registry.get_job_ids()
    return [job_id for job_id in ids if job_id == f"{resource_id}_calculate-record-count"]


def stored_row_count(resource_id: str) -> int | None:
    """The record count CKAN keeps for datastore_search (_table_stats)."""
    import sqlalchemy as sa
    from ckanext.datastore.backend.postgres import get_write_engine

    with get_write_engine().connect() as conn:
        row = conn.execute(
            sa.text("SELECT stats -> 'rows' FROM _table_stats WHERE resource_id = :id"),
            {"id": resource_id},
        ).first()
    return int(row[0]) if row and row[0] is not None else None


def load_state(resource_id: str) -> dict:
    record = validation_report.get(resource_id)
    assert record is not None
    return record.report["datastore"]


@pytest.mark.parametrize("again", [False, True], ids=["first load", "re-load"])
def test_a_load_counts_its_rows_itself_and_scores_the_dataset_once(
    loaded_resource: dict, monkeypatch: pytest.MonkeyPatch, solr_writes: SolrWrites, again: bool
) -> None:
    from ckanext.satudata.validation import jobs

    resource_id, package_id = loaded_resource["id"], loaded_resource["package_id"]
    table_schema = load_state(resource_id)["table_schema"]
    if again:  # a re-load drops the table and makes it again
        drain()
        jobs.enqueue_load(resource_id, table_schema)
    scorings = count_scorings(monkeypatch)
    solr_writes.reset()

    with actions() as called:
        drain()

    rows = len(good_rows())
    state = load_state(resource_id)
    assert (state["status"], state["rows"]) == ("loaded", rows)
    assert call_action("resource_show", id=resource_id)["datastore_active"] is True
    # No background record-count job: the load stored the count itself.
    assert record_count_jobs(resource_id) == []
    assert ckan_jobs.get_queue().count == 0
    assert stored_row_count(resource_id) == rows
    # One scoring of the dataset per load (the flag, the views, the table).
    assert scorings == [package_id]
    # The flag set in place, not by CKAN's resource_patch (a package_update
    # for one flag, with its own index and Solr commit): the dataset is
    # indexed once, at the end of the load, without a commit of its own.
    assert "package_update" not in called
    assert solr_writes.ids.count(package_id) == 1
    assert solr_writes.commits == 0
    shown = call_action("package_show", id=package_id)
    assert shown["resources"][0]["datastore_active"] is True
    search.commit()  # (Solr's autoSoftCommit would, within a second)
    indexed = json.loads(search.show(package_id)["validated_data_dict"])
    assert indexed["resources"][0]["datastore_active"] is True
    views = call_action("resource_view_list", id=resource_id)
    assert "datatables_view" in [view["view_type"] for view in views]


# The in-process jobs worker ---------------------------------------------------


def test_the_worker_survives_a_failing_job_and_runs_the_next() -> None:
    import jobs_support

    queue = ckan_jobs.get_queue()
    failing = queue.enqueue(jobs_support.failing_job)
    after = queue.enqueue(jobs_support.sleeping_job, 0)

    drain()

    failing.refresh()
    after.refresh()
    assert failing.is_failed and "this job fails" in (failing.exc_info or "")
    assert after.is_finished


def test_a_job_past_its_timeout_is_stopped_and_the_worker_goes_on() -> None:
    import jobs_support

    queue = ckan_jobs.get_queue()
    slow = queue.enqueue(jobs_support.sleeping_job, 30, job_timeout=1)
    after = queue.enqueue(jobs_support.sleeping_job, 0)

    drain()

    slow.refresh()
    after.refresh()
    assert slow.is_failed and "JobTimeoutException" in (slow.exc_info or "")
    assert after.is_finished


def test_each_job_starts_with_a_clean_session() -> None:
    import jobs_support

    queue = ckan_jobs.get_queue()
    queue.enqueue(jobs_support.leave_uncommitted_job, "left-behind")
    sees = queue.enqueue(jobs_support.sees_user_job, "left-behind")

    drain()

    sees.refresh()
    assert sees.return_value() is False
    model.Session.remove()
    assert model.User.get("left-behind") is None  # rolled back, never committed
