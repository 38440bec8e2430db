"""Import a year's Daftar Data from the inventory template the portal serves
(/satudata/template/daftar-data.xlsx, or a CSV of the same columns), read by
the one inventory reader (harvesters/spreadsheet/inventory.py, use PLAN).

All or nothing: any problem in any row refuses the whole file, each problem
named by row and column in the user's language, and nothing is written. A
good file replaces the year's list: items are matched by ID DDD (kept with
their links), new ones created, those no longer listed removed. Datasets of
an item's OPD that already carry its ID DDD (harvested before the plan was
imported) are linked at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from openpyxl.utils import get_column_letter

from ckanext.satudata.harvesters.spreadsheet import inventory
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.model import daftar_data, daftar_data_link
from ckanext.satudata.model.daftar_data import PlanItem
from ckanext.satudata.reference import years
from ckanext.satudata.standards import registry
from ckanext.satudata.validation import messages
from ckanext.satudata.validation.reader import FileRejected

# Inventory column -> item field, for the columns an item keeps typed; the
# other cells of a row are kept as they are in the item's ``attributes``.
FIELD_OF_COLUMN: Mapping[str, str] = {
    "nama_data": "nama_data",
    "jenis_data": "jenis",
    "klasifikasi_data": "klasifikasi",
    "definisi": "definisi",
    "satuan": "satuan",
    "klasifikasi_penyajian": "klasifikasi_penyajian",
    "jadwal_pemutakhiran": "jadwal_pemutakhiran",
    "topik": "topik",
    "subtopik": "subtopik",
    "standar_data": "standar_data",
    "data_prioritas": "prioritas",
    "kriteria_prioritas": "kriteria_prioritas",
    "jadwal_rilis": "jadwal_rilis",
}
# Columns that are the item's identity and owner rather than attributes.
IDENTITY_COLUMNS = frozenset({"id_ddd", "produsen_data"})
# Vocabulary columns keep their vocabulary value (the cell may be a label).
_VALUE_COLUMNS = frozenset(c.key for c in inventory.COLUMNS if c.vocabulary is not None) | {
    "data_prioritas",
    "jadwal_rilis",
    "standar_data",
}
# How many problems a refusal lists (a wholly wrong file would list thousands).
MAX_PROBLEMS = 100


class ImportRefused(Exception):
    """The file was refused whole; ``problems`` say why, in the user's language."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    tahun: int
    items: int
    created: int
    updated: int
    removed: int
    linked: int

    def as_dict(self) -> dict[str, int]:
        return {
            "tahun": self.tahun,
            "items": self.items,
            "created": self.created,
            "updated": self.updated,
            "removed": self.removed,
            "linked": self.linked,
        }


@dataclass
class _Row:
    number: int
    organization_id: str
    values: dict[str, Any]


def import_year(content: bytes, tahun: int) -> ImportResult:
    """Replace the Daftar Data of ``tahun`` with the file's; raises ImportRefused."""
    if not years.is_data_year(tahun):
        raise ImportRefused([tk._("{year} is not a plan year").format(year=tahun)])
    parsed = _read(content, inventory.PLAN)
    rows, problems = _check(parsed, tahun)
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(
                tk._("… and {count} more problems").format(count=len(problems) - MAX_PROBLEMS)
            )
        raise ImportRefused(shown)
    try:
        result = _store(rows, tahun)
    except Exception:
        model.Session.rollback()
        raise
    return result


def _read(content: bytes, use: inventory.Use) -> inventory.Inventory:
    """The file read by the one inventory reader; raises ImportRefused for a
    file it cannot read or one without a row."""
    try:
        parsed = inventory.read_inventory(content, use=use)
    except inventory.InventoryError as err:
        raise ImportRefused([_file_problem(err)]) from None
    if not parsed.rows:
        raise ImportRefused([tk._("The file lists no items under its header row")])
    return parsed


def _file_problem(err: inventory.InventoryError) -> str:
    rejection = _rejection_of(err)
    if rejection is not None:
        indonesian, english = messages.rejection_message(rejection.code, rejection.params)
        reason = english if current_lang() == "en" else indonesian
        return tk._("the file cannot be read: {reason}").format(reason=reason)
    return err.text(tk._)


def _rejection_of(err: BaseException) -> FileRejected | None:
    cause = err.__cause__
    while cause is not None:
        if isinstance(cause, FileRejected):
            return cause
        cause = cause.__cause__
    return None


def _where(parsed: inventory.Inventory, row: int, column: str | None) -> str:
    if column is None or column not in parsed.columns:
        return tk._("Row {row}").format(row=row)
    letter = get_column_letter(parsed.columns[column] + 1)
    return tk._("Row {row}, column {column}").format(row=row, column=letter)


