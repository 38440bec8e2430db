"""The OPD data inventory ("Daftar Data Daerah"): one row per dataset.

Columns are the 19 attributes of the regional inventory format (domain.md
§2), plus a few optional ones our template adds because the SDI schema needs
them (topic, coverage years, region level and codes, data standard,
keywords) and the planning ones of the year's Daftar Data (Data Prioritas,
Kriteria Prioritas, Jadwal Rilis). Headers are matched tolerantly: case,
spacing, punctuation, numbering ("1. ID DDD", "(6) Nama Data") and English
names. Vocabulary cells are matched to a vocabulary term by value or label
(Indonesian or English); an unknown value is an error of that row, never a
guess.

The one reader of the format, for three uses (``Use``): the spreadsheet
harvester (HARVEST: every row names its data file), the import of a year's
Daftar Data (PLAN, planning/importing.py: every row has an ID DDD and a
Produsen Data) and a steward picking a row to start a dataset from (START,
same module). Problems are English message templates marked with ``N_``
(extracted into the catalog by `make i18n`) and their fields, so the harvest
report says them in English and the planning import in the user's language.

Pure Python: no CKAN import.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from collections.abc import Callable, Mapping
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
    # The year's Daftar Data (planning/): Data Prioritas and its release schedule.
    Column(
        "data_prioritas",
        "Data Prioritas",
        ("prioritas", "priority data", "priority", "data prioritas daerah"),
        help="Ya / Tidak",
    ),
    Column("kriteria_prioritas", "Kriteria Prioritas", ("priority criteria",)),
    Column(
        "jadwal_rilis",
        "Jadwal Rilis",
        ("tanggal rilis", "rencana rilis", "release date", "release schedule"),
        help="31/03/2025, 2025-03-31 or Maret 2025",
    ),
)
BY_KEY = {c.key: c for c in COLUMNS}


def N_(msgid: str) -> str:
    """Marks an English message template for the catalog (Babel's N_
    keyword); translated where it is shown. ckanext.satudata.i18n.N_ does the
    same but imports CKAN, which this pure module may not."""
    return msgid


def _untranslated(msgid: str) -> str:
    return msgid


@dataclass(frozen=True)
class Use:
    """What an inventory is read for: the columns its header must have, each
    of which every row must fill."""

    required: tuple[str, ...]


# The harvester: a row is a dataset and its data file.
HARVEST = Use(("nama_data", "link_portal_daerah"))
# The year's Daftar Data: no data file yet; the ID DDD is how a harvested
# dataset finds its item, the Produsen Data whose item it is.
PLAN = Use(("id_ddd", "nama_data", "produsen_data"))
# A steward starting a dataset from a row of their OPD's inventory
# (planning/importing.py start_rows): a row needs only its Nama Data.
START = Use(("nama_data",))
REQUIRED_COLUMNS = HARVEST.required

YES = frozenset({"ya", "y", "yes", "true", "1", "v", "prioritas"})
NO = frozenset({"tidak", "t", "no", "n", "false", "0", "bukan", "bukan prioritas"})
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "january", "jan"),
            ("februari", "february", "feb", "pebruari"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "agu", "agt", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nopember", "nov"),
            ("desember", "december", "des", "dec"),
        ),
        start=1,
    )
    for name in names
}


def comparable(text: str) -> str:
    """Header or value in a comparable form: no accents, case, punctuation or numbering."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = text.lower().strip()
    text = re.sub(r"^\(?\d+[.)]?\s*[.)-]?\s*", "", text)  # "1.", "(6)", "12)"
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _words(text: str) -> list[str]:
    """A cell's words, lower case, without accents or punctuation (numbers kept)."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).split()


_HEADER_INDEX: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.label, *_column.aliases):
        _HEADER_INDEX[comparable(_name)] = _column.key


def match_header(text: str, mapping: Mapping[str, str] | None = None) -> str | None:
    """The column key a header cell means, or None. ``mapping`` (header text ->
    key) from the source config wins."""
    normalised = comparable(text)
    if not normalised:
        return None
    if mapping:
        for header, key in mapping.items():
            if comparable(header) == normalised:
                return key
    return _HEADER_INDEX.get(normalised)


def match_term(vocabulary: str, text: str) -> str | None:
    """The vocabulary value a cell means (by value or any label), or None."""
    wanted = comparable(text)
    if not wanted:
        return None
    terms = vocabularies.subtopics() if vocabulary == "subtopic" else vocabularies.terms(vocabulary)
    for term in terms:
        candidates = (term.value, *term.labels.values())
        if any(comparable(candidate) == wanted for candidate in candidates):
            return term.value
    return None


class InventoryError(ValueError):
    """The inventory as a whole cannot be read (a gather error). ``message``
    is an English template (N_), ``params`` its fields; str() is English."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(self.text())

    def text(self, translate: Callable[[str], str] = _untranslated) -> str:
        return translate(self.message).format(**self.params)


