"""Helpers of the Dukcapil harvester tests: run harvest jobs through
ckanext-harvest's own stage functions (ckanext.harvest.queue.gather_stage /
fetch_and_import_stages, then harvest_jobs_run) as its test helper
run_harvest_job does, minus the queue."""

from __future__ import annotations

import json
from typing import Any

from harvest_support import JobResult, run_job

from ckanext.satudata.demo.dukcapil_feed import FeedServer

ORG_NAME = "disdukcapil-paser"
ORG_TITLE = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Paser"


def fast_config(**overrides: Any) -> dict[str, Any]:
    """Source config for the local feed: loopback allowed, small pages, quick retries."""
    config: dict[str, Any] = {
        "organization": ORG_NAME,
        "levels": ["kecamatan"],
        # The families the suite's assertions name (SEX/AGE/RELIGION_DATASET);
        # test_every_family_is_published_by_default and the queue test harvest
        # the default, every family.
        "families": ["jenis_kelamin", "kelompok_umur", "agama"],
        "page_size": 50,
        "retries": 2,
        "backoff": 0.05,
        "timeout": 5,
        "allow_private_addresses": True,
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
        assert self.source is not None
        return run_job(self.sysadmin["name"], self.source["id"], "satudata_dukcapil")


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
    return {r.get("periode_data"): r for r in dataset["resources"]}
