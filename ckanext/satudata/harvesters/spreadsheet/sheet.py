"""Reading OPD spreadsheets into grids, and normalising a data sheet into a
clean CSV table.

Real OPD spreadsheets carry title rows above the header, merged (two-level)
header cells, blank rows, a totals row at the bottom, source notes, a "No"
column, and numbers typed as text in the Indonesian convention ("1.234",
"12,5"). ``normalise`` turns one into a tidy table and lists, in Indonesian,
what it changed (shown to stewards in the resource description and the
harvest report). Whatever cannot be decided without guessing raises
``SheetError`` naming the sheet, row and column: a wrong number published
silently is worse than a harvest error.

Files are read by validation/reader.py (read_grids), as everywhere else.
Why one module: the header, number-locale and cleaning rules judge one sheet
together (a header row is found by what the rows under it hold, a number's
locale by the whole column); split, each part would pass the others' state.
Pure Python: no CKAN import.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ckanext.satudata import exports
from ckanext.satudata.validation import guard, messages, reader
from ckanext.satudata.validation.reader import Limits

# How many rows from the top may hold titles before the header.
HEADER_SEARCH_ROWS = 15
TOTAL_LABELS = frozenset({"jumlah", "total", "jumlah total", "grand total", "total keseluruhan"})
FOOTNOTE_RE = re.compile(r"^\s*(sumber|keterangan|catatan|note|source|\*)", re.IGNORECASE)
# Sheets that describe the data rather than hold it.
META_SHEET_RE = re.compile(
    r"^(metadata|meta|keterangan|petunjuk|readme|catatan|sumber|info|referensi|daftar isi)",
    re.IGNORECASE,
)
ROW_NUMBER_HEADERS = frozenset({"no", "nomor", "no urut", "number"})
EMPTY_MARKERS = frozenset({"-", "\u2013", "\u2014"})  # hyphen, en dash, em dash

_PLAIN_INT = re.compile(r"^[+-]?\d+$")
_DOT_GROUPS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")  # 1.234 or 1.234.567
_COMMA_GROUPS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")  # 1,234 or 1,234,567
_ID_FULL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$")  # 1.234,5
_EN_FULL = re.compile(r"^[+-]?\d{1,3}(,\d{3})+\.\d+$")  # 1,234.5
_ID_MULTI = re.compile(r"^[+-]?\d{1,3}(\.\d{3}){2,}$")  # 1.234.567: only thousands
_EN_MULTI = re.compile(r"^[+-]?\d{1,3}(,\d{3}){2,}$")


class SheetError(ValueError):
    """The sheet cannot be read or normalised without guessing.

    Messages name sheets, rows and columns; a cell value is only quoted
    through ``quote`` (never one that looks like a NIK/KK number: messages go
    to the harvest report and the log)."""


_LONG_DIGITS = re.compile(r"\d{11,}")


def quote(value: Any) -> str:
    """A cell value for a SheetError message; personal identifiers withheld."""
    text = cell_text(value)
    digits = re.sub(r"[\s.,'+-]", "", text)
    if guard.classify_cell(text) or guard.classify_cell(value) or _LONG_DIGITS.search(digits):
        return "a value that looks like a NIK/KK number (not shown)"
    return repr(text)


@dataclass
class Table:
    """A normalised table: column names, rows of text, and what was done."""

    sheet: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str]
    header_row: int  # 1-based, as the steward sees it in the spreadsheet

    def to_csv(self, *, neutralise_formulas: bool = True) -> bytes:
        """The table as UTF-8 CSV. People open this copy in a spreadsheet
        program: text that would run as a formula is neutralised (exports.py;
        numbers are left alone) unless ``neutralise_formulas`` is off."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(exports.neutralise_rows(self.rows) if neutralise_formulas else self.rows)
        return out.getvalue().encode("utf-8")


# --- reading -----------------------------------------------------------------

# A sheet of the file as read (validation/reader.py reads every file).
Sheet = reader.Grid


