"""A dataset write as one unit: what follows a change of a dataset (its
quality score, kept by quality/service.py) happens once, at the end of the
write, however many package hooks and stored validation reports the write
went through.

A package_create with three tables runs the package hooks once and stores
three reports; a harvested dataset adds its own reports after the package
write. Each of those tells ``changed``; inside a ``unit`` they are only
remembered, and ``finished`` is sent once per dataset when the outermost
unit ends (after an error too: the listener finds the dataset as the
database has it, rolled back or not). Outside a unit ``changed`` answers False and the caller acts at once.

Who opens units: the chained package and resource write actions
(logic/action/dataset.py) and the harvesters' import of one record
(harvesters/base.py ``_one_write``), which index the dataset themselves
afterwards (``indexed_by_caller``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from ckan.plugins import toolkit as tk

# Sent once per dataset (sender: the package id) at the end of a unit that
# changed it; ``reindex``: whether the listener re-indexes the dataset (False
# when the unit's caller indexes it after the unit).
finished = tk.signals.ckanext.signal("satudata_dataset_write_finished")


@dataclass
class Unit:
    indexed_by_caller: bool
    # Ordered, without repeats: the datasets the unit changed.
    changed: dict[str, None] = field(default_factory=dict)


_open: ContextVar[Unit | None] = ContextVar("satudata_write_unit", default=None)


@contextlib.contextmanager
def unit(indexed_by_caller: bool = False) -> Iterator[Unit]:
    """One write; a unit opened inside another is part of it (the outer one
    sends). Yields the unit (its ``changed`` datasets)."""
    outer = _open.get()
    if outer is not None:
        yield outer
        return
    opened = Unit(indexed_by_caller)
    token = _open.set(opened)
    try:
        yield opened
    finally:
        _open.reset(token)
        # Sent after an error too: what was committed before it (a harvested
        # dataset whose report could not be stored) is scored; what was
        # rolled back scores as it was before the write.
        for package_id in opened.changed:
            finished.send(package_id, reindex=not indexed_by_caller)


def indexed_by_caller() -> bool:
    """Whether a unit is open whose caller indexes the datasets it changed."""
    opened = _open.get()
    return opened is not None and opened.indexed_by_caller


def changed(package_id: str) -> bool:
    """Tell that dataset ``package_id`` changed: True when a unit is open (it
    will send ``finished``), False when the caller must act now."""
    opened = _open.get()
    if opened is None:
        return False
    opened.changed[package_id] = None
    return True
