"""Validation engine: one function, ``validate_file(path, fmt, standard)``,
for CKAN hooks, background jobs, harvesters and the benchmark.

Frictionless 5 does the validation (its checks and error types); we supply the
rows (reader.py: faster XLSX, Indonesian CSV conventions), the standard's
schema (standards/registry.py), and two checks (region codes, personal data).
Pure Python: no CKAN import.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from frictionless import Checklist, Schema
from frictionless.resources import TableResource

from ckanext.satudata.standards import registry
from ckanext.satudata.validation import checks, guard, keys, messages, reader
from ckanext.satudata.validation.reader import FileRejected, Limits

log = logging.getLogger(__name__)

SUCCESS, FAILURE, ERROR = "success", "failure", "error"
SUMMARY_LIMIT = 100
ERROR_LIMIT = 1000
# Rejections that no "store anyway" setting may override: personal data and
# files that are unsafe to keep or to parse again.
ALWAYS_REFUSED = frozenset({"personal-data", "zip-bomb", "xml-entities", "too-large"})


@dataclass
class ValidationResult:
    status: str
    format: str
    standard: str | None = None
    row_count: int | None = None
    error_count: int = 0
    summary: list[dict[str, Any]] = field(default_factory=list)
    personal_data: list[dict[str, Any]] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    rejection: str | None = None  # FileRejected code when status is "error"
    file_hash: str | None = None
    seconds: float = 0.0
    # The Table Schema the rows were checked against: the data standard's, or
    # the one frictionless inferred. The DataStore types its columns by it.
    table_schema: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        return self.status == SUCCESS

    @property
    def always_refused(self) -> bool:
        return bool(self.personal_data) or self.rejection in ALWAYS_REFUSED

    def messages(self, lang: str = "id", limit: int = 10) -> list[str]:
        key = "message_en" if lang == "en" else "message_id"
        return [entry[key] for entry in self.summary[:limit]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "format": self.format,
            "standard": self.standard,
            "row_count": self.row_count,
            "error_count": self.error_count,
            "summary": self.summary,
            "personal_data": self.personal_data,
            "rejection": self.rejection,
            "file_hash": self.file_hash,
            "seconds": round(self.seconds, 3),
        }


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def rejected(fmt: str, standard: str | None, err: FileRejected) -> ValidationResult:
    message_id, message_en = messages.rejection_message(err.code, err.params)
    entry = {
        "type": err.code,
        "row": None,
        "column": None,
        "message_id": message_id,
        "message_en": message_en,
    }
    return ValidationResult(
        status=ERROR,
        format=fmt,
        standard=standard,
        error_count=1,
        summary=[entry],
        report={"rejection": err.code, "detail": err.detail[:500], "params": err.params},
        rejection=err.code,
    )


class _ScannedSource:
    """Wraps a row source so the personal-data scanner sees every raw row,
    and remembers whether frictionless read the source to its end."""

    def __init__(
        self, source: Callable[[], Iterator[list[Any]]], scanner: guard.PersonalDataScanner
    ):
        self.source = source
        self.scanner = scanner
        self.finished = False

    def __call__(self) -> Iterator[list[Any]]:
        rows = self.source()
        header = next(rows, None)
        if header is None:
            self.finished = True
            return
        if not self.scanner.header:
            self.scanner.start(header)
        # A header cell holding a NIK (a file without a header row) reaches
        # frictionless, and so every message and report, by position only.
        yield self.scanner.safe_header(header)
        # filter() keeps the per-row cost in C apart from the scanner itself.
        yield from filter(self.scanner.feed_next, rows)
        self.finished = True

    def drain(self) -> None:
        """Scan the rows frictionless did not read (it stops at its error limit)."""
        rows = self.source()
        next(rows, None)
        for number, row in enumerate(rows, start=2):
            self.scanner.feed(number, row)
        self.finished = True


def resolve_schema(standard: str | None) -> Schema | None:
    return registry.load_standard(standard) if standard else None


def without_primary_key(schema: Schema | None) -> Schema | None:
    """The schema frictionless gets: duplicate keys are keys.primary_key's job
    (frictionless would keep every key value in memory)."""
    if schema is None or not schema.primary_key:
        return schema
    lean = schema.to_copy()
    lean.primary_key = []
    return lean


def build_checks(schema: Schema | None, scanner: guard.PersonalDataScanner) -> Checklist:
    found: list[Any] = [guard.personal_data(scanner=scanner)]
    if schema is not None and schema.primary_key:
        found.append(keys.primary_key(field_names=list(schema.primary_key)))
    region_fields = registry.region_code_fields(schema) if schema is not None else []
    if region_fields:
        found.append(checks.region_code(field_names=region_fields))
    return keys.KeyFirstChecklist(checks=found)


def validate_file(
    path: str,
    fmt: str,
    standard: str | None = None,
    *,
    limits: Limits | None = None,
    error_limit: int = ERROR_LIMIT,
) -> ValidationResult:
    """Validate the file at ``path`` (format ``fmt``: csv, tsv, txt, xlsx)
    against the data standard ``standard`` (a name from registry.list_standards()),
    or an inferred schema. Never raises for a bad file: status "error" says why."""
    started = time.monotonic()
    limits = limits or Limits()
    fmt = (fmt or "").lower().lstrip(".")
    try:
        result = _validate(path, fmt, standard, limits, error_limit)
    except FileRejected as err:
        result = rejected(fmt, standard, err)
    except registry.UnknownStandardError as err:
        result = rejected(fmt, standard, FileRejected("internal", str(err)))
    except Exception as err:  # a worker must survive any file
        log.exception("validation of %s failed", path)
        result = rejected(fmt, standard, FileRejected("internal", repr(err)[:300]))
    with contextlib.suppress(OSError):  # the file may be gone: keep the result
        result.file_hash = file_sha256(path)
    result.seconds = time.monotonic() - started
    return result


def _validate(
    path: str, fmt: str, standard: str | None, limits: Limits, error_limit: int
) -> ValidationResult:
    kind = reader.preflight(path, fmt, limits)
    if kind == "xlsx":
        source = reader.xlsx_rows(reader.open_xlsx_sheet(path, limits))
    else:
        source = reader.csv_rows(path, reader.detect_csv_dialect(path, fmt))
    schema = resolve_schema(standard)
    scanner = guard.PersonalDataScanner()
    scanned = _ScannedSource(source, scanner)
    lean_schema = without_primary_key(schema)
    resource = (
        TableResource(data=scanned, format="inline", schema=lean_schema)
        if lean_schema is not None
        else TableResource(data=scanned, format="inline")  # frictionless infers it
    )
    report = resource.validate(build_checks(schema, scanner), limit_errors=error_limit)
    if not scanned.finished:
        scanned.drain()

    task = report.tasks[0]
    report_dict = report.to_descriptor()
    field_types = {f.name: f.type for f in resource.schema.fields} if resource.schema else {}
    primary_key = list(schema.primary_key) if schema is not None else []
    summary: list[dict[str, Any]] = []
    error_count = 0
    encoding_failed = False
    for error in task.errors:
        if error.type == "personal-data":
            continue  # summarised from the scanner below, with row samples
        error_count += 1
        if error.type in ("encoding-error", "source-error", "scheme-error", "format-error"):
            encoding_failed = True
        if len(summary) < SUMMARY_LIMIT:
            summary.append(_summary_entry(error, field_types, primary_key))

    if schema is not None:
        error_count += _explain_header(summary, schema, scanner.header)
    personal = [finding.as_dict() for finding in scanner.findings()]
    for finding in personal:
        message_id, message_en = messages.personal_data_message(finding)
        summary.insert(
            0,
            {
                "type": "personal-data",
                "row": finding["rows"][0] if finding["rows"] else None,
                "rows": finding["rows"],
                "column": finding["column"],
                "message_id": message_id,
                "message_en": message_en,
            },
        )
        error_count += 1
    if personal:
        _scrub_values(report_dict)

    row_count = task.stats.get("rows")
    if row_count is None or not task.valid:
        row_count = max(scanner.last_row - 1, 0)
    # An unreadable source is an "error" (not validated), unless personal data
    # was already seen: that must stay a refusal.
    status = SUCCESS if error_count == 0 else FAILURE
    if encoding_failed and not personal:
        status = ERROR
    return ValidationResult(
        status=status,
        format=kind,
        standard=standard,
        row_count=row_count,
        error_count=error_count,
        summary=summary,
        personal_data=personal,
        report=report_dict,
        table_schema=(
            registry.standard_descriptor(standard)
            if standard
            else resource.schema.to_descriptor()
            if resource.schema
            else None
        ),
    )


_LABEL_ERRORS = frozenset({"missing-label", "extra-label", "incorrect-label"})


def _explain_header(summary: list[dict[str, Any]], schema: Schema, header: list[str]) -> int:
    """Frictionless matches header and standard by position, so one missing
    column reads as a cascade of wrong labels. Replace the label entries of
    the summary by what is missing and what is extra, by name; return the
    change in the error count."""
    labels = [entry for entry in summary if entry["type"] in _LABEL_ERRORS]
    if not labels:
        return 0
    missing = [name for name in schema.field_names if name not in header]
    extra = [label for label in header if label not in schema.field_names]
    if not missing and not extra:
        return 0  # only the order differs: keep frictionless' own entries
    summary[:] = [entry for entry in summary if entry["type"] not in _LABEL_ERRORS]
    explained = [("missing-label", name) for name in missing] + [
        ("extra-label", name) for name in extra
    ]
    for position, (kind, name) in enumerate(explained):
        message_id, message_en = messages.finding_message(kind, 1, name, "", None)
        entry = {
            "type": kind,
            "row": 1,
            "column": name,
            "message_id": message_id,
            "message_en": message_en,
        }
        summary.insert(position, entry)
    return len(explained) - len(labels)


def _summary_entry(
    error: Any, field_types: dict[str, str], primary_key: list[str]
) -> dict[str, Any]:
    row = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None) or getattr(error, "label", None) or None
    if error.type == "primary-key":
        column = ", ".join(primary_key) or None
    note = getattr(error, "note", "") or ""
    message_id, message_en = messages.finding_message(
        error.type, row, column, note, field_types.get(column or "")
    )
    return {
        "type": error.type,
        "row": row,
        "column": column,
        "message_id": message_id,
        "message_en": message_en,
    }


def _scrub_values(report: dict[str, Any]) -> None:
    """Drop cell values from a report of a file holding personal data."""
    for task in report.get("tasks", []):
        for error in task.get("errors", []):
            for key in ("cells", "cell", "labels", "label"):
                error.pop(key, None)
            if "message" in error:
                error["message"] = error.get("title", error.get("type", ""))
