"""Waits until PostgreSQL, Solr and Redis answer, or gives up.

    python wait_for_services.py TIMEOUT_SECONDS

Reads the URLs from the environment the entrypoint exported:
CKAN_SQLALCHEMY_URL, CKAN_DATASTORE_WRITE_URL, CKAN_SOLR_URL, CKAN_REDIS_URL.
"""

from __future__ import annotations

import os
import sys
import time
import urllib.request
from collections.abc import Callable

import psycopg2
import redis


def postgres(url: str) -> Callable[[], None]:
    def check() -> None:
        psycopg2.connect(url, connect_timeout=5).close()

    return check


def solr(url: str) -> Callable[[], None]:
    def check() -> None:
        with urllib.request.urlopen(url.rstrip("/") + "/admin/ping?wt=json", timeout=5) as r:
            if b'"OK"' not in r.read():
                raise RuntimeError("ping is not OK")

    return check


def redis_ping(url: str) -> Callable[[], None]:
    def check() -> None:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()

    return check


def main() -> int:
    timeout = float(sys.argv[1]) if len(sys.argv) > 1 else 300
    env = os.environ
    checks = {
        "PostgreSQL (CKAN database)": postgres(env["CKAN_SQLALCHEMY_URL"]),
        "PostgreSQL (DataStore database)": postgres(env["CKAN_DATASTORE_WRITE_URL"]),
        "Solr core": solr(env["CKAN_SOLR_URL"]),
        "Redis": redis_ping(env["CKAN_REDIS_URL"]),
    }
    deadline = time.monotonic() + timeout
    for name, check in checks.items():
        while True:
            try:
                check()
                print(f"wait-for-services: {name} is up", flush=True)
                break
            except Exception as exc:
                if time.monotonic() > deadline:
                    print(f"wait-for-services: {name} not up after {timeout:.0f}s: {exc}",
                          file=sys.stderr)
                    return 1
                time.sleep(2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
