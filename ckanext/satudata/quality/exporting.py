"""The evidence table an EPSS assessor attaches: every visible dataset's
score, grade and dimensions, and each deduction with its cause and fix, as
XLSX (sheets Kualitas, Rincian, OPD) or CSV (the datasets' table). Every
cell goes through exports.py, the one formula-injection neutraliser."""

from __future__ import annotations

import csv
import io
from typing import Any

from ckan.plugins import toolkit as tk
from openpyxl import Workbook
from openpyxl.styles import Font

from ckanext.satudata import config, exports
from ckanext.satudata.model import quality_score
from ckanext.satudata.quality import display, messages, rules

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"  # spreadsheet programs read a UTF-8 CSV with it as UTF-8
FORMATS = ("xlsx", "csv")

Table = tuple[list[str], list[list[Any]]]


def _cells(row: list[Any]) -> list[Any]:
    return exports.neutralise_row(row) if config.neutralise_formulas() else list(row)


def _absolute(link: str) -> str:
    site = str(tk.config.get("ckan.site_url") or "").rstrip("/")
    return site + link if link.startswith("/") else link


def tables(include_private: bool, organization_id: str | None) -> dict[str, Table]:
    """The export's tables, headers in the request's language."""
    labels = [tk._(messages.DIMENSION_LABELS[d]) for d in rules.DIMENSIONS]
    datasets: list[list[Any]] = []
    details: list[list[Any]] = []
    for row, pkg in quality_score.rows(include_private, organization_id):
        organization = pkg.get_groups("organization")
        opd = organization[0].display_name if organization else ""
        url = tk.h.url_for("dataset.read", id=pkg.name, qualified=True)
        described = display.deductions(pkg.name, row.deductions or [])
        dims = row.dimensions or {}
        datasets.append(
            [opd, pkg.name, pkg.title, url, round(row.score, 1), row.grade,
             *(dims.get(d) for d in rules.DIMENSIONS), len(described),
             "; ".join(f"{d['cause']} ({d['fix']})" for d in described),
             row.computed.isoformat(timespec="seconds") if row.computed else ""]
        )  # fmt: skip
        for d in described:
            details.append(
                [opd, pkg.name, d["dimension_label"], d["points"], d["cause"], d["fix"],
                 _absolute(d["link"]) if d["link"] else url]
            )  # fmt: skip
    summary = display.summary(include_private, organization_id)
    ranking = [
        [o["rank"], o["title"] or "", o["datasets"], o["score"], o["grade"],
         *(o["dimensions"].get(d) for d in rules.DIMENSIONS)]
        for o in summary["organizations"]
    ]  # fmt: skip
    return {
        tk._("Quality"): (
            [tk._("Agency (OPD)"), tk._("Dataset"), tk._("Title"), "URL", tk._("Score"),
             tk._("Grade"), *labels, tk._("Deductions"), tk._("What to fix"), tk._("Computed")],
            datasets,
        ),
        tk._("Details"): (
            [tk._("Agency (OPD)"), tk._("Dataset"), tk._("Dimension"), tk._("Points lost"),
             tk._("Cause"), tk._("Fix"), tk._("Link")],
            details,
        ),
        "OPD": (
            [tk._("Rank"), tk._("Agency (OPD)"), tk._("Datasets"), tk._("Score"), tk._("Grade"),
             *labels],
            ranking,
        ),
    }  # fmt: skip


def xlsx(named: dict[str, Table]) -> bytes:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name, (header, rows) in named.items():
        sheet = workbook.create_sheet(name[:31])
        sheet.append(_cells(header))
        for row in rows:
            sheet.append(_cells(row))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    workbook.properties.creator = "ckanext-satudata"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(table: Table) -> bytes:
    header, rows = table
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_cells(header))
    for row in rows:
        writer.writerow(_cells(row))
    return out.getvalue().encode("utf-8")


def export(
    file_format: str, include_private: bool, organization_id: str | None
) -> tuple[str, bytes]:
    """(content type, bytes) of the evidence export in ``file_format``."""
    named = tables(include_private, organization_id)
    if file_format == "csv":
        return CSV_TYPE, csv_bytes(next(iter(named.values())))
    return XLSX_TYPE, xlsx(named)
