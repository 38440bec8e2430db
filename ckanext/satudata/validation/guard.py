"""Personal-data guard: finds columns holding NIK or KK numbers, or whose
header names a personal identifier (UU 27/2022 PDP; UU Adminduk art. 95A).

A NIK is 16 digits: a kecamatan code (6), a birth date DDMMYY with DD + 40
for women (6) and a serial from 0001 (4). A KK number has the same shape with
a registration date, so one test covers both. Spreadsheets mangle them: typed
as numbers they lose the 16th digit (serial ...0) or show as 3.20101E+15.

Findings name the column and sample row numbers, never a value.
Pure Python: no CKAN import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import attrs
from frictionless import Check, errors

from ckanext.satudata.reference import regions

SAMPLE_ROWS = 5
# Weak matches (precision already lost) flag a column only when they are
# frequent; one intact NIK is enough on its own.
WEAK_MATCHES_NEEDED = 3

_HEADER_NAMES = frozenset(
    {
        "nik",
        "no_nik",
        "nomor_nik",
        "nik_ktp",
        "no_ktp",
        "nomor_ktp",
        "ktp",
        "e_ktp",
        "no_e_ktp",
        "nomor_induk_kependudukan",
        "kk",
        "no_kk",
        "nomor_kk",
        "nkk",
        "no_kartu_keluarga",
        "nomor_kartu_keluarga",
        "nik_kepala_keluarga",
    }
)
_HEADER_TOKENS = frozenset({"nik", "ktp", "nkk"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
# A run of digit groups joined by single spaces, dots or dashes: how NIK/KK
# numbers are written by hand ("6401 0412 0590 0001", "6401-04-120590-0001").
_DIGIT_RUN = re.compile(r"[0-9]+(?:[ .\-][0-9]+)*")
_SIXTEEN_DIGITS = re.compile(r"[0-9]{16}")
_SEPARATOR = "\x1f"
# 3.20101E+15 and 3,20101E+15: a 16-digit number in Excel's scientific form.
_SCIENTIFIC_16 = re.compile(r"^([1-9])[.,](\d{1,14})[eE]\+?15$")
NIK_DIGITS = 16


def normalize_header(label: object) -> str:
    return _NON_WORD.sub("_", str(label or "").strip().lower()).strip("_")


def header_is_personal(label: object) -> bool:
    name = normalize_header(label)
    if name in _HEADER_NAMES:
        return True
    tokens = set(name.split("_"))
    return bool(tokens & _HEADER_TOKENS)


def _sixteen_digits_match(digits: str) -> str | None:
    """ "strong", "weak" (serial 0000: the 16th digit lost) or None."""
    if not regions.plausible_kecamatan_prefix(digits[:6]):
        return None
    day, month = int(digits[6:8]), int(digits[8:10])
    if day > 40:  # women's NIK
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return "weak" if digits[12:] == "0000" else "strong"


def may_hold_nik(text: str) -> bool:
    """One C-speed test whether a text can hold 16 digits written with
    separators (or in Excel's scientific form): with the separators dropped,
    such a number is 16 digits in a row. Most rows and texts fail it at once;
    the rest are looked at closely."""
    if "+15" in text:
        return True
    compact = text.replace(" ", "").replace(".", "").replace("-", "")
    return _SIXTEEN_DIGITS.search(compact) is not None


def sixteen_digit_numbers(text: str) -> list[str]:
    """Every 16-digit number in ``text``, written plain or in groups joined by
    single spaces, dots or dashes; a longer unbroken number is none."""
    found = []
    for run in _DIGIT_RUN.finditer(text):
        groups = re.split(r"[ .\-]", run.group())
        for start in range(len(groups)):
            digits = ""
            for group in groups[start:]:
                digits += group
                if len(digits) >= NIK_DIGITS:
                    break
            if len(digits) == NIK_DIGITS:
                found.append(digits)
    return found


def classify_text(text: str) -> str | None:
    """ "strong" or "weak" if a text can hold a NIK/KK number anywhere in it
    (a cell's text, a sentence, a document line), else None."""
    best = None
    for digits in sixteen_digit_numbers(text):
        found = _sixteen_digits_match(digits)
        if found == "strong":
            return found
        best = best or found
    return best


def _text_cell(cell: str) -> str | None:
    text = cell.strip()
    # ="6401..." (Excel's text formula) and '6401... (Excel's text prefix).
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    text = text.lstrip("'")
    match = _SCIENTIFIC_16.match(text.replace(" ", ""))
    if match:
        leading = (match[1] + match[2])[:6].ljust(6, "0")
        # Only the province and kabupaten digits survive reliably.
        return "weak" if regions.plausible_kecamatan_prefix(leading[:4] + "01") else None
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]  # a number read as a float's text
    return classify_text(text)


def classify_cell(cell: Any) -> str | None:
    """ "strong" or "weak" if the cell can hold a NIK/KK number, else None."""
    kind = type(cell)
    if kind is str:
        if len(cell) < 11 or not may_hold_nik(cell):
            return None
        return _text_cell(cell)
    if kind is int:
        if 10**15 <= cell < 10**16:
            return _sixteen_digits_match(str(cell))
        return None
    if kind is float:
        if 1e15 <= cell < 1e16:
            found = _sixteen_digits_match(f"{cell:.0f}")
            return "weak" if found else None
        return None
    return None


def text_lines_with_nik(text: str) -> list[int]:
    """Line numbers (1-based) of ``text`` holding a NIK/KK number. Free text
    is no spreadsheet: only an intact number (a strong match) counts."""
    if not may_hold_nik(text):
        return []
    return [
        number
        for number, line in enumerate(text.splitlines() or [text], start=1)
        if may_hold_nik(line) and classify_text(line) == "strong"
    ]


@dataclass
class ColumnFinding:
    number: int  # 1-based column number
    name: str
    reason: str  # "header" | "values"
    rows: list[int] = field(default_factory=list)
    strong: int = 0
    weak: int = 0
    sheet: str | None = None  # a workbook's sheet other than the validated one

    @property
    def flagged(self) -> bool:
        return self.reason == "header" or self.strong > 0 or self.weak >= WEAK_MATCHES_NEEDED

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "column": self.name,
            "column_number": self.number,
            "reason": self.reason,
            "rows": list(self.rows),
            "matches": self.strong + self.weak,
        }
        if self.sheet is not None:
            found["sheet"] = self.sheet
        return found


