"""Data standards as files people download: the Table Schema as JSON (served
at /standar-data/<name>, the IRI dcat.py publishes as dct:conformsTo) and an
Excel template generated from it, so an OPD fills in exactly the columns the
validation expects."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ckanext.satudata.standards import registry

_NAME_RE = re.compile(r"^[a-z0-9_]+$")


def table_schema(name: str) -> dict[str, Any] | None:
    """The Table Schema of a data standard (from the registry), or None."""
    if not _NAME_RE.match(name):
        return None
    try:
        return registry.standard_descriptor(name)
    except registry.UnknownStandardError:
        return None


def excel_template(schema: dict[str, Any], labels: dict[str, str]) -> bytes:
    """An .xlsx with one data sheet whose header row is the standard's columns
    (drop-downs for enumerated values) and a sheet that explains each column.
    ``labels`` holds the translated headings of the explanation sheet."""
    workbook = Workbook()
    data = workbook.worksheets[0]
    data.title = "data"
    fields = schema.get("fields", [])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for column, field in enumerate(fields, start=1):
        cell = data.cell(row=1, column=column, value=field["name"])
        cell.font, cell.fill = bold, fill
        letter = get_column_letter(column)
        data.column_dimensions[letter].width = max(12, len(field["name"]) + 2)
        enum = (field.get("constraints") or {}).get("enum")
        if enum:
            choices = ",".join(str(value) for value in enum)
            if len(choices) < 250:  # Excel's limit for an inline list
                validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
                data.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}10000")
        if field.get("type") in ("string",):
            # Codes such as 64.01.04 or 16-digit numbers must stay text.
            for row in range(2, 202):
                data.cell(row=row, column=column).number_format = "@"
    data.freeze_panes = "A2"

    guide = workbook.create_sheet(labels["sheet"])
    headings = [
        labels["column"],
        labels["title"],
        labels["type"],
        labels["required"],
        labels["rules"],
        labels["description"],
    ]
    for column, heading in enumerate(headings, start=1):
        guide.cell(row=1, column=column, value=heading).font = bold
    for row, field in enumerate(fields, start=2):
        constraints = dict(field.get("constraints") or {})
        required = constraints.pop("required", False)
        rules = "; ".join(f"{key}: {value}" for key, value in constraints.items())
        values = [
            field["name"],
            field.get("title", ""),
            field.get("type", "string"),
            labels["yes"] if required else labels["no"],
            rules,
            field.get("description", ""),
        ]
        for column, value in enumerate(values, start=1):
            guide.cell(row=row, column=column, value=value)
    for letter, width in zip("ABCDEF", (22, 28, 10, 8, 40, 60), strict=True):
        guide.column_dimensions[letter].width = width

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
