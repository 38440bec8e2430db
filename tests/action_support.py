"""The CKAN actions a test's process ran, in order (CKAN's action_succeeded signal)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ckan.lib import signals


@contextmanager
def actions() -> Iterator[list[str]]:
    called: list[str] = []

    def record(name: str, **_: Any) -> None:
        called.append(name)

    signals.action_succeeded.connect(record)
    try:
        yield called
    finally:
        signals.action_succeeded.disconnect(record)
