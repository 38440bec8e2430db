"""The gate: the one service every path that stores content or text calls.

- Files: ``inspect_upload``, ``inspect_url``, ``inspect_bytes`` and
  ``inspect_stored`` hand a file to inspection.inspect_file under the
  configured policy (limits, the table kinds validated as tables, the kinds
  stored unchecked). What a file is, is told by its bytes; its name or
  declared format only says whether it promised a table.
- Free text: ``text_errors`` scans every text of a data dict (dataset and
  resource metadata, organization and group descriptions, user profiles …)
  and returns field-level errors in the user's language.
- DataStore rows: ``records_errors`` scans the fields and records of a
  datastore_create or datastore_upsert.

Callers: validation/hooks.py (resource hooks and the package actions),
logic/action/gate.py (every other action that stores text or rows), the
harvesters, and validation/jobs.py. ``refuse_if_needed`` turns a result into
the refusal the configured policy asks for.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.satudata import config, net
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.validation import engine, guard, inspection, messages, reader
from ckanext.satudata.validation.reader import FileRejected

MB = 1024 * 1024
# Keys of a data dict that hold no text people read, or text that is never
# published (passwords), or a file (handled as a file).
NOT_TEXT_KEYS = frozenset(
    {
        "id", "package_id", "resource_id", "owner_org", "hash", "url_type", "upload",
        "image_upload", "clear_upload", "password", "password1", "password2",
        "old_password", "apikey", "token", "state", "type", "revision_id",
    }
)  # fmt: skip


def policy() -> inspection.Policy:
    return inspection.Policy(
        limits=config.validation_limits(),
        table_kinds=config.validation_formats(),
        unchecked_kinds=config.validation_unchecked_kinds(),
    )


# What a resource's content is ---------------------------------------------------------


def upload_of(resource: Mapping[str, Any]) -> Any:
    """The uploaded file of a resource dict (a FileStorage), or None."""
    upload = resource.get("upload")
    if upload is None or isinstance(upload, str) or not getattr(upload, "filename", None):
        return None
    return upload


def is_url_resource(resource: Mapping[str, Any]) -> bool:
    """A resource linking to a file elsewhere (any case of the scheme)."""
    url = str(resource.get("url") or "").strip().lower()
    return resource.get("url_type") != "upload" and url.startswith(("http://", "https://"))


def declared_format(resource: Mapping[str, Any], filename: str | None = None) -> str:
    """What a resource claims to be: its file name's extension, else its format."""
    return inspection.declared_format(filename or resource.get("url"), resource.get("format"))


def data_standard(resource: Mapping[str, Any]) -> str | None:
    """The resource's own standard, else its dataset's."""
    if resource.get("standar_data"):
        return str(resource["standar_data"])
    package_id = resource.get("package_id")
    package = model.Package.get(package_id) if package_id else None
    if package is None:
        return None
    return package.extras.get("standar_data") or None


# Files ---------------------------------------------------------------------------------


def inspect_path(path: str, declared: str, standard: str | None) -> engine.ValidationResult:
    return inspection.inspect_file(path, declared, standard, policy=policy())


def _copy_upload(upload: Any, target: str, max_bytes: int) -> None:
    stream = getattr(upload, "stream", None) or upload
    stream.seek(0)
    with open(target, "wb") as out:
        # Copy at most one byte over the limit: enough to say "too large".
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = stream.read(min(remaining, MB))
            if not chunk:
                break
            out.write(chunk)
            remaining -= len(chunk)
    stream.seek(0)  # CKAN's uploader reads it again


def inspect_upload(upload: Any, declared: str, standard: str | None) -> engine.ValidationResult:
    with tempfile.TemporaryDirectory(prefix="satudata-gate-") as folder:
        path = os.path.join(folder, "upload")
        _copy_upload(upload, path, config.validation_limits().max_bytes)
        return inspect_path(path, declared, standard)


def inspect_bytes(content: bytes, declared: str, standard: str | None) -> engine.ValidationResult:
    """Content held in memory (a download, a generated table, a harvested file)."""
    with tempfile.TemporaryDirectory(prefix="satudata-gate-") as folder:
        path = os.path.join(folder, "content")
        with open(path, "wb") as out:
            out.write(content)
        return inspect_path(path, declared, standard)


def scan_grids(grids: Sequence[reader.Grid]) -> engine.ValidationResult:
    """Personal data in every sheet of a file the caller has read whole (an
    OPD's original spreadsheet, stored as it came, beside its validated clean
    table)."""
    return inspection.scan_grids(grids)


