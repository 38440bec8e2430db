"""The fast path of table validation against a data standard: frictionless's
own findings, several times faster.

Frictionless reads every cell of every row through its field's cell reader,
in Python. Here the rows are read in chunks (reader.py, the one reader of
CSV and workbooks) and turned into columns; columns.py judges each column at
once (polars: why, at its top) and says which cells certainly pass, what the
key cells read as, and which cells may hold a NIK/KK number. Only the other
cells go through frictionless's very own cell reader (``Field.read_cell``)
and guard.classify_cell, each distinct value once. Only the rows holding a
failing cell (or a key error) are then looked at one by one, and their
errors built as frictionless's Row builds them (same types, notes, cells and
order; keys.place restores the order the primary-key check gives). So the
findings are frictionless's by construction, and a clean cell costs a share
of a vectorised test.

Duplicate primary keys: each row's key (the values its cells read as) is
hashed in bulk (8 bytes a row); only the rows whose hash occurs again are
read a second time, and compared by their exact canonical texts (keys.py),
so a hash collision can never make a finding.

Whatever this path does not reproduce it leaves to frictionless, by
returning None before any finding is reported: a header other than the
schema's, a ragged or blank row, a unique constraint or foreign key, more
errors than the error limit. tests/validation/test_fastpath.py compares both
paths on a corpus of error files.

Pure Python: no CKAN import.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

import polars as pl
from frictionless import Report, Schema, errors
from frictionless.resources import TableResource

from ckanext.satudata.reference import regions
from ckanext.satudata.standards import registry
from ckanext.satudata.validation import checks, columns, guard, keys, reader

CHUNK_ROWS = 20_000
# Verdicts remembered per column; past it the cache starts again (only speed
# depends on it, never a finding).
CACHE_LIMIT = 50_000
# A fixed seed: the row hashes of every chunk must agree.
_SEED = 18


@dataclass(frozen=True)
class Verdict:
    """What frictionless's cell reader (and our checks) say of one value."""

    target: Any
    type_note: str | None = None
    constraint_notes: tuple[str, ...] = ()
    region_note: str | None = None

    @property
    def failed(self) -> bool:
        return bool(self.type_note or self.constraint_notes or self.region_note)


class _Fallback(Exception):
    """This table is frictionless's to validate."""


class _Judge:
    """One column's field: its vectorised test, and the exact verdicts of the
    values that test is unsure of, each computed once."""

    def __init__(self, field: Any, region: bool) -> None:
        self.field = field
        # Built once, as frictionless's Row does (Field.read_cell builds the
        # reader again on every call).
        self.read_cell = field.create_cell_reader()
        self.region = region
        self.cache: dict[tuple[type, Any], Verdict] = {}
        self.suspects: dict[tuple[type, Any], bool] = {}
        missing = field.missing_values
        if not field.has_defined("missing_values") and field.schema:
            missing = field.schema.missing_values
        self.missing = frozenset(missing)
        self.test = columns.FieldTest(field, region, self.missing)

    def verdict(self, cell: Any) -> Verdict:
        key = (type(cell), cell)
        found = self.cache.get(key)
        if found is None:
            if len(self.cache) >= CACHE_LIMIT:
                self.cache.clear()
            found = self.cache[key] = self._judge(cell)
        return found

    def suspect(self, cell: Any) -> bool:
        """Whether guard.classify_cell finds a NIK/KK shape in ``cell``."""
        key = (type(cell), cell)
        found = self.suspects.get(key)
        if found is None:
            if len(self.suspects) >= CACHE_LIMIT:
                self.suspects.clear()
            found = self.suspects[key] = guard.classify_cell(cell) is not None
        return found

    def key_text(self, cell: Any) -> str:
        return keys.canonical_text(self.verdict(cell).target)

    def _judge(self, cell: Any) -> Verdict:
        target, notes = self.read_cell(cell)
        notes = dict(notes or {})
        type_note = notes.pop("type", None)
        region_note = None
        if self.region and target not in (None, ""):
            problem = regions.check_tenant_code(target)
            if problem:
                region_note = checks.REGION_CODE_NOTES[problem]
        return Verdict(target, type_note, tuple(notes.values()), region_note)


@dataclass
class FastResult:
    report: Report
    scanner: guard.PersonalDataScanner
    rows: int
    errors: list[errors.Error] = field(default_factory=list)


def supports(schema: Schema) -> bool:
    """Whether this path reproduces frictionless for ``schema``."""
    if schema.foreign_keys:
        return False
    return not any(f.constraints.get("unique") for f in schema.fields)


def _to_str(value: Any) -> str:
    return str(value) if value is not None else ""


def _chunks(rows: Iterator[list[Any]]) -> Iterator[list[list[Any]]]:
    while True:
        chunk = list(itertools.islice(rows, CHUNK_ROWS))
        if not chunk:
            return
        yield chunk


def _identity(value: Any) -> Any:
    return value


