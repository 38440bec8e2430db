"""Backups of a site and their restore (``ckan satudata backup create|restore``;
``make backup`` / ``make restore``), and the site's fingerprint, which the
restore drill compares (``ckan satudata backup fingerprint``).

A backup directory holds what cannot be rebuilt: both databases (CKAN's, with
the validation reports, review history and harvest records, and the
DataStore's) as ``pg_dump`` custom-format archives, the uploaded files
(``storage.tar.gz``), and the configuration with its secrets masked
(``ckan.ini.redacted``: the secrets stay with the operator, e.g. docker/.env);
``manifest.json`` lists each file's size and sha256 and the site's
fingerprint at backup time. The search index and the queues are not in it:
the index is rebuilt from the database after a restore, the queues refill.

The restore goes into an empty site (its own configuration and secrets): the
archives are restored with ``--clean --no-owner --no-privileges`` as the
site's database user, the files unpacked into its storage, the search index
rebuilt from the restored database; then the restored site's fingerprint is
compared with the backup's (the drill: identical, or what differs). The
DataStore's read-only grants need a database superuser: scripts/restore.sh
sets them afterwards (docker: ``ckan init``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from ckan import model
from ckan.lib import search, uploader
from ckan.plugins import toolkit as tk
from sqlalchemy.exc import ProgrammingError

ARCHIVES = {"ckan": "sqlalchemy.url", "datastore": "ckan.datastore.write_url"}
STORAGE = "storage.tar.gz"
CONFIG = "ckan.ini.redacted"
MANIFEST = "manifest.json"
SECRET_KEY = re.compile(r"secret|password|token\b|jwt", re.IGNORECASE)
URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)([^@\s]+)(@)")
CONSISTENT_TRIES = 5
CHANGING_WAIT_SECONDS = 2
INI_LINE = re.compile(r"^(\s*)([^=#;\s\[][^=]*?)(\s*=\s*)(.*)$")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def _pg_env(url: str) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection options of a database URL, the password
    in the environment (never on the command line)."""
    parts = urlsplit(url)
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        args += ["-U", unquote(parts.username)]
    env = {**os.environ, "PGPASSWORD": unquote(parts.password or "")}
    return [*args, "-d", parts.path.lstrip("/")], env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def redacted(text: str) -> str:
    """An ini file's text with every secret value masked: keys naming a
    secret, password or token, and the passwords inside URLs."""
    lines = []
    for line in text.splitlines():
        match = INI_LINE.match(line)
        if match:
            indent, key, equals, value = match.groups()
            if SECRET_KEY.search(key) and value:
                value = "***"
            value = URL_PASSWORD.sub(r"\1***\3", value)
            line = f"{indent}{key}{equals}{value}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _storage_path() -> Path:
    path = uploader.get_storage_path()
    if not path:
        raise BackupError("ckan.storage_path is not set: there are no uploaded files to back up")
    return Path(path)


def create(target: Path, ini_file: Path) -> dict[str, Any]:
    """Write a backup of the configured site into ``target`` (created; must
    be empty); returns the manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    target.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now(datetime.UTC)
    # The two databases and the files are copied one after the other: the
    # copy holds together only if the site did not change meanwhile (a
    # harvest, a job, an upload). The fingerprint before and after says so.
    for _ in range(CONSISTENT_TRIES):
        try:
            expected = fingerprint()
            _copy(target)
            model.Session.remove()
            if fingerprint() == expected:
                break
        except ProgrammingError:  # a DataStore table replaced while read
            model.Session.remove()
        time.sleep(CHANGING_WAIT_SECONDS)
    else:
        raise BackupError(
            f"the site kept changing while it was backed up ({CONSISTENT_TRIES} tries): "
            "back it up when no harvest or background job runs"
        )
    (target / CONFIG).write_text(redacted(ini_file.read_text()))
    files = {
        path.name: {"bytes": path.stat().st_size, "sha256": _sha256(path)}
        for path in sorted(target.iterdir())
    }
    manifest = {
        "created": started.isoformat(),
        "seconds": round((datetime.datetime.now(datetime.UTC) - started).total_seconds(), 1),
        "site_id": tk.config.get("ckan.site_id"),
        "files": files,
        "fingerprint": expected,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def _copy(target: Path) -> None:
    for name, key in ARCHIVES.items():
        args, env = _pg_env(str(tk.config.get(key)))
        dump = target / f"{name}.dump"
        dump.unlink(missing_ok=True)
        _run(["pg_dump", "-Fc", "-f", str(dump), *args], env)
    storage = _storage_path()
    with tarfile.open(target / STORAGE, "w:gz") as archive:
        if storage.exists():
            archive.add(storage, arcname=".")


def verify(source: Path) -> dict[str, Any]:
    """The manifest of a backup whose files are all there and intact."""
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} has no {MANIFEST}: not a backup")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text())
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.exists() or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{path} is missing or damaged (sha256 differs)")
    return manifest


def _dataset_count() -> int:
    engine = sa.create_engine(str(tk.config.get("sqlalchemy.url")))
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("package"):
                return 0
            return int(connection.execute(sa.text("SELECT count(*) FROM package")).scalar() or 0)
    finally:
        engine.dispose()


def restore(source: Path, force: bool = False) -> dict[str, Any]:
    """Restore ``source`` into the configured site, which must hold no
    dataset (unless ``force``), and rebuild its search index from the
    restored database; returns the backup's manifest."""
    manifest = verify(source)
    model.Session.remove()
    if not force and _dataset_count():
        raise BackupError(
            "this site already holds datasets; restore into an empty site (or use --force "
            "to replace everything it holds)"
        )
    model.Session.remove()
    if model.meta.engine is not None:
        model.meta.engine.dispose()  # nothing of ours may hold the tables pg_restore drops
    for name, key in ARCHIVES.items():
        args, env = _pg_env(str(tk.config.get(key)))
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", "--exit-on-error", *args, str(source / f"{name}.dump")],
            env,
        )  # fmt: skip
    storage = _storage_path()
    if storage.exists():
        shutil.rmtree(storage)
    storage.mkdir(parents=True)
    with tarfile.open(source / STORAGE, "r:gz") as archive:
        archive.extractall(storage, filter="data")
    search.clear_all()
    search.rebuild(quiet=True)
    search.commit()
    return manifest


