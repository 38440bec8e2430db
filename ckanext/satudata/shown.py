"""A dataset shown once for a block in which nothing changes it.

CKAN's DataStore actions each show the resource (a whole package_show, our
hooks included) to read its id and url_type; a DataStore load calls several
of them in a row on a dataset it does not change meanwhile. Within
``kept(package_id)`` the first package_show of that dataset (by the same user,
with the same options) is kept and the next ones get a copy of it
(logic/action/dataset.py package_show asks ``lookup``/``keep``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

# Keyed by what changes a package_show's answer besides the dataset: the
# user (and whether auth was checked) and the options that pick the schema
# and the output (``validate: False``, as the search index asks, is the
# unvalidated dictization).
Key = tuple[str, str, bool, bool, bool, bool, bool]

_kept: ContextVar[tuple[str, dict[Key, dict[str, Any]]] | None] = ContextVar(
    "satudata_shown_dataset", default=None
)


def key(name_or_id: str, context: dict[str, Any], data_dict: dict[str, Any]) -> Key:
    return (
        name_or_id,
        str(context.get("user") or ""),
        bool(context.get("ignore_auth")),
        bool(context.get("for_view")),
        bool(context.get("use_default_schema") or data_dict.get("use_default_schema")),
        bool(data_dict.get("include_plugin_data")),
        bool(context.get("validate", True)),
    )


@contextmanager
def kept(package_id: str) -> Iterator[None]:
    """Within: dataset ``package_id`` (by id, as the DataStore actions show
    it) is shown once per key. The caller vouches that nothing changes it."""
    token = _kept.set((package_id, {}))
    try:
        yield
    finally:
        _kept.reset(token)


def lookup(shown_key: Key) -> dict[str, Any] | None:
    """A copy of the kept answer (callers may change what they get)."""
    current = _kept.get()
    if current is None or current[0] != shown_key[0]:
        return None
    answer = current[1].get(shown_key)
    return copy.deepcopy(answer) if answer is not None else None


def keep(shown_key: Key, answer: Any) -> None:
    current = _kept.get()
    if current is not None and current[0] == shown_key[0] and isinstance(answer, dict):
        current[1][shown_key] = copy.deepcopy(answer)
