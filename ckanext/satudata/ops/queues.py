"""ckanext-harvest's two Redis queues (gather: job ids, fetch: object ids), as
our consumers and the watchdog use them: the same lists and message format
as ckanext-harvest's publishers, over connections whose reads are bounded,
so a dead connection is noticed instead of waited on for ever."""

from __future__ import annotations

import json
from dataclasses import dataclass

import redis
from ckan.plugins import toolkit as tk
from ckanext.harvest import queue

# Seconds a read may take beyond the longest blocking wait before the
# connection is taken for dead.
READ_MARGIN_SECONDS = 10


@dataclass(frozen=True)
class Stage:
    name: str  # "gather" or "fetch"
    message_key: str  # the id's key in a message
    lease_kind: str  # leases.key kind of the work a message names

    def routing_key(self) -> str:
        if self.name == "gather":
            return queue.get_gather_routing_key()
        return queue.get_fetch_routing_key()


GATHER = Stage("gather", "harvest_job_id", "harvest_job")
FETCH = Stage("fetch", "harvest_object_id", "harvest_object")


def uses_redis() -> bool:
    return tk.config.get("ckan.harvest.mq.type") == "redis"


def connect(longest_wait: float = 0) -> redis.Redis:
    """A connection to the harvest queue's Redis whose reads time out
    ``READ_MARGIN_SECONDS`` after the longest blocking wait it will do."""
    connection = queue.get_connection()
    if not isinstance(connection, redis.Redis):
        raise RuntimeError("the harvest queue is not Redis (ckan.harvest.mq.type)")
    options = connection.connection_pool.connection_kwargs
    options["socket_timeout"] = longest_wait + READ_MARGIN_SECONDS
    options["socket_connect_timeout"] = READ_MARGIN_SECONDS
    options["socket_keepalive"] = True
    return connection


def _message(stage: Stage, ident: str) -> str:
    return json.dumps({stage.message_key: ident})


def send(connection: redis.Redis, stage: Stage, ident: str) -> None:
    """Queue ``ident`` once (a copy already waiting is replaced, as
    ckanext-harvest's gather publisher does)."""
    message = _message(stage, ident)
    pipe = connection.pipeline()
    pipe.lrem(stage.routing_key(), 0, message)
    pipe.rpush(stage.routing_key(), message)
    pipe.execute()


def waiting(connection: redis.Redis, stage: Stage) -> set[str]:
    """Ids waiting in the stage's queue."""
    ids = set()
    for raw in connection.lrange(stage.routing_key(), 0, -1):
        try:
            ids.add(str(json.loads(raw)[stage.message_key]))
        except (ValueError, KeyError, TypeError):
            continue
    return ids


def receive(connection: redis.Redis, stage: Stage, wait_seconds: int) -> str | None:
    """The next id of the stage's queue, waiting at most ``wait_seconds``;
    None when nothing came (or the message named no id)."""
    popped = connection.blpop([stage.routing_key()], timeout=wait_seconds)
    if popped is None:
        return None
    _, raw = popped
    try:
        return str(json.loads(raw)[stage.message_key])
    except (ValueError, KeyError, TypeError):
        return None
