"""Fault injection on a real stack of our own (tests/faults/stack.py): Solr
stopped and started, Redis restarted (its queues lost), PostgreSQL
crashed and restarted, a harvest consumer and a jobs worker killed with SIGKILL, each
during a running Dukcapil harvest and a steward's upload, with the workers
run as `make demo` runs them (scripts/supervise.sh, the scheduler every 3 s);
then the backup and restore drill on what the scenarios left.

After each: no job stuck, every object finished or errored with a reason,
each object processed once (a fresh harvest reports every object "added":
one processed twice reports "not modified"), the database and Solr agree,
no validation left pending and no DataStore load left queued.

A fault lands on work in progress however fast the machine: the fetch
consumer is held back (SIGSTOP) while the harvest is gathered and the
service stopped, then meets the outage on its next object.

Bounded: every wait has a timeout, each scenario a pytest timeout. The suite
runs the Solr scenario (about 2 minutes with the stack's start);
`make faults` runs all of them and the drill (5 to 8 minutes).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import psycopg2
import pytest
import redis
import requests
from fault_site import Site
from stack import ROOT, VENV_BIN, PrivateStack, wait_until

CSV = (
    "kode_wilayah,nama_wilayah,tahun,jumlah_penduduk\n"
    "64.01.01,Batu Sopang,2024,24871\n"
    "64.01.04,Tanah Grogot,2024,72310\n"
)


def assert_recovered(site: Site, job_id: str, since: float) -> list[dict]:
    """The checks every scenario (started at ``since``) ends with; returns the
    job's objects."""
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
    assert not orphaned_files(site, since)
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


def _resource_files(storage: Path) -> set[Path]:
    folder = storage / "resources"
    return {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def orphaned_files(site: Site, since: float) -> list[Path]:
    """Files stored since ``since`` (epoch seconds) of no resource the database
    knows (CKAN keeps a resource's file at resources/<id[:3]>/<id[3:6]>/<id[6:]>).
    Older ones are left out: harvest_source_clear purges datasets, and CKAN's
    purge leaves their files."""
    known = {row[0] for row in site.query("SELECT id FROM resource")}
    root = site.stack.storage / "resources"
    return [
        path
        for path in _resource_files(site.stack.storage)
        if path.stat().st_mtime >= since and "".join(path.relative_to(root).parts) not in known
    ]


def _upload(site: Site, name: str) -> requests.Response:
    """A steward's upload through the Action API (as the resource form posts it)."""
    return requests.post(
        f"{site.stack.site_url}/api/3/action/resource_create",
        data={"package_id": site.upload_dataset, "name": name, "format": "CSV"},
        files={"upload": (f"{name}.csv", CSV.encode(), "text/csv")},
        headers={"Authorization": site.token},
        timeout=120,
    )


def _resource_count(site: Site) -> int:
    rows = site.query(
        "SELECT count(*) FROM resource WHERE package_id = %s AND state = 'active'",
        site.upload_dataset,
    )
    return int(rows[0][0])


def assert_loaded(site: Site, resource_id: str) -> None:
    """The upload's rows reached the DataStore (if only after the watchdog)."""
    wait_until("the upload in the DataStore", lambda: resource_id in _loaded(site), 120)
    rows = site.result("datastore_search", resource_id=resource_id)["records"]
    assert [row["kode_wilayah"] for row in rows] == ["64.01.01", "64.01.04"]


@pytest.mark.timeout(360)
def test_solr_stopped_during_a_harvest_and_an_upload(site: Site) -> None:
    """The suite's representative scenario (the others run with `make faults`)."""
    started = time.time()
    fetch = site.stack.workers["fetch"]
    # The fetch consumer held back until Solr is down: the harvest's every
    # object meets the outage, however fast the machine.
    with fetch.frozen():
        job_id = site.start_harvest()
        site.wait_gathered(job_id)
        resources = _resource_count(site)
        site.stack.solr.stop()
    try:
        refused = _upload(site, "unggahan-saat-solr-mati")
        wait_until(
            "the fetch consumer meeting the outage",
            lambda: "search index (Solr) unavailable" in site.stack.log_text("fetch"),
            60,
        )
    finally:
        site.stack.solr.start()

    # The steward is told, in Indonesian, that nothing was saved; and nothing was.
    assert refused.status_code == 409, refused.text[:500]
    message = refused.json()["error"]["service"][0]
    assert message.startswith("Indeks pencarian sedang tidak dapat dihubungi"), message
    assert "tidak ada yang disimpan" in message
    assert not orphaned_files(site, started)
    assert _resource_count(site) == resources
    # The harvest waited for Solr and went on.
    objects = assert_recovered(site, job_id, started)
    assert all(o["state"] == "COMPLETE" for o in objects), objects


@pytest.mark.fault_drill
@pytest.mark.timeout(360)
def test_redis_restarted_during_a_harvest_and_an_upload(site: Site) -> None:
    started = time.time()
    with site.stack.workers["fetch"].frozen():
        job_id = site.start_harvest()
        site.wait_gathered(job_id)
        # Its queues (the job's objects waiting in the fetch queue) and every
        # lease lost with it: the watchdog must send the objects again.
        site.stack.redis.kill()
    try:
        # Saved and validated; its DataStore load could not be queued.
        saved = _upload(site, "unggahan-saat-redis-mati")
        wait_until(
            "the fetch consumer exiting for its supervisor",
            lambda: "exited with status 75" in site.stack.log_text("fetch"),
            60,
        )
    finally:
        site.stack.redis.start()

    assert saved.ok, saved.text[:500]
    assert not orphaned_files(site, started)
    objects = assert_recovered(site, job_id, started)
    assert all(o["state"] == "COMPLETE" for o in objects), objects
    assert_loaded(site, saved.json()["result"]["id"])


@pytest.mark.fault_drill
@pytest.mark.timeout(360)
def test_postgresql_restarted_during_a_harvest_and_an_upload(site: Site) -> None:
    started = time.time()
    logged = len(site.stack.log_text("fetch"))
    with site.stack.workers["fetch"].frozen():
        job_id = site.start_harvest()
        site.wait_gathered(job_id)
        site.stack.postgres.stop("immediate")  # as a crash
    try:
        refused = _upload(site, "unggahan-saat-postgresql-mati")
        wait_until(
            "the fetch consumer meeting the outage",
            lambda: "database (PostgreSQL) unavailable" in site.stack.log_text("fetch")[logged:],
            60,
        )
    finally:
        site.stack.postgres.start()

    # A 503 saying so, before anything was read or written.
    assert refused.status_code == 503, refused.text[:500]
    assert refused.json()["error"]["message"].startswith("Basis data sedang tidak dapat")
    assert not orphaned_files(site, started)  # the refused upload left no file behind
    objects = assert_recovered(site, job_id, started)
    assert all(o["state"] == "COMPLETE" for o in objects), objects


@pytest.mark.fault_drill
@pytest.mark.timeout(360)
def test_consumer_and_jobs_worker_killed_during_a_harvest_and_an_upload(site: Site) -> None:
    started = time.time()
    job_id = site.start_harvest()
    site.wait_objects(job_id, "IMPORT", timeout=180)
    saved = _upload(site, "unggahan-saat-worker-mati")
    site.stack.workers["fetch"].kill_child()  # mid-import
    site.stack.workers["jobs"].kill_child()  # with DataStore loads queued or running

    assert saved.ok, saved.text[:500]
    objects = assert_recovered(site, job_id, started)
    assert all(o["state"] == "COMPLETE" for o in objects), objects
    assert "exited with status 137" in site.stack.log_text("fetch")
    assert_loaded(site, saved.json()["result"]["id"])


def _jobs_queue_idle(site: Site) -> bool:
    """Nothing waiting in the jobs queue (the backup itself copes with a job
    still running: it copies until the site holds still)."""
    return not redis.Redis(port=site.stack.redis.port).llen("rq:queue:ckan:satudata_test:default")


def restored_rows(stack: PrivateStack, database: str) -> int:
    """Rows in the restored DataStore, read through its read-only user (whose
    grants restore.sh set again)."""
    with psycopg2.connect(
        host="127.0.0.1", port=stack.postgres.port, user="datastore_default",
        password="datastore_default", dbname=database,
    ) as connection, connection.cursor() as cursor:  # fmt: skip
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_name NOT LIKE '\\_%'"
        )
        total = 0
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            total += cursor.fetchone()[0]
    return total


