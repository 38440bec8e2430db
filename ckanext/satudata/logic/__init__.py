"""Actions, auth functions, schemas and validators of ckanext-satudata;
``collect`` gathers the functions each concept's module lists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def collect(named: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Functions by name. Two modules defining the same name would silently
    keep the last one (a chained resource_create once lost its outage
    refusal that way): refused at start instead."""
    found: dict[str, Any] = {}
    for name, function in named:
        if name in found:
            raise RuntimeError(f"{name} is defined twice: {found[name]!r} and {function!r}")
        found[name] = function
    return found


def in_modules(modules: Iterable[Any]) -> Iterable[tuple[str, Any]]:
    """Each module's ``__all__``."""
    return ((name, getattr(module, name)) for module in modules for name in module.__all__)
