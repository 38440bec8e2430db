"""Running harvest jobs in tests through ckanext-harvest's own stage
functions (queue.gather_stage, then queue.fetch_and_import_stages per object,
then harvest_jobs_run), as its test helper run_harvest_job does, minus the
Redis round trip (tests/harvest_queue covers that); and the real consumer
processes for the tests that go through the queue (``consumer_processes``)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class JobResult:
    job: dict[str, Any]
    gather_errors: list[str]
    # Every object of the job (guid, state, report_status, errors, package_id),
    # those gather completed itself included.
    objects: list[dict[str, Any]]
    queued: int  # objects gather handed on to the fetch stage

    @property
    def object_errors(self) -> list[str]:
        return [error for o in self.objects for error in o["errors"]]

    def statuses(self) -> list[str]:
        return sorted(o["report_status"] for o in self.objects)

    def statuses_by_guid(self) -> dict[str, str]:
        return {o["guid"]: o["report_status"] for o in self.objects}


OUR_HARVESTERS = ("satudata_dukcapil", "satudata_spreadsheet")


def forget_harvest_user() -> None:
    """ckanext-harvest caches, per process, the user its harvesters act as;
    a test's clean_db removes that user, so the next test must look it up again."""
    from ckanext.harvest import queue

    for source_type in OUR_HARVESTERS:
        queue.get_harvester(source_type)._user_name = None


def run_job(user: str, source_id: str, source_type: str) -> JobResult:
    from ckan.tests.helpers import call_action
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject

    from ckanext.satudata.harvesters.messages import render_stored

    job_dict = call_action(
        "harvest_job_create", context={"user": user}, source_id=source_id, run=False
    )
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    # A purged dataset removes the session: keep plain ids, not ORM objects.
    job_id = job.id
    harvester = queue.get_harvester(source_type)
    queued = queue.gather_stage(harvester, job) or []
    for object_id in queued:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
    call_action("harvest_jobs_run", context={"ignore_auth": True})
    # Reports as stored, rendered in English (harvesters/messages.py).
    gather_errors = [render_stored(e.message) for e in HarvestJob.get(job_id).gather_errors]
    objects = [
        {
            "guid": harvest_object.guid,
            "state": harvest_object.state,
            "report_status": harvest_object.report_status,
            "errors": [render_stored(error.message) for error in harvest_object.errors],
            "package_id": harvest_object.package_id,
        }
        for harvest_object in HarvestObject.filter(harvest_job_id=job_id).order_by(
            HarvestObject.gathered
        )
    ]
    job_report = call_action("harvest_job_show", context={"user": user}, id=job_id)
    return JobResult(job_report, gather_errors, objects, len(queued))


@contextlib.contextmanager
def consumer_processes(ini: str) -> Iterator[None]:
    """The gather and fetch consumers as separate `ckan satudata harvest
    …-consumer` processes on ``ini`` (its Redis database), as production runs
    them, with this process's environment; stopped when the block ends."""
    ckan = str(Path(sys.executable).with_name("ckan"))
    procs = [
        subprocess.Popen(
            [ckan, "-c", str(Path(ini).resolve()), "satudata", "harvest", f"{stage}-consumer"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for stage in ("gather", "fetch")
    ]
    try:
        yield
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
