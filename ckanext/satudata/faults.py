"""Infrastructure faults: which exceptions mean that a service the portal
stands on failed (PostgreSQL, Solr, Redis, the storage disk), as opposed to
bad input or a bug. Such work is worth trying again once the service is back;
anything else is reported at once. One classifier for the harvest consumers,
the background jobs and the write actions, and the messages each audience
reads: English for harvest reports and logs, the UI language for users.
"""

from __future__ import annotations

import enum
import errno
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pysolr
import redis
import redis.exceptions
import sqlalchemy.exc
from ckan import model
from ckan.lib.search.common import SearchError, SearchIndexError, SolrConnectionError
from ckan.plugins import toolkit as tk

log = logging.getLogger(__name__)

# Storage errors that no retry by the same request can fix but an operator can
# (a full or read-only disk, a failing device).
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS})
# What pysolr and CKAN's search module say when Solr cannot be reached or is
# overloaded (HTTP 5xx), as opposed to a document or query Solr refused.
SOLR_UNREACHABLE = re.compile(
    r"Failed to connect|Connection to server|timed out|Connection refused|"
    r"Could not connect|HTTP 5\d\d|Max retries exceeded|RemoteDisconnected",
    re.IGNORECASE,
)


class Service(enum.Enum):
    DATABASE = "database (PostgreSQL)"
    SEARCH = "search index (Solr)"
    QUEUE = "job queue (Redis)"
    STORAGE = "file storage (disk)"


@dataclass(frozen=True)
class Fault:
    """A failed service and what the failure said."""

    service: Service
    detail: str

    def report(self) -> str:
        """English, for harvest reports and logs."""
        return f"{self.service.value} unavailable: {self.detail}"

    def user_message(self) -> str:
        """In the UI language: what happened, that nothing was saved, what to do."""
        return {
            Service.DATABASE: tk._(
                "The database is not reachable right now, so nothing was saved. "
                "Please try again in a few minutes."
            ),
            Service.SEARCH: tk._(
                "The search index is not reachable right now, so nothing was saved. "
                "Please try again in a few minutes."
            ),
            Service.QUEUE: tk._(
                "The job queue is not reachable right now, so nothing was started. "
                "Please try again in a few minutes."
            ),
            Service.STORAGE: tk._(
                "The file storage is full or unavailable, so nothing was saved. "
                "Please tell the portal administrator."
            ),
        }[self.service]


def _chain(err: BaseException) -> Iterator[BaseException]:
    """The exception, then what caused it (CKAN re-raises Solr and database
    errors as its own), without looping on a cycle."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _one(err: BaseException) -> Fault | None:
    detail = str(err).strip().splitlines()[0][:300] if str(err).strip() else type(err).__name__
    if isinstance(err, sqlalchemy.exc.OperationalError | sqlalchemy.exc.DisconnectionError):
        return Fault(Service.DATABASE, detail)
    if isinstance(err, sqlalchemy.exc.DBAPIError) and err.connection_invalidated:
        return Fault(Service.DATABASE, detail)
    if isinstance(err, sqlalchemy.exc.InterfaceError):  # "connection already closed"
        return Fault(Service.DATABASE, detail)
    if isinstance(err, SolrConnectionError):
        return Fault(Service.SEARCH, detail)
    if isinstance(err, SearchIndexError | SearchError | pysolr.SolrError) and (
        SOLR_UNREACHABLE.search(str(err))
    ):
        return Fault(Service.SEARCH, detail)
    if isinstance(err, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
        return Fault(Service.QUEUE, detail)
    if isinstance(err, OSError) and err.errno in STORAGE_ERRNOS:
        return Fault(Service.STORAGE, detail)
    return None


def classify(err: BaseException) -> Fault | None:
    """The infrastructure fault behind ``err``, or None for any other error."""
    for link in _chain(err):
        fault = _one(link)
        if fault is not None:
            return fault
    return None


def discard_session() -> None:
    """After an error: roll the database session back and drop it (a session
    whose connection died cannot even roll back), so the next piece of work
    starts on a clean one."""
    try:
        model.Session.rollback()
    except Exception:
        log.debug("rollback failed; removing the session", exc_info=True)
    try:
        model.Session.remove()
    except Exception:
        log.exception("could not remove the database session")