def inspect_url(url: str, declared: str, standard: str | None) -> engine.ValidationResult:
    try:
        fetched = net.fetch(url, config.validation_fetch_policy())
    except net.ResponseTooLargeError:
        limit = config.validation_limits().max_bytes
        return engine.rejected(declared, standard, FileRejected("too-large", size="?", limit=limit))
    except net.FetchError as err:
        return engine.rejected(declared, standard, FileRejected("fetch", reason=err.reason))
    return inspect_bytes(fetched.content, declared, standard)


def refusal_message(result: engine.ValidationResult, lang: str | None = None) -> str:
    """The refusal in the UI language; ``lang`` picks the findings' language."""
    lines = result.messages(lang or current_lang(), limit=10)
    head = tk._("The file failed validation ({count} problem(s))").format(count=result.error_count)
    message = f"{head}: " + " | ".join(lines)
    more = result.error_count - len(lines)
    if more > 0:
        message += " " + tk._("… (+{count} more)").format(count=more)
    return message


def refuse_if_needed(result: engine.ValidationResult, field: str) -> None:
    """Raise the ValidationError a failed result means under the configured
    policy: personal data and unsafe or unreadable files always; other
    failures unless on_failure is "store"; an unreachable URL never (it may
    come back, and nothing of it is stored)."""
    if result.valid or result.rejection == "fetch":
        return
    if result.always_refused or config.validation_on_failure() == "reject":
        raise tk.ValidationError({field: [refusal_message(result)]})


# Free text -----------------------------------------------------------------------------


def _text_message(field: str, lines: list[int]) -> str:
    message_id, message_en = messages.personal_data_message(
        {"field": field, "lines": lines, "column": None}
    )
    return message_en if current_lang() == "en" else message_id


def _text_errors(value: Any, field: str) -> Any:
    """Errors shaped like ``value`` (a dict, a list or a text), or None."""
    if isinstance(value, str):
        lines = guard.text_lines_with_nik(value)
        return [_text_message(field, lines)] if lines else None
    if isinstance(value, Mapping):
        found = {}
        for key, item in value.items():
            if not isinstance(key, str) or key in NOT_TEXT_KEYS or key.startswith("__"):
                continue
            errors = _text_errors(item, key)
            if errors:
                found[key] = errors
        return found or None
    if isinstance(value, list | tuple):
        items = [_text_errors(item, field) for item in value]
        if not any(items):
            return None
        if all(isinstance(item, Mapping) for item in value):
            return [errors or {} for errors in items]  # one entry per item, as CKAN shows them
        return [message for errors in items if errors for message in errors]
    if isinstance(value, int) and not isinstance(value, bool):
        return _text_errors(str(value), field)
    return None


def text_errors(data: Mapping[str, Any]) -> dict[str, Any]:
    """Field-level errors (ValidationError's error_dict) for every text of
    ``data`` holding a NIK/KK number; empty when there is none."""
    return _text_errors(data, "") or {}


def refuse_personal_text(data: Mapping[str, Any]) -> None:
    errors = text_errors(data)
    if errors:
        raise tk.ValidationError(errors)


# DataStore rows ---------------------------------------------------------------------------


def records_errors(
    fields: Sequence[Mapping[str, Any]] | None, records: Iterable[Any] | None
) -> list[str]:
    """Why DataStore fields or records may not be stored: a column named after a
    personal identifier, or holding NIK/KK numbers (record numbers from 1)."""
    rows = list(records or [])
    names = [str(field.get("id", "")) for field in fields or []]
    for record in rows:
        if isinstance(record, Mapping):
            names.extend(str(key) for key in record if str(key) not in names)
    scanner = guard.PersonalDataScanner()
    scanner.start(names)
    for number, record in enumerate(rows, start=2):
        if isinstance(record, Mapping):
            cells = [record.get(name) for name in names]
        elif isinstance(record, Sequence) and not isinstance(record, str):
            cells = list(record)
        else:
            continue
        scanner.feed(
            number, [cell if isinstance(cell, str | int | float) else None for cell in cells]
        )
    lang = current_lang()
    found = []
    for finding in scanner.findings():
        entry = finding.as_dict()
        # The scanner counts a header row first: records are numbered from 1.
        entry["rows"] = [row - 1 for row in entry["rows"]]
        message_id, message_en = messages.personal_data_message(entry)
        found.append(message_en if lang == "en" else message_id)
    return found
