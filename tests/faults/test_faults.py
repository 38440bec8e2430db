"""Fault injection on a real stack of our own (tests/faults/stack.py): Solr
stopped and started, Redis restarted (its queues lost), PostgreSQL
restarted, a harvest consumer and a jobs worker killed with SIGKILL, each
during a running Dukcapil harvest or a steward's upload, with the workers
run as `make demo` runs them (scripts/supervise.sh, the scheduler every 3 s).

After each: no job stuck, every object finished or errored with a reason,
each object processed once (a fresh harvest reports every object "added":
one processed twice reports "not modified"), the database and Solr agree,
no validation left pending and no DataStore load left queued.

Bounded: every wait has a timeout; the module takes a few minutes, most of
it the stack's start and the harvests themselves.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests
from fault_site import ORGANIZATION, Site
from sdi_data import sdi_dataset_dict
from stack import wait_until

pytestmark = pytest.mark.timeout(600) if hasattr(pytest.mark, "timeout") else []

CSV = (
    "kode_wilayah,nama_wilayah,tahun,jumlah_penduduk\n"
    "64.01.01,Batu Sopang,2024,24871\n"
    "64.01.04,Tanah Grogot,2024,72310\n"
)


def assert_recovered(site: Site, job_id: str) -> list[dict]:
    """The checks every scenario ends with; returns the job's objects."""
    site.wait_finished(job_id)
    objects = site.objects(job_id)
    assert objects, site.gather_errors(job_id)
    for harvest_object in objects:
        assert harvest_object["state"] in ("COMPLETE", "ERROR"), harvest_object
        if harvest_object["state"] == "ERROR":
            assert harvest_object["errors"], f"errored without a reason: {harvest_object}"
        else:
            # Written once: an object processed twice says "not modified".
            assert harvest_object["report_status"] == "added", harvest_object
    packages = [o["package_id"] for o in objects if o["state"] == "COMPLETE"]
    assert len(packages) == len(set(packages))
    wait_until("no validation pending, no DataStore load queued", lambda: _jobs_settled(site), 120)
    assert_index_agrees(site)
    return objects


def assert_index_agrees(site: Site) -> str:
    """The database and Solr agree, at once or after `ckan satudata index
    check --repair` (what the scheduler runs daily); the check's report."""
    try:
        wait_until("database and index agree", lambda: _index_agrees(site), 10, 2)
        return "agreed"
    except TimeoutError:
        pass
    checked = site.stack.ckan("satudata", "index", "check", "--repair")
    assert "after repair: " in checked.stdout and _index_agrees(site), checked.stdout
    return checked.stdout


def _jobs_settled(site: Site) -> bool:
    reports = site.reports()
    return not any(
        r["status"] == "pending" or (r["report"].get("datastore") or {}).get("status") == "queued"
        for r in reports
    )


def _index_agrees(site: Site) -> bool:
    indexed = {
        package_id: modified.rstrip("Z").ljust(23, "0")[:23]
        for package_id, modified in site.stack.solr.documents().items()
    }
    # Solr drops trailing zeros of the milliseconds: compare as text padded.
    database = {k: v for k, v in site.datasets().items()}
    return indexed == database


def _loaded(site: Site) -> list[str]:
    return [
        r["resource_id"]
        for r in site.reports()
        if (r["report"].get("datastore") or {}).get("status") == "loaded"
    ]


def test_solr_stopped_and_started_during_a_harvest(site: Site) -> None:
    job_id = site.start_harvest()
    site.wait_objects(job_id, "COMPLETE")
    site.stack.solr.stop()
    time.sleep(3)
    site.stack.solr.start()

    objects = assert_recovered(site, job_id)

    assert all(o["state"] == "COMPLETE" for o in objects), objects
    assert "search index (Solr) unavailable" in site.stack.log_text("fetch")


