"""Vectorised verdicts on a column of cells: which cells certainly pass a
field's cell reader (frictionless's type and constraints) and our region-code
check, what they read as (the primary key's values), and which cells may hold
a NIK/KK number. The fast path (fastpath.py) hands every other cell to
frictionless's own cell reader and to guard.classify_cell, one distinct value
at a time.

Every test here is conservative: it says "passes" only of cells that
frictionless certainly passes (an ASCII-digit integer of at most 18 digits,
a dotted region code, a text outside the missing values), and "may hold a
NIK" of a superset of the cells guard.classify_cell looks at. A cell any test
is unsure of goes the exact way, so the findings stay frictionless's by
construction, and only the speed depends on how much the tests cover.

Why polars (measured on this 2-core machine, 100,000 rows of 7 columns, CPU
seconds): it builds a column from the Python strings the csv module (the one
CSV parser, reader.py) gives in 0.035 s, pyarrow in 0.16 s; its expressions
(regex, casts, ``is_in``, row hashes, ``is_duplicated``) cover every test
here, and it needs neither numpy nor pyarrow. Both wheels weigh about 55 MB;
polars adds about 50 MB of resident memory when imported, pyarrow 88 MB.
fastexcel (calamine into Arrow) was measured too: it reads a workbook no
faster than python-calamine (0.9 s against 0.8 s), and it coerces mixed
columns (a True becomes 1.0), where the findings need each cell's own type.
The regex syntax of polars (Rust's) is used only for ASCII classes and
literals, where it agrees with Python's ``re``; the missing values, enum and
``pattern`` constraints go through Python's own comparisons and ``re``
(a pattern once per distinct value).

Pure Python: no CKAN import.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from ckanext.satudata.reference import regions

# polars's thread pool does not survive a fork: the child of a process that
# has used it hangs at its first polars call (measured: an rq work horse of
# such a parent). Such a child leaves its tables to frictionless; a fork of a
# process that has only imported polars (rq's worker, gunicorn's master) is
# fine, and so are its children.
_USE = {"used": False, "forked_after_use": False}


def _after_fork_in_child() -> None:
    _USE["forked_after_use"] = _USE["used"]


os.register_at_fork(after_in_child=_after_fork_in_child)


def start() -> bool:
    """Whether polars may run in this process; from now on it has."""
    if _USE["forked_after_use"]:
        return False
    _USE["used"] = True
    return True


# A dotted Kemendagri code in ASCII digits (regions.DOTTED_RE's \d also takes
# other scripts' digits: those cells go the exact way).
_DOTTED_ASCII = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"
# What int() reads as frictionless's integer reader does, within Int64.
_INTEGER_ASCII = r"^-?[0-9]{1,18}$"
# What Decimal() reads exactly, with nothing to strip.
_NUMBER_ASCII = r"^-?[0-9]{1,30}(\.[0-9]{1,30})?$"
# Whole numbers a float holds exactly.
_EXACT_FLOAT = 2.0**53
_KEY_TYPES = ("string", "integer")


@dataclass
class Cells:
    """A column of a chunk, split by the kind of its cells: ``text`` (str
    cells, null elsewhere), ``number`` (a workbook's int and float cells,
    Float64), ``blank`` (a workbook's empty cells: "" or None, which the
    reader gives as None). A cell none of them holds is "other" (a date, a
    boolean, a huge int): no vectorised test covers it."""

    values: Sequence[Any]
    text: pl.Series
    number: pl.Series | None = None
    blank: pl.Series | None = None

    @property
    def empty(self) -> pl.Series:
        """The cells that are "" or None (a row of them is blank)."""
        empty = (self.text == "").fill_null(False)
        return empty if self.blank is None else empty | self.blank

    @property
    def other(self) -> pl.Series:
        known = self.text.is_not_null()
        if self.number is not None:
            known = known | self.number.is_not_null()
        if self.blank is not None:
            known = known | self.blank
        return ~known


def split(values: Sequence[Any], typed: bool) -> Cells:
    """``values``: a column of a CSV's text (``typed`` False) or of a
    workbook's cells, raw from calamine or through reader.xlsx_cell."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        text = pl.Series(values, dtype=pl.String)
        if not typed:
            return Cells(values, text)
        blank = text == ""
        if blank.any():
            text = text.zip_with(~blank, pl.Series([None] * len(values), dtype=pl.String))
        return Cells(values, text, None, blank)
    if kinds == {float}:  # a workbook's column of numbers
        size = len(values)
        return Cells(
            values,
            pl.repeat(None, size, dtype=pl.String, eager=True),
            pl.Series(values, dtype=pl.Float64),
            pl.repeat(False, size, dtype=pl.Boolean, eager=True),
        )
    number = [
        v if type(v) is float or (type(v) is int and -_EXACT_FLOAT <= v <= _EXACT_FLOAT) else None
        for v in values
    ]
    text_values = [v if type(v) is str and (v or not typed) else None for v in values]
    blank = [v is None or (typed and v == "") for v in values]
    return Cells(
        values,
        pl.Series(text_values, dtype=pl.String),
        pl.Series(number, dtype=pl.Float64),
        pl.Series(blank, dtype=pl.Boolean),
    )


