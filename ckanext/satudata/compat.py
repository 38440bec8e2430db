"""Shims for pinned third-party extensions, each small and tested.

ckanext-harvest 1.6.3 with CKAN 2.12's redis client
---------------------------------------------------
CKAN 2.12 pins ``redis==8.0.1``, whose clients time out any socket read after
5 seconds by default (``socket_timeout=5``). ckanext-harvest's Redis queue
consumers wait for work with a blocking ``BLPOP`` without a timeout, so
``ckan harvester gather-consumer`` and ``fetch-consumer`` crash with
``redis.exceptions.TimeoutError`` five seconds after they start, whenever the
queue is empty (tests/test_compat.py shows it). The shim gives the harvest
queue's connections no socket read timeout, which is what a blocking consumer
needs; connect timeouts stay. (Our own consumers, ops/consumers.py, bound
their reads instead: ops/queues.py.)

ckanext-harvest 1.6.3 re-sends queue items it takes for lost
------------------------------------------------------------
``harvest_jobs_run`` ends with ``resubmit_jobs()`` and ``resubmit_objects()``.
The latter reads the WAITING objects from the database, then the fetch queue,
and re-sends every WAITING object not in the queue, including one a consumer
popped in between and is about to process: it was processed twice (the
demo's Dukcapil object reported "not modified" after being written). The
former re-sends an object whose consumer has worked on it for 3 minutes, as
if it were lost. The shim makes both no-ops; our harvest_jobs_run runs the
watchdog instead (ops/watchdog.py), which re-sends only work that is neither
queued nor leased by a consumer.

ckanext-dcat 2.4.4 looks its RDF profiles up at every serializer
---------------------------------------------------------------
``RDFProcessor.__init__`` reads the ``ckan.rdf.profiles`` entry points of
every installed distribution for each profile name, every time a serializer
is made: about 80 ms a call on this machine (importlib.metadata scans the
whole environment), once per DCAT page and twice per dataset write (the
quality score's MQA check builds the dataset's DCAT record). The installed
profiles cannot change while the process runs, so the shim keeps what a
list of names resolved to (the same classes, in the same order; an unknown
name still raises, and is not kept).

CKAN 2.12's DataStore reads an alias's row after giving back its connection
---------------------------------------------------------------------------
``DatastorePostgresqlBackend.resource_id_from_alias`` (called by
``datastore_search``, ``datastore_upsert``, ``datastore_delete`` and more)
executes its query inside ``with engine.connect()`` but fetches the row after
the block. When the pool is already full at that moment (a threaded server:
``ckan run --threaded``, gunicorn with ``CKAN_WEB_THREADS`` > 1), the
returned connection is closed, and the fetch fails with ``InterfaceError:
cursor already closed``: six dashboard images loaded at once got one or more
HTTP 503s. The shim fetches the row inside the block; same query, same
answer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from ckanext.datastore.backend.postgres import DatastorePostgresqlBackend
from ckanext.dcat.processors import RDFProcessor

_PATCHED = "_satudata_blocking_reads"


def allow_blocking_harvest_queue_reads() -> None:
    # Lazy: imported at plugin load, when ckanext-harvest's own plugin may not
    # be loaded yet (its model registers tables on import).
    from ckanext.harvest import queue

    original: Callable[[], Any] = queue.get_connection_redis
    if getattr(original, _PATCHED, False):
        return

    @functools.wraps(original)
    def get_connection_redis() -> Any:
        connection = original()
        connection.connection_pool.connection_kwargs["socket_timeout"] = None
        return connection

    setattr(get_connection_redis, _PATCHED, True)
    # get_connection() looks the function up in the module at call time.
    queue.get_connection_redis = get_connection_redis


def leave_harvest_resubmission_to_the_watchdog() -> None:
    # Lazy, as above.
    from ckanext.harvest.logic.action import update

    if getattr(update.resubmit_objects, _PATCHED, False):
        return

    def no_resubmission() -> None:
        """Replaced by ops/watchdog.py (see the module docstring)."""

    setattr(no_resubmission, _PATCHED, True)
    # harvest_jobs_run calls the names imported into its module.
    update.resubmit_jobs = no_resubmission
    update.resubmit_objects = no_resubmission


def remember_dcat_profiles() -> None:
    original = RDFProcessor._load_profiles
    if getattr(original, _PATCHED, False):
        return
    resolved: dict[tuple[str, ...], list[Any]] = {}

    @functools.wraps(original)
    def _load_profiles(self: Any, profile_names: list[str]) -> list[Any]:
        key = tuple(profile_names)
        if key not in resolved:
            resolved[key] = original(self, profile_names)
        return list(resolved[key])

    setattr(_load_profiles, _PATCHED, True)
    RDFProcessor._load_profiles = _load_profiles


_ALIAS_SQL = sa.text('SELECT alias_of FROM "_table_metadata" WHERE name = :id')


def fetch_datastore_aliases_inside_their_connection() -> None:
    original = DatastorePostgresqlBackend.resource_id_from_alias
    if getattr(original, _PATCHED, False):
        return

    @functools.wraps(original)
    def resource_id_from_alias(
        self: DatastorePostgresqlBackend, alias: str
    ) -> tuple[bool, str | None]:
        with self._get_read_engine().connect() as conn:
            rows = conn.execute(_ALIAS_SQL, {"id": alias}).fetchall()
        return bool(rows), (rows[0][0] if rows else None)

    setattr(resource_id_from_alias, _PATCHED, True)
    DatastorePostgresqlBackend.resource_id_from_alias = resource_id_from_alias