def differences(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """What differs between two fingerprints, one line per part."""
    return [
        f"{part}: backed up {expected.get(part)!r}, restored {found.get(part)!r}"
        for part in sorted(set(expected) | set(found))
        if expected.get(part) != found.get(part)
    ]


# --- the fingerprint the drill compares ---------------------------------------


def _digest(rows: Any) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(row, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()


def _datastore_tables() -> dict[str, dict[str, Any]]:
    engine = sa.create_engine(str(tk.config.get("ckan.datastore.write_url")))
    tables: dict[str, dict[str, Any]] = {}
    try:
        with engine.connect() as connection:
            names = [
                name
                for name in sa.inspect(connection).get_table_names()
                if not name.startswith("_")
            ]
            for name in sorted(names):
                quoted = '"' + name.replace('"', '""') + '"'
                rows = connection.execute(sa.text(f"SELECT * FROM {quoted} ORDER BY _id"))
                records = [dict(row._mapping) for row in rows]
                tables[name] = {"rows": len(records), "sha256": _digest(records)}
    finally:
        engine.dispose()
    return tables


def fingerprint() -> dict[str, Any]:
    """What a restore must reproduce: datasets, resources (with their stored
    files), validation reports, review history (activities), harvest records,
    the Daftar Data and DataStore rows, each as counts and a digest over the
    rows in a stable order."""
    session = model.Session
    packages = session.execute(
        sa.text(
            "SELECT id, name, title, state, type, owner_org, private, metadata_modified, extras "
            "FROM package ORDER BY id"
        )
    ).all()
    resources = session.execute(
        sa.text("SELECT id, package_id, url, url_type, format, hash, size, state, extras "
                "FROM resource ORDER BY id")
    ).all()  # fmt: skip
    files = {}
    for resource_id, _, _, url_type, *_ in resources:
        if url_type == "upload":
            path = Path(uploader.ResourceUpload({}).get_path(resource_id))
            files[resource_id] = _sha256(path) if path.exists() else None
    reports = session.execute(
        sa.text("SELECT resource_id, status, file_hash, row_count, error_count, summary "
                "FROM satudata_validation_report ORDER BY resource_id")
    ).all()  # fmt: skip
    activities = session.execute(
        sa.text("SELECT id, timestamp, activity_type, object_id, user_id FROM activity ORDER BY id")
    ).all()
    harvest = session.execute(
        sa.text("SELECT id, guid, state, report_status, current, package_id "
                "FROM harvest_object ORDER BY id")
    ).all()  # fmt: skip
    # The year's Daftar Data and its links to datasets (planning/).
    plan = session.execute(sa.text("SELECT * FROM satudata_daftar_data ORDER BY id")).all()
    plan_links = session.execute(
        sa.text("SELECT * FROM satudata_daftar_data_link ORDER BY 1, 2")
    ).all()
    return {
        "datasets": {"count": len(packages), "sha256": _digest(packages)},
        "resources": {"count": len(resources), "sha256": _digest(resources)},
        "files": {"count": len(files), "sha256": _digest(sorted(files.items()))},
        "validation_reports": {"count": len(reports), "sha256": _digest(reports)},
        "activities": {"count": len(activities), "sha256": _digest(activities)},
        "harvest_objects": {"count": len(harvest), "sha256": _digest(harvest)},
        "daftar_data": {"count": len(plan), "sha256": _digest(plan)},
        "daftar_data_links": {"count": len(plan_links), "sha256": _digest(plan_links)},
        "datastore": _datastore_tables(),
    }
