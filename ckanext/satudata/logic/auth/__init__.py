"""Auth functions of ckanext-satudata, one module per concept; the plugin
registers what ``get_auth_functions`` collects (each module's ``__all__``)."""

from __future__ import annotations

from typing import Any

from ckanext.satudata.logic import collect, in_modules
from ckanext.satudata.logic.auth import (
    charts,
    harvest,
    interop,
    planning,
    quality,
    review,
    validation,
)

_MODULES = (charts, harvest, interop, planning, quality, review, validation)


def get_auth_functions() -> dict[str, Any]:
    return collect(in_modules(_MODULES))
