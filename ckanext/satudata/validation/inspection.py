"""The gate's one decision: what a file is (by its content) and how it is
checked before the portal stores it. Every path that stores a file (the
resource hooks, the package actions, both harvesters, the background jobs)
reaches ``inspect_file`` through validation/service.py.

- A table (content.TABLE_KINDS) is validated with frictionless against its
  data standard or an inferred schema (engine.validate_table), the guard on
  every cell; every other sheet of a workbook, hidden ones too, is scanned
  for personal data.
- Text and documents (content.TEXT_KINDS, DOCUMENT_KINDS) are scanned for
  NIK/KK numbers in their text; a zip archive's members one by one.
- A kind nothing here reads is stored only when the policy allows it
  (``Policy.unchecked_kinds``); its bytes are still scanned for a plainly
  written NIK, as a last resort.
- A file declared a table (by its name or format) whose content is not one is
  refused, naming what the content is: an HTML login page saved as .csv must
  not become an empty "valid" table.

Findings never carry a value. Pure Python: no CKAN import.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ckanext.satudata.standards import registry
from ckanext.satudata.validation import content, engine, guard, reader
from ckanext.satudata.validation.engine import FAILURE, SUCCESS, ValidationResult
from ckanext.satudata.validation.reader import FileRejected, Limits

log = logging.getLogger(__name__)

# Declared formats that promise a table: such a file must hold one.
STRICT_TABLE_FORMATS = frozenset({"csv", "tsv", "xlsx", "xlsm", "xls", "ods"})
# Raw bytes scanned as a last resort in a kind nothing reads.
RAW_SCAN_BYTES = 50 * 1024 * 1024
SAMPLE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Policy:
    limits: Limits = field(default_factory=Limits)
    # Table kinds validated as tables (others are only scanned for personal data).
    table_kinds: frozenset[str] = content.TABLE_KINDS
    # Kinds nothing reads that may be stored (content.UNREADABLE_KINDS).
    unchecked_kinds: frozenset[str] = frozenset()


def declared_format(name: str | None, fmt: str | None) -> str:
    """What the file claims to be: its name's extension, else its declared format."""
    base = os.path.basename((name or "").split("?", 1)[0].split("#", 1)[0])
    extension = base.rsplit(".", 1)[1].lower() if "." in base else ""
    return extension or (fmt or "").strip().lower().lstrip(".")


def inspect_file(
    path: str,
    declared: str = "",
    standard: str | None = None,
    *,
    policy: Policy | None = None,
    error_limit: int = engine.ERROR_LIMIT,
) -> ValidationResult:
    """Check the file at ``path`` as the gate does; ``declared``: what its name
    or format claims (declared_format). Never raises for a bad file: the
    result's status and rejection say why it may not be stored."""
    started = time.monotonic()
    policy = policy or Policy()
    declared = (declared or "").lower().lstrip(".")
    kind = declared
    try:
        reader.check_size(path, policy.limits)
        kind = _kind(path, declared)
        result = _inspect(path, kind, declared, standard, policy, error_limit)
    except FileRejected as err:
        result = engine.rejected(kind, standard, err)
    except registry.UnknownStandardError as err:
        result = engine.rejected(kind, standard, FileRejected("internal", str(err)))
    except Exception as err:  # a worker must survive any file
        log.exception("inspection of %s failed", path)
        result = engine.rejected(kind, standard, FileRejected("internal", repr(err)[:300]))
    with contextlib.suppress(OSError):  # the file may be gone: keep the result
        result.file_hash = engine.file_sha256(path)
    result.seconds = time.monotonic() - started
    return result


def _kind(path: str, declared: str) -> str:
    """The content's kind; a text that is a table (by its shape, or because it
    is declared one and reads as delimited text) is "csv"."""
    kind = content.sniff(path)
    if kind not in ("text", "json"):
        return kind
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    text = sample.decode(reader.detect_encoding(sample), errors="ignore")
    if kind == "json":
        with open(path, "rb") as handle:
            return content.refine_text_kind(kind, reader.decode_text(handle.read()))
    if declared in STRICT_TABLE_FORMATS or content.looks_tabular(text):
        return "csv"
    return "text"


def _inspect(
    path: str,
    kind: str,
    declared: str,
    standard: str | None,
    policy: Policy,
    error_limit: int,
) -> ValidationResult:
    if declared in STRICT_TABLE_FORMATS and kind not in content.TABLE_KINDS:
        raise FileRejected("not-a-table", content=kind, format=declared)
    if kind == "csv":
        if kind in policy.table_kinds:
            return engine.validate_table(path, kind, standard, policy.limits, error_limit)
        return _scan_table(engine.table_source(path, kind, policy.limits), kind)
    if kind in content.TABLE_KINDS:
        # Opened once: the first sheet validated, every other one scanned.
        workbook = engine.open_checked_workbook(path, kind, policy.limits)
        first, *others = workbook.sheet_names
        source = reader.xlsx_rows(reader.workbook_sheet(workbook, first, policy.limits))
        if kind in policy.table_kinds:
            result = engine.validate_table(
                path, kind, standard, policy.limits, error_limit, source=source
            )
        else:
            result = _scan_table(source, kind)
        for name in others:
            sheet = reader.workbook_sheet(workbook, name, policy.limits)
            _add_findings(result, scan_sheet(name, sheet.to_python(skip_empty_area=False)))
        return result
    if kind in content.TEXT_KINDS or kind in content.DOCUMENT_KINDS:
        with open(path, "rb") as handle:
            data = handle.read()
        return _text_result(kind, _text_findings(data, kind, policy.limits), "text")
    if kind in content.ARCHIVE_KINDS:
        with open(path, "rb") as handle:
            data = handle.read()
        return _archive_result(data, policy)
    return _unreadable_result(path, kind, policy)


