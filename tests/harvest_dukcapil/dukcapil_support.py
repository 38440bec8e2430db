"""Helpers of the Dukcapil harvester tests: run harvest jobs through
ckanext-harvest's own stage functions (ckanext.harvest.queue.gather_stage /
fetch_and_import_stages, then harvest_jobs_run) as its test helper
run_harvest_job does, minus the queue."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ckanext.satudata.sample_feeds.dukcapil import FeedServer

ORG_NAME = "disdukcapil-paser"
ORG_TITLE = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Paser"


@dataclass
class JobResult:
    job: dict[str, Any]
    gather_errors: list[str]
    objects: list[dict[str, Any]]  # guid, state, report_status, errors, package_id

    @property
    def object_errors(self) -> list[str]:
        return [error for o in self.objects for error in o["errors"]]

    def statuses(self) -> dict[str, str]:
        return {o["guid"]: o["report_status"] for o in self.objects}


def fast_config(**overrides: Any) -> dict[str, Any]:
    """Source config for the local feed: loopback allowed, small pages, quick retries."""
    config: dict[str, Any] = {
        "organization": ORG_NAME,
        "levels": ["kecamatan"],
        "page_size": 50,
        "retries": 2,
        "backoff": 0.05,
        "timeout": 5,
        "allow_private": True,
    }
    config.update(overrides)
    return config


class Harvests:
    """One harvest source of type satudata_dukcapil, and the jobs run on it."""

    def __init__(self, sysadmin: dict, feed: FeedServer, org: dict) -> None:
        self.sysadmin = sysadmin
        self.feed = feed
        self.org = org
        self.source: dict[str, Any] | None = None

    def configure(self, url: str | None = None, **config: Any) -> dict[str, Any]:
        from ckan.tests.helpers import call_action

        data = {
            "url": url or self.feed.base_url + "/arcgis/rest/services",
            "config": json.dumps(fast_config(**config)),
        }
        context = {"user": self.sysadmin["name"]}
        if self.source is None:
            self.source = call_action(
                "harvest_source_create",
                context=context,
                name="dukcapil-paser",
                title="Dukcapil DKB Kabupaten Paser",
                source_type="satudata_dukcapil",
                owner_org=self.org["id"],
                **data,
            )
        else:
            # harvest_source_update with every field: harvest_source_patch does not
            # round-trip a harvest source's extras under scheming.
            self.source = call_action(
                "harvest_source_update",
                context=context,
                id=self.source["id"],
                name=self.source["name"],
                title=self.source["title"],
                source_type="satudata_dukcapil",
                owner_org=self.org["id"],
                **data,
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
        harvester = queue.get_harvester("satudata_dukcapil")
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
        gather_errors = [error.message for error in HarvestJob.get(job.id).gather_errors]
        job_report = call_action("harvest_job_show", context=context, id=job.id)
        return JobResult(job_report, gather_errors, objects)


SEX_DATASET = "jumlah-penduduk-menurut-jenis-kelamin-per-kecamatan-kabupaten-paser"
AGE_DATASET = "jumlah-penduduk-menurut-kelompok-umur-per-kecamatan-kabupaten-paser"
RELIGION_DATASET = "jumlah-penduduk-menurut-agama-per-kecamatan-kabupaten-paser"
ALL_DATASETS = (SEX_DATASET, AGE_DATASET, RELIGION_DATASET)


def releases(harvests: Harvests, *semesters: str) -> list[dict[str, str]]:
    return [{"semester": s, "url": harvests.feed.service_url(s)} for s in semesters]


def show(name: str) -> dict[str, Any]:
    from ckan.tests.helpers import call_action

    return call_action("package_show", id=name)


def by_period(dataset: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["periode_data"]: r for r in dataset["resources"]}
