"""Auth functions of ckanext-satudata (registered by blanket)."""

from __future__ import annotations

from ckanext.satudata.validation.api import (
    satudata_validation_run_auth as satudata_validation_run,
)
from ckanext.satudata.validation.api import (
    satudata_validation_show_auth as satudata_validation_show,
)

__all__: list[str] = ["satudata_validation_run", "satudata_validation_show"]
