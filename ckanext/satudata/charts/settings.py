"""What a chart shows: its type, the column on the category axis, the measures
summed, the series, the row filter. Stored in a resource view's config, chosen
by the data standard's rule (``rules.py``) or by the dataset's editor.

Two virtual columns let wide tables (one column per category, as the Dukcapil
tables and most OPD spreadsheets are) be charted without reshaping them:
``COLUMNS`` as the category axis or the series means "the measure columns
themselves"; ``PERIOD`` is the half-year of ``tahun`` + ``semester``.
Pure Python.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

CHART_TYPES = ("bar", "line", "pyramid")
COLUMNS = "_kolom"
PERIOD = "_periode"
PERIOD_PARTS = ("tahun", "semester")
VIRTUAL = (COLUMNS, PERIOD)
# Names of numeric columns that say when or which, never how many.
_DIMENSION_NAMES = frozenset(
    {"_id", "id", "no", "nomor", "tahun", "year", "semester", "triwulan", "bulan", "month"}
)
_NUMERIC_TYPES = frozenset(
    {"int", "int2", "int4", "int8", "integer", "numeric", "float8", "number"}
)
MAX_MEASURES = 40
MAX_FILTERS = 5


class ChartSettingsError(ValueError):
    """A chart setting that cannot work with the table (message names the setting)."""


def is_numeric(field_type: str | None) -> bool:
    return (field_type or "").lower() in _NUMERIC_TYPES


def is_measure(name: str, field_type: str | None) -> bool:
    """A numeric column counting something (not a year, a period or a code)."""
    lowered = name.lower()
    return (
        is_numeric(field_type)
        and lowered not in _DIMENSION_NAMES
        and not lowered.startswith(("kode", "id_"))
    )


def measure_fields(fields: Iterable[Mapping[str, Any]]) -> list[str]:
    """Measure columns of DataStore fields (``{"id", "type"}``), in table order."""
    return [f["id"] for f in fields if is_measure(f["id"], f.get("type"))]


@dataclass(frozen=True)
class ChartSettings:
    chart_type: str
    x: str
    y: tuple[str, ...]
    series: str | None = None
    filters: tuple[tuple[str, str], ...] = ()
    title: str = ""
    # Bars sorted by value (largest first) instead of the category order.
    sort_by_value: bool = False

    def check(self, fields: Sequence[Mapping[str, Any]]) -> ChartSettings:
        """This settings object, or ChartSettingsError naming what does not fit ``fields``."""
        types = {f["id"]: f.get("type") for f in fields}
        if self.chart_type not in CHART_TYPES:
            raise ChartSettingsError(
                f"chart type {self.chart_type!r} is not one of: {', '.join(CHART_TYPES)}"
            )
        if not self.y:
            raise ChartSettingsError("y: choose at least one numeric column")
        if len(self.y) > MAX_MEASURES:
            raise ChartSettingsError(f"y: at most {MAX_MEASURES} columns")
        for column in self.y:
            if column not in types:
                raise ChartSettingsError(f"y: column {column!r} is not in the table")
            if not is_numeric(types[column]):
                raise ChartSettingsError(f"y: column {column!r} is not numeric")
        for role, column in (("x", self.x), ("series", self.series)):
            if column is None or column == COLUMNS:
                continue
            if column == PERIOD:
                if not all(part in types for part in PERIOD_PARTS):
                    raise ChartSettingsError(f"{role}: the table has no tahun and semester")
            elif column not in types:
                raise ChartSettingsError(f"{role}: column {column!r} is not in the table")
        if self.x == COLUMNS and self.series == COLUMNS and self.chart_type != "pyramid":
            raise ChartSettingsError("x and series cannot both be the measure columns")
        if self.series not in (None, COLUMNS) and len(self.y) > 1:
            raise ChartSettingsError("series: a series column takes exactly one y column")
        if len(self.filters) > MAX_FILTERS:
            raise ChartSettingsError(f"filter: at most {MAX_FILTERS} conditions")
        for column, _ in self.filters:
            if column not in types:
                raise ChartSettingsError(f"filter: column {column!r} is not in the table")
        return self

    def as_config(self) -> dict[str, Any]:
        """The resource view config that stores these settings."""
        return {
            "chart_type": self.chart_type,
            "x": self.x,
            "y": ",".join(self.y),
            "series": self.series or "",
            "filters": "\n".join(f"{c}={v}" for c, v in self.filters),
            "chart_title": self.title,
            "sort_by_value": self.sort_by_value,
        }

    def as_json(self) -> str:
        return json.dumps(self.as_config(), sort_keys=True)


def parse_filters(text: str | Sequence[Any] | None) -> tuple[tuple[str, str], ...]:
    """``"tahun=2024\\nsemester=2"`` (or a list of such lines) -> pairs."""
    if not text:
        return ()
    lines = text.splitlines() if isinstance(text, str) else [str(t) for t in text]
    pairs = []
    for line in lines:
        if not line.strip():
            continue
        column, sep, value = line.partition("=")
        if not sep or not column.strip():
            raise ChartSettingsError(f"filter: {line.strip()!r} is not of the form column=value")
        pairs.append((column.strip(), value.strip()))
    return tuple(pairs)


def parse_columns(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(dict.fromkeys(item.strip() for item in items if item and item.strip()))


def from_config(config: Mapping[str, Any]) -> ChartSettings | None:
    """Settings stored in a resource view, or None when the editor chose none."""
    chart_type = config.get("chart_type")
    if not chart_type:
        return None
    return ChartSettings(
        chart_type=str(chart_type),
        x=str(config.get("x") or COLUMNS),
        y=parse_columns(config.get("y")),
        series=(str(config.get("series")) or None) if config.get("series") else None,
        filters=parse_filters(config.get("filters")),
        title=str(config.get("chart_title") or ""),
        sort_by_value=str(config.get("sort_by_value")).lower() in ("true", "1", "on", "yes"),
    )
