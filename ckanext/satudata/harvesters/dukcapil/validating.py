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

from ckanext.satudata.harvesters.messages import (
    N_,
    Localized,
    Message,
    join_messages,
    message,
)
from ckanext.satudata.validation import engine, jobs, reports, service

# ``source`` column of the stored report (at most 16 characters).
REPORT_SOURCE = "harvest"
REPORT_LINES = 20


def validate_table(table: bytes, filename: str, standard: str | None) -> engine.ValidationResult:
    """Validate a generated CSV table as the upload hooks would validate it."""
    return service.inspect_bytes(table, "csv", standard)


def failure_report(filename: str, result: engine.ValidationResult) -> Message:
    """Why a table was refused: one line per finding with row, column and rule
    (each finding in the validation engine's own two languages)."""
    head = message(
        N_(
            "{file}: does not follow {standard} ({count} problem(s), status {status}); "
            "nothing was published for this dataset:"
        ),
        file=filename,
        standard=message(N_("data standard {name}"), name=result.standard)
        if result.standard
        else message(N_("its inferred schema")),
        count=result.error_count,
        status=result.status,
    )
    lines: list[Message | str] = [head]
    for entry in result.summary[:REPORT_LINES]:
        lines.append(
            message(
                N_("- {where}: rule {rule}: {finding}"),
                where=_where(entry),
                rule=str(entry.get("type")),
                finding=Localized(
                    {"id": str(entry.get("message_id", "")), "en": str(entry.get("message_en", ""))}
                ),
            )
        )
    more = result.error_count - min(len(result.summary), REPORT_LINES)
    if more > 0:
        lines.append(message(N_("- … and {count} more"), count=more))
    return join_messages(lines)


def _where(entry: Mapping[str, Any]) -> Message:
    if entry.get("row") and entry.get("column"):
        return message(N_('row {row}, column "{column}"'), row=entry["row"], column=entry["column"])
    if entry.get("row"):
        return message(N_("row {row}"), row=entry["row"])
    if entry.get("column"):
        return message(N_('column "{column}"'), column=entry["column"])
    return message(N_("file"))


def record(resource: Mapping[str, Any], result: engine.ValidationResult) -> None:
    """Store the report of a written resource (and queue its DataStore load on
    success) through the validation module's own path."""
    jobs.after_validation(dict(resource), result, REPORT_SOURCE)


def as_published(resource: Mapping[str, Any]) -> dict[str, Any]:
    """A published resource to pass back unchanged in package_patch, without the
    fields only the engine sets (they would otherwise land in its extras)."""
    return reports.without_read_only(dict(resource))