def positional_name(index: int) -> str:
    """The name of a column whose header cannot be shown (0-based ``index``)."""
    return f"kolom {index + 1}"


class PersonalDataScanner:
    """Fed the header and every raw row; cheap enough for every cell."""

    def __init__(self) -> None:
        self.header: list[str] = []
        self.columns: dict[int, ColumnFinding] = {}
        self.hidden: set[int] = set()  # header cells holding NIK/KK numbers
        self.last_row = 1  # the header is row 1

    def start(self, header: Sequence[Any]) -> None:
        """Scan the header row. A header cell holding a NIK/KK (a file without
        a header row: row 1 is data) is a finding of its own, and its label is
        replaced by a positional name so the number is never echoed."""
        # A blank label is named by position, as a finding must name its column.
        self.header = [
            str(label) if label not in (None, "") else positional_name(index)
            for index, label in enumerate(header)
        ]
        for index, label in enumerate(header):
            if label is not None and classify_cell(label) is not None:
                name = self.header[index] = positional_name(index)
                self.hidden.add(index)
                self.columns[index] = ColumnFinding(index + 1, name, "values", [1], strong=1)
            elif header_is_personal(self.header[index]):
                self.columns[index] = ColumnFinding(index + 1, self.header[index], "header")

    def safe_header(self, header: Sequence[Any]) -> list[Any]:
        """``header`` with the labels found to hold NIK/KK numbers replaced."""
        return [
            self.header[index] if index in self.hidden else label
            for index, label in enumerate(header)
        ]

    def feed(self, row_number: int, cells: Sequence[Any]) -> None:
        # Frictionless may restart a source; never count a row twice.
        if row_number <= self.last_row:
            return
        self.last_row = row_number
        try:
            # Text rows (every CSV row): one C-speed search decides whether
            # any cell is worth a closer look.
            if not may_hold_nik(_SEPARATOR.join(cells)):
                return
        except TypeError:  # typed cells (XLSX): look at each
            pass
        for index, cell in enumerate(cells):
            if cell is None:
                continue
            found = classify_cell(cell)
            if found is None:
                continue
            column = self.columns.get(index)
            if column is None:
                name = self.header[index] if index < len(self.header) else positional_name(index)
                column = self.columns[index] = ColumnFinding(index + 1, name, "values")
            if found == "strong":
                column.strong += 1
            else:
                column.weak += 1
            if len(column.rows) < SAMPLE_ROWS:
                column.rows.append(row_number)

    def findings(self) -> list[ColumnFinding]:
        return [c for _, c in sorted(self.columns.items()) if c.flagged]


def scan_rows(rows: Iterable[Sequence[Any]]) -> list[ColumnFinding]:
    """Scan a header row followed by data rows (row numbers as in frictionless:
    the header is row 1)."""
    scanner = PersonalDataScanner()
    iterator = iter(rows)
    scanner.start(next(iterator, []))
    for number, row in enumerate(iterator, start=2):
        scanner.feed(number, row)
    return scanner.findings()


class PersonalDataError(errors.TableError):
    type = "personal-data"
    title = "Personal Data"
    description = "A column holds personal identifiers (NIK or KK numbers)."
    template = "Personal data: {note}"


def describe(finding: ColumnFinding) -> str:
    where = f'column "{finding.name}" (column {finding.number})'
    if finding.reason == "header":
        what = "is named after a personal identifier"
    else:
        what = "holds NIK/KK numbers"
    rows = f"; rows {', '.join(map(str, finding.rows))}" if finding.rows else ""
    return f"{where} {what}{rows}"


@attrs.define(kw_only=True, repr=False)
class personal_data(Check):
    """Frictionless check reporting the scanner's findings at the end of the
    table. The engine's row source feeds the scanner with raw cells (before
    type casting), so it also sees rows past a type error."""

    type = "satudata-personal-data"
    Errors = [PersonalDataError]

    scanner: PersonalDataScanner = attrs.field(factory=PersonalDataScanner)

    def validate_end(self) -> Iterable[errors.Error]:
        for finding in self.scanner.findings():
            yield PersonalDataError(note=describe(finding))
