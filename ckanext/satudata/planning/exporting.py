"""The Daftar Data Daerah and the Jadwal Rilis of a year as files for the
Forum Satu Data and the OPDs: XLSX (openpyxl) and CSV (UTF-8 with a BOM, so
Excel reads the accents).

The Daftar Data sheet has the inventory template's columns, in its order and
with its headers (a downloaded list can be edited and imported again), then
the computed stage and the linked datasets; its workbook adds a summary sheet
(per OPD and for the kabupaten). Every text cell goes through exports.py,
the one formula-injection neutraliser.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ckan.plugins import toolkit as tk
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ckanext.satudata import exports
from ckanext.satudata.harvesters.spreadsheet import inventory
from ckanext.satudata.planning import progress, service
from ckanext.satudata.planning.importing import FIELD_OF_COLUMN
from ckanext.satudata.reference import vocabularies

DAFTAR_DATA = "daftar-data"
JADWAL_RILIS = "jadwal-rilis"
LISTS = (DAFTAR_DATA, JADWAL_RILIS)
FORMATS = ("xlsx", "csv")

DAFTAR_DATA_SHEET = "Daftar Data"
SUMMARY_SHEET = "Ringkasan"
JADWAL_RILIS_SHEET = "Jadwal Rilis"

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# Spreadsheet programs take a UTF-8 CSV with this mark for UTF-8 (not the locale's code page).
BOM = "\ufeff"
# The Daftar Data Daerah is Indonesian: vocabulary labels are written in it,
# whatever the page's language (the reader takes either back).
FILE_LANG = "id"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


Table = tuple[list[str], list[list[Any]]]


def _vocabulary_label(column: inventory.Column, value: Any) -> Any:
    if column.vocabulary is None or value in (None, ""):
        return value
    if column.vocabulary == "subtopic":
        term = next((t for t in vocabularies.subtopics() if t.value == value), None)
        return term.label(FILE_LANG) if term else value
    return vocabularies.label(column.vocabulary, value, FILE_LANG)


def _cell_of(view: service.ItemView, column: inventory.Column) -> Any:
    item = view.item
    if column.key == "id_ddd":
        return item.id_ddd
    if column.key == "produsen_data":
        return view.organization.title
    if column.key not in FIELD_OF_COLUMN:
        return (item.attributes or {}).get(column.key, "")
    value = getattr(item, FIELD_OF_COLUMN[column.key])
    if column.key == "data_prioritas":
        return "Ya" if value else "Tidak"
    return _vocabulary_label(column, value)


def _dataset_urls(view: service.ItemView) -> str:
    site = tk.config.get("ckan.site_url").rstrip("/")
    return " ; ".join(f"{site}/dataset/{dataset.name}" for dataset in view.datasets)


def daftar_data_table(views: list[service.ItemView]) -> Table:
    labels = service.state_labels()
    header = [column.label for column in inventory.COLUMNS]
    header += [tk._("Stage"), tk._("Days late"), tk._("Datasets")]
    rows = []
    for view in views:
        row = [_cell_of(view, column) for column in inventory.COLUMNS]
        row += [labels[view.progress.state], view.progress.days_late, _dataset_urls(view)]
        rows.append(row)
    return header, rows


def jadwal_rilis_table(views: list[service.ItemView]) -> Table:
    labels = service.state_labels()
    header = [
        inventory.BY_KEY["jadwal_rilis"].label,
        inventory.BY_KEY["id_ddd"].label,
        inventory.BY_KEY["nama_data"].label,
        inventory.BY_KEY["produsen_data"].label,
        inventory.BY_KEY["data_prioritas"].label,
        inventory.BY_KEY["jadwal_pemutakhiran"].label,
        tk._("Stage"),
        tk._("Days late"),
    ]
    plan = service.schedule(views)
    ordered = [view for _, found in plan.months for view in found] + plan.unscheduled
    rows = [
        [
            view.item.jadwal_rilis,
            view.item.id_ddd,
            view.item.nama_data,
            view.organization.title,
            "Ya" if view.item.prioritas else "Tidak",
            vocabularies.label("frequency", view.item.jadwal_pemutakhiran, FILE_LANG)
            if view.item.jadwal_pemutakhiran
            else "",
            labels[view.progress.state],
            view.progress.days_late,
        ]
        for view in ordered
    ]
    return header, rows


def summary_table(views: list[service.ItemView]) -> Table:
    labels = service.state_labels()
    header = [
        inventory.BY_KEY["produsen_data"].label,
        tk._("Items"),
        *(labels[stage] for stage in progress.STAGES),
        labels[progress.OVERDUE],
        tk._("Published (%)"),
        tk._("Priority data"),
        tk._("Priority data published"),
    ]
    totals = service.summary(views)

    def line(title: str, tally: dict[str, Any]) -> list[Any]:
        return [
            title,
            tally["total"],
            *(tally["stages"][stage] for stage in progress.STAGES),
            tally[progress.OVERDUE],
            tally["percent"][progress.PUBLISHED],
            tally["priority"],
            tally["priority_published"],
        ]

    rows = [line(row["organization"]["title"], row) for row in totals["organizations"]]
    rows.append(line(tk._("Whole kabupaten"), totals["kabupaten"]))
    return header, rows


def _write_sheet(sheet: Worksheet, table: Table) -> None:
    header, rows = table
    sheet.append(exports.neutralise_row(header))
    for row in rows:
        sheet.append(exports.neutralise_row(row))
    fill = PatternFill("solid", fgColor="1F4E78")
    for index, label in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(48, len(label) + 6))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"


def _workbook(sheets: Sequence[tuple[str, Table]], title: str) -> bytes:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name, table in sheets:
        _write_sheet(workbook.create_sheet(name), table)
    workbook.properties.title = title
    workbook.properties.creator = "ckanext-satudata"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv(table: Table) -> bytes:
    header, rows = table
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(exports.neutralise_row(header))
    for row in rows:
        writer.writerow(
            exports.neutralise_row(
                [value.isoformat() if isinstance(value, datetime.date) else value for value in row]
            )
        )
    return out.getvalue().encode("utf-8")


def export(
    list_name: str, file_format: str, tahun: int, views: list[service.ItemView]
) -> ExportFile:
    """The file of ``list_name`` (LISTS) in ``file_format`` (FORMATS)."""
    filename = f"{list_name}-{tahun}.{file_format}"
    if list_name == DAFTAR_DATA:
        table = daftar_data_table(views)
        if file_format == "csv":
            return ExportFile(filename, CSV_TYPE, _csv(table))
        sheets = [(DAFTAR_DATA_SHEET, table), (SUMMARY_SHEET, summary_table(views))]
        return ExportFile(filename, XLSX_TYPE, _workbook(sheets, f"Daftar Data {tahun}"))
    table = jadwal_rilis_table(views)
    if file_format == "csv":
        return ExportFile(filename, CSV_TYPE, _csv(table))
    return ExportFile(
        filename, XLSX_TYPE, _workbook([(JADWAL_RILIS_SHEET, table)], f"Jadwal Rilis {tahun}")
    )
