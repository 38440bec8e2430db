"""Demo content for `make demo`: the sysadmin, the OPDs of Kabupaten Paser,
the national topic groups, the harvest sources of the sample servers and,
once those are harvested, the Daftar Data 2025 (planning/).
Idempotent: what exists is updated, never duplicated."""

from __future__ import annotations

import io
import json
import logging
import secrets
import time
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from ckan import model
from ckan.plugins import toolkit as tk
from ckanext.harvest.logic import HarvestJobExists
from werkzeug.datastructures import FileStorage

from ckanext.satudata import contexts
from ckanext.satudata.demo import build_plan, dukcapil_feed, opd_files
from ckanext.satudata.demo import review as review_demo
from ckanext.satudata.harvesters import dukcapil, spreadsheet
from ckanext.satudata.harvesters.dukcapil.standard import FAMILIES
from ckanext.satudata.model import daftar_data
from ckanext.satudata.reference import vocabularies
from ckanext.satudata.review import workflow

ADMIN_NAME = "admin"
ADMIN_EMAIL = "admin@satudata.paserkab.go.id"
# Harvests run as a real sysadmin (ckanext.harvest.user_name): CKAN hides the
# site user's activities, and harvested revisions belong in the activity stream.
HARVEST_USER = "harvest"


def ensure_harvest_user() -> None:
    user = model.User.get(HARVEST_USER)
    if user is None:
        tk.get_action("user_create")(
            contexts.site(),
            {
                "name": HARVEST_USER,
                "email": f"harvest@{ADMIN_EMAIL.split('@')[1]}",
                # Never used to log in: harvests act through the API as this user.
                "password": secrets.token_urlsafe(24),
                "fullname": "Harvester Satu Data",
            },
        )
        user = model.User.get(HARVEST_USER)
    assert user is not None
    user.sysadmin = True
    model.Session.commit()


def ensure_sysadmin(password_file: Path) -> tuple[str, str]:
    """The demo sysadmin; its password is kept in ``password_file`` so a
    second run prints the same credentials."""
    password = password_file.read_text().strip() if password_file.exists() else ""
    user = model.User.get(ADMIN_NAME)
    if user is None or not password or not user.validate_password(password):
        password = password or secrets.token_urlsafe(12)
        if user is None:
            tk.get_action("user_create")(
                contexts.site(),
                {
                    "name": ADMIN_NAME,
                    "email": ADMIN_EMAIL,
                    "password": password,
                    "fullname": "Administrator Satu Data",
                },
            )
            user = model.User.get(ADMIN_NAME)
        else:
            user.password = password
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
    assert user is not None
    if not user.sysadmin:
        user.sysadmin = True
    model.Session.commit()
    return ADMIN_NAME, password


def demo_organizations() -> list[dict[str, Any]]:
    text = (
        resources.files("ckanext.satudata").joinpath("demo/organizations.yaml").read_text("utf-8")
    )
    return yaml.safe_load(text)


def _upsert_group(kind: str, data: dict[str, Any]) -> str:
    """Create or update an organization/group by name; returns created|updated."""
    context = contexts.site()
    existing = model.Group.get(data["name"])
    if existing is None or existing.state == "deleted":
        if existing is not None:  # a purged name is free again
            tk.get_action(f"{kind}_purge")(context, {"id": existing.id})
        tk.get_action(f"{kind}_create")(context, dict(data))
        return "created"
    tk.get_action(f"{kind}_patch")(contexts.site(), {**data, "id": existing.id})
    return "updated"


def load_organizations() -> dict[str, str]:
    return {org["name"]: _upsert_group("organization", org) for org in demo_organizations()}


def load_topic_groups() -> dict[str, str]:
    return {
        topic.value: _upsert_group(
            "group",
            {
                "name": topic.value,
                "title": topic.label("id"),
                "description": ", ".join(sub.label("id") for sub in topic.children),
            },
        )
        for topic in vocabularies.terms("topic")
    }


def upsert_harvest_source(
    name: str, title: str, url: str, source_type: str, owner_org: str, config: dict[str, Any]
) -> str:
    """Create or update a harvest source by name; returns created|updated."""
    data = {
        "name": name,
        "title": title,
        "url": url,
        "source_type": source_type,
        "owner_org": owner_org,
        "frequency": "MANUAL",
        "config": json.dumps(config),
    }
    context = contexts.site()
    try:
        existing = tk.get_action("harvest_source_show")(context, {"id": name})
    except tk.ObjectNotFound:
        # ckanext-harvest logs a spurious "Harvest source not found" ERROR while
        # it indexes a source it has not finished creating; keep demo output clean.
        harvest_log = logging.getLogger("ckanext.harvest.plugin")
        level = harvest_log.level
        harvest_log.setLevel(logging.CRITICAL)
        try:
            tk.get_action("harvest_source_create")(contexts.site(), data)
        finally:
            harvest_log.setLevel(level)
        return "created"
    tk.get_action("harvest_source_update")(contexts.site(), {**data, "id": existing["id"]})
    return "updated"


DUKCAPIL_SOURCE = "dukcapil-paser"


