"""What a table uploaded without a data standard is, by rules written here.

Most OPD uploads name no standard. Their structure is then checked against a
schema frictionless infers from the file, and these rules add what the file's
shape and content say:

- **Standard detection.** A header whose labels, normalised (lower case,
  spaces and punctuation as ``_``), are the field names of a published
  standard, in number and order, *is* that standard: the file is validated
  against it ("dikenali sebagai standar …"). The same names in another order,
  or most of a standard's names (``CLOSE_SHARE``), are a suggestion only.
- **Region codes.** A column named like a region code (``REGION_HEADERS``) or
  whose sampled values are mostly Kemendagri codes (``REGION_VALUE_SHARE``)
  is typed as text and checked for format and, inside the tenant, membership.
- **Mostly numeric.** A column whose non-blank cells are numbers but for a
  few (at least ``NUMERIC_SHARE`` numbers, counted over the whole file, not
  frictionless's sample) holds data-entry errors in those few: each is an
  error, as frictionless reports text in a column it typed a number. Blank
  markers (a hyphen, an en or an em dash) are blanks.
- **Not a table.** A header with no data row (``no-data-rows``), or a single
  column whose header is a sentence (``one-long-line``: longer than
  ``LONG_LINE_CHARS`` or with ``LONG_LINE_WORDS`` words or more) is refused.

Pure Python: no CKAN import.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ckanext.satudata.reference import regions
from ckanext.satudata.standards import registry

CLOSE_SHARE = 0.8
REGION_HEADERS = frozenset(
    {
        "kode_wilayah", "kode_kemendagri", "kd_wilayah", "kode_provinsi", "kode_kabupaten",
        "kode_kabupaten_kota", "kode_kab_kota", "kode_kota", "kode_kecamatan", "kode_desa",
        "kode_kelurahan", "kode_desa_kelurahan",
    }
)  # fmt: skip
REGION_VALUE_SHARE = 0.8
NUMERIC_SHARE = 0.95
NUMERIC_MIN_CELLS = 20
SAMPLE_ROWS = 5
BLANK_MARKERS = frozenset({"", "-", "\u2013", "\u2014"})
LONG_LINE_CHARS = 60
LONG_LINE_WORDS = 8
_NON_WORD = re.compile(r"[^a-z0-9]+")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)*|\d*[.,]\d+)([eE][+-]?\d+)?%?$")


def normalise_label(label: object) -> str:
    return _NON_WORD.sub("_", str(label or "").strip().lower()).strip("_")


@dataclass(frozen=True)
class StandardMatch:
    exact: str | None = None  # the standard the header is
    close: str | None = None  # a standard it nearly is (a suggestion)


def match_standard(header: Sequence[Any]) -> StandardMatch:
    labels = [normalise_label(label) for label in header]
    if not any(labels):
        return StandardMatch()
    best: tuple[float, str] | None = None
    for name in registry.names():
        names = registry.load_standard(name).field_names
        if labels == [normalise_label(n) for n in names]:
            return StandardMatch(exact=name)
        wanted = {normalise_label(n) for n in names}
        share = len(wanted & set(labels)) / len(wanted)
        if len(wanted) >= 3 and share >= CLOSE_SHARE and (best is None or share > best[0]):
            best = (share, name)
    return StandardMatch(close=best[1] if best else None)


def standard_labels(header: Sequence[Any], field_names: Sequence[str]) -> tuple[str, ...]:
    """``field_names`` when the header is them once normalised (and not
    already them), else nothing: the header frictionless should check."""
    labels = [normalise_label(label) for label in header]
    if list(header) != list(field_names) and labels == [normalise_label(n) for n in field_names]:
        return tuple(field_names)
    return ()


def _is_region_code(value: object) -> bool:
    if not isinstance(value, str) or "." not in value:
        return False
    return bool(regions.DOTTED_RE.match(value.strip()))


def region_columns(header: Sequence[Any], sample: Sequence[Sequence[Any]]) -> list[int]:
    """Positions of the columns holding Kemendagri region codes."""
    found = []
    for index, label in enumerate(header):
        if normalise_label(label) in REGION_HEADERS:
            found.append(index)
            continue
        values = [row[index] for row in sample if index < len(row) and row[index] not in (None, "")]
        codes = sum(1 for value in values if _is_region_code(value))
        if values and codes >= REGION_VALUE_SHARE * len(values):
            found.append(index)
    return found


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and _NUMBER.match(value.strip().replace(" ", "")) is not None


@dataclass
class _Column:
    numbers: int = 0
    texts: int = 0
    text_rows: list[int] = field(default_factory=list)


class ColumnProfile:
    """Numbers and texts per column over the whole file (fed every raw row)."""

    def __init__(self) -> None:
        self.columns: dict[int, _Column] = {}
        self.row_number = 1  # the header is row 1

    def feed(self, cells: Sequence[Any]) -> bool:
        """Count the next row's cells; always True (a filter predicate)."""
        self.row_number += 1
        for index, cell in enumerate(cells):
            if cell is None or (isinstance(cell, str) and cell.strip() in BLANK_MARKERS):
                continue
            column = self.columns.get(index)
            if column is None:
                column = self.columns[index] = _Column()
            if _is_number(cell):
                column.numbers += 1
            else:
                column.texts += 1
                if len(column.text_rows) < SAMPLE_ROWS:
                    column.text_rows.append(self.row_number)
        return True

    def mostly_numeric(self) -> dict[int, tuple[int, list[int]]]:
        """{column: (how many text cells, sample rows)} of the columns that are
        numbers but for a few text cells."""
        found = {}
        for index, column in self.columns.items():
            filled = column.numbers + column.texts
            if (
                column.texts
                and column.numbers >= NUMERIC_MIN_CELLS
                and column.numbers >= NUMERIC_SHARE * filled
            ):
                found[index] = (column.texts, list(column.text_rows))
        return found


def shape_problem(header: Sequence[Any], data_rows: int) -> str | None:
    """The "not a table" rule a table breaks, or None."""
    if data_rows == 0:
        return "no-data-rows"
    if len(header) == 1:
        label = str(header[0] or "")
        if len(label) > LONG_LINE_CHARS or len(label.split()) >= LONG_LINE_WORDS:
            return "one-long-line"
    return None
