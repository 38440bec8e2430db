"""validation/recovery.py: validations and DataStore loads whose jobs were
lost (a killed worker, a Redis restart) are queued again, then recorded as
failed after too many tries; never left "pending". On the suite's stack,
with the real jobs queue and worker."""

from __future__ import annotations

import io
from typing import Any

import pytest
from ckan.lib import jobs as ckan_jobs
from ckan.tests.helpers import call_action
from jobs_support import run_jobs
from werkzeug.datastructures import FileStorage

from ckanext.satudata.model import validation_report
from ckanext.satudata.validation import jobs, recovery

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    pytest.mark.ckan_config("ckanext.satudata.recovery.grace_seconds", "0"),
    pytest.mark.ckan_config("ckanext.satudata.recovery.lease_seconds", "3"),
    pytest.mark.ckan_config("ckanext.satudata.recovery.attempts", "2"),
]
CSV = b"kode_wilayah,tahun,jumlah\n64.01.01,2024,10\n64.01.02,2024,12\n"


@pytest.fixture
def resource(sysadmin: dict, sdi_dataset: Any) -> dict:
    ckan_jobs.get_queue().empty()
    context = {"user": sysadmin["name"]}
    package = call_action("package_create", context=context, **sdi_dataset())
    upload = FileStorage(io.BytesIO(CSV), filename="data.csv", content_type="text/csv")
    created = call_action(
        "resource_create", context=dict(context), package_id=package["id"], name="r", upload=upload
    )
    ckan_jobs.get_queue().empty()  # its DataStore load: lost, as with a Redis restart
    return created


def _record(resource_id: str) -> validation_report.ValidationReport:
    record = validation_report.get(resource_id)
    assert record is not None
    return record


def test_a_lost_load_is_queued_again_and_runs(resource: dict) -> None:
    assert _record(resource["id"]).report["datastore"]["status"] == "queued"

    assert recovery.recover() == [f"DataStore load of resource {resource['id']}: queued again"]
    run_jobs()

    entry = _record(resource["id"]).report["datastore"]
    assert (entry["status"], entry["rows"]) == ("loaded", 2)
    assert recovery.recover() == []


def test_a_load_lost_too_often_is_recorded_as_failed(
    resource: dict, app: Any, sysadmin: dict
) -> None:
    recovery.recover()
    ckan_jobs.get_queue().empty()  # lost again

    assert recovery.recover() == [f"DataStore load of resource {resource['id']}: given up"]
    entry = _record(resource["id"]).report["datastore"]
    assert entry["status"] == "failed" and "lost 2 times" in entry["error"]
    # Visible on the resource's validation report page.
    page = app.get(
        f"/dataset/{resource['package_id']}/resource/{resource['id']}/validation",
        headers={"Authorization": sysadmin["token"]},
    )
    assert "Pemuatan ke DataStore gagal: its job was lost 2 times" in page.body


def test_a_lost_validation_is_queued_again_then_recorded_as_not_run(resource: dict) -> None:
    jobs.queue_validation(resource, "manual", None)
    ckan_jobs.get_queue().empty()
    assert _record(resource["id"]).status == "pending"

    assert recovery.recover() == [f"validation of resource {resource['id']}: queued again"]
    assert _record(resource["id"]).report["job"]["attempt"] == 2
    ckan_jobs.get_queue().empty()
    recovery.recover()

    record = _record(resource["id"])
    assert record.status == "error"
    assert record.summary[0]["type"] == "not-run"
    assert record.summary[0]["message_id"].startswith("Validasi tidak dapat dijalankan (2 kali")


def test_a_queued_validation_is_left_to_its_job(resource: dict) -> None:
    jobs.queue_validation(resource, "manual", None)

    assert recovery.recover() == []
    run_jobs()
    assert _record(resource["id"]).status == "success"