def _check(parsed: inventory.Inventory, tahun: int) -> tuple[list[_Row], list[str]]:
    """The rows as item values, and every problem (row and column named)."""
    organizations = _organization_index()
    standards = registry.names()
    first_row_of: dict[str, int] = {}
    rows: list[_Row] = []
    problems: list[str] = []
    for row in parsed.rows:
        found = [(p.column, p.text(tk._)) for p in row.problems]
        cells = row.cells
        organization_id, opd_problem = _organization_of(row, organizations)
        if opd_problem:
            found.append(("produsen_data", opd_problem))
        id_ddd = cells.get("id_ddd", "").strip()
        if id_ddd:
            key = id_ddd.lower()
            if key in first_row_of:
                found.append((
                    "id_ddd",
                    tk._("{column} {value} is also on row {other}: an ID DDD names one item").format(
                        column=_label("id_ddd"), value=repr(id_ddd), other=first_row_of[key]
                    ),
                ))  # fmt: skip
            else:
                first_row_of[key] = row.number
        release = row.values.get("jadwal_rilis")
        if release and datetime.date.fromisoformat(release).year not in (tahun, tahun + 1):
            found.append((
                "jadwal_rilis",
                tk._("{column} {value} is not in the plan year {year} or the next").format(
                    column=_label("jadwal_rilis"), value=repr(cells["jadwal_rilis"]), year=tahun
                ),
            ))  # fmt: skip
        standard = row.values.get("standar_data")
        if standard and standard not in standards:
            found.append((
                "standar_data",
                tk._("{column} {value} is not a data standard of this portal ({known})").format(
                    column=_label("standar_data"), value=repr(standard), known=", ".join(standards)
                ),
            ))  # fmt: skip
        for column, text in found:
            problems.append(f"{_where(parsed, row.number, column)}: {text}")
        if not found and organization_id is not None:
            rows.append(_Row(row.number, organization_id, item_values(row)))
    return rows, problems


def _organization_of(
    row: inventory.InventoryRow, organizations: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """The id of the OPD the row's Produsen Data names (None if it names
    none), or the problem of a name that is no OPD of this portal."""
    text = row.cells.get("produsen_data")
    if not text:
        return None, None
    organization_id = organizations.get(inventory.comparable(text))
    if organization_id is not None:
        return organization_id, None
    return None, tk._(
        "{column} {value} is not an OPD of this portal (write the title, "
        "short name or name of its organization)"
    ).format(column=_label("produsen_data"), value=repr(text))


def _label(column: str) -> str:
    return inventory.BY_KEY[column].label


def _organization_index() -> dict[str, str]:
    """Comparable title, short name (nama_singkat) and name of every active
    organization -> its id; a text two organizations share names neither."""
    index: dict[str, str] = {}
    shared: set[str] = set()
    groups = model.group_table.c
    query = (
        model.Session.query(groups.id, groups.name, groups.title, groups.extras)
        .filter(groups.is_organization.is_(True))
        .filter(groups.state == "active")
    )
    for group_id, name, title, extras in query:
        for text in (title, (extras or {}).get("nama_singkat"), name):
            key = inventory.comparable(text or "")
            if not key:
                continue
            if index.get(key, group_id) != group_id:
                shared.add(key)
            index[key] = group_id
    return {key: value for key, value in index.items() if key not in shared}


def item_values(row: inventory.InventoryRow) -> dict[str, Any]:
    """The Daftar Data item values of an inventory row (what PlanItem keeps,
    and what starting.dataset_fields reads)."""
    values: dict[str, Any] = {field: None for field in FIELD_OF_COLUMN.values()}
    values["prioritas"] = False
    attributes: dict[str, str] = {}
    for key, text in row.cells.items():
        if not text or key in IDENTITY_COLUMNS:
            continue
        if key not in FIELD_OF_COLUMN:
            attributes[key] = text
            continue
        value: Any = row.values.get(key) if key in _VALUE_COLUMNS else text
        if key == "jadwal_rilis" and value:
            value = datetime.date.fromisoformat(value)
        values[FIELD_OF_COLUMN[key]] = value
    if not values["topik"] and row.values.get("topik"):  # from the subtopik
        values["topik"] = row.values["topik"]
    values["id_ddd"] = row.cells.get("id_ddd", "").strip()  # START reads files without one
    values["attributes"] = attributes
    return values


@dataclass(frozen=True)
class StartRow:
    """A row of a steward's inventory, to start a dataset from: its item
    values with the OPD it names (``organization_id``, None if none), and
    its problems (row and column named, in the user's language)."""

    number: int
    item: dict[str, Any]
    problems: list[str]


def start_rows(content: bytes) -> tuple[str, list[StartRow]]:
    """The sheet read and the rows of an inventory file (XLSX or CSV, read by
    the one inventory reader, use START) as items a dataset can start from;
    nothing is stored. Raises ImportRefused when the file cannot be read."""
    parsed = _read(content, inventory.START)
    organizations = _organization_index()
    found: list[StartRow] = []
    for row in parsed.rows:
        problems = [(p.column, p.text(tk._)) for p in row.problems]
        organization_id, opd_problem = _organization_of(row, organizations)
        if opd_problem:
            problems.append(("produsen_data", opd_problem))
        item = {**item_values(row), "organization_id": organization_id}
        found.append(
            StartRow(
                row.number,
                item,
                [f"{_where(parsed, row.number, column)}: {text}" for column, text in problems],
            )
        )
    return parsed.sheet, found


def _store(rows: Iterable[_Row], tahun: int) -> ImportResult:
    current = {item.id_ddd.lower(): item for item in daftar_data.of_year(tahun)}
    now = datetime.datetime.utcnow()
    created = updated = 0
    kept: list[PlanItem] = []
    for row in rows:
        item = current.pop(row.values["id_ddd"].lower(), None)
        if item is None:
            item = PlanItem(tahun=tahun, created=now)
            model.Session.add(item)
            created += 1
        else:
            updated += 1
        for field, value in row.values.items():
            setattr(item, field, value)
        item.organization_id = row.organization_id
        item.row_number = row.number
        item.modified = now
        kept.append(item)
    for item in current.values():  # no longer listed (their links go with them)
        model.Session.delete(item)
    model.Session.flush()
    linked = daftar_data_link.link_datasets_carrying_id_ddd(kept)
    model.Session.commit()
    return ImportResult(tahun, len(kept), created, updated, len(current), linked)
