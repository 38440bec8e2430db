"""What a file is, told by its bytes (never by its name or declared format),
and the text inside the kinds that are not tables.

Kinds:

- tables: ``csv`` (text whose lines split into the same columns),
  ``xlsx``, ``xls``, ``ods`` (read by calamine, every sheet);
- text, read as a whole: ``text``, ``html``, ``xml``, ``json``;
- documents whose text is extracted: ``pdf`` (pypdf), ``docx``, ``pptx``,
  ``odt``, ``odp`` (their XML parts, through defusedxml's checks);
- ``zip``: an archive whose members are inspected one by one (one level);
- kinds nothing here can read: images (``png``, ``jpeg``, ``gif``, ``webp``,
  ``tiff``, ``bmp``), other archives (``gzip``, ``7z``, ``rar``), other OLE
  files (``ole``: .doc, .ppt) and ``binary``; a configured allow-list says
  which of them may be stored unchecked.

Every container goes through reader.check_xlsx_container's zip-bomb and
XML-entity checks before anything inflates. Pure Python: no CKAN import.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ckanext.satudata.validation.reader import (
    FileRejected,
    Limits,
    check_archive,
    decode_text,
    detect_delimiter,
    sniff_kind,
)

TABLE_KINDS = frozenset({"csv", "xlsx", "xls", "ods"})
TEXT_KINDS = frozenset({"text", "html", "xml", "json"})
DOCUMENT_KINDS = frozenset({"pdf", "docx", "pptx", "odt", "odp"})
ARCHIVE_KINDS = frozenset({"zip"})
UNREADABLE_KINDS = frozenset(
    {"png", "jpeg", "gif", "webp", "tiff", "bmp", "gzip", "7z", "rar", "ole", "binary"}
)
# Declared formats (file extension or the resource's format) that promise a table.
TABLE_FORMATS = frozenset({"csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"})
HEAD_BYTES = 8192
# A text is a table when this share of its first lines splits into the same
# number (two or more) of fields.
TABLE_LINE_SHARE = 0.8
PDF_MAX_PAGES = 2000

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
)
_OPEN_DOCUMENT = {
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_XML_START = re.compile(rb"^\s*<\?xml\b|^\s*<[A-Za-z_][\w:.-]*[\s>/]", re.S)
# Where an XML document's text breaks (a paragraph, a table cell, a slide's
# text body): joined without a break, the text of two cells would run together.
_XML_BREAKS = re.compile(r"</(w:p|w:tc|a:p|text:p|text:h|table:table-cell)>")
_XML_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class TextPart:
    """Some text of a file and where it is (a page, an archive member)."""

    where: str | None
    text: str


def _zip_kind(source: str | bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError) as err:
        # A zip's signature but no readable archive (a truncated upload).
        raise FileRejected("corrupt", str(err)) from None
    with archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        if "ppt/presentation.xml" in names:
            return "pptx"
        if "mimetype" in names:
            try:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
            except (zipfile.BadZipFile, OSError, RuntimeError):
                return "zip"
            return _OPEN_DOCUMENT.get(mimetype, "zip")
    return "zip"


def _ole_kind(source: str | bytes) -> str:
    """Legacy Office (OLE2): a workbook holds a "Workbook" (or "Book") stream."""
    head = source[: 512 * 64] if isinstance(source, bytes) else _read_head(source, 512 * 64)
    # Directory entries name their streams in UTF-16; enough for the workbook test.
    if "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head:
        return "xls"
    return "ole"


def _read_head(path: str, size: int) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def _text_kind(head: bytes) -> str:
    stripped = head.lstrip(codecs.BOM_UTF8)
    if _HTML_START.match(stripped):
        return "html"
    if _XML_START.match(stripped) and not stripped.lstrip().startswith(b"<>"):
        return "xml"
    first = stripped.lstrip()[:1]
    if first in (b"{", b"["):
        return "json"  # confirmed (or not) when the whole text is decoded
    return "text"


def sniff(source: str | bytes) -> str:
    """The kind of a file (a path) or of content (bytes); see the module docstring."""
    head = source[:HEAD_BYTES] if isinstance(source, bytes) else _read_head(source, HEAD_BYTES)
    first = sniff_kind(head)
    if first == "zip":
        return _zip_kind(source)
    if first == "ole":
        return _ole_kind(source)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if first == "binary":
        return "binary"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _text_kind(head.decode("utf-16", errors="ignore").encode("utf-8"))
    return _text_kind(head)


def refine_text_kind(kind: str, text: str) -> str:
    """A decoded text's kind: "json" only if it parses; "csv" when its lines
    form a table (the same two or more fields on most lines)."""
    if kind == "json":
        try:
            json.loads(text)
        except ValueError:
            kind = "text"
        else:
            return "json"
    if kind == "text" and looks_tabular(text):
        return "csv"
    return kind


def looks_tabular(text: str) -> bool:
    lines = [line for line in text.splitlines()[:50] if line.strip()][:20]
    if not lines:
        return False
    delimiter = detect_delimiter("\n".join(lines))
    widths = [len(line.split(delimiter)) for line in lines]
    most = max(set(widths), key=widths.count)
    return most >= 2 and widths.count(most) >= TABLE_LINE_SHARE * len(widths)


# Text ----------------------------------------------------------------------------


def _xml_text(data: bytes, name: str) -> str:
    """The text of an XML part: parsed first (defusedxml refuses entities), the
    text taken from the markup with breaks where paragraphs and cells end."""
    try:
        SafeET.fromstring(data)
    except DefusedXmlException as err:
        raise FileRejected("xml-entities", f"{name}: {err}") from None
    except SafeET.ParseError as err:
        raise FileRejected("corrupt", f"{name}: {err}") from None
    text = data.decode("utf-8", errors="replace")
    return _XML_TAG.sub("", _XML_BREAKS.sub("\n", text))


def _office_text(content: bytes, kind: str, limits: Limits) -> Iterator[TextPart]:
    check_archive(content, limits)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            name = info.filename
            if not name.endswith(".xml") or name.startswith(("customXml/", "docProps/")):
                continue
            if kind in ("odt", "odp") and name not in ("content.xml", "styles.xml"):
                continue
            yield TextPart(name, _xml_text(archive.read(info), name))


def _pdf_text(content: bytes) -> Iterator[TextPart]:
    try:
        document = PdfReader(io.BytesIO(content))
        if document.is_encrypted:
            # An encrypted PDF that opens without a password is still read.
            document.decrypt("")
        pages = document.pages
        for number, page in enumerate(pages, start=1):
            if number > PDF_MAX_PAGES:
                raise FileRejected("too-many-pages", pages=len(pages), limit=PDF_MAX_PAGES)
            yield TextPart(f"halaman {number}", page.extract_text() or "")
    except FileRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, NotImplementedError) as err:
        raise FileRejected("unreadable-pdf", err.__class__.__name__) from None


def text_parts(content: bytes, kind: str, limits: Limits) -> Iterator[TextPart]:
    """The text of a text or document kind, part by part."""
    if kind in TEXT_KINDS or kind == "csv":
        yield TextPart(None, decode_text(content))
    elif kind == "pdf":
        yield from _pdf_text(content)
    elif kind in ("docx", "pptx", "odt", "odp"):
        yield from _office_text(content, kind, limits)
    else:
        raise ValueError(f"{kind} has no text to read")


def archive_members(content: bytes, limits: Limits) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each file of a zip archive, after the archive checks."""
    check_archive(content, limits)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            yield info.filename, archive.read(info)