@dataclass(frozen=True)
class Problem:
    """What is wrong in a row: an English message template (N_) and its
    fields; ``column`` is the key of the column at fault (None: the row)."""

    message: str
    params: Mapping[str, Any] = field(default_factory=dict)
    column: str | None = None

    def text(self, translate: Callable[[str], str] = _untranslated) -> str:
        return translate(self.message).format(**self.params)


@dataclass
class InventoryRow:
    number: int  # row number in the spreadsheet, 1-based, as the steward sees it
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """The problems in English (the harvest report's language)."""
        return [problem.text() for problem in self.problems]

    def problem(self, at: str | None, message: str, /, **params: Any) -> None:
        """Add a problem of column ``at`` (a key; None: the row)."""
        self.problems.append(Problem(message, params, at))

    @property
    def identity(self) -> str | None:
        """Stable identity of the row: its ID DDD, else its normalised Nama Data."""
        if self.cells.get("id_ddd"):
            return "ddd:" + comparable(self.cells["id_ddd"]).replace(" ", "-")
        if self.cells.get("nama_data"):
            return "nama:" + comparable(self.cells["nama_data"]).replace(" ", "-")
        return None


@dataclass
class Inventory:
    sheet: str
    header_row: int
    columns: dict[str, int]  # key -> column index
    rows: list[InventoryRow]
    ignored_headers: list[str]


