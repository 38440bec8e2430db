"""The validation reader's container check (zip bombs, XML entities) for XLSX
files a harvester reads itself, before any parser inflates them.

Pure Python: no CKAN import (callers pass ``integration.limits()``).
"""

from __future__ import annotations

import os
import tempfile

from ckanext.satudata.validation import reader

_REASONS = {
    "zip-bomb": "it would inflate far beyond its size (zip bomb)",
    "xml-entities": "it declares XML entities or a DTD",
    "corrupt": "it is not a readable XLSX workbook",
}


class XlsxRefused(ValueError):
    """The XLSX container failed the safety check; the message says why."""


def check_container(content: bytes, limits: reader.Limits | None = None) -> None:
    """Raise XlsxRefused if ``content`` (an XLSX file) is unsafe to parse."""
    limits = limits or reader.Limits()
    if len(content) > limits.max_bytes:
        raise XlsxRefused(f"XLSX refused: {len(content)} bytes, more than {limits.max_bytes}")
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        reader.check_xlsx_container(path, limits)
    except reader.FileRejected as err:
        reason = _REASONS.get(err.code, err.code)
        detail = f" ({err.detail})" if err.detail else ""
        raise XlsxRefused(f"XLSX refused: {reason}{detail}") from None
    finally:
        os.unlink(path)
