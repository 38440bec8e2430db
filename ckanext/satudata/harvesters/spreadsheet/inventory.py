"""The OPD data inventory ("Daftar Data Daerah"): one row per dataset.

Columns are the 19 attributes of the regional inventory format (domain.md
§2), plus a few optional ones our template adds because the SDI schema needs
them (topic, coverage years, region level and codes, data standard,
keywords). Headers are matched tolerantly: case, spacing, punctuation,
numbering ("1. ID DDD", "(6) Nama Data") and English names. Vocabulary cells
are matched to a vocabulary term by value or label (Indonesian or English);
an unknown value is an error of that row, never a guess.

Pure Python: no CKAN import.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ckanext.satudata.harvesters.spreadsheet import sheet as sheets
from ckanext.satudata.reference import regions, vocabularies, years


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template's header (Indonesian, as in the Sekda circular)
    aliases: tuple[str, ...] = ()
    vocabulary: str | None = None
    help: str = ""


# The 19 attributes, in order, then our additions.
COLUMNS: tuple[Column, ...] = (
    Column("id_ddd", "ID DDD", ("id daftar data daerah", "kode ddd", "id dds", "inventory id")),
    Column("id_ddp", "ID DDP", ("id daftar data prioritas", "priority list id")),
    Column("sumber_referensi", "Sumber Referensi", ("reference source", "referensi")),
    Column("kode_indikator", "Kode Indikator", ("indicator code",)),
    Column("nama_indikator", "Nama Indikator", ("indicator name", "indikator")),
    Column("nama_data", "Nama Data", ("judul data", "judul", "data name", "dataset name", "title")),
    Column("jenis_data", "Jenis Data", ("data type", "type of data"), "data_type"),
    Column(
        "indikator_variabel", "Indikator/Variabel", ("indikator variabel", "variabel", "variable")
    ),
    Column(
        "kode_standar_data",
        "Kode Standar Data",
        ("kode sds", "data standard code", "standard code"),
    ),
    Column("produsen_data", "Produsen Data", ("data producer", "producer", "opd")),
    Column(
        "klasifikasi_data",
        "Klasifikasi Data",
        ("data classification", "classification", "access rights", "pengaturan akses"),
        "classification",
    ),
    Column("definisi", "Definisi", ("definition", "deskripsi", "description")),
    Column("satuan", "Satuan", ("unit",), "unit"),
    Column(
        "klasifikasi_penyajian",
        "Klasifikasi Penyajian",
        ("disaggregation", "presentation classification", "tingkat penyajian"),
    ),
    Column(
        "jadwal_pemutakhiran",
        "Jadwal Pemutakhiran",
        ("update schedule", "frequency", "periodisitas", "frekuensi"),
        "frequency",
    ),
    Column("kategori_rad", "Kategori RAD", ("rad category", "kategori rad spbe")),
    Column("kode_metadata", "Kode Metadata", ("metadata code", "kode ms")),
    Column(
        "link_portal_daerah",
        "Link Portal Daerah",
        (
            "tautan portal daerah",
            "url portal daerah",
            "regional portal link",
            "data url",
            "url data",
            "link data",
            "file data",
        ),
    ),
    Column("link_portal_sdi", "Link Portal SDI", ("tautan portal sdi", "sdi portal link")),
    # Additions for the SDI schema's required fields (optional in the inventory:
    # the source config's defaults and the data file fill what is missing).
    Column("topik", "Topik", ("topic", "tema", "theme"), "topic"),
    Column("subtopik", "Subtopik", ("sub topik", "subtopic", "sub topic"), "subtopic"),
    Column("tahun_mulai", "Tahun Mulai", ("tahun awal", "first year", "start year")),
    Column("tahun_akhir", "Tahun Akhir", ("last year", "end year")),
    Column("tingkat_wilayah", "Tingkat Wilayah", ("region level", "level wilayah"), "region_level"),
    Column("kode_wilayah", "Kode Wilayah", ("region code", "region codes")),
    Column("standar_data", "Standar Data", ("data standard", "table schema")),
    Column("kata_kunci", "Kata Kunci", ("keywords", "tags")),
)
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_COLUMNS = ("nama_data", "link_portal_daerah")


def _norm(text: str) -> str:
    """Header or value in a comparable form: no accents, case, punctuation or numbering."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = text.lower().strip()
    text = re.sub(r"^\(?\d+[.)]?\s*[.)-]?\s*", "", text)  # "1.", "(6)", "12)"
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


_HEADER_INDEX: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.label, *_column.aliases):
        _HEADER_INDEX[_norm(_name)] = _column.key


def match_header(text: str, mapping: Mapping[str, str] | None = None) -> str | None:
    """The column key a header cell means, or None. ``mapping`` (header text ->
    key) from the source config wins."""
    normalised = _norm(text)
    if not normalised:
        return None
    if mapping:
        for header, key in mapping.items():
            if _norm(header) == normalised:
                return key
    return _HEADER_INDEX.get(normalised)


def match_term(vocabulary: str, text: str) -> str | None:
    """The vocabulary value a cell means (by value or any label), or None."""
    wanted = _norm(text)
    if not wanted:
        return None
    terms = vocabularies.subtopics() if vocabulary == "subtopic" else vocabularies.terms(vocabulary)
    for term in terms:
        candidates = (term.value, *term.labels.values())
        if any(_norm(candidate) == wanted for candidate in candidates):
            return term.value
    return None


