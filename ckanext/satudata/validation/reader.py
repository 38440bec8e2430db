"""Safe, fast reading of tables (CSV and XLSX/XLS/ODS workbooks): the one
place that does it.

Everything here runs before a parser inflates a byte: size and column
limits, the first content sniffing (zip, OLE, text, binary; content.py tells
the finer kinds), ZIP central-directory checks against zip bombs, DTD/entity
refusal in XML parts (defusedxml). Then either streaming rows for the
validation engine and the DataStore load (CSV through the csv module with
detected encoding, delimiter and number locale; workbooks through
python-calamine, several times faster than openpyxl, which plain
frictionless uses), or whole grids of every sheet for the harvesters
(``read_grids``), by the same rules. Problems raise ``FileRejected`` with a
code that validation/messages.py words. Pure Python: no CKAN import.
"""

from __future__ import annotations

import codecs
import collections
import csv
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import defusedxml.ElementTree as SafeET
from charset_normalizer import from_bytes
from defusedxml import DefusedXmlException
from python_calamine import CalamineWorkbook

SAMPLE_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
# OOXML parts are never legitimately larger than this before their root tag.
XML_PROLOG_BYTES = 4096


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: int = 100
    max_zip_entries: int = 1000
    max_rows: int = 2_000_000
    # Wider tables are refused before any parsing: work grows with the cells,
    # and frictionless's per-row work with the columns.
    max_columns: int = 1000


class FileRejected(Exception):
    """The file cannot be validated at all; ``code`` names the reason."""

    def __init__(self, code: str, detail: str = "", **params: Any) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.params = params


def sniff_kind(head: bytes) -> str:
    """ "zip", "ole" (legacy .xls), "binary" or "text" from the first bytes."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    if b"\x00" in head[:8192]:
        return "binary"
    return "text"


def check_size(path: str, limits: Limits) -> None:
    """Refuse an empty or oversize file before anything reads it."""
    size = os.path.getsize(path)
    if size == 0:
        raise FileRejected("empty")
    if size > limits.max_bytes:
        raise FileRejected("too-large", size=size, limit=limits.max_bytes)
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FileRejected("empty")


def check_archive(source: str | bytes, limits: Limits) -> None:
    """Zip-bomb and XML-bomb checks of a zip archive (an Office or
    OpenDocument file, or a plain zip) from its central directory and its XML
    prologs, before any parser inflates a member; ``source``: a path or the
    file's bytes. Raises FileRejected."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError) as err:
        raise FileRejected("corrupt", str(err)) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_zip_entries:
            raise FileRejected("zip-bomb", f"{len(entries)} entries")
        total = 0
        for entry in entries:
            total += entry.file_size
            if entry.file_size > 1024 * 1024 and (
                entry.file_size > limits.max_compression_ratio * max(entry.compress_size, 1)
            ):
                raise FileRejected(
                    "zip-bomb",
                    f"{entry.filename}: ratio {entry.file_size // max(entry.compress_size, 1)}",
                )
        if total > limits.max_uncompressed_bytes:
            raise FileRejected("zip-bomb", f"{total} bytes uncompressed")
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(entry) as part:
                    _refuse_dtd(entry.filename, part.read(XML_PROLOG_BYTES))
                if entry.file_size <= 256 * 1024:  # small parts: parse them whole
                    SafeET.fromstring(archive.read(entry))
            except DefusedXmlException as err:
                raise FileRejected("xml-entities", f"{entry.filename}: {err}") from None
            except SafeET.ParseError as err:
                raise FileRejected("corrupt", f"{entry.filename}: {err}") from None
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
                raise FileRejected("corrupt", f"{entry.filename}: {err}") from None


def check_xlsx_container(source: str | bytes, limits: Limits) -> None:
    """check_archive, and the parts an Office Open XML workbook must have."""
    check_archive(source, limits)
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
        names = set(archive.namelist())
    if "[Content_Types].xml" not in names or not names & {"xl/workbook.xml", "xl/workbook.bin"}:
        raise FileRejected("corrupt", "not an Office Open XML workbook")


