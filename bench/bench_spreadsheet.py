"""Benchmark of the spreadsheet harvester on the real stack.

Serves an inventory of N generated data spreadsheets (default 200; half CSV
in the indikator_wilayah_tahun standard, half messy XLSX) from a local HTTP
server, harvests them through ckanext-harvest's stages into CKAN
(PostgreSQL, Solr, validation hooks), then harvests again with nothing
changed, and prints datasets per second for both runs.

    INI=$(bash scripts/test-env.sh sheet 6)
    .venv/bin/ckan -c $INI db clean --yes   # the benchmark needs an empty site
    .venv/bin/python bench/bench_spreadsheet.py --ini $INI [-n 200] [--fetch-consumers 2]

By default the stages run in this process, one object after the other (the
test-suite's runner). With ``--fetch-consumers N`` the jobs go through the
real Redis queue as production runs them: a gather consumer, N fetch
consumers and the jobs worker (`ckan satudata jobs worker`: the DataStore loads) as separate
``ckan`` processes, the job finished by ``harvest_jobs_run`` (what the
scheduler calls); the run's time is from the job's creation to its end,
and the DataStore loads the first run queued are waited for (at most 10
minutes, then counted) before the re-runs.

Targets (issue 5): >= 5 datasets/s first run; re-run < 10 % of its time.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1] / "tests"
# The test-suite's harvest runner (ckanext-harvest's own stages) drives the runs.
sys.path[:0] = [str(TESTS), str(TESTS / "harvest_spreadsheet")]


def build_files(count: int) -> dict[str, bytes]:
    from ckanext.satudata.demo import build_opd
    from ckanext.satudata.reference import regions

    kecamatan = [r for r in regions.tenant_regions().values() if r.level == "kecamatan"]
    rng = random.Random(6401)
    header = [
        "ID DDD", "Nama Data", "Jenis Data", "Klasifikasi Data", "Definisi", "Satuan",
        "Klasifikasi Penyajian", "Jadwal Pemutakhiran", "Link Portal Daerah", "Topik",
        "Subtopik", "Tahun Mulai", "Standar Data",
    ]  # fmt: skip
    inventory: list[list[object]] = [["Daftar Data Daerah (benchmark)"], header]
    files: dict[str, bytes] = {}
    for n in range(1, count + 1):
        title = f"Indikator Sintetis {n:04d} menurut Kecamatan di Kabupaten Paser"
        if n % 2:
            name = f"data_{n:04d}.csv"
            rows: list[list[object]] = [
                ["kode_wilayah", "nama_wilayah", "tahun", "indikator", "nilai", "satuan"]
            ]
            for year in (2022, 2023, 2024):
                rows += [
                    [r.code, r.name, year, f"Indikator {n}", rng.randint(10, 90_000), "unit"]
                    for r in kecamatan
                ]
            files[name] = build_opd._csv(rows)
            standard = "indikator_wilayah_tahun"
        else:
            name = f"data_{n:04d}.xlsx"
            rows = [[f"Tabel {n}"], [], ["No", "Kecamatan", "Nilai", "Luas"]]
            rows += [
                [i, r.name, f"{rng.randint(1, 99)}.{rng.randint(100, 999)}",
                 f"{rng.randint(1, 999)},{rng.randint(1, 9)}"]
                for i, r in enumerate(kecamatan, start=1)
            ]  # fmt: skip
            rows.append(["", "Jumlah", "", ""])
            files[name] = build_opd._xlsx({"Data": rows})
            standard = ""
        inventory.append(
            [f"DDD-BENCH-{n:04d}", title, "Statistik", "Terbuka", f"Definisi {title}.", "Unit",
             "per kecamatan", "Tahunan", name, "Pendukung Umum", "Statistik", "2024", standard]
        )  # fmt: skip
    files["daftar_data.csv"] = build_opd._csv(inventory)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", required=True)
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument(
        "--fetch-consumers", type=int, default=0,
        help="run through the Redis queue with this many fetch consumers (0: in this process)",
    )  # fmt: skip
    parser.add_argument(
        "--jobs-workers", type=int, default=1,
        help="with --fetch-consumers: this many jobs workers (the DataStore loads)",
    )  # fmt: skip
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    with app._wsgi_app.test_request_context():
        if args.fetch_consumers:
            with workers(args.ini, args.fetch_consumers, args.jobs_workers):
                run(args.n, queued=True)
        else:
            run(args.n)


@contextmanager
def workers(ini: str, fetch_consumers: int, jobs_workers: int = 1) -> Iterator[None]:
    """The production workers of this site, as docker/ and the demo run them
    (``--scale jobs_worker=N`` in docker/ for more jobs workers)."""
    ckan = str(Path(sys.executable).with_name("ckan"))
    commands = [["satudata", "harvest", "gather-consumer"]]
    commands += [["satudata", "jobs", "worker"]] * jobs_workers
    commands += [["satudata", "harvest", "fetch-consumer"]] * fetch_consumers
    procs = [
        subprocess.Popen(
            [ckan, "-c", ini, *command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for command in commands
    ]  # fmt: skip
    try:
        yield
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()


def run_queued(harvests: Any, timeout: float = 7200) -> Any:
    """One harvest job through the Redis queue and the running consumers; the
    same JobResult as the in-process runner."""
    from ckan import model
    from ckanext.harvest.model import HarvestObject
    from harvest_support import JobResult

    from ckanext.satudata.demo import loader
    from ckanext.satudata.harvesters.messages import render_stored

    job = loader.run_harvest(harvests.source_name, timeout=timeout, poll=0.5)
    model.Session.remove()
    objects = [
        {"guid": o.guid, "state": o.state, "report_status": o.report_status,
         "errors": [render_stored(e.message) for e in o.errors], "package_id": o.package_id}
        for o in HarvestObject.filter(harvest_job_id=job["id"])
    ]  # fmt: skip
    fetched = sum(1 for o in objects if o["report_status"] != "not modified")
    return JobResult(job, [], objects, fetched)


def wait_for_jobs(timeout: float = 600) -> dict[str, Any]:
    """Wait (at most ``timeout`` s) until CKAN's background job queue (the
    DataStore loads) is empty and no job runs: the seconds, and the jobs
    still queued if it did not empty in time."""
    from ckan.lib import jobs

    started = time.monotonic()
    queue = jobs.get_queue()
    while time.monotonic() - started < timeout:
        if not queue.count and not queue.started_job_registry.count:
            break
        time.sleep(0.5)
    return {"seconds": round(time.monotonic() - started, 2), "still_queued": queue.count}


def make_org_and_admin() -> tuple[dict, dict]:
    """A sysadmin and a fresh OPD (unique per run, so runs never collide)."""
    import secrets

    from ckan.plugins import toolkit as tk

    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": site["name"], "ignore_auth": True}
    tag = secrets.token_hex(3)
    sysadmin = tk.get_action("user_create")(
        dict(context),
        {"name": f"bench-{tag}", "email": f"bench-{tag}@example.org",
         "password": secrets.token_urlsafe(16)},
    )  # fmt: skip
    from ckan import model

    user = model.User.get(sysadmin["name"])
    assert user is not None
    user.sysadmin = True
    model.Session.commit()
    org = tk.get_action("organization_create")(
        {"user": sysadmin["name"]},
        {"name": f"opd-bench-{tag}", "title": f"OPD Benchmark {tag}",
         "kode_opd": "2.20.0.00.0.00.01.0000", "peran": "produsen_data", "urusan": ["2.20"],
         "email": f"bench-{tag}@paserkab.go.id"},
    )  # fmt: skip
    return sysadmin, org


def run(count: int, queued: bool = False) -> None:
    from file_server import FileServer
    from spreadsheet_support import Harvests

    server = FileServer(port=0, root=None).start()
    try:
        for path, content in build_files(count).items():
            server.put(path, content)
        sysadmin, org = make_org_and_admin()
        # The source is saved as that sysadmin would save it (privileged
        # settings such as the loopback allowance need a sysadmin).
        from ckan import model
        from flask_login import login_user

        login_user(model.User.get(sysadmin["name"]))
        harvests = Harvests(sysadmin, server, org, source_name=f"bench-{org['name']}")
        harvests.configure("daftar_data.csv", timeout=30, max_shrink=0.5)
        harvest: Callable[[], Any] = (lambda: run_queued(harvests)) if queued else harvests.run
        started = time.monotonic()
        first = harvest()
        first_seconds = time.monotonic() - started
        loads = wait_for_jobs() if queued else None
        reruns = {}
        for label, validators in (("rerun", True), ("rerun_without_validators", False)):
            server.send_validators = validators
            started = time.monotonic()
            result = harvest()
            reruns[label] = (result, time.monotonic() - started)
    finally:
        server.stop()
    added = first.statuses().count("added")
    report: dict[str, object] = {
        "datasets": count,
        "through": "redis queue" if queued else "in process",
        "first_run": {"seconds": round(first_seconds, 2), "added": added,
                      "errors": len(first.object_errors) + len(first.gather_errors),
                      "datasets_per_second": round(added / first_seconds, 2)},
    }  # fmt: skip
    if loads is not None:
        report["datastore_loads_after_first_run"] = loads
    for label, (result, seconds) in reruns.items():
        unchanged = result.statuses().count("not modified")
        report[label] = {
            "seconds": round(seconds, 2), "not_modified": unchanged,
            "through_fetch_stage": result.queued,
            "datasets_per_second": round(unchanged / seconds, 2),
            "share_of_first_run": f"{seconds / first_seconds:.1%}",
        }  # fmt: skip
    print(json.dumps(report, indent=2))
    if first.object_errors:
        print("first errors:", first.object_errors[:3], file=sys.stderr)


if __name__ == "__main__":
    main()