def is_xlsx(content: bytes) -> bool:
    """Whether the file is a workbook, by its content (a declared extension can lie)."""
    return reader.sniff_kind(content[:8192]) == "zip"


def read_sheets(content: bytes, limits: Limits | None = None) -> list[Sheet]:
    """Every sheet of an XLSX file, or the one table of a CSV file, read by
    the validation reader (container check first; ``limits``, default
    reader.Limits()); raises SheetError saying why a file cannot be read."""
    try:
        return reader.read_grids(content, limits)
    except reader.FileRejected as err:
        raise SheetError(messages.rejection_text(err)) from err


# --- cells -------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as stripped text; integral floats without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    return " ".join(str(value).split())


def is_blank(row: Sequence[Any]) -> bool:
    return all(cell_text(c) == "" for c in row)


# A number as people type it: 1234, 1.234, 1,234, 12,5, 1.234,5, 1,234.5 (and a %).
_NUMBER_TEXT = re.compile(
    r"[+-]?(\d+|\d{1,3}([.,]\d{3})+|\d+[.,]\d+|\d{1,3}(\.\d{3})+,\d+|\d{1,3}(,\d{3})+\.\d+)%?"
)
_YEAR = re.compile(r"(19|20)\d\d")


def _is_numberish(value: Any) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    text = cell_text(value).replace(" ", "")
    return bool(_NUMBER_TEXT.fullmatch(text))


def snake_name(text: str) -> str:
    """Column name for the clean CSV: lowercase ASCII words joined by "_"."""
    name = re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")
    return name or ""


# --- header detection ----------------------------------------------------------


def _looks_like_header(row: Sequence[Any]) -> bool:
    texts = [cell_text(c) for c in row]
    filled = [t for t in texts if t]
    # Two distinct labels at least: a merged title row repeats one value.
    if len(set(filled)) < 2:
        return False
    # Wide tables have years as column headers ("Kecamatan | 2023 | 2024").
    numbers = [t for t in filled if _is_numberish(t)]
    return len(numbers) < len(filled) and all(_YEAR.fullmatch(t) for t in numbers)


def _is_column_number_row(row: Sequence[Any]) -> bool:
    """The "(1) (2) (3)" row many government forms put under the header."""
    texts = [cell_text(c) for c in row if cell_text(c)]
    if len(texts) < 2:
        return False
    numbers = [t.strip("()") for t in texts]
    if not all(n.isdigit() for n in numbers) or [int(n) for n in numbers] != list(
        range(1, len(numbers) + 1)
    ):
        return False
    # "1 2" could be a data row; "(1) (2)" or 1..n over three columns or more cannot.
    return len(numbers) >= 3 or all(t.startswith("(") for t in texts)


def _fill_merged(sheet: Sheet) -> list[list[Any]]:
    """Rows with each merged range's value copied into all its cells."""
    rows = [list(r) for r in sheet.rows]
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, c1 + 1):
                while len(rows[r]) <= c:
                    rows[r].append("")
                rows[r][c] = value
    return rows


@dataclass
class _Header:
    first_row: int  # 0-based
    last_row: int
    names: list[str]
    labels: list[str]