def _refuse_dtd(name: str, prolog: bytes) -> None:
    # A DTD can only appear before the root element; OOXML never has one.
    # Decoding as latin-1 is enough to find the ASCII markers.
    text = prolog.decode("latin-1")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise FileRejected("xml-entities", name)
    text16 = (
        prolog.decode("utf-16", errors="ignore") if prolog[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
    )
    if "<!DOCTYPE" in text16:
        raise FileRejected("xml-entities", name)


# CSV -------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvDialect:
    encoding: str
    delimiter: str
    decimal_comma: bool


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        # A multi-byte character cut by the sample's end is still UTF-8.
        if err.start >= len(sample) - 3:
            return "utf-8"
    # Not UTF-8: Excel on Indonesian Windows saves CSV as Windows-1252. A
    # statistical guess from a few accented names is worse than that rule
    # (charset_normalizer takes one "é" for Arabic), so it only judges bytes
    # that Windows-1252 leaves undefined.
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample).best()
    return best.encoding if best is not None else "latin-1"


# Indonesian number forms: 1.234.567 / 1.234,5 / 12,5 - and English ones.
_ID_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d+$")
_ID_UNAMBIGUOUS = re.compile(
    r"^-?\d{1,3}(\.\d{3}){2,}(,\d+)?$|^-?\d{1,3}(\.\d{3})+,\d+$|^-?\d+,\d{1,2}$|^-?\d+,\d{4,}$"
)
_EN_UNAMBIGUOUS = re.compile(
    r"^-?\d{1,3}(,\d{3})+\.\d+$|^-?\d{1,3}(,\d{3}){2,}$|^-?\d+\.\d{1,2}$|^-?\d+\.\d{4,}$"
)


