"""DataStore downloads (/datastore/dump/<id>) safe to open in a spreadsheet
program, and the XLSX download.

CKAN's dump view writes CSV and TSV cells as PostgreSQL returns them, so a
text cell such as ``=HYPERLINK(…)`` runs as a formula in Excel or
LibreOffice (OWASP "CSV injection"); ``format=xlsx`` answered HTTP 500 (its
format check itself fails on a tuple). ``install`` wraps the view of the
``datastore.dump`` endpoint, so every link to it (the resource page, the data
table's filtered download) gets:

- CSV and TSV from CKAN's own view, every cell neutralised on the way out
  (exports.py; numbers are left alone);
- XLSX written here (XlsxWriter, streaming rows in constant memory) from the
  rows CKAN's ``dump_to`` pages through (same parameters: filters, q, sort,
  fields, offset, limit): a real workbook whose number columns hold numbers
  and whose text cells are always text cells, neutralised like the CSV ones;
  a selection over ``ckanext.satudata.exports.xlsx_max_cells`` cells (or
  Excel's own limits) is a 400 pointing to the CSV download, since a
  workbook is built whole within the request;
- JSON and XML from CKAN, unchanged (no spreadsheet program runs them);
- an unknown format or bad parameter: HTTP 400 naming it.

Neutralising follows ``ckanext.satudata.exports.neutralise_formulas``. The
stored data are never changed.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import flask
import xlsxwriter
from ckan.lib.navl import dictization_functions
from ckan.plugins import toolkit as tk
from ckanext.datastore.backend import DatastoreBackend
from ckanext.datastore.blueprint import dump_schema, dump_to

from ckanext.satudata import config, exports

DUMP_ENDPOINT = "datastore.dump"
# format -> delimiter of the formats CKAN writes as text.
TEXT_FORMATS = {"csv": ",", "tsv": "\t"}
XLSX = "xlsx"
FORMATS = ("csv", "tsv", XLSX, "json", "xml")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_ROWS = 1_048_576  # a worksheet's rows, the header row included
XLSX_MAX_COLUMNS = 16_384
INTEGER_TYPES = frozenset({"int", "int2", "int4", "int8", "integer", "smallint", "bigint"})
DECIMAL_TYPES = frozenset(
    {"numeric", "decimal", "float", "float4", "float8", "real", "double precision"}
)
SEARCH_PARAMS = ("filters", "q", "distinct", "plain", "language", "fields")
BOM = "\ufeff"
# Bytes of rewritten CSV gathered before they are sent on.
CHUNK_CHARS = 256 * 1024

View = Callable[..., Any]


def install(app: flask.Flask) -> None:
    """Wrap the DataStore dump view (when the datastore plugin is enabled)."""
    ckan_view = app.view_functions.get(DUMP_ENDPOINT)
    if ckan_view is None:
        return

    @functools.wraps(ckan_view)  # CKAN reads a view's name
    def view(resource_id: str) -> Any:
        return dump(ckan_view, resource_id)

    app.view_functions[DUMP_ENDPOINT] = view


def dump(ckan_view: View, resource_id: str) -> Any:
    """The view of /datastore/dump/<resource_id> (see the module docstring)."""
    args = flask.request.args.to_dict()
    fmt = args.pop("format", "csv")
    if fmt not in FORMATS:
        tk.abort(
            400,
            tk._("format: {format} is not a download format; use one of: {formats}").format(
                format=fmt, formats=", ".join(FORMATS)
            ),
        )
    schema = {key: rules for key, rules in dump_schema().items() if key != "format"}
    data, errors = dictization_functions.validate(args, schema)
    if errors:
        tk.abort(400, "\n".join(f"{key}: {' '.join(map(str, e))}" for key, e in errors.items()))
    if fmt == XLSX:
        return _xlsx(resource_id, data)
    response = ckan_view(resource_id)
    if fmt in TEXT_FORMATS and config.neutralise_formulas():
        response.response = neutralised_text(response.response, TEXT_FORMATS[fmt])
    return response


# --- CSV and TSV ----------------------------------------------------------------------


def neutralised_text(chunks: Iterable[bytes], delimiter: str) -> Iterator[bytes]:
    """The CSV (or TSV) of ``chunks`` (UTF-8, any chunking) with every cell
    passed through exports.neutralise; a leading byte-order mark is kept."""
    lines = _lines(chunks)
    first = next(lines, "")
    out = io.StringIO()
    if first.startswith(BOM):
        out.write(BOM)
        first = first.removeprefix(BOM)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in csv.reader(_chain(first, lines), delimiter=delimiter):
        writer.writerow(exports.neutralise_row(row))
        if out.tell() >= CHUNK_CHARS:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def _lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """Lines ending in "\\n" (a quoted cell's newlines included: the csv
    reader joins them again), decoded across chunk boundaries."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    pending = ""
    for chunk in chunks:
        pending += decoder.decode(chunk)
        *complete, pending = pending.split("\n")
        for line in complete:
            yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