def read_inventory(
    content: bytes, mapping: Mapping[str, str] | None = None, use: Use = HARVEST
) -> Inventory:
    """Parse the inventory file; raises InventoryError for the whole file (a
    file the validation reader refuses: with its reader.FileRejected as the
    cause of the cause)."""
    try:
        all_sheets = sheets.read_sheets(content)
    except sheets.SheetError as err:
        raise InventoryError(N_("the file cannot be read: {reason}"), reason=str(err)) from err
    found = []
    for candidate in all_sheets:
        located = _locate_header(candidate, mapping, use)
        if located is not None:
            found.append((candidate, *located))
    if not found:
        raise InventoryError(
            N_("no inventory header found: a header row needs at least the columns {columns}"),
            columns=", ".join(BY_KEY[k].label for k in use.required),
        )
    if len(found) > 1:
        raise InventoryError(
            N_("several sheets look like an inventory ({sheets}); keep one"),
            sheets=", ".join(repr(f[0].name) for f in found),
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
        interpret(row, use)
        rows_out.append(row)
    return Inventory(chosen.name, header_index + 1, columns, rows_out, ignored)


def _locate_header(
    candidate: sheets.Sheet, mapping: Mapping[str, str] | None, use: Use
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
                    N_(
                        "sheet {sheet}, row {row}: two columns mean {column} "
                        "(columns {first} and {second})"
                    ),
                    sheet=repr(candidate.name),
                    row=index + 1,
                    column=repr(BY_KEY[key].label),
                    first=columns[key] + 1,
                    second=col + 1,
                )
            columns[key] = col
        if all(k in columns for k in use.required):
            return index, columns, ignored
    return None


def _year(text: str) -> int | None:
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(text)
    year = int(text)
    if not years.is_data_year(year):
        raise ValueError(text)
    return year


def parse_release_date(text: str) -> datetime.date:
    """A Jadwal Rilis cell as a date: 2025-03-31 (also what an Excel date cell
    reads as), 31/03/2025, 31-03-2025, 31 Maret 2025, or a month, Maret 2025
    (its last day: a release planned for a month is late after it). Raises
    ValueError."""
    words = _words(text)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            return datetime.date.fromisoformat(text.strip())
        if len(words) == 3 and all(w.isdigit() for w in words) and len(words[2]) == 4:
            day, month, year = (int(w) for w in words)  # 31/03/2025, 31-03-2025
            return datetime.date(year, month, day)
        if len(words) == 3 and words[1] in MONTHS and words[0].isdigit() and words[2].isdigit():
            return datetime.date(int(words[2]), MONTHS[words[1]], int(words[0]))
        if len(words) == 2 and words[0] in MONTHS and re.fullmatch(r"\d{4}", words[1]):
            year, month = int(words[1]), MONTHS[words[0]]
            return datetime.date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        pass
    raise ValueError(text)


def parse_yes_no(text: str) -> bool:
    """Ya/Tidak (and Yes/No, Y/T, 1/0) as a bool; raises ValueError."""
    normalised = " ".join(_words(text))
    if normalised in YES:
        return True
    if normalised in NO:
        return False
    raise ValueError(text)


def interpret(row: InventoryRow, use: Use = HARVEST) -> None:
    """Fill ``row.values`` (SDI field values) and ``row.problems`` from its cells."""
    cells = row.cells
    values = row.values
    for key in use.required:
        if not cells.get(key):
            message = (
                N_("{column} (the data file URL) is empty")
                if key == "link_portal_daerah"
                else N_("{column} is empty")
            )
            row.problem(key, message, column=BY_KEY[key].label)
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
            row.problem(
                column.key,
                N_("{column} {value} is not in the vocabulary ({known})"),
                column=column.label,
                value=repr(text),
                known=", ".join(t.label() for t in known),
            )
            continue
        values[column.key] = value
    for key in ("tahun_mulai", "tahun_akhir"):
        if cells.get(key):
            try:
                values[key] = _year(cells[key])
            except ValueError:
                row.problem(
                    key, N_("{column} {value} is not a year"),
                    column=BY_KEY[key].label, value=repr(cells[key]),
                )  # fmt: skip
    if cells.get("kode_wilayah"):
        codes = []
        for part in re.split(r"[;,\s]+", cells["kode_wilayah"]):
            if not part:
                continue
            try:
                codes.append(regions.normalize_code(part))
            except regions.RegionCodeError:
                row.problem(
                    "kode_wilayah",
                    N_(
                        "{column}: {value} is not a Kemendagri region code "
                        "(expected PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD)"
                    ),
                    column=BY_KEY["kode_wilayah"].label,
                    value=repr(part),
                )
        values["kode_wilayah"] = codes
    if values.get("subtopik") and values.get("topik"):
        if vocabularies.topic_of_subtopic(values["subtopik"]) != values["topik"]:
            row.problem(
                "subtopik",
                N_("{column} {value} does not belong to {other} {other_value}"),
                column=BY_KEY["subtopik"].label,
                value=repr(cells["subtopik"]),
                other=BY_KEY["topik"].label,
                other_value=repr(cells["topik"]),
            )
    elif values.get("subtopik"):
        values["topik"] = vocabularies.topic_of_subtopic(values["subtopik"])
    if cells.get("standar_data"):
        # Checked against the standards registry by the harvester (it needs CKAN-free access).
        values["standar_data"] = cells["standar_data"].strip()
    if cells.get("kode_standar_data"):
        values["id_sds"] = cells["kode_standar_data"]
    if cells.get("data_prioritas"):
        try:
            values["data_prioritas"] = parse_yes_no(cells["data_prioritas"])
        except ValueError:
            row.problem(
                "data_prioritas", N_("{column} {value} is neither Ya nor Tidak"),
                column=BY_KEY["data_prioritas"].label, value=repr(cells["data_prioritas"]),
            )  # fmt: skip
    if cells.get("jadwal_rilis"):
        try:
            # ISO text: row values travel as JSON in harvest objects.
            values["jadwal_rilis"] = parse_release_date(cells["jadwal_rilis"]).isoformat()
        except ValueError:
            row.problem(
                "jadwal_rilis",
                N_("{column} {value} is not a date (write it as 31/03/2025 or Maret 2025)"),
                column=BY_KEY["jadwal_rilis"].label,
                value=repr(cells["jadwal_rilis"]),
            )