def find_header(sheet: Sheet, rows: list[list[Any]]) -> _Header:
    """The header (one or two rows) of a data sheet; raises SheetError."""
    start = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _looks_like_header(row):
            start = index
            break
    if start is None:
        raise SheetError(
            f"sheet {sheet.name!r}: no header row found in the first {HEADER_SEARCH_ROWS} rows "
            "(a header is a row of at least two text cells)"
        )
    width = max(len(r) for r in rows)
    top = [cell_text(c) for c in rows[start]] + [""] * (width - len(rows[start]))
    end = start
    labels = top
    two_level = False
    second: list[str] = []
    following = next((i for i in range(start + 1, len(rows)) if not is_blank(rows[i])), None)
    if (
        following is not None
        and _looks_like_header(rows[following])
        and not _is_column_number_row(rows[following])
    ):
        second = [cell_text(c) for c in rows[following]] + [""] * (width - len(rows[following]))
        merged_over = any(r0 == start and c1 > c0 for (r0, c0), (r1, c1) in sheet.merged) or any(
            not top[i] and second[i] for i in range(width)
        )
        # A row whose only numbers are years is data ("Kuaro | 2024 | aktif").
        two_level = merged_over
        if not merged_over and not any(_is_numberish(c) for c in rows[following] if cell_text(c)):
            raise SheetError(
                f"sheet {sheet.name!r}: two candidate header rows ({start + 1} and "
                f"{following + 1}) with no merged cells joining them; remove one of them"
            )
    if two_level and following is not None:
        end = following
        labels = []
        for upper, lower in zip(top, second, strict=True):
            if upper and lower and upper != lower:
                labels.append(f"{upper} {lower}")
            else:
                labels.append(upper or lower)
    names = [snake_name(label) for label in labels]
    return _Header(start, end, names, labels)


# --- numbers -------------------------------------------------------------------


def _locale_evidence(text: str) -> str | None:
    """ "id" (dot thousands, comma decimal), "en", or None when it cannot tell."""
    if _ID_MULTI.match(text) or _ID_FULL.match(text):
        return "id"
    if _EN_MULTI.match(text) or _EN_FULL.match(text):
        return "en"
    if re.fullmatch(r"[+-]?\d+\.\d{1,2}|[+-]?\d+\.\d{4,}|[+-]?\d{4,}\.\d+", text):
        return "en"  # a dot that cannot be a thousands separator
    if re.fullmatch(r"[+-]?\d+,\d{1,2}|[+-]?\d+,\d{4,}|[+-]?\d{4,},\d+", text):
        return "id"
    return None


def _ambiguous(text: str) -> bool:
    """1.234 or 1,234: thousands in one convention, a decimal in the other."""
    return bool(re.fullmatch(r"[+-]?\d{1,3}[.,]\d{3}", text))


def _parse_number(text: str, locale: str) -> str:
    canonical = text.replace(".", "").replace(",", ".") if locale == "id" else text.replace(",", "")
    if canonical.count(".") > 1:
        raise ValueError(text)
    float(canonical)  # raises ValueError when it is no number after all
    if "." in canonical:
        whole, fraction = canonical.split(".")
        fraction = fraction.rstrip("0")
        return f"{whole}.{fraction}" if fraction else whole
    return canonical


# --- normalising ---------------------------------------------------------------


def choose_data_sheet(sheets: list[Sheet], wanted: str | None = None) -> Sheet:
    """The sheet that holds the data; several candidates is an error."""
    if wanted:
        for sheet in sheets:
            if sheet.name.strip().lower() == wanted.strip().lower():
                return sheet
        raise SheetError(
            f"sheet {wanted!r} not found (sheets: {', '.join(s.name for s in sheets)})"
        )
    candidates = [
        s for s in sheets
        if not META_SHEET_RE.match(s.name.strip()) and sum(not is_blank(r) for r in s.rows) >= 2
    ]  # fmt: skip
    if not candidates:
        raise SheetError("no sheet with data found")
    if len(candidates) > 1:
        names = ", ".join(repr(s.name) for s in candidates)
        raise SheetError(
            f"several sheets hold data ({names}) and none was named: add #sheet=NAME to "
            "the data file link, or keep one data sheet"
        )
    return candidates[0]


def normalise(content: bytes, sheet_name: str | None = None) -> Table:
    """Read a data file and return its clean table; raises SheetError."""
    return normalise_sheets(read_sheets(content), sheet_name)


