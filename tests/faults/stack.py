"""A private stack for fault injection: its own PostgreSQL cluster, Redis and
Solr on free ports in a temporary directory, a CKAN configuration pointing at
them, and CKAN's processes (web server, harvest consumers, jobs worker,
scheduler) run the way `make demo` runs them (under scripts/supervise.sh).

Every service here may be stopped, killed and restarted at will: nothing is
shared with the suite's PostgreSQL (5432), Redis (6379) or Solr (8983), or
with another developer's run. Reusable: ``PrivateStack(root).start()``; see
tests/faults/conftest.py.

- PostgreSQL: Debian's ``initdb`` / ``pg_ctl`` (PG_BIN), run as the
  ``postgres`` user when we are root (PostgreSQL refuses root), trust
  authentication on 127.0.0.1 and a private socket directory. No fsync (a
  killed server loses nothing the OS holds) but synchronous commits: with
  ``synchronous_commit=off`` a crash loses acknowledged commits, which is
  not the fault under test.
- Redis: ``redis-server`` without persistence, as the demo runs it (a
  restart loses every queue, the harshest case).
- Solr: solr/solr.sh with SATUDATA_STATE and SATUDATA_SOLR_PORT (our
  launcher, our configset, the installed CKAN's schema), core ``ckan_test``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("SATUDATA_PG_BIN", "/usr/lib/postgresql/15/bin"))
VENV_BIN = Path(sys.executable).parent
CKAN = str(VENV_BIN / "ckan")
SOLR_CORE = "ckan_test"
SOLR_BUILD_CACHE = ROOT / ".stack" / "fault-stack-solr-build"
DB_USER, DB_PASS = "ckan_default", "ckan_default"
DS_USER, DS_PASS = "datastore_default", "datastore_default"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(what: str, check: Callable[[], Any], timeout: float, every: float = 0.5) -> Any:
    """Poll ``check`` until it returns something truthy; its value."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as err:  # the service may be coming up
            last_error = err
        time.sleep(every)
    raise TimeoutError(f"{what} not reached within {timeout:.0f} s (last error: {last_error!r})")


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Postgres:
    root: Path
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.root / "pg" / "data"

    @property
    def sockets(self) -> Path:
        return self.root / "pg" / "run"

    def _as_owner(self, *command: str) -> list[str]:
        # PostgreSQL refuses to run as root: as the postgres user then.
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return list(command)

    def init(self) -> None:
        self.data.mkdir(parents=True)
        self.sockets.mkdir(parents=True)
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            for path in (self.root / "pg", self.data, self.sockets):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        subprocess.run(
            self._as_owner(
                str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--no-sync",
            ),
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.sockets} -c fsync=off "
            "-c max_connections=60"
        )
        subprocess.run(
            self._as_owner(
                str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "pg" / "log"),
                "-w", "-t", "60", "-o", options, "start",
            ),
            check=True, capture_output=True,
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """``mode``: fast (clients disconnected, clean) or immediate (as a crash)."""
        subprocess.run(
            self._as_owner(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"),
            check=False, capture_output=True,
        )  # fmt: skip

    def restart(self) -> None:
        self.stop()
        self.start()

    def psql(self, sql: str, database: str = "postgres") -> None:
        with contextlib.closing(
            psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database)
        ) as connection:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql)

    def query(self, sql: str, database: str = "ckan", args: tuple[Any, ...] = ()) -> list[tuple]:
        with (
            contextlib.closing(
                psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database)
            ) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, args)
            return cursor.fetchall()

    def create_databases(self) -> None:
        self.psql(f"CREATE ROLE {DB_USER} LOGIN PASSWORD '{DB_PASS}'")
        self.psql(f"CREATE ROLE {DS_USER} LOGIN PASSWORD '{DS_PASS}'")
        for name in ("ckan", "datastore"):
            self.psql(f"CREATE DATABASE {name} OWNER {DB_USER} ENCODING 'utf-8' TEMPLATE template0")

    def url(self, database: str, user: str = DB_USER, password: str = DB_PASS) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"


