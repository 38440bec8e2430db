"""A client for the private stack's site (tests/faults/stack.py): the Action
API over HTTP, and its database read directly (it stays readable while
CKAN's services fail); and the site's setup."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests
from stack import PrivateStack, wait_until

from ckanext.satudata.demo.dukcapil_feed import demo_source_config

# Fast recovery, so that every scenario ends within a minute or two; the
# defaults (config_declaration.yaml) are for production.
RECOVERY = {
    # Tries over a minute and a half (waits of 1, 2, 4, then 5 s): longer
    # than Solr takes to restart on a loaded machine.
    "ckanext.satudata.recovery.attempts": "20",
    "ckanext.satudata.recovery.backoff_seconds": "1",
    "ckanext.satudata.recovery.backoff_max_seconds": "5",
    "ckanext.satudata.recovery.lease_seconds": "6",
    "ckanext.satudata.recovery.grace_seconds": "5",
    "ckanext.satudata.recovery.poll_seconds": "2",
    "ckan.jobs.timeout": "120",
}
SOURCE = "dukcapil-faults"
ORGANIZATION = "disdukcapil-paser"
# One family at two levels: two objects, each a
# dataset of three resources (two semesters and both together).
FAMILIES = ["jenis_kelamin"]


@dataclass
class Site:
    stack: PrivateStack
    token: str
    source_id: str
    upload_dataset: str  # a dataset of its own that stewards upload into

    # --- the Action API -----------------------------------------------------------

    def call(self, action: str, prefix: str = "", **data: Any) -> requests.Response:
        return requests.post(
            f"{self.stack.site_url}{prefix}/api/3/action/{action}",
            json=data,
            headers={"Authorization": self.token},
            timeout=120,
        )

    def result(self, action: str, **data: Any) -> Any:
        response = self.call(action, **data)
        assert response.ok, (action, response.status_code, response.text[:2000])
        return response.json()["result"]

    # --- the database -----------------------------------------------------------------

    def query(self, sql: str, *args: Any, database: str = "ckan") -> list[tuple]:
        return self.stack.postgres.query(sql, database, args)

    def job_status(self, job_id: str) -> str:
        return str(self.query("SELECT status FROM harvest_job WHERE id = %s", job_id)[0][0])

    def objects(self, job_id: str) -> list[dict[str, Any]]:
        rows = self.query(
            """SELECT o.id, o.guid, o.state, o.report_status, o.retry_times, o.package_id,
                      coalesce(array_agg(e.message) FILTER (WHERE e.id IS NOT NULL), '{}')
               FROM harvest_object o LEFT JOIN harvest_object_error e
                 ON e.harvest_object_id = o.id
               WHERE o.harvest_job_id = %s GROUP BY o.id""",
            job_id,
        )
        keys = ("id", "guid", "state", "report_status", "retry_times", "package_id", "errors")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def gather_errors(self, job_id: str) -> list[str]:
        rows = self.query(
            "SELECT message FROM harvest_gather_error WHERE harvest_job_id = %s", job_id
        )
        return [row[0] for row in rows]

    def datasets(self) -> dict[str, str]:
        """id -> metadata_modified (ISO, milliseconds) of what belongs in the index."""
        rows = self.query("SELECT id, metadata_modified FROM package WHERE state != 'deleted'")
        return {
            package_id: modified.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{modified.microsecond // 1000:03d}"
            for package_id, modified in rows
        }

    def reports(self) -> list[dict[str, Any]]:
        rows = self.query("SELECT resource_id, status, report FROM satudata_validation_report")
        return [{"resource_id": r, "status": s, "report": d} for r, s, d in rows]

    # --- harvests ----------------------------------------------------------------------

    def start_harvest(self) -> str:
        """A fresh harvest of the source: its datasets cleared first, so every
        object of the new job should be "added", once."""
        self.result("harvest_source_clear", id=self.source_id)
        return str(self.result("harvest_job_create", source_id=self.source_id, run=True)["id"])

    def wait_objects(self, job_id: str, state: str, count: int = 1, timeout: float = 120) -> None:
        wait_until(
            f"{count} object(s) {state}",
            lambda: sum(o["state"] == state for o in self.objects(job_id)) >= count,
            timeout,
        )

    def wait_gathered(self, job_id: str, timeout: float = 120) -> list[dict[str, Any]]:
        """The job gathered, every object waiting for the fetch consumer; its objects."""
        wait_until(
            f"job {job_id} gathered",
            lambda: self.query(
                "SELECT gather_finished IS NOT NULL FROM harvest_job WHERE id = %s", job_id
            )[0][0],
            timeout,
        )
        objects = self.objects(job_id)
        assert objects and all(o["state"] == "WAITING" for o in objects), objects
        return objects

    def wait_finished(self, job_id: str, timeout: float = 240) -> None:
        wait_until(f"job {job_id} finished", lambda: self.job_status(job_id) == "Finished", timeout)


def setup_site(stack: PrivateStack, feed_url: str) -> dict[str, str]:
    config = {**demo_source_config(feed_url), "families": FAMILIES}
    out = stack.python(
        f"""
import json
from ckan.plugins import toolkit as tk
from ckanext.satudata import contexts
from ckanext.satudata.demo import loader
from sdi_data import opd_fields
loader.ensure_harvest_user()
admin = tk.get_action("user_create")(contexts.site(), {{
    "name": "fault-admin", "email": "fault-admin@example.go.id",
    "password": "fault-admin-password-1"}})
from ckan import model
user = model.User.get("fault-admin")
user.sysadmin = True
model.Session.commit()
token = tk.get_action("api_token_create")(contexts.site(), {{"user": "fault-admin", "name": "t"}})
org = [o for o in loader.demo_organizations() if o["name"] == {ORGANIZATION!r}][0]
tk.get_action("organization_create")(contexts.site(), opd_fields(org["name"], org["title"]))
loader.upsert_harvest_source({SOURCE!r}, "Dukcapil (uji gangguan)",
    {feed_url + "/arcgis/rest/services"!r}, "satudata_dukcapil", {ORGANIZATION!r},
    json.loads({json.dumps(json.dumps(config))}))
source = tk.get_action("harvest_source_show")(contexts.site(), {{"id": {SOURCE!r}}})
from sdi_data import sdi_dataset_dict
organization = tk.get_action("organization_show")(contexts.site(), {{"id": {ORGANIZATION!r}}})
uploads = tk.get_action("package_create")(
    contexts.site(), sdi_dataset_dict(owner_org=organization["id"], name="penduduk-uji-unggahan"))
# A Daftar Data item linked to it, for the restore drill to compare.
from ckanext.satudata.model import daftar_data, daftar_data_link
item = daftar_data.PlanItem(tahun=2024, id_ddd="DDD-6401-DUKCAPIL-001",
    organization_id=organization["id"], nama_data="Jumlah penduduk menurut kecamatan")
model.Session.add(item)
model.Session.flush()
daftar_data_link.add(item.id, uploads["id"], daftar_data_link.MANUAL, "fault-admin")
model.Session.commit()
print(json.dumps({{"token": token["token"], "source_id": source["id"], "uploads": uploads["id"]}}))
"""
    )
    return json.loads(out.strip().splitlines()[-1])
