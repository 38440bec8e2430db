"""Helpers of the spreadsheet harvester tests: harvest jobs run through
ckanext-harvest's own stage functions (queue.gather_stage, then
queue.fetch_and_import_stages per object, then harvest_jobs_run), as its
test helper run_harvest_job does, minus the Redis round trip."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ckanext.satudata.sample_data.serve import FileServer

SOURCE_TYPE = "satudata_spreadsheet"


@dataclass
class JobResult:
    job: dict[str, Any]
    gather_errors: list[str]
    objects: list[dict[str, Any]]

    @property
    def object_errors(self) -> list[str]:
        return [error for o in self.objects for error in o["errors"]]

    def statuses(self) -> list[str]:
        return sorted(o["report_status"] for o in self.objects)


class Harvests:
    """One harvest source of type satudata_spreadsheet and the jobs run on it."""

    def __init__(
        self, sysadmin: dict, server: FileServer, org: dict, source_name: str = "daftar-data-opd"
    ) -> None:
        self.source_name = source_name
        self.sysadmin = sysadmin
        self.server = server
        self.org = org
        self.source: dict[str, Any] | None = None

    def configure(
        self, inventory_path: str = "opd/daftar_data.csv", **config: Any
    ) -> dict[str, Any]:
        from ckan.tests.helpers import call_action

        settings = {"organization": self.org["name"], "allow_private_addresses": True, "timeout": 5}
        settings.update({k: v for k, v in config.items()})
        settings = {k: v for k, v in settings.items() if v is not None}
        data = {
            "url": self.server.url(inventory_path),
            "config": json.dumps(settings),
            "name": self.source_name,
            "title": "Daftar Data OPD",
            "source_type": SOURCE_TYPE,
            "owner_org": self.org["id"],
        }
        context = {"user": self.sysadmin["name"]}
        if self.source is None:
            self.source = call_action("harvest_source_create", context=context, **data)
        else:
            self.source = call_action(
                "harvest_source_update", context=context, id=self.source["id"], **data
            )
        return self.source

    def run(self) -> JobResult:
        from ckan.tests.helpers import call_action
        from ckanext.harvest import queue
        from ckanext.harvest.model import HarvestJob, HarvestObject

        assert self.source is not None
        context = {"user": self.sysadmin["name"]}
        job_dict = call_action(
            "harvest_job_create", context=context, source_id=self.source["id"], run=False
        )
        job = HarvestJob.get(job_dict["id"])
        job.status = "Running"
        job.save()
        # dataset_purge (a refused new dataset) removes the session: keep plain ids.
        job_id = job.id
        harvester = queue.get_harvester(SOURCE_TYPE)
        object_ids = queue.gather_stage(harvester, job)
        objects = []
        for object_id in object_ids or []:
            harvest_object = HarvestObject.get(object_id)
            queue.fetch_and_import_stages(harvester, harvest_object)
            objects.append(
                {
                    "guid": harvest_object.guid,
                    "state": harvest_object.state,
                    "report_status": harvest_object.report_status,
                    "errors": [error.message for error in harvest_object.errors],
                    "package_id": harvest_object.package_id,
                }
            )
        call_action("harvest_jobs_run", context={"ignore_auth": True})
        gather_errors = [error.message for error in HarvestJob.get(job_id).gather_errors]
        job_report = call_action("harvest_job_show", context=context, id=job_id)
        return JobResult(job_report, gather_errors, objects)
