"""The population dashboard's figures, read from the datasets the Dukcapil
harvester publishes (one per indicator family and level, each with an
all-semesters "Semua Semester" table in the DataStore).

Every chart is a chart of those tables (``charts.query.aggregate`` with the
settings a chart view would store), so the dashboard shows exactly what the
DataStore sums to, and each chart links to the dataset it comes from.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ckan.plugins import toolkit as tk

from ckanext.satudata import config, contexts
from ckanext.satudata.charts import query, rules
from ckanext.satudata.charts.settings import COLUMNS, PERIOD, ChartSettings
from ckanext.satudata.charts.spec import ChartData
from ckanext.satudata.harvesters.dukcapil import mapping
from ckanext.satudata.harvesters.dukcapil.standard import FAMILIES, Semester
from ckanext.satudata.i18n import N_
from ckanext.satudata.reference import regions

# Chart keys (also the file names under /kependudukan/<key>.csv) -> family, level.
SEX = "jenis_kelamin"
PYRAMID_FAMILY = "kelompok_umur_jenis_kelamin"
AGE_FAMILY = "kelompok_umur"
BREAKDOWNS = (
    ("agama", "agama", N_("Population by religion")),
    ("pendidikan", "pendidikan", N_("Population by education attained")),
    ("status-kawin", "status_kawin", N_("Population by marital status")),
)
CHART_KEYS = ("tren", "piramida", "kecamatan", *(key for key, _, _ in BREAKDOWNS))
DESA_LIMIT = 1000


class NoPopulationData(LookupError):
    """The harvested Dukcapil datasets are not (yet) in the portal."""


@dataclass(frozen=True)
class Table:
    """A family's all-semesters DataStore table and the dataset it belongs to."""

    family: str
    level: str
    dataset: dict[str, Any]
    resource: dict[str, Any]
    fields: list[dict[str, Any]]

    @property
    def standard(self) -> str | None:
        return FAMILIES[self.family].standard


@dataclass(frozen=True)
class DashboardChart:
    key: str
    title: str
    data: ChartData
    table: Table


@dataclass(frozen=True)
class DesaRow:
    code: str
    name: str
    kecamatan: str
    male: int
    female: int
    total: int


@dataclass
class Dashboard:
    semesters: list[Semester]
    semester: Semester
    total: int
    male: int
    female: int
    previous_total: int | None
    charts: dict[str, DashboardChart] = field(default_factory=dict)
    desa: list[DesaRow] = field(default_factory=list)
    desa_table: Table | None = None

    @property
    def change(self) -> float | None:
        """Growth since the previous semester, as a share."""
        if not self.previous_total:
            return None
        return (self.total - self.previous_total) / self.previous_total


