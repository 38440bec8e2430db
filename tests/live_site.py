"""Whole portals for tests that need more than CKAN's per-test fixtures: an
emptied portal (database, search index, DataStore, job queues), and a real
CKAN web server (`ckan run`, plus a jobs worker) on a free port of 127.0.0.1
with ``ckan.site_url`` pointing at it, so every link its pages and APIs print
works. Used by the browser tests (tests/ui) and the interoperability tests
(tests/interop)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOGS = ROOT / "test-output"
CKAN = str(Path(sys.executable).with_name("ckan"))


def reset_portal() -> None:
    """Empty database, search index, DataStore and job queues, then migrate."""
    import rq
    from ckan.cli.db import _run_migrations
    from ckan.lib import search
    from ckan.lib.redis import connect_to_redis
    from ckan.tests import helpers
    from ckanext.datastore.tests import helpers as datastore_helpers

    helpers.reset_db()
    for queue in rq.Queue.all(connection=connect_to_redis()):
        queue.empty()
    for plugin in ("activity", "harvest", "satudata"):
        _run_migrations(plugin, "head", True)
    search.clear_all()
    engine = datastore_helpers.db.get_write_engine()
    datastore_helpers.rebuild_all_dbs(
        datastore_helpers.orm.scoped_session(datastore_helpers.orm.sessionmaker(bind=engine))
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"CKAN server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"CKAN server not up at {url}")


def site_ini(base_ini: Path, folder: Path, url: str, **settings: str) -> Path:
    """An ini inheriting ``base_ini`` with ``ckan.site_url`` = ``url`` and ``settings``."""
    lines = ["[app:main]", f"use = config:{base_ini}", f"ckan.site_url = {url}"]
    lines += [f"{key} = {value}" for key, value in settings.items()]
    ini = folder / "site.ini"
    ini.write_text("\n".join(lines) + "\n")
    return ini


@contextlib.contextmanager
def serve(ini: Path, port: int, log_name: str = "ckan-server.log") -> Iterator[None]:
    """`ckan run` and `ckan satudata jobs worker` on ``ini`` until the block ends."""
    LOGS.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with (LOGS / log_name).open("wb") as log:
        process = subprocess.Popen(
            [CKAN, "-c", str(ini), "run", "-H", "127.0.0.1", "-p", str(port),
             "--disable-reloader", "--disable-debugger", "--threaded"],
            stdout=log, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        # The background job worker: validation and DataStore loading run there.
        worker = subprocess.Popen(
            [CKAN, "-c", str(ini), "satudata", "jobs", "worker"],
            stdout=log, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        try:
            wait_until_up(f"http://127.0.0.1:{port}/api/3/action/status_show", process)
            yield
        finally:
            worker.terminate()
            process.terminate()
            for child in (process, worker):
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
