"""Leases on the work a harvest consumer holds (a job's gather, an object's
fetch and import), kept in the queue's Redis.

A consumer takes the lease before it touches the work and renews it from a
background thread while it works; the lease lapses ``lease_seconds`` after
its consumer died (``kill -9``, a lost host). So the watchdog can tell work
in progress from interrupted work, and a second message for the same work (a
duplicate in the queue) is dropped instead of processed twice.

A Redis restart without persistence forgets every lease; the holders write
theirs again at the next renewal, and the watchdog trusts a missing lease
only once Redis has been up longer than a lease (``redis_uptime``).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
import redis.exceptions
from ckan.plugins import toolkit as tk

log = logging.getLogger(__name__)

# Renew (or write again, after a Redis restart) unless another holder took it.
_RENEW = """
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def key(kind: str, ident: str) -> str:
    return f"satudata:{tk.config.get('ckan.site_id')}:lease:{kind}:{ident}"


def take(connection: redis.Redis, kind: str, ident: str, seconds: int) -> str | None:
    """Take the lease on ``kind``/``ident`` for ``seconds`` without renewing
    it (work shorter than the lease); the holder's token, or None when
    another holder has it."""
    token = uuid.uuid4().hex
    taken = connection.set(key(kind, ident), token, nx=True, ex=seconds)
    return token if taken else None


def give_back(connection: redis.Redis, kind: str, ident: str, token: str) -> None:
    """End a lease taken with ``token`` (a lease another holder took since is kept)."""
    connection.eval(_RELEASE, 1, key(kind, ident), token)


def held(connection: redis.Redis, kind: str, ident: str) -> bool:
    return bool(connection.exists(key(kind, ident)))


def redis_uptime(connection: redis.Redis) -> int:
    """Seconds the Redis server has been up (a restart forgets every lease)."""
    info: dict[str, Any] = connection.info("server")
    return int(info.get("uptime_in_seconds", 0))


class Lease:
    """One holder's lease on one piece of work."""

    def __init__(self, connection: redis.Redis, kind: str, ident: str, seconds: int) -> None:
        self.connection = connection
        self.key = key(kind, ident)
        self.seconds = seconds
        self.token = uuid.uuid4().hex
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def acquire(self) -> bool:
        taken = self.connection.set(self.key, self.token, nx=True, ex=self.seconds)
        if taken:
            self._renewer = threading.Thread(
                target=self._renew, name=f"lease {self.key}", daemon=True
            )
            self._renewer.start()
        return bool(taken)

    def _renew(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            try:
                if not self.connection.eval(_RENEW, 1, self.key, self.token, self.seconds):
                    log.warning("lease %s was taken by another holder", self.key)
            except redis.exceptions.RedisError as err:
                # Redis is down: the work goes on; the lease is written again
                # at the next renewal that reaches it.
                log.warning("could not renew lease %s: %s", self.key, err)

    def release(self) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5)
        try:
            self.connection.eval(_RELEASE, 1, self.key, self.token)
        except redis.exceptions.RedisError as err:
            log.warning("could not release lease %s (it lapses by itself): %s", self.key, err)


@contextmanager
def hold(connection: redis.Redis, kind: str, ident: str, seconds: int) -> Iterator[bool]:
    """Hold the lease on ``kind``/``ident`` for the block; yields False (and
    holds nothing) when another holder has it."""
    lease = Lease(connection, kind, ident, seconds)
    if not lease.acquire():
        yield False
        return
    try:
        yield True
    finally:
        lease.release()
