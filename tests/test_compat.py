"""Shims for pinned extensions: each test shows the failure the shim fixes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
import sqlalchemy as sa
from ckanext.harvest import queue

QUEUE_KEY = "satudata-test-empty-queue"


def _unpatched_connection() -> redis.Redis:
    return queue.get_connection_redis.__wrapped__()


@pytest.mark.usefixtures("with_plugins")
def test_harvest_queue_read_times_out_without_the_shim() -> None:
    """A blocking wait longer than redis-py 8's default 5 s read timeout fails."""
    connection = _unpatched_connection()
    connection.delete(QUEUE_KEY)
    started = time.monotonic()
    with pytest.raises(redis.exceptions.TimeoutError):
        connection.blpop(QUEUE_KEY, timeout=7)
    assert time.monotonic() - started < 6.5


@pytest.mark.usefixtures("with_plugins")
def test_harvest_queue_waits_with_the_shim() -> None:
    connection = queue.get_connection()
    connection.delete(QUEUE_KEY)
    started = time.monotonic()
    assert connection.blpop(QUEUE_KEY, timeout=6) is None  # waited, no error
    assert time.monotonic() - started >= 5.5


def _counting_entry_points(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from ckanext.dcat import processors

    calls: list[str] = []
    original = processors.entry_points

    def counted(**kwargs: object) -> object:
        calls.append(str(kwargs.get("name")))
        return original(**kwargs)

    monkeypatch.setattr(processors, "entry_points", counted)
    return calls


@pytest.mark.usefixtures("with_plugins")
def test_dcat_serializer_reads_entry_points_each_time_without_the_shim(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ckanext.dcat.processors import RDFProcessor, RDFSerializer

    calls = _counting_entry_points(monkeypatch)
    unpatched = RDFProcessor._load_profiles.__wrapped__
    monkeypatch.setattr(RDFProcessor, "_load_profiles", unpatched)
    RDFSerializer()
    first = len(calls)
    RDFSerializer()
    assert first > 0 and len(calls) == 2 * first


@pytest.mark.usefixtures("with_plugins")
def test_dcat_serializer_profiles_resolved_once_with_the_shim(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ckanext.dcat.processors import RDFProfileException, RDFSerializer

    expected = list(RDFSerializer()._profiles)
    assert expected  # the configured profiles' classes
    calls = _counting_entry_points(monkeypatch)
    again = RDFSerializer()
    assert calls == []  # nothing looked up again
    assert list(again._profiles) == expected
    with pytest.raises(RDFProfileException):  # an unknown name still fails, every time
        RDFSerializer(profiles=["no_such_profile"])
    with pytest.raises(RDFProfileException):
        RDFSerializer(profiles=["no_such_profile"])


TABLE = "satudata_test_alias_lookup"


@pytest.fixture
def datastore_table() -> Iterator[str]:
    """A DataStore table (``_table_metadata`` lists every table there)."""
    from ckanext.datastore.backend.postgres import get_write_engine

    engine = get_write_engine()
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE TABLE IF NOT EXISTS "{TABLE}" (jumlah int)'))
    try:
        yield TABLE
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{TABLE}"'))


def _lookup_while_the_pool_fills(lookup: Callable[[str], Any], backend: Any, name: str) -> Any:
    """Run ``lookup`` as a threaded server's request may: every pooled
    connection was taken, and the others give theirs back while it runs, so
    the pool is full when it gives its own back (and closes it)."""
    engine = backend._get_read_engine()
    held = [engine.connect() for _ in range(engine.pool.size())]

    def give_back(*_args: Any) -> None:
        for connection in held:
            connection.close()

    sa.event.listen(engine, "after_execute", give_back, once=True)
    try:
        return lookup(name)
    finally:
        give_back()
        if sa.event.contains(engine, "after_execute", give_back):
            sa.event.remove(engine, "after_execute", give_back)


@pytest.mark.usefixtures("with_plugins")
def test_datastore_alias_lookup_fails_on_a_full_pool_without_the_shim(
    datastore_table: str,
) -> None:
    from ckanext.datastore.backend import DatastoreBackend

    backend = DatastoreBackend.get_active_backend()
    unpatched = type(backend).resource_id_from_alias.__wrapped__
    with pytest.raises(sa.exc.InterfaceError, match="cursor already closed"):
        _lookup_while_the_pool_fills(
            lambda name: unpatched(backend, name), backend, datastore_table
        )


@pytest.mark.usefixtures("with_plugins")
def test_datastore_alias_lookup_answers_on_a_full_pool_with_the_shim(
    datastore_table: str,
) -> None:
    from ckanext.datastore.backend import DatastoreBackend

    backend = DatastoreBackend.get_active_backend()
    lookup = backend.resource_id_from_alias
    assert _lookup_while_the_pool_fills(lookup, backend, datastore_table) == (True, None)
    assert lookup("no-such-table") == (False, None)
