"""Stored resource files kept in step with the database.

CKAN's package_update writes a resource's uploaded file into storage before
it indexes the dataset and commits: when Solr or PostgreSQL fails after that
point, the database rolls back but the file stays, either orphaned (a new
resource that never existed) or replacing the published file of a resource
whose metadata still describes the old one. Inside ``transaction()`` every
file CKAN's uploader writes (or removes) is recorded, the file it replaces
kept as a hard link beside it; when the block fails, the new files are
removed and the replaced ones put back, so a failed save leaves storage as
it was. The portal's IUploader (plugin.py) hands out ``GuardedResourceUpload``.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from ckan.lib import uploader
from ckan.lib.uploader import ResourceUpload

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

BACKUP_SUFFIX = ".satudata-previous"


@dataclass(frozen=True)
class _Change:
    path: str
    backup: str | None  # the replaced file, hard-linked aside (None: there was none)


# The changes of the transaction open in this thread (request, job), if any.
_open: ContextVar[list[_Change] | None] = ContextVar("satudata_upload_changes", default=None)


class GuardedResourceUpload(ResourceUpload):
    """CKAN's local-storage resource uploader, recording what it changes."""

    def upload(self, id: str, max_size: int = 10) -> None:
        changes = _open.get()
        if changes is not None and self.storage_path and (self.filename or self.clear):
            path = self.get_path(id)
            backup = None
            if os.path.exists(path):
                backup = path + BACKUP_SUFFIX
                with contextlib.suppress(FileNotFoundError):
                    os.remove(backup)
                os.link(path, backup)
            changes.append(_Change(path, backup))
        super().upload(id, max_size)


def resource_uploader(data_dict: dict[str, Any]) -> ResourceUpload | None:
    """IUploader.get_resource_uploader: ours for CKAN's local storage; None
    (CKAN's choice) when a file storage of CKAN's files API is configured."""
    if not uploader.get_storage_path():
        return None
    return GuardedResourceUpload(data_dict)


def _undo(changes: list[_Change]) -> None:
    for change in reversed(changes):
        try:
            with contextlib.suppress(FileNotFoundError):
                os.remove(change.path + "~")  # a copy cut short (disk full)
            if change.backup is not None:
                os.replace(change.backup, change.path)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(change.path)
        except OSError:
            log.exception("could not restore %s after a failed save", change.path)


def _keep(changes: list[_Change]) -> None:
    for change in changes:
        if change.backup is not None:
            with contextlib.suppress(FileNotFoundError):
                os.remove(change.backup)


@contextlib.contextmanager
def transaction() -> Iterator[None]:
    """Files written in the block are kept only if the block succeeds. A
    block inside another one joins it (the outer one decides)."""
    if _open.get() is not None:
        yield
        return
    changes: list[_Change] = []
    token = _open.set(changes)
    try:
        yield
    except BaseException:
        _undo(changes)
        raise
    else:
        _keep(changes)
    finally:
        _open.reset(token)


def undone_on_failure(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` inside a ``transaction()``."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction():
            return function(*args, **kwargs)

    return wrapper