def normalise_sheets(sheets: list[Sheet], sheet_name: str | None = None) -> Table:
    """The clean table of already-read sheets (read_sheets); raises SheetError."""
    notes: list[str] = []
    sheet = choose_data_sheet(sheets, sheet_name)
    if len(sheets) > 1:
        others = [s.name for s in sheets if s is not sheet]
        notes.append(f"lembar {sheet.name!r} dipakai; lembar lain diabaikan: {', '.join(others)}")
    rows = _fill_merged(sheet)
    if not rows or all(is_blank(r) for r in rows):
        raise SheetError(f"sheet {sheet.name!r} is empty")
    header = find_header(sheet, rows)
    if header.first_row > 0:
        notes.append(f"{header.first_row} baris judul di atas tabel dibuang")
    if header.last_row > header.first_row:
        notes.append("judul kolom dua tingkat (sel gabungan) digabung menjadi satu baris")
    width = len(header.names)

    body: list[tuple[int, list[str]]] = []
    for index in range(header.last_row + 1, len(rows)):
        texts = [cell_text(c) for c in rows[index]] + [""] * width
        body.append((index + 1, texts[:width] if not any(texts[width:]) else texts))
    blank = sum(1 for _, r in body if not any(r))
    body = [(n, r) for n, r in body if any(r)]
    if blank:
        notes.append(f"{blank} baris kosong dibuang")
    if body and _is_column_number_row(body[0][1]):
        body = body[1:]
        notes.append("baris nomor kolom ((1), (2), ...) dibuang")

    # Trailing notes such as "Sumber: Dinas Kesehatan" under the table.
    dropped_notes = 0
    while (
        body
        and sum(1 for c in body[-1][1] if c) == 1
        and FOOTNOTE_RE.match(next(c for c in body[-1][1] if c))
    ):
        body.pop()
        dropped_notes += 1
    if dropped_notes:
        notes.append(f"{dropped_notes} baris catatan/sumber di bawah tabel dibuang")

    # A totals row: only at the bottom; in the middle it would be a subtotal
    # whose meaning (which rows it sums) cannot be known.
    for position, (number, row) in enumerate(body):
        labels = {c.lower().rstrip(":") for c in row[:3] if c and not _is_numberish(c)}
        if labels & TOTAL_LABELS:
            if position != len(body) - 1:
                raise SheetError(
                    f"sheet {sheet.name!r}, row {number}: a totals row ({quote(row[0] or row[1])}) "
                    "in the middle of the table; only a final totals row can be dropped"
                )
            body.pop()
            notes.append(f"baris jumlah/total (baris {number}) dibuang")
            break
    if not body:
        raise SheetError(f"sheet {sheet.name!r}: the table has a header but no data rows")

    for number, row in body:
        if len(row) > width:
            extra = next(i for i in range(width, len(row)) if row[i])
            raise SheetError(
                f"sheet {sheet.name!r}, row {number}: value {quote(row[extra])} in column "
                f"{extra + 1}, which has no header"
            )
    names = list(header.names)
    for index, name in enumerate(names):
        first = next((number for number, row in body if row[index]), None)
        if not name and first is not None:
            raise SheetError(
                f"sheet {sheet.name!r}: column {index + 1} holds data (first in row {first}) "
                "but has no header"
            )
    keep = [i for i, name in enumerate(names) if name]
    seen: dict[str, int] = {}
    for i in keep:
        if names[i] in seen:
            raise SheetError(
                f"sheet {sheet.name!r}: columns {seen[names[i]] + 1} and {i + 1} have the same "
                f"header {header.labels[i]!r}"
            )
        seen[names[i]] = i

    # A running-number column ("No") says nothing: dropped.
    for i in list(keep):
        if header.labels[i].lower().rstrip(".") in ROW_NUMBER_HEADERS and [
            row[i] for _, row in body
        ] == [str(n) for n in range(1, len(body) + 1)]:
            keep.remove(i)
            notes.append(f"kolom nomor urut {header.labels[i]!r} dibuang")

    columns, locale_notes = _normalise_numbers(sheet, header, body, keep, rows)
    notes.extend(locale_notes)
    renamed = [header.labels[i] for i in keep if header.labels[i] != names[i]]
    if renamed:
        notes.append("judul kolom diubah menjadi nama_kolom (huruf kecil, garis bawah)")
    out_rows = [[columns[i][k] for i in keep] for k in range(len(body))]
    return Table(sheet.name, [names[i] for i in keep], out_rows, notes, header.first_row + 1)


