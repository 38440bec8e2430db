"""Actions of ckanext-satudata, one module per concept; the plugin registers
what ``get_actions`` collects (each module's ``__all__``, and the gate's
chained actions)."""

from __future__ import annotations

from typing import Any

from ckanext.satudata.logic.action import (
    charts,
    dataset,
    gate,
    harvest,
    harvest_reports,
    interop,
    planning,
    quality,
    review,
    validation,
)

_MODULES = (
    charts,
    dataset,
    harvest,
    harvest_reports,
    interop,
    planning,
    quality,
    review,
    validation,
)


def get_actions() -> dict[str, Any]:
    found = {name: getattr(module, name) for module in _MODULES for name in module.__all__}
    return {**found, **gate.actions()}