# --- XLSX -----------------------------------------------------------------------------


def _xlsx(resource_id: str, data: dict[str, Any]) -> Any:
    resource_id = _real_id(resource_id)
    user = tk.g.user
    search = {key: data[key] for key in SEARCH_PARAMS if key in data}
    try:
        info = tk.get_action("datastore_search")(
            {"user": user},
            {"resource_id": resource_id, "limit": 0, "include_total": True, **search},
        )
    except (tk.ObjectNotFound, tk.NotAuthorized):
        tk.abort(404, tk._("DataStore resource not found"))
    rows = max(0, int(info.get("total") or 0) - data["offset"])
    if data.get("limit") is not None:
        rows = min(rows, data["limit"])
    columns = len(info["fields"])
    max_cells = config.xlsx_max_cells()
    if rows + 1 > XLSX_MAX_ROWS or columns > XLSX_MAX_COLUMNS or rows * columns > max_cells:
        tk.abort(
            400,
            tk._(
                "The selection has {rows} rows and {columns} columns: more than an XLSX "
                "download holds ({max_rows} rows, {max_columns} columns, {max_cells} cells in "
                "all). Download it as CSV, or filter it first."
            ).format(
                rows=rows,
                columns=columns,
                max_rows=XLSX_MAX_ROWS - 1,
                max_columns=XLSX_MAX_COLUMNS,
                max_cells=max_cells,
            ),
        )
    types = {field["id"]: field["type"] for field in info["fields"]}
    stream = dump_to(
        resource_id,
        fmt="csv",
        offset=data["offset"],
        limit=data.get("limit"),
        options={"bom": False},
        sort=data["sort"],
        search_params=search,
        user=user,
    )
    # Spooled: a small workbook never touches the disk; deleted once sent.
    file = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (send_file closes it)
    write_workbook(file, csv.reader(_lines(stream)), types, config.neutralise_formulas())
    file.seek(0)
    response = flask.send_file(file, mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{resource_id}.xlsx"'
    return response


def write_workbook(
    file: IO[bytes], records: Iterator[list[str]], types: dict[str, str], neutralise: bool
) -> None:
    """An XLSX workbook of CSV ``records`` (a header row first) into ``file``:
    cells of number columns (``types``: DataStore type by column) as numbers,
    every other cell as a text cell (written as text, so never a formula,
    neutralised too when ``neutralise``), an empty value as an empty cell."""
    workbook = xlsxwriter.Workbook(file, {"constant_memory": True, **_TEXT_AS_TEXT})
    sheet = workbook.add_worksheet("Data")
    header = next(records, [])
    kinds = [types.get(name, "text") for name in header]
    for column, name in enumerate(header):
        sheet.write_string(0, column, exports.neutralise(name) if neutralise else name)
    for row, record in enumerate(records, start=1):
        for column, (value, kind) in enumerate(zip(record, kinds, strict=False)):
            if value == "":
                continue  # NULL (CKAN's CSV does not tell it from "")
            number = _number(value, kind)
            if number is not None:
                sheet.write_number(row, column, number)
            else:
                sheet.write_string(row, column, exports.neutralise(value) if neutralise else value)
    workbook.close()


# Cells are written by their type only, never guessed from the text.
_TEXT_AS_TEXT = {
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


def _real_id(resource_id: str) -> str:
    """The resource id of an alias, as CKAN's dump resolves it."""
    if resource_id in tk.config.get("ckan.datastore.public_table_search"):
        return resource_id
    exists, real_id = DatastoreBackend.get_active_backend().resource_id_from_alias(resource_id)
    if not exists:
        tk.abort(404, tk._("DataStore resource not found"))
    return real_id or resource_id


def _number(value: str, kind: str) -> int | float | None:
    """The number a CSV value of a number column holds, else None (text,
    NaN and infinities stay text)."""
    try:
        if kind in INTEGER_TYPES:
            return int(value)
        if kind in DECIMAL_TYPES:
            number = Decimal(value)
            return float(number) if number.is_finite() else None
    except (ValueError, InvalidOperation):
        pass
    return None
