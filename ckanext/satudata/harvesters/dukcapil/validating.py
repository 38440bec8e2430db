"""The harvester's tables through our frictionless engine.

The harvester writes a dataset with one package_patch carrying its uploads;
CKAN runs resource hooks only from resource_create/resource_update, so the
upload hooks of validation/hooks.py never see these files. Instead:

- before writing, every table about to be written goes through the gate
  (``service.inspect_bytes``), validated against its data standard; one that fails makes
  the whole harvest object fail (nothing of it is published), with a report
  naming the file, row, column and rule;
- after writing, each result is recorded for its resource through
  ``jobs.after_validation``, the same path the upload hooks take: the
  report table, ``validation_status``/``validation_timestamp`` in
  resource_show, the badge and report page, and the DataStore load of a
  file that passed against a standard.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ckanext.satudata.validation import engine, jobs, reports, service

# ``source`` column of the stored report (at most 16 characters).
REPORT_SOURCE = "harvest"
REPORT_LINES = 20


def validate_table(table: bytes, filename: str, standard: str | None) -> engine.ValidationResult:
    """Validate a generated CSV table as the upload hooks would validate it."""
    return service.inspect_bytes(table, "csv", standard)


def failure_report(filename: str, result: engine.ValidationResult) -> str:
    """Why a table was refused: one line per finding with row, column and rule."""
    standard = f"data standard {result.standard}" if result.standard else "its inferred schema"
    head = (
        f"{filename}: does not follow {standard} ({result.error_count} problem(s), "
        f"status {result.status}); nothing was published for this dataset"
    )
    lines = []
    for entry in result.summary[:REPORT_LINES]:
        where = ", ".join(
            part
            for part in (
                f"row {entry['row']}" if entry.get("row") else "",
                f'column "{entry["column"]}"' if entry.get("column") else "",
            )
            if part
        )
        lines.append(f"- {where or 'file'}: rule {entry.get('type')}: {entry.get('message_en')}")
    more = result.error_count - len(lines)
    if more > 0:
        lines.append(f"- … and {more} more")
    return "\n".join([head + ":", *lines])


def record(resource: Mapping[str, Any], result: engine.ValidationResult) -> None:
    """Store the report of a written resource (and queue its DataStore load on
    success) through the validation module's own path."""
    jobs.after_validation(dict(resource), result, REPORT_SOURCE)


def as_published(resource: Mapping[str, Any]) -> dict[str, Any]:
    """A published resource to pass back unchanged in package_patch, without the
    fields only the engine sets (they would otherwise land in its extras)."""
    return reports.without_read_only(dict(resource))