# Tables --------------------------------------------------------------------------


def _scan_table(source: Callable[[], Iterator[list[Any]]], kind: str) -> ValidationResult:
    """A table the policy does not validate: its cells scanned, nothing else."""
    scanner = guard.PersonalDataScanner()
    rows = source()
    scanner.start(next(rows, []))
    for number, row in enumerate(rows, start=2):
        scanner.feed(number, row)
    findings = [finding.as_dict() for finding in scanner.findings()]
    return _text_result(kind, findings, "text", row_count=max(scanner.last_row - 1, 0))


def scan_sheet(name: str | None, rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """Personal-data findings of one sheet (``rows`` from its first row, so
    row numbers are the sheet's own), named by sheet."""
    found = []
    for finding in guard.scan_rows(rows):
        finding.sheet = name
        found.append(finding.as_dict())
    return found


def _add_findings(result: ValidationResult, findings: list[dict[str, Any]]) -> None:
    for finding in findings:
        result.personal_data.append(finding)
        result.summary.insert(0, engine.personal_data_entry(finding))
        result.error_count += 1
    if findings and result.status == SUCCESS:
        result.status = FAILURE


def scan_grids(grids: Sequence[reader.Grid]) -> ValidationResult:
    """Every sheet of a file already read whole (reader.read_grids, as the
    harvesters read their files): its personal-data findings only."""
    result = ValidationResult(status=SUCCESS, format="grids", checked_as="text")
    for grid in grids:
        # A CSV file's one grid has no sheet to name.
        _add_findings(result, scan_sheet(None if grid.name == "csv" else grid.name, grid.rows))
    return result


# Text, documents, archives --------------------------------------------------------


def _text_findings(data: bytes, kind: str, limits: Limits) -> list[dict[str, Any]]:
    findings = []
    for part in content.text_parts(data, kind, limits):
        lines = guard.text_lines_with_nik(part.text)
        if lines:
            findings.append({"part": part.where, "lines": lines[: guard.SAMPLE_ROWS]})
    return findings


def _text_result(
    kind: str, findings: list[dict[str, Any]], checked_as: str, row_count: int | None = None
) -> ValidationResult:
    summary = [engine.personal_data_entry(finding) for finding in findings]
    return ValidationResult(
        status=FAILURE if findings else SUCCESS,
        format=kind,
        checked_as=checked_as,
        row_count=row_count,
        error_count=len(findings),
        summary=summary,
        personal_data=findings,
    )


def _archive_result(data: bytes, policy: Policy) -> ValidationResult:
    """A zip archive: each member checked by its own content, one level deep
    (an archive inside is scanned as bytes)."""
    findings: list[dict[str, Any]] = []
    for name, member in content.archive_members(data, policy.limits):
        if not member.strip():
            continue
        kind = content.sniff(member)
        if kind in content.TEXT_KINDS or kind in content.DOCUMENT_KINDS:
            found = _text_findings(member, kind, policy.limits)
        elif kind in content.TABLE_KINDS or kind == "csv":
            found = [
                finding.as_dict()
                for finding in guard.scan_rows(_member_rows(member, policy.limits))
            ]
        else:
            found = _raw_findings(member)
        findings.extend({**finding, "part": name} for finding in found)
    return _text_result("zip", findings, "archive")


def _member_rows(member: bytes, limits: Limits) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for grid in reader.read_grids(member, limits):
        rows.extend(grid.rows)
    return rows


def _raw_findings(data: bytes) -> list[dict[str, Any]]:
    """A NIK written in plain digits inside bytes nothing here can parse."""
    lines = guard.text_lines_with_nik(data[:RAW_SCAN_BYTES].decode("latin-1"))
    return [{"part": None, "lines": lines[: guard.SAMPLE_ROWS]}] if lines else []


def _unreadable_result(path: str, kind: str, policy: Policy) -> ValidationResult:
    with open(path, "rb") as handle:
        findings = _raw_findings(handle.read(RAW_SCAN_BYTES))
    if findings:
        return _text_result(kind, findings, "text")
    if kind not in policy.unchecked_kinds:
        raise FileRejected("unreadable", content=kind)
    return ValidationResult(status=SUCCESS, format=kind, checked_as="unchecked")