def _table(family: str, level: str) -> Table | None:
    """The public all-semesters table of a family, None when not published."""
    root = regions.tenant_regions()[regions.tenant_root()]
    name = mapping.dataset_name(FAMILIES[family], level, root.name)
    try:
        dataset = tk.get_action("package_show")(contexts.public(), {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    if (dataset.get("organization") or {}).get("name") != config.population_organization():
        return None
    resource = next(
        (
            r
            for r in dataset.get("resources", [])
            if r.get("periode_data") == mapping.CUMULATIVE_PERIOD and r.get("datastore_active")
        ),
        None,
    )
    if resource is None:
        return None
    try:
        fields = query.table_fields(contexts.public(), resource["id"])
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    return Table(family, level, dataset, resource, fields)


def _chart(table: Table, settings: ChartSettings) -> ChartData:
    labels = rules.column_labels(table.fields, table.standard)
    return query.aggregate(table.resource["id"], table.fields, settings, labels)


def _semester_filter(semester: Semester) -> tuple[tuple[str, str], ...]:
    return (("tahun", str(semester.year)), ("semester", str(semester.half)))


def _category_columns(table: Table) -> tuple[str, ...]:
    return tuple(column for column, _ in FAMILIES[table.family].columns)


def _build(semester_key: str | None) -> Dashboard:
    sex = _table(SEX, "kecamatan")
    if sex is None:
        raise NoPopulationData(semester_key)
    trend = _chart(
        sex,
        ChartSettings("line", PERIOD, ("jumlah",), None, (), tk._("Population per semester")),
    )
    semesters = [s for s in (mapping.semester_of_label(c) for c in trend.categories) if s]
    if not semesters:
        raise NoPopulationData(semester_key)
    by_key = {s.key: s for s in semesters}
    semester = by_key.get(semester_key or "", semesters[-1])
    period = _semester_filter(semester)
    totals = _chart(
        sex, ChartSettings("bar", COLUMNS, ("laki_laki", "perempuan", "jumlah"), None, period)
    )
    male, female, total = (int(v) for _, _, v in totals.values)
    index = semesters.index(semester)
    previous = trend.values[index - 1][2] if index > 0 else None

    dashboard = Dashboard(
        semesters, semester, total, male, female, int(previous) if previous else None
    )
    dashboard.charts["tren"] = DashboardChart("tren", trend.title, trend, sex)

    pyramid = _table(PYRAMID_FAMILY, "kecamatan")
    if pyramid is not None:
        data = _chart(
            pyramid,
            ChartSettings(
                "pyramid",
                COLUMNS,
                _category_columns(pyramid),
                COLUMNS,
                period,
                tk._("Population pyramid"),
            ),
        )
        dashboard.charts["piramida"] = DashboardChart("piramida", data.title, data, pyramid)
    elif (ages := _table(AGE_FAMILY, "kecamatan")) is not None:
        data = _chart(
            ages,
            ChartSettings(
                "bar",
                COLUMNS,
                _category_columns(ages),
                None,
                period,
                tk._("Population by age band"),
            ),
        )
        dashboard.charts["piramida"] = DashboardChart("piramida", data.title, data, ages)

    for key, family, title in BREAKDOWNS:
        table = _table(family, "kecamatan")
        if table is None:
            continue
        data = _chart(
            table,
            ChartSettings("bar", COLUMNS, _category_columns(table), None, period, tk._(title)),
        )
        dashboard.charts[key] = DashboardChart(key, data.title, data, table)

    comparison = _chart(
        sex,
        ChartSettings(
            "bar",
            "nama_wilayah",
            ("laki_laki", "perempuan"),
            COLUMNS,
            period,
            tk._("Population per kecamatan"),
            sort_by_value=True,
        ),
    )
    dashboard.charts["kecamatan"] = DashboardChart("kecamatan", comparison.title, comparison, sex)

    desa = _table(SEX, "desa")
    if desa is not None:
        dashboard.desa_table = desa
        dashboard.desa = desa_rows(desa, semester)
    return dashboard


def desa_rows(table: Table, semester: Semester) -> list[DesaRow]:
    """Every desa/kelurahan of the semester, by code, with its kecamatan's name."""
    settings = ChartSettings(
        "bar", "kode_wilayah", ("laki_laki", "perempuan", "jumlah"), COLUMNS,
        _semester_filter(semester),
    )  # fmt: skip
    data = _chart(table, settings)
    known = regions.tenant_regions()
    figures: dict[str, list[int]] = {}
    for code, _, value in data.values:
        figures.setdefault(code, []).append(int(value))
    rows = []
    for code in data.categories[:DESA_LIMIT]:
        region = known.get(code)
        kecamatan = known.get(code[:8])
        male, female, total = figures.get(code, [0, 0, 0])
        rows.append(
            DesaRow(
                code,
                region.name if region else code,
                kecamatan.name if kecamatan else "",
                male,
                female,
                total,
            )
        )
    return rows


def search_desa(rows: Sequence[DesaRow], text: str) -> list[DesaRow]:
    """Rows whose desa or kecamatan name or code contains ``text`` (any case)."""
    needle = text.strip().lower()
    if not needle:
        return list(rows)
    return [
        row
        for row in rows
        if needle in row.name.lower() or needle in row.kecamatan.lower() or needle in row.code
    ]


_cache: dict[tuple[str, str], tuple[float, Dashboard]] = {}
_cache_lock = threading.Lock()


def dashboard(semester_key: str | None, lang: str) -> Dashboard:
    """The dashboard of a semester (default: the latest), kept for
    ``ckanext.satudata.population.cache_seconds`` per process and language."""
    seconds = config.population_cache_seconds()
    try:
        semester_key = Semester.parse(semester_key).key if semester_key else None
    except ValueError:  # not a semester (?semester=anything): the latest
        semester_key = None
    key = (semester_key or "", lang)
    now = time.monotonic()
    if seconds > 0:
        with _cache_lock:
            cached = _cache.get(key)
        if cached and now - cached[0] < seconds:
            return cached[1]
    result = _build(semester_key)
    if seconds > 0:
        with _cache_lock:
            _cache[key] = (now, result)
    return result