@dataclass
class Redis:
    root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        (self.root / "redis").mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.root / "redis")],
            stdout=(self.root / "redis" / "log").open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until("redis", lambda: _port_open(self.port), 20, 0.1)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=20)
            self.process = None

    def restart(self) -> None:
        """As a crash and restart without persistence: every queue is lost."""
        self.kill()
        self.start()


@dataclass
class Solr:
    root: Path
    port: int = field(default_factory=free_port)

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "SATUDATA_STATE": str(self.root / "state"),
            "SATUDATA_SOLR_PORT": str(self.port),
            "SATUDATA_VENV": str(VENV_BIN.parent),
        }

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/solr/{SOLR_CORE}"

    def start(self) -> None:
        built = self.root / "state" / "solr"
        # solr.sh builds its launcher (Maven, javac) per state directory: keep
        # one build for every private stack of this checkout (solr.sh checks
        # that it matches the sources).
        if SOLR_BUILD_CACHE.exists() and not built.exists():
            shutil.copytree(SOLR_BUILD_CACHE, built)
        subprocess.run(
            ["bash", str(ROOT / "solr" / "solr.sh"), "start"],
            env=self.env, check=True, capture_output=True, timeout=240,
        )  # fmt: skip
        if not SOLR_BUILD_CACHE.exists():
            SOLR_BUILD_CACHE.mkdir(parents=True)
            for name in ("classes", "classpath.txt", "build.sha"):
                source = built / name
                copy = shutil.copytree if source.is_dir() else shutil.copy2
                copy(source, SOLR_BUILD_CACHE / name)

    def stop(self) -> None:
        subprocess.run(
            ["bash", str(ROOT / "solr" / "solr.sh"), "stop"],
            env=self.env, check=False, capture_output=True, timeout=60,
        )  # fmt: skip

    def kill(self) -> None:
        pidfile = self.root / "state" / "run" / "solr.pid"
        with contextlib.suppress(FileNotFoundError, ProcessLookupError, ValueError):
            os.kill(int(pidfile.read_text().strip()), signal.SIGKILL)
        wait_until("solr gone", lambda: not _port_open(self.port), 30)

    def documents(self) -> dict[str, str]:
        """id -> metadata_modified of the indexed datasets."""
        response = requests.get(
            f"{self.url}/select",
            params={"q": "*:*", "fq": "entity_type:package", "fl": "id,metadata_modified",
                    "rows": 10000, "wt": "json"},
            timeout=30,
        )  # fmt: skip
        response.raise_for_status()
        return {
            d["id"]: d.get("metadata_modified", "") for d in response.json()["response"]["docs"]
        }


@dataclass
class Worker:
    """A CKAN process under scripts/supervise.sh (its own process group)."""

    name: str
    supervisor: subprocess.Popen[bytes]

    def child_pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.supervisor.pid)], capture_output=True, text=True, check=False
        ).stdout
        return [int(pid) for pid in out.split()]

    def kill_child(self) -> int:
        """``kill -9`` the supervised process (and its own children: a jobs
        worker's work horse); the supervisor restarts it. Returns its pid."""
        pids = wait_until(f"{self.name} running", self.child_pids, 30)
        for pid in pids:
            grandchildren = subprocess.run(
                ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
            ).stdout.split()
            for victim in [pid, *map(int, grandchildren)]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(victim, signal.SIGKILL)
        return pids[0]

    @contextlib.contextmanager
    def frozen(self) -> Iterator[None]:
        """The supervised process stopped (SIGSTOP) inside the block, so that
        work waits in its queue until the fault is in place; then thawed
        (SIGCONT) and meeting the fault on its next message."""
        pids = wait_until(f"{self.name} running", self.child_pids, 30)
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.supervisor.pid, signal.SIGTERM)
        try:
            self.supervisor.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.supervisor.pid, signal.SIGKILL)
            self.supervisor.wait(timeout=10)