def decode_text(content: bytes) -> str:
    """A whole CSV file as text, by detect_encoding's rule; raises FileRejected."""
    encoding = detect_encoding(content[:SAMPLE_BYTES])
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        # The sample decoded but a later byte does not: judge the whole file.
        encoding = detect_encoding(content)
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as err:
        raise FileRejected("encoding", f"byte {err.start}") from None


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the most of the first lines into the same,
    largest number of fields (quotes respected). Title rows above the header
    count against every candidate alike; a decimal comma splits fewer fields
    than the semicolons of an Indonesian Excel export."""
    lines = [line for line in text.splitlines()[:50] if line.strip()][:20]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        width, share = collections.Counter(widths).most_common(1)[0] if widths else (1, 0)
        if width > 1 and (share, width) > best_score:
            best, best_score = delimiter, (share, width)
    return best


def detect_decimal_comma(rows: list[list[str]]) -> bool:
    indonesian = english = 0
    for row in rows[1:]:
        for cell in row:
            cell = cell.strip()
            if _ID_UNAMBIGUOUS.match(cell):
                indonesian += 1
            elif _EN_UNAMBIGUOUS.match(cell):
                english += 1
    return indonesian > english


def detect_csv_dialect(path: str, fmt: str) -> CsvDialect:
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="ignore")
    if len(sample) == SAMPLE_BYTES:  # drop the last, probably cut, line
        text = text[: text.rfind("\n") + 1] or text
    delimiter = "\t" if fmt == "tsv" else detect_delimiter(text)
    rows = list(csv.reader(text.splitlines()[:500], delimiter=delimiter))
    return CsvDialect(encoding, delimiter, detect_decimal_comma(rows))


def _to_dot_decimal(cell: str) -> str:
    if _ID_NUMBER.match(cell):
        return cell.replace(".", "").replace(",", ".")
    return cell


def check_csv_width(path: str, dialect: CsvDialect, limits: Limits) -> None:
    """Refuse a CSV whose first row (its header) is wider than the limit."""
    with open(path, newline="", encoding=dialect.encoding, errors="replace") as handle:
        header = next(csv.reader(handle, delimiter=dialect.delimiter), [])
    if len(header) > limits.max_columns:
        raise FileRejected("too-many-columns", columns=len(header), limit=limits.max_columns)


def csv_rows(path: str, dialect: CsvDialect) -> Callable[[], Iterator[list[Any]]]:
    """A re-startable row source (frictionless' inline data may reopen it)."""

    def rows() -> Iterator[list[Any]]:
        with open(path, newline="", encoding=dialect.encoding) as handle:
            reader = csv.reader(handle, delimiter=dialect.delimiter)
            if not dialect.decimal_comma:
                yield from reader
                return
            header = next(reader, None)
            if header is None:
                return
            yield header
            # Decimal comma and thousands dots become plain numbers, so the
            # standards' integer/number types read them.
            for row in reader:
                yield [
                    _to_dot_decimal(cell) if "," in cell or "." in cell else cell for cell in row
                ]

    return rows


# XLSX ------------------------------------------------------------------------


def xlsx_cell(value: Any) -> Any:
    """A workbook cell as the validation sees it. calamine gives floats for
    every number and "" for empty cells; openpyxl (plain frictionless) gives
    int for whole numbers and None: align on it so that findings are the same."""
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is str and value == "":
        return None
    return value


def open_workbook(path: str) -> CalamineWorkbook:
    """An XLSX, XLS or ODS workbook (calamine tells which by the content),
    opened so that a corrupt file fails here with a clear reason."""
    try:
        workbook = CalamineWorkbook.from_path(path)
    except Exception as err:  # calamine raises its own error types
        raise FileRejected("corrupt", str(err)[:200]) from None
    if not workbook.sheet_names:
        raise FileRejected("corrupt", "no worksheet")
    return workbook


def workbook_sheet(workbook: CalamineWorkbook, name: str, limits: Limits) -> Any:
    """One sheet (hidden ones too), read eagerly, within the row and column limits."""
    try:
        sheet = workbook.get_sheet_by_name(name)
    except Exception as err:
        raise FileRejected("corrupt", str(err)[:200]) from None
    if sheet.height > limits.max_rows:
        raise FileRejected("too-many-rows", rows=sheet.height, limit=limits.max_rows)
    if sheet.width > limits.max_columns:
        raise FileRejected("too-many-columns", columns=sheet.width, limit=limits.max_columns)
    return sheet


class SheetRows:
    """The re-startable rows of a sheet, each cell through ``xlsx_cell``;
    ``raw()``: calamine's own values, for a reader that converts whole
    columns at once (validation/columns.py)."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet

    def __call__(self) -> Iterator[list[Any]]:
        convert = xlsx_cell
        for row in self.sheet.iter_rows():
            yield [convert(value) for value in row]

    def raw(self) -> Iterator[list[Any]]:
        return iter(self.sheet.iter_rows())


def xlsx_rows(sheet: Any) -> SheetRows:
    return SheetRows(sheet)


# Whole grids (harvesters) ------------------------------------------------------


@dataclass
class Grid:
    """One sheet of a workbook, or the table of a CSV file, as rows of cells
    (XLSX: calamine's values, from A1; CSV: strings)."""

    name: str
    rows: list[list[Any]]
    # Merged ranges as ((first_row, first_col), (last_row, last_col)), 0-based.
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def read_grids(content: bytes, limits: Limits | None = None) -> list[Grid]:
    """Every sheet of a workbook (XLSX, XLS or ODS, after the container
    checks), or the one table of a CSV file; the kind is told by the content,
    not a name. Raises FileRejected."""
    limits = limits or Limits()
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FileRejected("empty")
    if len(content) > limits.max_bytes:
        raise FileRejected("too-large", size=len(content), limit=limits.max_bytes)
    kind = sniff_kind(content[:8192])
    if kind == "zip":
        check_archive(content, limits)  # an XLSX or ODS workbook: calamine tells
        return _xlsx_grids(content, limits)
    if kind == "ole":  # a legacy .xls workbook
        return _xlsx_grids(content, limits)
    if kind != "text":
        raise FileRejected("not-a-table", content=kind)
    text = decode_text(content)
    rows = list(csv.reader(io.StringIO(text), delimiter=detect_delimiter(text)))
    if len(rows) > limits.max_rows:
        raise FileRejected("too-many-rows", rows=len(rows), limit=limits.max_rows)
    return [Grid("csv", rows)]


def _xlsx_grids(content: bytes, limits: Limits) -> list[Grid]:
    grids = []
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            if sheet.height > limits.max_rows:
                raise FileRejected("too-many-rows", rows=sheet.height, limit=limits.max_rows)
            if sheet.width > limits.max_columns:
                raise FileRejected(
                    "too-many-columns", columns=sheet.width, limit=limits.max_columns
                )
            # skip_empty_area=False starts the rows at A1, where the merged
            # ranges' absolute positions start too.
            rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]
            grids.append(Grid(name, rows, list(sheet.merged_cell_ranges or [])))
    except FileRejected:
        raise
    except Exception as err:  # calamine raises its own types for every broken file
        raise FileRejected("corrupt", err.__class__.__name__) from None
    if not grids:
        raise FileRejected("corrupt", "no worksheet")
    return grids