class InventoryError(ValueError):
    """The inventory as a whole cannot be read (a gather error)."""


@dataclass
class InventoryRow:
    number: int  # row number in the spreadsheet, 1-based, as the steward sees it
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def identity(self) -> str | None:
        """Stable identity of the row: its ID DDD, else its normalised Nama Data."""
        if self.cells.get("id_ddd"):
            return "ddd:" + _norm(self.cells["id_ddd"]).replace(" ", "-")
        if self.cells.get("nama_data"):
            return "nama:" + _norm(self.cells["nama_data"]).replace(" ", "-")
        return None


@dataclass
class Inventory:
    sheet: str
    header_row: int
    columns: dict[str, int]  # key -> column index
    rows: list[InventoryRow]
    ignored_headers: list[str]


def read_inventory(content: bytes, mapping: Mapping[str, str] | None = None) -> Inventory:
    """Parse the inventory file; raises InventoryError for the whole file."""
    try:
        all_sheets = sheets.read_sheets(content)
    except sheets.SheetError as err:
        raise InventoryError(str(err)) from None
    found = []
    for candidate in all_sheets:
        located = _locate_header(candidate, mapping)
        if located is not None:
            found.append((candidate, *located))
    if not found:
        raise InventoryError(
            "no inventory header found: a header row needs at least the columns "
            f"{' and '.join(BY_KEY[k].label for k in REQUIRED_COLUMNS)}"
        )
    if len(found) > 1:
        raise InventoryError(
            f"several sheets look like an inventory ({', '.join(repr(f[0].name) for f in found)}); "
            "keep one"
        )
    chosen, header_index, columns, ignored = found[0]
    rows_out: list[InventoryRow] = []
    for index in range(header_index + 1, len(chosen.rows)):
        raw = chosen.rows[index]
        if sheets.is_blank(raw) or sheets._is_column_number_row(raw):
            continue
        cells = {
            key: sheets.cell_text(raw[col]) if col < len(raw) else ""
            for key, col in columns.items()
        }
        if not any(cells.values()):
            continue
        row = InventoryRow(index + 1, cells)
        interpret(row)
        rows_out.append(row)
    return Inventory(chosen.name, header_index + 1, columns, rows_out, ignored)


def _locate_header(
    candidate: sheets.Sheet, mapping: Mapping[str, str] | None
) -> tuple[int, dict[str, int], list[str]] | None:
    for index, raw in enumerate(candidate.rows[: sheets.HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        ignored: list[str] = []
        for col, cell in enumerate(raw):
            text = sheets.cell_text(cell)
            key = match_header(text, mapping)
            if key is None:
                if text:
                    ignored.append(text)
                continue
            if key in columns:
                raise InventoryError(
                    f"sheet {candidate.name!r}, row {index + 1}: two columns mean "
                    f"{BY_KEY[key].label!r} (columns {columns[key] + 1} and {col + 1})"
                )
            columns[key] = col
        if all(k in columns for k in REQUIRED_COLUMNS):
            return index, columns, ignored
    return None


def _year(text: str) -> int | None:
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(text)
    year = int(text)
    if not years.is_data_year(year):
        raise ValueError(text)
    return year


def interpret(row: InventoryRow) -> None:
    """Fill ``row.values`` (SDI field values) and ``row.errors`` from its cells."""
    cells = row.cells
    values = row.values
    if not cells.get("nama_data"):
        row.errors.append("Nama Data is empty")
    if not cells.get("link_portal_daerah"):
        row.errors.append("Link Portal Daerah (the data file URL) is empty")
    for column in COLUMNS:
        text = cells.get(column.key, "")
        if not text or column.vocabulary is None:
            continue
        value = match_term(column.vocabulary, text)
        if value is None:
            known = (
                vocabularies.subtopics()
                if column.vocabulary == "subtopic"
                else vocabularies.terms(column.vocabulary)
            )
            row.errors.append(
                f"{column.label} {text!r} is not in the vocabulary "
                f"({', '.join(t.label() for t in known)})"
            )
            continue
        values[column.key] = value
    for key in ("tahun_mulai", "tahun_akhir"):
        if cells.get(key):
            try:
                values[key] = _year(cells[key])
            except ValueError:
                row.errors.append(f"{BY_KEY[key].label} {cells[key]!r} is not a year")
    if cells.get("kode_wilayah"):
        codes = []
        for part in re.split(r"[;,\s]+", cells["kode_wilayah"]):
            if not part:
                continue
            try:
                codes.append(regions.normalize_code(part))
            except regions.RegionCodeError as err:
                row.errors.append(f"Kode Wilayah: {err}")
        values["kode_wilayah"] = codes
    if values.get("subtopik") and values.get("topik"):
        if vocabularies.topic_of_subtopic(values["subtopik"]) != values["topik"]:
            row.errors.append(
                f"Subtopik {cells['subtopik']!r} does not belong to Topik {cells['topik']!r}"
            )
    elif values.get("subtopik"):
        values["topik"] = vocabularies.topic_of_subtopic(values["subtopik"])
    if cells.get("standar_data"):
        # Checked against the standards registry by the harvester (it needs CKAN-free access).
        values["standar_data"] = cells["standar_data"].strip()
    if cells.get("kode_standar_data"):
        values["id_sds"] = cells["kode_standar_data"]
