"""Duplicate primary keys on compact digests.

Frictionless keeps every primary-key tuple (typed cell values) in a dict to
find duplicates: about 220 bytes a row, 220 MB for a million rows. The engine
gives frictionless the schema without ``primaryKey`` and runs this check
instead: each key is reduced to an 8-byte BLAKE2b digest of a canonical text
of its values (equal values, equal text), kept as an int beside the number of
the row that last held it (about 100 bytes a row).

The findings are frictionless' own: the same ``PrimaryKeyError`` with the same
row and note ("the same as in the row at position N", N being the previous row
with that key; all-blank keys, blank rows included), and in the same place
among the row's errors. Frictionless reads the key cells of a row before the
others (unless a unique error made it read the whole row), so their type and
constraint errors come first, then the rest, then the key error; ``place``
restores that order. Two different keys share a
digest with a probability of about n²/2⁶⁵ (3·10⁻⁸ for a million rows).

Pure Python: no CKAN import.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from frictionless import Check, Checklist, errors
from frictionless.table.row import Row

ALL_BLANK_NOTE = 'cells composing the primary keys are all "None"'
DUPLICATE_NOTE = "the same as in the row at position %s"
# Errors frictionless' Row raises while reading a cell (in field order).
_CELL_ERRORS = frozenset({"type-error", "constraint-error"})
_NAN_SERIAL = itertools.count()
_blake2b = hashlib.blake2b


def _number_text(value: Any) -> str:
    # int, bool, float and Decimal compare by value (1 == 1.0 == Decimal("1.00")).
    try:
        numerator, denominator = value.as_integer_ratio()
    except OverflowError:  # infinities: float("inf") == Decimal("Infinity")
        return "n-inf" if value < 0 else "ninf"
    except ValueError:  # NaN equals nothing, not even itself
        return f"nan{next(_NAN_SERIAL)}"
    return f"n{numerator}" if denominator == 1 else f"n{numerator}/{denominator}"


BLANK_TEXT = "-"  # canonical_text(None): a blank key cell


def canonical_text(value: Any) -> str:
    """A text equal for equal key values (Python equality, as frictionless
    compares key tuples) and unambiguous when joined."""
    kind = type(value)
    if kind is str:
        return f"s{len(value)}:{value}"
    if kind is int:
        return f"n{value}"
    if value is None:
        return BLANK_TEXT
    if isinstance(value, datetime.datetime):
        if value.utcoffset() is not None:  # aware: equal when the same instant
            value = value.astimezone(datetime.UTC)
            return f"T{value.replace(tzinfo=None).isoformat()}"
        return f"t{value.isoformat()}"
    if isinstance(value, datetime.date):
        return f"d{value.isoformat()}"
    if hasattr(value, "as_integer_ratio"):
        return _number_text(value)
    text = repr(value)
    return f"o{type(value).__name__}{len(text)}:{text}"


def key_digest(cells: Sequence[Any]) -> int:
    """An 8-byte digest (as an int) of the key values ``cells``."""
    parts = []
    for cell in cells:  # canonical_text, with its two common cases inline
        kind = type(cell)
        if kind is str:
            parts.append(f"s{len(cell)}:{cell}")
        elif kind is int:
            parts.append(f"n{cell}")
        else:
            parts.append(canonical_text(cell))
    return parts_digest(parts)


def parts_digest(parts: Sequence[str]) -> int:
    """An 8-byte digest (as an int) of a key given as its cells' canonical texts."""
    text = "\x1e".join(parts).encode("utf-8", "surrogatepass")
    return int.from_bytes(_blake2b(text, digest_size=8).digest(), "little")


@attrs.define(kw_only=True, repr=False)
class primary_key(Check):
    """Duplicate primary keys, reported as frictionless does. Must run before
    the baseline check (``KeyFirstChecklist``): it adds its error to the
    row's own errors, which the baseline check reports."""

    type = "satudata-primary-key"
    Errors = [errors.PrimaryKeyError]

    field_names: list[str]
    seen: dict[int, int] = attrs.field(factory=dict)
    active: bool | None = None
    unique_fields: frozenset[str] = frozenset()
    rank: dict[str, int] = attrs.field(factory=dict)

    def _start(self, row: Row) -> None:
        # As frictionless: no key check unless every key field is expected.
        self.active = bool(self.field_names) and all(name in row for name in self.field_names)
        schema = self.resource.schema
        unique = {f.name for f in schema.fields if f.constraints.get("unique")} if schema else set()
        self.unique_fields = frozenset(name for name in unique if name in row)
        # Key fields read in the unique pass keep their place there.
        self.rank = {
            name: index
            for index, name in enumerate(self.field_names)
            if name not in self.unique_fields
        }

    def validate_row(self, row: Row) -> Iterable[errors.Error]:
        if self.active is None:
            self._start(row)
        if not self.active:
            return ()
        row_errors = row.errors  # reads every cell
        cells = [row[name] for name in self.field_names]
        error = None
        if cells.count(None) == len(cells):
            error = errors.PrimaryKeyError.from_row(row, note=ALL_BLANK_NOTE)
        else:
            digest = key_digest(cells)
            previous = self.seen.get(digest)
            self.seen[digest] = row.row_number
            if previous:
                error = errors.PrimaryKeyError.from_row(row, note=DUPLICATE_NOTE % previous)
        if row_errors or error is not None:
            place(row_errors, error, self.rank, self.unique_fields)
        return ()


def place(
    row_errors: list[errors.RowError],
    error: errors.RowError | None,
    rank: dict[str, int],
    unique_fields: frozenset[str],
) -> None:
    """Reorder ``row_errors`` in place as frictionless orders them when it
    checks the key itself, and add ``error`` (the key's own, if any).

    Frictionless reads a row lazily: the unique-constrained cells first, then
    the key cells (in key order), then, when it first needs the row's errors,
    the other cells in column order; errors found on the way are appended.
    A unique error needs the row's errors, so every cell is read by then
    and the key cells keep their column order. The key error comes last."""
    if error is not None:
        row_errors.append(error)
    if any(item.type == "unique-error" for item in row_errors):
        return
    start = 0  # errors of the unique cells, read first
    for item in row_errors:
        if item.type in _CELL_ERRORS and getattr(item, "field_name", None) in unique_fields:
            start += 1
        else:
            break
    tail = row_errors[start:]
    key_errors = [
        item
        for item in tail
        if item.type in _CELL_ERRORS and getattr(item, "field_name", None) in rank
    ]
    if not key_errors:
        return
    key_errors.sort(
        key=lambda item: rank[getattr(item, "field_name", "")]
    )  # stable: per-field order kept
    moved = {id(item) for item in key_errors}
    row_errors[start:] = key_errors + [item for item in tail if id(item) not in moved]


class KeyFirstChecklist(Checklist):
    """A checklist whose ``primary_key`` checks run before frictionless'
    baseline check."""

    def connect(self, resource: Any) -> list[Check]:
        connected = super().connect(resource)
        first = [check for check in connected if isinstance(check, primary_key)]
        return first + [check for check in connected if not isinstance(check, primary_key)]
