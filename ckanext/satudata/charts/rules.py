"""Which chart a table gets when its editor chose none: the data standard's
rule when one applies, else a rule on the table's columns.

- age band x sex columns (standard fields with ``ageBand`` and ``sex``) -> pyramid;
- more than one year or half-year in the table -> line over time;
- a region column -> bar per region (the latest period only);
- otherwise the first text column x the first measure -> bar.

Also the labels of a table's columns (the standard's titles). Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ckanext.satudata.charts.settings import (
    COLUMNS,
    PERIOD,
    PERIOD_PARTS,
    ChartSettings,
    is_numeric,
    measure_fields,
)
from ckanext.satudata.standards import registry

TOTAL_COLUMN = "jumlah"
REGION_NAME_COLUMN = "nama_wilayah"
LONG_FORMAT_DIMENSION = "indikator"
# The standard whose titles name the sexes ("Laki-laki", "Perempuan").
SEX_STANDARD = "penduduk_jenis_kelamin"


@dataclass(frozen=True)
class TableFacts:
    """What the rules need to know of a table's content (read by query.py)."""

    periods: tuple[tuple[int, int], ...] = ()  # distinct (tahun, semester), ascending
    years: tuple[int, ...] = ()  # distinct tahun, ascending
    first_values: Mapping[str, str] = field(default_factory=dict)  # of long-format dimensions


@dataclass(frozen=True)
class ColumnLabel:
    title: str
    # For pyramid columns: the category (age band) and series (sex) each stands for.
    category: str | None = None
    series: str | None = None


def _descriptor(standard: str | None) -> dict[str, Any] | None:
    return (
        registry.standard_descriptor(standard) if standard and registry.is_known(standard) else None
    )


def column_labels(
    fields: Sequence[Mapping[str, Any]], standard: str | None
) -> dict[str, ColumnLabel]:
    """Titles of the table's columns: the standard's, else the DataStore label or id."""
    descriptor = _descriptor(standard)
    titles = {f["id"]: str((f.get("info") or {}).get("label") or f["id"]) for f in fields}
    if descriptor is None:
        return {column: ColumnLabel(title) for column, title in titles.items()}
    sexes = {
        f["name"]: f.get("title", f["name"])
        for f in registry.standard_descriptor(SEX_STANDARD)["fields"]
    }
    labels = {}
    for column, title in titles.items():
        spec = next((f for f in descriptor["fields"] if f["name"] == column), None)
        if spec is None:
            labels[column] = ColumnLabel(title)
        elif spec.get("ageBand") and spec.get("sex"):
            labels[column] = ColumnLabel(
                spec.get("title", title), spec["ageBand"], sexes.get(spec["sex"], spec["sex"])
            )
        else:
            labels[column] = ColumnLabel(spec.get("title", title))
    return labels


def _pyramid_columns(descriptor: Mapping[str, Any] | None) -> list[str]:
    if descriptor is None:
        return []
    return [f["name"] for f in descriptor["fields"] if f.get("ageBand") and f.get("sex")]


def _latest_period_filter(facts: TableFacts, names: set[str]) -> tuple[tuple[str, str], ...]:
    if len(facts.periods) > 1 and all(part in names for part in PERIOD_PARTS):
        year, half = facts.periods[-1]
        return (("tahun", str(year)), ("semester", str(half)))
    if len(facts.years) > 1 and "tahun" in names:
        return (("tahun", str(facts.years[-1])),)
    return ()


def suggest(
    fields: Sequence[Mapping[str, Any]], standard: str | None, facts: TableFacts
) -> ChartSettings | None:
    """The chart of a table nobody configured, or None when no rule fits."""
    names = {f["id"] for f in fields}
    measures = measure_fields(fields)
    if not measures:
        return None
    descriptor = _descriptor(standard)
    latest = _latest_period_filter(facts, names)

    pyramid = [c for c in _pyramid_columns(descriptor) if c in names]
    if pyramid:
        return ChartSettings("pyramid", COLUMNS, tuple(pyramid), COLUMNS, latest)

    long_format = LONG_FORMAT_DIMENSION in names and LONG_FORMAT_DIMENSION in facts.first_values
    indicator_filter = (
        ((LONG_FORMAT_DIMENSION, facts.first_values[LONG_FORMAT_DIMENSION]),) if long_format else ()
    )
    totals = [TOTAL_COLUMN] if TOTAL_COLUMN in measures else measures[:1]
    if len(facts.periods) > 1 and all(part in names for part in PERIOD_PARTS):
        return ChartSettings("line", PERIOD, tuple(totals), None, indicator_filter)
    if len(facts.years) > 1 and "tahun" in names:
        series = REGION_NAME_COLUMN if long_format and REGION_NAME_COLUMN in names else None
        y = measures[:1] if series else totals
        return ChartSettings("line", "tahun", tuple(y), series, indicator_filter)

    if REGION_NAME_COLUMN in names:
        breakdown = [m for m in measures if m != TOTAL_COLUMN]
        if long_format or not breakdown:
            return ChartSettings(
                "bar", REGION_NAME_COLUMN, tuple(totals), None, (*indicator_filter, *latest)
            )
        return ChartSettings("bar", REGION_NAME_COLUMN, tuple(breakdown), COLUMNS, latest)

    text_columns = [f["id"] for f in fields if not is_numeric(f.get("type")) and f["id"] != "_id"]
    if text_columns:
        return ChartSettings("bar", text_columns[0], tuple(measures[:1]), None, latest)
    return None
