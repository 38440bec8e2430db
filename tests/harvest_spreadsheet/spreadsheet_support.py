"""Helpers of the spreadsheet harvester tests: harvest jobs run through
ckanext-harvest's own stage functions (queue.gather_stage, then
queue.fetch_and_import_stages per object, then harvest_jobs_run), as its
test helper run_harvest_job does, minus the Redis round trip."""

from __future__ import annotations

import json
from typing import Any

from file_server import FileServer
from harvest_support import JobResult, run_job

SOURCE_TYPE = "satudata_spreadsheet"


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
        assert self.source is not None
        return run_job(self.sysadmin["name"], self.source["id"], SOURCE_TYPE)
