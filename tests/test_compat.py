"""Shims for pinned extensions: each test shows the failure the shim fixes."""

from __future__ import annotations

import time

import pytest
import redis
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
