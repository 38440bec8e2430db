"""The fast path of table validation against a data standard: frictionless's
own findings, several times faster.

Frictionless reads every cell of every row through its field's cell reader,
in Python. A data table repeats its values (region codes, years, semesters,
counts): here the rows are read in chunks, turned into columns, and each
column's *distinct* values go through the very same cell reader
(``Field.read_cell``) once; the checks of our own (region codes, primary
keys, the personal-data guard) likewise judge distinct values. Only the rows
holding a value that failed are then looked at one by one, and their errors
built as frictionless's Row builds them (same types, notes, cells and
order; keys.place restores the order the primary-key check gives). So the
findings are frictionless's by construction, and the clean rows cost a set
lookup per cell.

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
from typing import Any

from frictionless import Report, Schema, errors
from frictionless.resources import TableResource

from ckanext.satudata.reference import regions
from ckanext.satudata.standards import registry
from ckanext.satudata.validation import checks, guard, keys

CHUNK_ROWS = 20_000
# Distinct values remembered per column; past it the cache starts again
# (only speed depends on it, never a finding).
CACHE_LIMIT = 50_000


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


class _Judge:
    """The verdicts of one column's values, each computed once."""

    def __init__(self, field: Any, region: bool) -> None:
        self.field = field
        # Built once, as frictionless's Row does (Field.read_cell builds the
        # reader again on every call).
        self.read_cell = field.create_cell_reader()
        self.region = region
        self.cache: dict[tuple[type, Any], Verdict] = {}
        # canonical_text of the target of a key column's values (keys.py).
        self.key_texts: dict[Any, str] = {}
        # The values (as probes) seen, those that failed, those the guard suspects.
        self.known: set[Any] = set()
        self.failing: set[Any] = set()
        self.suspect: set[Any] = set()
        # A CSV's text in a plain string column reads as itself: nothing but
        # a blank (a missing value, as frictionless's cell reader tells it)
        # can fail there, and only its "required".
        missing = field.missing_values
        if not field.has_defined("missing_values") and field.schema:
            missing = field.schema.missing_values
        self.missing_values = frozenset(missing)
        self.never_fails = (
            field.type == "string"
            and field.format in (None, "default")
            and set(field.constraints) <= {"required"}
            and not region
        )

    def classify(self, probes: Sequence[Any], typed: bool) -> tuple[set[Any], set[Any]]:
        """Which of a chunk's values (``probes``) fail, and which the guard suspects."""
        if len(self.known) >= CACHE_LIMIT:
            self.known, self.failing, self.suspect = set(), set(), set()
        distinct = set(probes)
        for probe in distinct.difference(self.known):
            cell = probe[1] if typed else probe
            trivial = not typed and self.never_fails and cell not in self.missing_values
            if not trivial and self.verdict(cell).failed:
                self.failing.add(probe)
            if guard.classify_cell(cell) is not None:
                self.suspect.add(probe)
            self.known.add(probe)
        return distinct & self.failing, distinct & self.suspect

    def verdict(self, cell: Any) -> Verdict:
        key = (type(cell), cell)
        found = self.cache.get(key)
        if found is None:
            if len(self.cache) >= CACHE_LIMIT:
                self.cache.clear()
            found = self.cache[key] = self._judge(cell)
        return found

    def key_texts_of(self, probes: Sequence[Any], typed: bool) -> list[str]:
        """The canonical texts of a key column's cells (``probes`` as
        ``validate`` builds them), each distinct value's computed once."""
        texts = self.key_texts
        if len(texts) >= CACHE_LIMIT:
            texts.clear()
        for probe in set(probes).difference(texts):
            texts[probe] = keys.canonical_text(self.verdict(probe[1] if typed else probe).target)
        column = list(map(texts.__getitem__, probes))
        if any(texts[probe].startswith("nan") for probe in set(probes)):
            # NaN equals nothing, not even itself: each cell its own text.
            column = [
                keys.canonical_text(self.verdict(p[1] if typed else p).target) for p in probes
            ]
        return column

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
    rows = source()
    header = next(rows, None)
    names = schema.field_names
    if header is None or list(labels or header) != names or len(set(names)) != len(names):
        return None
    width = len(names)
    region_fields = set(registry.region_code_fields(schema))
    judges = [_Judge(f, f.name in region_fields) for f in schema.fields]
    scanner = guard.PersonalDataScanner()
    scanner.start(header)
    key_positions = [names.index(name) for name in primary_key]
    rank = {name: index for index, name in enumerate(primary_key)}
    seen: dict[int, int] = {}
    found: list[errors.Error] = []
    row_number = 1
    for chunk in _chunks(rows):
        if any(len(row) != width or row.count("") + row.count(None) == width for row in chunk):
            return None  # ragged or blank rows: frictionless's own cases
        first = row_number + 1
        columns = list(zip(*chunk, strict=True))
        failing_rows: set[int] = set()
        nik_rows: set[int] = set()
        # A workbook's cells are typed: 1, 1.0 and True are equal in a set.
        probe_columns: list[Sequence[Any]] = [
            [(type(v), v) for v in column] if typed else column for column in columns
        ]
        for position, probes in enumerate(probe_columns):
            bad, suspect = judges[position].classify(probes, typed)
            if bad:
                failing_rows.update(i for i, probe in enumerate(probes) if probe in bad)
            if suspect:
                nik_rows.update(i for i, probe in enumerate(probes) if probe in suspect)
        key_errors: dict[int, errors.RowError] = {}
        if key_positions:
            key_columns = [judges[p].key_texts_of(probe_columns[p], typed) for p in key_positions]
            blank = [keys.BLANK_TEXT] * len(key_positions)
            for offset, texts in enumerate(map(list, zip(*key_columns, strict=True))):
                number = first + offset
                row = chunk[offset]
                if texts == blank:
                    note = keys.ALL_BLANK_NOTE
                else:
                    digest = keys.parts_digest(texts)
                    previous = seen.get(digest)
                    seen[digest] = number
                    if not previous:
                        continue
                    note = keys.DUPLICATE_NOTE % previous
                key_errors[offset] = errors.PrimaryKeyError(
                    note=note, cells=list(map(_to_str, row)), row_number=number
                )
        for offset in sorted(failing_rows | set(key_errors)):
            found.extend(
                _row_errors(
                    chunk[offset], first + offset, judges, names, key_errors.get(offset), rank
                )
            )
            if len(found) >= error_limit:
                return None  # frictionless truncates at the limit: let it
        for offset in sorted(nik_rows):
            scanner.feed(first + offset, chunk[offset])
        row_number += len(chunk)
    scanner.last_row = row_number
    for finding in scanner.findings():
        found.append(guard.PersonalDataError(note=guard.describe(finding)))
    resource = TableResource(data=[list(names)], format="inline", schema=schema)
    resource.stats.fields = width
    resource.stats.rows = row_number - 1
    report = Report.from_validation_task(
        resource, time=time.monotonic() - started, labels=list(header), errors=found
    )
    return FastResult(report=report, scanner=scanner, rows=row_number - 1, errors=found)


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
