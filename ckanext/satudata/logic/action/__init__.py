"""Actions of ckanext-satudata, one module per concept; the plugin registers
what ``get_actions`` collects (each module's ``__all__``)."""

from __future__ import annotations

from typing import Any

from ckanext.satudata.logic.action import dataset, interop, validation

_MODULES = (dataset, interop, validation)


def get_actions() -> dict[str, Any]:
    return {name: getattr(module, name) for module in _MODULES for name in module.__all__}