@dataclass
class _Table:
    """What the first pass learns of a table."""

    judges: list[_Judge]
    key_positions: list[int]
    error_limit: int
    scanner: guard.PersonalDataScanner
    # Rows with a failing cell or an all-blank key: number -> cells.
    flagged: dict[int, list[Any]] = field(default_factory=dict)
    blank_keys: set[int] = field(default_factory=set)
    hashes: list[pl.Series] = field(default_factory=list)
    rows: int = 0
    convert: Callable[[Any], Any] = _identity

    @property
    def other_missing(self) -> bool:
        """Whether a missing value other than "" may make a row blank."""
        return any(judge.missing - {""} for judge in self.judges)

    def blank(self, row: list[Any]) -> bool:
        """Frictionless's blank row: every cell reads as None with no type
        error (None, or ``str(cell)`` a missing value of its field)."""
        for judge, value in zip(self.judges, row, strict=True):
            cell = self.convert(value)
            if cell is not None and str(cell) not in judge.missing:
                return False
        return True


def validate(
    source: Callable[[], Iterator[list[Any]]],
    schema: Schema,
    primary_key: Sequence[str],
    labels: Sequence[str] | None,
    error_limit: int,
    typed: bool,
) -> FastResult | None:
    """The frictionless findings of the table ``source`` against ``schema``
    (given without its primary key; ``primary_key`` is checked as keys.py
    does), or None when frictionless must decide. ``typed``: the cells are a
    workbook's (numbers, dates) rather than a CSV's text."""
    started = time.monotonic()
    header = next(source(), None)
    names = schema.field_names
    if header is None or list(labels or header) != names or len(set(names)) != len(names):
        return None
    if not columns.start():
        return None  # a fork of a process that used polars: it would hang here
    # A sheet's raw cells are converted a column at a time (columns.split).
    raw = source.raw if isinstance(source, reader.SheetRows) else None
    convert = reader.xlsx_cell if raw is not None else _identity
    body: Callable[[], Iterator[list[Any]]] = raw or source
    region_fields = set(registry.region_code_fields(schema))
    scanner = guard.PersonalDataScanner()
    scanner.start(header)
    table = _Table(
        judges=[_Judge(f, f.name in region_fields) for f in schema.fields],
        key_positions=[names.index(name) for name in primary_key],
        error_limit=error_limit,
        scanner=scanner,
        convert=convert,
    )
    try:
        rows = body()
        next(rows, None)
        for chunk in _chunks(rows):
            _first_pass(table, chunk, convert, typed)
        key_errors = _key_errors(table, body, convert)
    except _Fallback:
        return None
    rank = {name: index for index, name in enumerate(primary_key)}
    found: list[errors.Error] = []
    for number in sorted(table.flagged.keys() | key_errors.keys()):
        row = table.flagged[number]
        key_error = None
        if number in key_errors:
            key_error = errors.PrimaryKeyError(
                note=key_errors[number], cells=list(map(_to_str, row)), row_number=number
            )
        found.extend(_row_errors(row, number, table.judges, names, key_error, rank))
        if len(found) >= error_limit:
            return None  # frictionless truncates at the limit: let it
    last_row = table.rows + 1
    scanner.last_row = last_row
    for finding in scanner.findings():
        found.append(guard.PersonalDataError(note=guard.describe(finding)))
    resource = TableResource(data=[list(names)], format="inline", schema=schema)
    resource.stats.fields = len(names)
    resource.stats.rows = table.rows
    report = Report.from_validation_task(
        resource, time=time.monotonic() - started, labels=list(header), errors=found
    )
    return FastResult(report=report, scanner=scanner, rows=table.rows, errors=found)


def _first_pass(
    table: _Table, chunk: list[list[Any]], convert: Callable[[Any], Any], typed: bool
) -> None:
    """Judge one chunk: its failing rows and blank keys flagged, the rows
    that may hold NIK/KK numbers fed to the scanner, its keys hashed."""
    if set(map(len, chunk)) != {len(table.judges)}:
        raise _Fallback  # ragged rows: frictionless's own case
    if table.other_missing and any(map(table.blank, chunk)):
        raise _Fallback  # a row of missing values: a blank row
    first = table.rows + 2
    failing: set[int] = set()
    suspects: set[int] = set()
    key_columns: list[pl.Series] = []
    blank_key: list[pl.Series] = []
    # The rows whose cells so far are all "" or None: blank rows, at the end.
    blank_rows: pl.Series | None = None
    for position, values in enumerate(zip(*chunk, strict=True)):
        judge = table.judges[position]
        cells = columns.split(values, typed)
        if position == 0 or blank_rows is not None:
            blank_rows = cells.empty if blank_rows is None else blank_rows & cells.empty
            if not blank_rows.any():
                blank_rows = None
        good, target = judge.test.judge(cells)
        unsure = (~good).arg_true().to_list()
        targets: dict[int, Any] = {}
        for offset in unsure:
            verdict = judge.verdict(convert(values[offset]))
            if verdict.failed:
                failing.add(offset)
            targets[offset] = verdict.target
        for offset in itertools.chain(unsure, columns.may_hold_nik(cells).arg_true().to_list()):
            if judge.suspect(convert(values[offset])):
                suspects.add(offset)
        if position in table.key_positions:
            column = _key_column(judge, target, targets, values, convert)
            key_columns.append(column)
            blank_key.append(column.is_null() if judge.test.key_type else column == keys.BLANK_TEXT)
        if len(failing) >= table.error_limit:
            raise _Fallback  # each failing row is an error: past the limit
    if blank_rows is not None:
        raise _Fallback  # blank rows: frictionless's own case
    for offset in failing:
        table.flagged[first + offset] = [convert(value) for value in chunk[offset]]
    if key_columns:
        blank = reduce(lambda a, b: a & b, blank_key)
        frame = pl.DataFrame({str(index): column for index, column in enumerate(key_columns)})
        hashes = frame.hash_rows(seed=_SEED)
        table.hashes.append(
            hashes.zip_with(~blank, pl.Series([None] * len(chunk), dtype=pl.UInt64))
        )
        for offset in blank.arg_true().to_list():
            table.blank_keys.add(first + offset)
            table.flagged.setdefault(first + offset, [convert(value) for value in chunk[offset]])
    if len(table.flagged) >= table.error_limit:
        raise _Fallback
    for offset in sorted(suspects):
        table.scanner.feed(first + offset, [convert(value) for value in chunk[offset]])
    table.rows += len(chunk)