def _numbers_may_be_missing(missing: frozenset[str]) -> bool:
    """Whether str() of some number can be a missing value (frictionless
    compares ``str(cell)``), so number cells cannot be judged in bulk."""
    for value in missing:
        try:
            float(value)
        except ValueError:
            continue
        return True
    return False


class FieldTest:
    """The vectorised test of one field; ``mode`` None when it has none (every
    cell then goes the exact way)."""

    def __init__(self, field: Any, region: bool, missing_values: frozenset[str]) -> None:
        self.field = field
        self.region = region
        self.missing = sorted(missing_values)
        self.numbers_ok = not _numbers_may_be_missing(missing_values)
        constraints = {k: v for k, v in field.constraints.items() if v is not None}
        self.required = bool(constraints.pop("required", False))
        self.constraints = constraints
        self.mode = self._mode()
        self.pattern: re.Pattern[str] | None = None
        if self.mode == "string" and "pattern" in constraints:
            # As frictionless compiles it (Field.create_cell_reader).
            self.pattern = re.compile(f"^{constraints['pattern']}$")
        self.reader = field.create_value_reader()

    @property
    def key_type(self) -> str | None:
        """The type of a primary key's values read in bulk, if any."""
        return self.mode if self.mode in _KEY_TYPES else None

    def _mode(self) -> str | None:
        field, names = self.field, set(self.constraints)
        if field.type == "string":
            if field.format not in (None, "default"):
                return None
            ok = names <= {"minLength", "maxLength", "enum", "pattern"}
            lengths = all(
                type(self.constraints.get(k, 0)) is int for k in ("minLength", "maxLength")
            )
            return "string" if ok and lengths else None
        if self.region:
            return None  # a region code of another type: the exact way
        if field.type == "integer":
            if not field.bare_number or not names <= {
                "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"
            }:  # fmt: skip
                return None
            reader = field.create_value_reader()
            for name in names - {"enum"}:
                bound = reader(self.constraints[name])
                if type(bound) is not int or not -(2**63) <= bound < 2**63:
                    return None
            return "integer"
        if field.type == "number":
            defined = set(field.list_defined())
            if (
                names
                or field.float_number
                or defined & {"group_char", "decimal_char", "bare_number"}
            ):
                return None
            return "number"
        return None

    # Verdicts -------------------------------------------------------------

    def judge(self, cells: Cells) -> tuple[pl.Series, pl.Series | None]:
        """``(good, target)``: which cells certainly pass, and, for a key
        type, what the cells read as where this test could read them (null
        for a missing value; the caller fills in the cells it is unsure of)."""
        size = len(cells.values)
        if self.mode is None:
            return pl.Series([False] * size, dtype=pl.Boolean), None
        text = cells.text
        present = text.is_not_null()
        missing = (
            (text.is_in(self.missing).fill_null(False) & present)
            if self.missing
            else present & False
        )
        filled = present & ~missing
        empty = missing if cells.blank is None else (missing | cells.blank)
        good = empty if not self.required else empty & False
        target: pl.Series | None = None
        if self.mode == "string":
            ok = filled & self._string_constraints(text)
            if self.region:
                ok = ok & self._region_ok(text)
            good = good | ok
            target = text.zip_with(filled, pl.Series([None] * size, dtype=pl.String))
        elif self.mode == "integer":
            digits = filled & text.str.contains(_INTEGER_ASCII).fill_null(False)
            values = text.cast(pl.Int64, strict=False).zip_with(
                digits, pl.Series([None] * size, dtype=pl.Int64)
            )
            if cells.number is not None and self.numbers_ok:
                number = cells.number
                whole = (
                    number.is_not_null()
                    & (number == number.floor()).fill_null(False)
                    & (number.abs() <= _EXACT_FLOAT).fill_null(False)
                )
                values = values.zip_with(~whole, number.cast(pl.Int64, strict=False))
            known = values.is_not_null()
            good = good | (known & self._integer_constraints(values))
            target = values
        elif self.mode == "number":
            decimal = filled & text.str.contains(_NUMBER_ASCII).fill_null(False)
            good = good | decimal
            if cells.number is not None and self.numbers_ok:
                good = good | cells.number.is_not_null()
        return good.fill_null(False), target

    def _string_constraints(self, text: pl.Series) -> pl.Series:
        ok = text.is_not_null()
        constraints = self.constraints
        if "minLength" in constraints or "maxLength" in constraints:
            length = text.str.len_chars()
            if "minLength" in constraints:
                ok = ok & (length >= constraints["minLength"]).fill_null(False)
            if "maxLength" in constraints:
                ok = ok & (length <= constraints["maxLength"]).fill_null(False)
        if "enum" in constraints:
            members = [v for v in map(self.reader, constraints["enum"]) if type(v) is str]
            ok = ok & text.is_in(members).fill_null(False)
        if self.pattern is not None:
            match = self.pattern.match
            passing = [v for v in text.drop_nulls().unique().to_list() if match(v)]
            ok = ok & text.is_in(passing).fill_null(False)
        return ok

    def _integer_constraints(self, values: pl.Series) -> pl.Series:
        ok = values.is_not_null()
        read, constraints = self.reader, self.constraints
        if "minimum" in constraints:
            ok = ok & (values >= read(constraints["minimum"])).fill_null(False)
        if "maximum" in constraints:
            ok = ok & (values <= read(constraints["maximum"])).fill_null(False)
        if "exclusiveMinimum" in constraints:
            ok = ok & (values > read(constraints["exclusiveMinimum"])).fill_null(False)
        if "exclusiveMaximum" in constraints:
            ok = ok & (values < read(constraints["exclusiveMaximum"])).fill_null(False)
        if "enum" in constraints:
            members = [v for v in map(read, constraints["enum"]) if type(v) is int]
            ok = ok & values.is_in(members).fill_null(False)
        return ok

    @staticmethod
    def _region_ok(text: pl.Series) -> pl.Series:
        """regions.check_tenant_code finds nothing: a dotted code, in the
        tenant's list when it lies under the tenant's root."""
        root = regions.tenant_root()
        dotted = text.str.contains(_DOTTED_ASCII).fill_null(False)
        inside = (text == root).fill_null(False) | text.str.starts_with(root + ".").fill_null(False)
        known = text.is_in(list(regions.tenant_regions())).fill_null(False)
        return dotted & (~inside | known)


def may_hold_nik(cells: Cells) -> pl.Series:
    """A superset of the cells guard.classify_cell finds a NIK/KK shape in
    (its text test wants 11 characters and 16 ASCII digits or "+15"; its
    number test a value in [1e15, 1e16)); "other" cells are left to it."""
    text = cells.text
    suspect = (
        (text.str.len_chars() >= 11)
        & (
            text.str.contains("+15", literal=True)
            | (text.str.count_matches("[0-9]") >= 16)
        )
    ).fill_null(False)  # fmt: skip
    if cells.number is not None:
        number = cells.number
        suspect = suspect | ((number >= 1e15) & (number < 1e16)).fill_null(False)
    return suspect