def run_ckan(
    ini: Path, *args: str, check: bool = True, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [CKAN, "-c", str(ini), *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    if check and result.returncode != 0:
        raise AssertionError(f"ckan {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@dataclass(frozen=True)
class SecondSite:
    ini: Path

    def ckan(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run_ckan(self.ini, *args, check=check)


class PrivateStack:
    """PostgreSQL, Redis, Solr and CKAN of one's own; ``start()``, ``close()``."""

    def __init__(self, root: Path | None = None, settings: dict[str, str] | None = None) -> None:
        self.root = root or Path(tempfile.mkdtemp(prefix="satudata-faults-"))
        # PostgreSQL runs as another user: it must reach its directory.
        self.root.chmod(0o755)
        self.postgres = Postgres(self.root)
        self.redis = Redis(self.root)
        self.solr = Solr(self.root)
        self.web_port = free_port()
        self.settings = settings or {}
        self.workers: dict[str, Worker] = {}
        self.web: subprocess.Popen[bytes] | None = None

    @property
    def ini(self) -> Path:
        return self.root / "ckan.ini"

    @property
    def storage(self) -> Path:
        return self.root / "storage"

    @property
    def logs(self) -> Path:
        return self.root / "log"

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def start(self) -> PrivateStack:
        self.logs.mkdir(exist_ok=True)
        # Solr's JVM takes longest: it starts while PostgreSQL is prepared.
        solr_error: list[BaseException] = []
        solr = threading.Thread(target=self._start_solr, args=(solr_error,), daemon=True)
        solr.start()
        self.postgres.init()
        self.postgres.start()
        self.postgres.create_databases()
        self.redis.start()
        self._write_ini()
        self._migrate()
        solr.join(timeout=300)
        if solr_error or solr.is_alive():
            raise RuntimeError(f"private Solr did not start: {solr_error}")
        return self

    def _start_solr(self, errors: list[BaseException]) -> None:
        try:
            self.solr.start()
        except BaseException as err:
            errors.append(err)

    def _migrate(self) -> None:
        """CKAN's, the plugins' migrations and the DataStore permissions, in
        one process (each `ckan` command pays the start-up again)."""
        script = f"""
import sys
from click.testing import CliRunner
from ckan.cli.cli import ckan
runner = CliRunner()
for args in (["db", "upgrade"], ["db", "upgrade", "-p", "activity"],
             ["db", "upgrade", "-p", "harvest"], ["db", "upgrade", "-p", "satudata"],
             ["datastore", "set-permissions"]):
    result = runner.invoke(ckan, ["-c", {str(self.ini)!r}, *args], catch_exceptions=False)
    if result.exit_code:
        sys.exit(result.output)
print(result.output)
"""
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=600
        )
        if result.returncode != 0:
            raise RuntimeError(f"migrations failed:\n{result.stdout}\n{result.stderr}")
        permissions = result.stdout[result.stdout.find("/*") if "/*" in result.stdout else 0 :]
        # psql's meta-commands (\connect) aside: we are connected already.
        sql = "\n".join(line for line in permissions.splitlines() if not line.startswith("\\"))
        self.postgres.psql(sql, database="datastore")

    def _write_ini(self) -> None:
        settings = {
            "sqlalchemy.url": self.postgres.url("ckan"),
            "ckan.datastore.write_url": self.postgres.url("datastore"),
            "ckan.datastore.read_url": self.postgres.url("datastore", DS_USER, DS_PASS),
            "solr_url": self.solr.url,
            "ckan.redis.url": f"redis://127.0.0.1:{self.redis.port}/0",
            "ckan.storage_path": str(self.storage),
            "ckan.site_url": self.site_url,
            "ckanext.harvest.user_name": "harvest",
            **self.settings,
        }
        lines = ["[app:main]", f"use = config:{ROOT / 'test.ini'}"]
        lines += [f"{key} = {value}" for key, value in settings.items()]
        self.ini.write_text("\n".join(lines) + "\n")

    def ckan(
        self, *args: str, check: bool = True, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """A CKAN command on this stack's configuration."""
        return run_ckan(self.ini, *args, check=check, timeout=timeout)

    def second_site(self, name: str, solr_core: str) -> SecondSite:
        """Another, empty site on the same services: its own databases (not
        migrated), Solr core, storage and Redis database."""
        for database in (f"ckan_{name}", f"datastore_{name}"):
            self.postgres.psql(
                f"CREATE DATABASE {database} OWNER {DB_USER} ENCODING 'utf-8' TEMPLATE template0"
            )
        ini = self.root / f"{name}.ini"
        settings = {
            "sqlalchemy.url": self.postgres.url(f"ckan_{name}"),
            "ckan.datastore.write_url": self.postgres.url(f"datastore_{name}"),
            "ckan.datastore.read_url": self.postgres.url(f"datastore_{name}", DS_USER, DS_PASS),
            "solr_url": f"http://127.0.0.1:{self.solr.port}/solr/{solr_core}",
            "ckan.redis.url": f"redis://127.0.0.1:{self.redis.port}/1",
            "ckan.storage_path": str(self.root / f"storage-{name}"),
        }
        lines = ["[app:main]", f"use = config:{self.ini}"]
        lines += [f"{key} = {value}" for key, value in settings.items()]
        ini.write_text("\n".join(lines) + "\n")
        return SecondSite(ini)

    def python(self, code: str, timeout: float = 300) -> str:
        """Run ``code`` as the site user, in a process with this stack's CKAN
        configuration loaded (and the test helpers importable); its output."""
        script = (
            "import sys\n"
            f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
            "from ckan.cli import load_config\n"
            "from ckan.config.middleware import make_app\n"
            f"app = make_app(load_config({str(self.ini)!r}))\n"
            "import flask_login\n"
            "from ckan import model\n"
            "from ckan.plugins import toolkit as tk\n"
            # As the site user: messages need a request, privileged settings a sysadmin.
            "with app._wsgi_app.test_request_context():\n"
            "    site_user = tk.get_action('get_site_user')({'ignore_auth': True}, {})\n"
            "    flask_login.login_user(model.User.get(site_user['name']))\n"
            + "".join(f"    {line}\n" for line in code.splitlines())
        )
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0:
            raise AssertionError(f"script failed:\n{code}\n{result.stdout}\n{result.stderr}")
        return result.stdout

    # --- CKAN's processes ------------------------------------------------------

    def supervise(self, name: str, *args: str) -> Worker:
        log = (self.logs / f"{name}.log").open("ab")
        supervisor = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "supervise.sh"), name, CKAN, "-c", str(self.ini), *args],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "SUPERVISE_MAX_WAIT": "4"},
        )  # fmt: skip
        worker = Worker(name, supervisor)
        self.workers[name] = worker
        return worker

    def start_workers(self, scheduler_interval: int = 3) -> None:
        self.supervise("gather", "satudata", "harvest", "gather-consumer")
        self.supervise("fetch", "satudata", "harvest", "fetch-consumer")
        self.supervise("jobs", "satudata", "jobs", "worker")
        self.supervise("scheduler", "satudata", "scheduler", "--interval", str(scheduler_interval))

    def start_web(self) -> None:
        self.web = subprocess.Popen(
            [CKAN, "-c", str(self.ini), "run", "-H", "127.0.0.1", "-p", str(self.web_port),
             "--disable-reloader", "--threaded"],
            stdout=(self.logs / "web.log").open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_until(
            "CKAN web server",
            lambda: requests.get(f"{self.site_url}/api/3/action/status_show", timeout=5).ok,
            120,
        )

    def log_text(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def close(self, keep: bool = False) -> None:
        for worker in self.workers.values():
            worker.stop()
        if self.web is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.web.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.web.wait(timeout=20)
        if keep:
            self.solr.stop()
        else:  # its index goes with the directory: no need for a clean stop
            self.solr.kill()
        self.redis.stop()
        self.postgres.stop("immediate")
        if not keep:
            shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def private_stack(settings: dict[str, str] | None = None) -> Iterator[PrivateStack]:
    stack = PrivateStack(settings=settings)
    try:
        yield stack.start()
    finally:
        stack.close(keep=bool(os.environ.get("SATUDATA_KEEP_FAULT_STACK")))