def _key_column(
    judge: _Judge,
    target: pl.Series | None,
    targets: dict[int, Any],
    values: Sequence[Any],
    convert: Callable[[Any], Any],
) -> pl.Series:
    """A chunk's values of one key field: what the cells read as (string and
    integer fields), else their canonical texts (keys.canonical_text)."""
    if target is None or judge.test.key_type is None:
        return pl.Series([judge.key_text(convert(value)) for value in values], dtype=pl.String)
    if not targets:
        return target
    found = list(targets.values())
    if judge.test.key_type == "integer" and not all(
        value is None or (type(value) is int and -(2**63) <= value < 2**63) for value in found
    ):
        raise _Fallback  # beyond Int64: frictionless compares them itself
    return target.scatter(list(targets), found)


def _key_errors(
    table: _Table, body: Callable[[], Iterator[list[Any]]], convert: Callable[[Any], Any]
) -> dict[int, str]:
    """The primary-key notes by row number, as keys.primary_key finds them:
    rows whose key hash occurs again are read once more and compared by
    their keys' exact canonical texts."""
    found = dict.fromkeys(table.blank_keys, keys.ALL_BLANK_NOTE)
    if not table.hashes:
        return found
    hashes = pl.concat(table.hashes)
    # Sorted, a repeated hash sits beside its equal: far less memory than a
    # hash table of a million rows.
    ordered = hashes.drop_nulls().sort()
    later = ordered.filter((ordered == ordered.shift(1)).fill_null(False))
    if later.is_empty():
        return found
    if len(later) + len(table.flagged) >= table.error_limit:
        raise _Fallback
    repeated = hashes.is_in(later.unique()).fill_null(False)
    candidates = set((repeated.arg_true() + 2).to_list())
    judges = [table.judges[position] for position in table.key_positions]
    seen: dict[str, int] = {}
    rows = body()
    next(rows, None)
    for number, row in enumerate(rows, start=2):
        if number not in candidates:
            continue
        cells = [convert(value) for value in row]
        text = "\x1e".join(
            judge.key_text(cells[position])
            for judge, position in zip(judges, table.key_positions, strict=True)
        )
        previous = seen.get(text)
        seen[text] = number
        if previous:
            found[number] = keys.DUPLICATE_NOTE % previous
            table.flagged.setdefault(number, cells)
    return found


def _row_errors(
    row: list[Any],
    number: int,
    judges: list[_Judge],
    names: list[str],
    key_error: errors.RowError | None,
    rank: dict[str, int],
) -> list[errors.Error]:
    """A row's errors in frictionless's order: its cells' type and constraint
    errors (the key cells' first, keys.place), the key's own, then ours."""
    cells = list(map(_to_str, row))
    row_errors: list[errors.RowError] = []
    regions_found = []
    for position, (judge, cell) in enumerate(zip(judges, row, strict=True), start=1):
        verdict = judge.verdict(cell)
        name = names[position - 1]
        if verdict.type_note:
            row_errors.append(
                errors.TypeError(
                    note=verdict.type_note, cells=cells, row_number=number, cell=str(cell),
                    field_name=name, field_number=position,
                )
            )  # fmt: skip
        for note in verdict.constraint_notes:
            row_errors.append(
                errors.ConstraintError(
                    note=note, cells=cells, row_number=number, cell=str(cell),
                    field_name=name, field_number=position,
                )
            )  # fmt: skip
        if verdict.region_note:
            regions_found.append(
                checks.RegionCodeError(
                    note=verdict.region_note, cells=cells, row_number=number,
                    cell=str(verdict.target), field_name=name, field_number=position,
                )
            )  # fmt: skip
    if rank and (row_errors or key_error is not None):
        keys.place(row_errors, key_error, rank, frozenset())
    return [*row_errors, *regions_found]
