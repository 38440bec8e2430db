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
needs; connect timeouts stay.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

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