def load_harvest_sources(
    dukcapil_feed_url: str | None, opd_files_url: str | None
) -> dict[str, str]:
    """The harvest sources of the running sample servers; {name: created|updated}."""
    sources: dict[str, str] = {}
    if dukcapil_feed_url:
        config = dukcapil_feed.demo_source_config(dukcapil_feed_url.rstrip("/"))
        sources[DUKCAPIL_SOURCE] = upsert_harvest_source(
            DUKCAPIL_SOURCE,
            "Dukcapil: Data Kependudukan Bersih Kabupaten Paser",
            # Each release names its services; the source URL is their folder.
            f"{dukcapil_feed_url.rstrip('/')}/arcgis/rest/services",
            dukcapil.SOURCE_TYPE,
            "disdukcapil-paser",
            config,
        )
    if opd_files_url:
        for source in opd_files.demo_source_configs(opd_files_url):
            sources[source.name] = upsert_harvest_source(
                source.name,
                source.title,
                source.url,
                spreadsheet.SOURCE_TYPE,
                source.owner_org,
                source.config,
            )
    return sources


def harvest_source_names() -> list[str]:
    sources = tk.get_action("harvest_source_list")(contexts.site(), {"only_active": True})
    # A harvest source is a dataset of type "harvest": its name lives there.
    packages = (model.Package.get(source["id"]) for source in sources)
    return sorted(package.name for package in packages if package is not None)


def run_harvest(source_name: str, timeout: float, poll: float = 2.0) -> dict[str, Any]:
    """Run one harvest job through the Redis queue and the running gather and
    fetch consumers (as `ckan harvester run` does), and wait for it to finish."""
    context = contexts.site()
    source = tk.get_action("harvest_source_show")(context, {"id": source_name})
    try:
        job = tk.get_action("harvest_job_create")(
            contexts.site(), {"source_id": source["id"], "run": True}
        )
    except HarvestJobExists:  # a job is already queued or running
        jobs = tk.get_action("harvest_job_list")(contexts.site(), {"source_id": source["id"]})
        job = next(j for j in jobs if j["status"] in ("New", "Running"))
    deadline = time.monotonic() + timeout
    while True:
        # Marks finished jobs and sends new ones to the gather queue.
        tk.get_action("harvest_jobs_run")(contexts.site(), {"source_id": source["id"]})
        job = tk.get_action("harvest_job_show")(contexts.site(), {"id": job["id"]})
        if job["status"] == "Finished":
            return job
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"harvest of {source_name} still {job['status']} after {timeout:.0f} s"
            )
        time.sleep(poll)


# --- the Daftar Data 2025 (planning/) --------------------------------------------

PLAN_FILE = f"demo/plan/daftar_data_{build_plan.PLAN_YEAR}.xlsx"
DUKCAPIL_ORG = "disdukcapil-paser"
# Disdukcapil's items its harvested feed delivers. Dukcapil datasets carry no
# ID DDD, so they are linked by hand, as the steward would; their review
# status (set through the walidata's review when it is enabled) shows every
# stage; the two not published are tables the population dashboard does not
# read (it reads the age pyramid family, and the breakdowns per kecamatan):
# ID DDD -> (family, level, status_data; None: public without a status).
DUKCAPIL_DELIVERIES: dict[str, tuple[str, str, str | None]] = {
    "DDD-6401-DISDUKCAPIL-001": ("jenis_kelamin", "kecamatan", None),
    "DDD-6401-DISDUKCAPIL-002": ("kelompok_umur", "kecamatan", "disetujui"),
    "DDD-6401-DISDUKCAPIL-003": ("agama", "kecamatan", "ditayangkan"),
    "DDD-6401-DISDUKCAPIL-004": ("pendidikan", "desa", "menunggu_persetujuan"),
    "DDD-6401-DISDUKCAPIL-005": ("status_kawin", "kecamatan", "ditayangkan"),
}


def load_plan() -> dict[str, int]:
    """Import the demo Daftar Data (its items delivered by the harvested OPD
    inventories are linked by their ID DDD), then link Disdukcapil's."""
    content = resources.files("ckanext.satudata").joinpath(PLAN_FILE).read_bytes()
    result = tk.get_action("satudata_daftar_data_import")(
        contexts.site(),
        {
            "tahun": build_plan.PLAN_YEAR,
            "upload": FileStorage(io.BytesIO(content), filename=PLAN_FILE.rsplit("/", 1)[1]),
        },
    )
    return {**result, "linked_by_hand": link_dukcapil_deliveries()}


def _dukcapil_dataset(family: str, level: str) -> model.Package | None:
    """The harvested dataset of a Dukcapil family at a level (dukcapil/mapping.py names it)."""
    organization = model.Group.get(DUKCAPIL_ORG)
    if organization is None:
        return None
    prefix = f"{FAMILIES[family].slug}-per-{level}-"
    return (
        model.Session.query(model.Package)
        .filter(model.Package.owner_org == organization.id)
        .filter(model.Package.state == "active")
        .filter(model.Package.name.startswith(prefix))
        .first()
    )


def link_dukcapil_deliveries() -> int:
    """Link Disdukcapil's delivered items to its harvested datasets (those that
    exist) and set their review status; returns how many are linked."""
    items = {item.id_ddd: item for item in daftar_data.of_year(build_plan.PLAN_YEAR)}
    linked = 0
    for id_ddd, (family, level, status) in DUKCAPIL_DELIVERIES.items():
        dataset = _dukcapil_dataset(family, level)
        if dataset is None or id_ddd not in items:
            continue
        tk.get_action("satudata_daftar_data_link")(
            contexts.site(), {"id": items[id_ddd].id, "package_id": dataset.id}
        )
        if status and workflow.enabled():
            review_demo.reach(dataset.id, status)  # through the walidata's review
        elif status and (dataset.extras or {}).get("status_data") != status:
            tk.get_action("package_patch")(
                contexts.site(), {"id": dataset.id, "status_data": status}
            )
        linked += 1
    return linked