def test_redis_restarted_during_a_harvest(site: Site) -> None:
    job_id = site.start_harvest()
    site.wait_objects(job_id, "COMPLETE")
    site.stack.redis.restart()  # no persistence: both queues and every lease lost

    objects = assert_recovered(site, job_id)

    assert all(o["state"] == "COMPLETE" for o in objects), objects
    # The queued objects were lost with Redis: the watchdog sent them again.
    assert "sent to the fetch queue again" in site.stack.log_text("scheduler")


def test_postgresql_restarted_during_a_harvest(site: Site) -> None:
    job_id = site.start_harvest()
    site.wait_objects(job_id, "COMPLETE")
    site.stack.postgres.stop("immediate")  # as a crash
    time.sleep(2)
    site.stack.postgres.start()

    objects = assert_recovered(site, job_id)

    assert all(o["state"] == "COMPLETE" for o in objects), objects


def test_consumer_and_jobs_worker_killed_during_a_harvest(site: Site) -> None:
    job_id = site.start_harvest()
    site.wait_objects(job_id, "IMPORT", timeout=180)
    site.stack.workers["fetch"].kill_child()  # mid-import
    site.stack.workers["jobs"].kill_child()  # with DataStore loads queued or running

    objects = assert_recovered(site, job_id)

    assert all(o["state"] == "COMPLETE" for o in objects), objects
    assert "exited with status 137" in site.stack.log_text("fetch")


def _resource_files(storage: Path) -> set[Path]:
    folder = storage / "resources"
    return {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def _upload(site: Site, package_id: str, name: str) -> requests.Response:
    return requests.post(
        f"{site.stack.site_url}/api/3/action/resource_create",
        data={"package_id": package_id, "name": name, "format": "CSV"},
        files={"upload": (f"{name}.csv", CSV.encode(), "text/csv")},
        headers={"Authorization": site.token},
        timeout=120,
    )


def test_uploads_during_outages(site: Site) -> None:
    [(org_id,)] = site.query('SELECT id FROM "group" WHERE name = %s', ORGANIZATION)
    package = site.result(
        "package_create", **sdi_dataset_dict(owner_org=org_id, name="penduduk-uji-unggahan")
    )
    files_before = _resource_files(site.stack.storage)
    resources_before = len(package["resources"])

    # Solr down: refused in the user's language, nothing stored.
    site.stack.solr.stop()
    try:
        refused = _upload(site, package["id"], "unggahan-saat-solr-mati")
    finally:
        site.stack.solr.start()
    assert refused.status_code == 409, refused.text[:500]
    message = refused.json()["error"].get("service", [refused.text])[0]
    assert "indeks pencarian" in message and "tidak ada yang disimpan" in message, message
    assert _resource_files(site.stack.storage) == files_before
    assert len(site.result("package_show", id=package["id"])["resources"]) == resources_before

    # PostgreSQL down: a 503 saying so, before anything is read or written.
    site.stack.postgres.stop("immediate")
    try:
        refused = _upload(site, package["id"], "unggahan-saat-postgresql-mati")
    finally:
        site.stack.postgres.start()
    assert refused.status_code == 503, refused.text[:500]
    assert "basis data" in refused.json()["error"]["message"]
    assert _resource_files(site.stack.storage) == files_before

    # Redis down: the upload is saved and validated; its DataStore load,
    # which could not be queued, is queued by the watchdog once Redis is back.
    site.stack.redis.kill()
    try:
        saved = _upload(site, package["id"], "unggahan-saat-redis-mati")
    finally:
        site.stack.redis.start()
    assert saved.ok, saved.text[:500]
    resource_id = saved.json()["result"]["id"]
    wait_until("the load queued again and done", lambda: resource_id in _loaded(site), 120)
    rows = site.result("datastore_search", resource_id=resource_id)["records"]
    assert [row["kode_wilayah"] for row in rows] == ["64.01.01", "64.01.04"]
    assert _jobs_settled(site)
    assert assert_index_agrees(site) == "agreed"
