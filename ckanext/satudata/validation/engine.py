"""Validation of tables: ``validate_table(path, kind, standard)``, and the
result every check of the gate returns (``ValidationResult``). Which files
are tables, and how every other kind is checked, inspection.py decides.

Frictionless 5 does the validation (its checks and error types); we supply the
rows (reader.py: faster XLSX, Indonesian CSV conventions), the standard's
schema (standards/registry.py), and two checks (region codes, personal data).
Pure Python: no CKAN import.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from frictionless import Checklist, Detector, Field, Schema
from frictionless.resources import TableResource

from ckanext.satudata.standards import registry
from ckanext.satudata.validation import (
    checks,
    fastpath,
    guard,
    inference,
    keys,
    messages,
    reader,
)
from ckanext.satudata.validation.reader import FileRejected, Limits

log = logging.getLogger(__name__)

SUCCESS, FAILURE, ERROR = "success", "failure", "error"
SUMMARY_LIMIT = 100
ERROR_LIMIT = 1000
# The sample frictionless infers a schema from: at most this many cells, and
# between these numbers of rows (its default is 100 rows).
INFERENCE_CELLS = 10_000
INFERENCE_MIN_ROWS, INFERENCE_MAX_ROWS = 10, 100
# Rejections that no "store anyway" setting may override: personal data and
# files that are unsafe to keep or to parse again.
# A kind the gate cannot read and the policy does not allow is refused too.
ALWAYS_REFUSED = frozenset(
    {
        "personal-data",
        "zip-bomb",
        "xml-entities",
        "too-large",
        "unreadable",
        "not-a-table",
        "no-data-rows",
        "one-long-line",
    }
)


@dataclass
class ValidationResult:
    status: str
    format: str  # the content's kind (content.py), whatever the file's name says
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
    # "table" (frictionless), "text" (its text scanned), "archive" (its
    # members), "unchecked" (a kind nothing reads, allowed by the policy).
    checked_as: str | None = None
    # What the check found out besides errors (a detected or suggested data
    # standard), with messages in both languages.
    notes: list[dict[str, str]] = field(default_factory=list)

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
            "checked_as": self.checked_as,
            "notes": self.notes,
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
    """Wraps a row source so the personal-data scanner (and, for a table
    without a standard, the column profile) sees every raw row, and remembers
    whether frictionless read the source to its end. ``labels`` replaces the
    header frictionless gets (a detected standard's field names)."""

    def __init__(
        self,
        source: Callable[[], Iterator[list[Any]]],
        scanner: guard.PersonalDataScanner,
        profile: inference.ColumnProfile | None = None,
        labels: Sequence[str] | None = None,
    ):
        self.source = source
        self.scanner = scanner
        self.profile = profile
        self.labels = list(labels) if labels else None
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
        yield self.labels or self.scanner.safe_header(header)
        # Frictionless reads the source again after inferring a schema from a
        # sample: rows are numbered per pass, and only new ones are fed.
        numbers = itertools.count(2)
        scanner, profile = self.scanner, self.profile

        def feed(cells: list[Any]) -> bool:
            number = next(numbers)
            if number > scanner.last_row:
                scanner.feed(number, cells)
                if profile is not None:
                    profile.feed(cells)
            return True

        # filter() keeps the per-row cost in C apart from the feeders themselves.
        yield from filter(feed, rows)
        self.finished = True

    def drain(self) -> None:
        """Scan the rows frictionless did not read (it stops at its error limit)."""
        rows = self.source()
        next(rows, None)
        for number, row in enumerate(rows, start=2):
            if number > self.scanner.last_row:
                self.scanner.feed(number, row)
                if self.profile is not None:
                    self.profile.feed(row)
        self.finished = True


def resolve_schema(standard: str | None) -> Schema | None:
    return registry.load_standard(standard) if standard else None


def without_primary_key(schema: Schema) -> Schema:
    """The schema frictionless gets: duplicate keys are keys.primary_key's job
    (frictionless would keep every key value in memory)."""
    if not schema.primary_key:
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


def inference_detector(columns: int) -> Detector:
    """Frictionless infers a schema by trying each type on every cell of a
    sample of rows (100 by default): on a wide table that sample, not the
    file, is most of the work. It is bounded to INFERENCE_CELLS cells, so the
    work stays linear in the cells whatever the table's shape."""
    rows = max(INFERENCE_MIN_ROWS, min(INFERENCE_MAX_ROWS, INFERENCE_CELLS // max(columns, 1)))
    return Detector(sample_size=rows)


def table_source(path: str, kind: str, limits: Limits) -> Callable[[], Iterator[list[Any]]]:
    """The rows of a table file of ``kind`` (content.TABLE_KINDS): a CSV, or
    the first sheet of a workbook. The validation and the DataStore load read
    a file through here, so both read it the same way."""
    if kind == "csv":
        dialect = reader.detect_csv_dialect(path, "csv")
        reader.check_csv_width(path, dialect, limits)
        return reader.csv_rows(path, dialect)
    workbook = open_checked_workbook(path, kind, limits)
    return reader.xlsx_rows(reader.workbook_sheet(workbook, workbook.sheet_names[0], limits))


def open_checked_workbook(path: str, kind: str, limits: Limits) -> Any:
    """A workbook, its container checked first (zip bombs, XML entities)."""
    if kind == "xlsx":
        reader.check_xlsx_container(path, limits)
    elif kind == "ods":
        reader.check_archive(path, limits)
    return reader.open_workbook(path)


def validate_table(
    path: str,
    kind: str,
    standard: str | None,
    limits: Limits,
    error_limit: int = ERROR_LIMIT,
    source: Callable[[], Iterator[list[Any]]] | None = None,
) -> ValidationResult:
    """Validate a table file (its first sheet, for a workbook) against the
    data standard ``standard`` or the schema frictionless infers, with the
    personal-data guard on every raw cell; ``source``: its rows, when the
    caller has opened the file (table_source). Raises FileRejected."""
    source = source or table_source(path, kind, limits)
    notes: list[dict[str, str]] = []
    header = next(source(), [])
    if standard is None:
        match = inference.match_standard(header)
        if match.exact:
            standard = match.exact
            notes.append(_note("standard-detected", standard=standard))
        elif match.close:
            notes.append(_note("standard-suggested", standard=match.close))
    schema = resolve_schema(standard)
    # "Kode Wilayah" is the standard's kode_wilayah: labels that are its
    # field names once normalised are given to frictionless as those names.
    labels = inference.standard_labels(header, schema.field_names) if schema else ()
    fast = (
        fastpath.validate(
            source, without_primary_key(schema), list(schema.primary_key), labels, error_limit,
            typed=kind != "csv",
        )
        if schema is not None and fastpath.supports(schema)
        else None
    )  # fmt: skip
    profile: inference.ColumnProfile | None = None
    if fast is not None:
        report, scanner = fast.report, fast.scanner
    else:
        scanner = guard.PersonalDataScanner()
        profile = inference.ColumnProfile() if schema is None else None
        scanned = _ScannedSource(source, scanner, profile, labels)
        if schema is None:
            schema = _inferred_schema(scanned, source)
        resource = TableResource(data=scanned, format="inline", schema=without_primary_key(schema))
        report = resource.validate(build_checks(schema, scanner), limit_errors=error_limit)
        if not scanned.finished:
            scanned.drain()
    assert schema is not None  # the standard's, or the inferred one

    task = report.tasks[0]
    report_dict = report.to_descriptor()
    field_types = {f.name: f.type for f in schema.fields}
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

    if standard:
        error_count += _explain_header(summary, schema, scanner.header)
    if profile is not None:
        for entry in _mostly_numeric_entries(profile, schema):
            error_count += 1
            if len(summary) < SUMMARY_LIMIT:
                summary.append(entry)
    personal = [finding.as_dict() for finding in scanner.findings()]
    for finding in reversed(personal):
        summary.insert(0, personal_data_entry(finding))
        error_count += 1
    if personal:
        _scrub_values(report_dict)

    row_count = task.stats.get("rows")
    if row_count is None or not task.valid:
        row_count = max(scanner.last_row - 1, 0)
    problem = inference.shape_problem(scanner.header, row_count)
    if problem and not personal:
        raise FileRejected(problem)
    # An unreadable source is an "error" (not validated), unless personal data
    # was already seen: that must stay a refusal.
    status = SUCCESS if error_count == 0 else FAILURE
    if encoding_failed and not personal:
        status = ERROR
    return ValidationResult(
        status=status,
        format=kind,
        checked_as="table",
        notes=notes,
        standard=standard,
        row_count=row_count,
        error_count=error_count,
        summary=summary,
        personal_data=personal,
        report=report_dict,
        table_schema=(
            registry.standard_descriptor(standard) if standard else schema.to_descriptor()
        ),
    )


_LABEL_ERRORS = frozenset({"missing-label", "extra-label", "incorrect-label"})


def _note(code: str, **params: Any) -> dict[str, str]:
    message_id, message_en = messages.note_message(code, params)
    return {"type": code, **params, "message_id": message_id, "message_en": message_en}


def _inferred_schema(scanned: _ScannedSource, source: Callable[[], Iterator[list[Any]]]) -> Schema:
    """The schema frictionless infers from a bounded sample, with the region
    code columns (by name or content) typed as text and checked as codes."""
    header = next(source(), [])
    sampler = TableResource(data=scanned, format="inline", detector=inference_detector(len(header)))
    sampler.infer()
    schema = sampler.schema
    sample = list(itertools.islice(source(), 1, INFERENCE_MAX_ROWS + 1))
    names = schema.field_names
    for index in inference.region_columns(header, sample):
        if index < len(names):
            descriptor = schema.get_field(names[index]).to_descriptor()
            descriptor.update({"type": "string", registry.REGION_CODE_PROPERTY: True})
            schema.set_field(Field.from_descriptor(descriptor))
    return schema


def _mostly_numeric_entries(
    profile: inference.ColumnProfile, schema: Schema
) -> list[dict[str, Any]]:
    """Errors of the text cells in a column of numbers (inference.py's rule)."""
    entries = []
    names = schema.field_names
    for index, (count, rows) in sorted(profile.mostly_numeric().items()):
        if index >= len(names):
            continue
        field_schema = schema.get_field(names[index])
        if field_schema.type != "string" or field_schema.to_descriptor().get(
            registry.REGION_CODE_PROPERTY
        ):
            continue  # typed a number: frictionless reports the text cells itself
        message_id, message_en = messages.mostly_numeric_message(names[index], count, rows)
        entries.append(
            {
                "type": "mostly-numeric",
                "row": rows[0] if rows else None,
                "rows": rows,
                "column": names[index],
                "message_id": message_id,
                "message_en": message_en,
            }
        )
    return entries


def personal_data_entry(finding: dict[str, Any]) -> dict[str, Any]:
    """The summary entry of a personal-data finding (guard.ColumnFinding.as_dict
    or a text finding: {"part", "lines"}), never with a value."""
    message_id, message_en = messages.personal_data_message(finding)
    rows = finding.get("rows") or finding.get("lines") or []
    entry = {
        "type": "personal-data",
        "row": rows[0] if rows else None,
        "rows": rows,
        "column": finding.get("column"),
        "message_id": message_id,
        "message_en": message_en,
    }
    for key in ("sheet", "part", "field"):
        if finding.get(key):
            entry[key] = finding[key]
    return entry


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
