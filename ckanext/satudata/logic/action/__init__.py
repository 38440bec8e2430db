"""Actions of ckanext-satudata, one module per concept; the plugin registers
what ``get_actions`` collects (each module's ``__all__``, and the gate's
chained actions)."""

from __future__ import annotations

import itertools
from typing import Any

from ckanext.satudata.logic import collect, in_modules
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
    return collect(itertools.chain(in_modules(_MODULES), gate.actions().items()))