def _normalise_numbers(
    sheet: Sheet,
    header: _Header,
    body: list[tuple[int, list[str]]],
    keep: list[int],
    raw_rows: list[list[Any]],
) -> tuple[dict[int, list[str]], list[str]]:
    """Numbers typed as text, in the sheet's one locale, to plain "1234.5"."""
    notes: list[str] = []
    columns: dict[int, list[str]] = {i: [row[i] for _, row in body] for i in keep}
    numeric_text: dict[int, list[int]] = {}
    evidence: dict[str, tuple[int, int, str]] = {}
    for i in keep:
        values = columns[i]
        filled = [k for k, v in enumerate(values) if v and v not in EMPTY_MARKERS]
        if not filled:
            continue
        raw = [
            raw_rows[body[k][0] - 1][i] if i < len(raw_rows[body[k][0] - 1]) else "" for k in filled
        ]
        # Codes (kode wilayah 64.01, kode standar) are identifiers, never numbers.
        if "kode" in header.names[i].split("_") or not all(_is_numberish(v) for v in raw):
            continue
        text_cells = [k for k, v in zip(filled, raw, strict=True) if isinstance(v, str)]
        if not text_cells:
            continue
        numeric_text[i] = text_cells
        for k in text_cells:
            found = _locale_evidence(values[k].replace(" ", "").rstrip("%"))
            if found and found not in evidence:
                evidence[found] = (body[k][0], i, values[k])
    if not numeric_text:
        return columns, notes
    if len(evidence) > 1:
        (row_id, col_id, val_id), (row_en, col_en, val_en) = evidence["id"], evidence["en"]
        raise SheetError(
            f"sheet {sheet.name!r}: numbers written in two conventions: {quote(val_id)} "
            f"(row {row_id}, {header.labels[col_id]!r}) is Indonesian, {quote(val_en)} "
            f"(row {row_en}, {header.labels[col_en]!r}) is English"
        )
    locale = next(iter(evidence), None)
    converted = 0
    dashes = 0
    for i, cells in numeric_text.items():
        values = columns[i]
        for k in range(len(values)):
            if values[k] in EMPTY_MARKERS:
                values[k] = ""
                dashes += 1
        for k in cells:
            text = values[k].replace(" ", "")
            if text.endswith("%"):
                raise SheetError(
                    f"sheet {sheet.name!r}, row {body[k][0]}, column {header.labels[i]!r}: "
                    f"percentage {quote(values[k])} typed as text; use a number and put % in the unit"
                )
            if _PLAIN_INT.match(text):
                values[k] = text.lstrip("+")
                continue
            if locale is None:
                if _ambiguous(text):
                    raise SheetError(
                        f"sheet {sheet.name!r}, row {body[k][0]}, column "
                        f"{header.labels[i]!r}: {quote(values[k])} is ambiguous (thousands "
                        "separator or decimal point?) and nothing else in the sheet tells; "
                        "type it as a number"
                    )
                raise SheetError(
                    f"sheet {sheet.name!r}, row {body[k][0]}, column {header.labels[i]!r}: "
                    f"cannot read number {quote(values[k])}"
                )
            try:
                values[k] = _parse_number(text, locale).lstrip("+")
            except ValueError:
                raise SheetError(
                    f"sheet {sheet.name!r}, row {body[k][0]}, column {header.labels[i]!r}: "
                    f"cannot read number {quote(values[k])}"
                ) from None
            converted += 1
    if converted:
        convention = (
            "titik pemisah ribuan, koma desimal"
            if locale == "id"
            else "koma pemisah ribuan, titik desimal"
        )
        notes.append(f"{converted} angka yang tersimpan sebagai teks dibaca ({convention})")
    if dashes:
        notes.append(f"{dashes} sel berisi tanda '-' pada kolom angka dikosongkan")
    return columns, notes