@pytest.mark.fault_drill
@pytest.mark.timeout(600)
def test_backup_and_restore_drill(site: Site, tmp_path: Path) -> None:
    """`make backup` of the site the scenarios above filled (harvested
    datasets, uploads, validation reports, review history, DataStore tables),
    `make restore` into an empty site on the same services (its own databases,
    Solr core, storage): the index rebuilt and everything compared."""
    stack = site.stack
    wait_until("no validation pending, no DataStore load queued", lambda: _jobs_settled(site), 120)
    wait_until("the jobs queue empty", lambda: _jobs_queue_idle(site), 120)
    backup_dir = tmp_path / "backup"
    env = {**os.environ, "SATUDATA_INI": str(stack.ini), "SATUDATA_VENV": str(VENV_BIN.parent)}

    started = time.monotonic()
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "backup.sh"), str(backup_dir)], env=env, check=True
    )
    backup_seconds = time.monotonic() - started

    manifest = json.loads((backup_dir / "manifest.json").read_text())
    before = manifest["fingerprint"]
    assert before["datasets"]["count"] and before["datastore"], before
    assert before["daftar_data"]["count"] == before["daftar_data_links"]["count"] == 1, before
    config = (backup_dir / "ckan.ini.redacted").read_text()
    assert "ckan_default:***@" in config and ":ckan_default@" not in config

    restored = stack.second_site("restored", solr_core="ckan")
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "restore.sh"), str(backup_dir)],
        env={**env, "SATUDATA_INI": str(restored.ini), "PGHOST": str(stack.postgres.sockets),
             "PGPORT": str(stack.postgres.port)},
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    restore_seconds = time.monotonic() - started
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr[-3000:]}"

    # The restore compared the restored site with the backup's fingerprint
    # and the rebuilt index with the database, and exited 0.
    assert "identical" in result.stdout, result.stdout
    assert " 0 missing from the index, 0 stale, 0 in the index only" in result.stdout
    rows = restored_rows(stack, "datastore_restored")
    assert rows == sum(table["rows"] for table in before["datastore"].values())
    figures = {
        "backup_bytes": sum(f["bytes"] for f in manifest["files"].values()),
        "files": {name: f["bytes"] for name, f in manifest["files"].items()},
        "backup_seconds": round(backup_seconds, 1),
        "restore_seconds": round(restore_seconds, 1),
        "compared": {
            key: value["count"] if "count" in value else len(value) for key, value in before.items()
        },
        "datastore_rows": sum(table["rows"] for table in before["datastore"].values()),
    }
    output = ROOT / "test-output"
    output.mkdir(exist_ok=True)
    (output / "restore-drill.json").write_text(json.dumps(figures, indent=1))
    print("restore drill:", json.dumps(figures))
