"""The server side of a chart: one aggregating query on the resource's
DataStore table (GROUP BY the category and series, SUM of the measures), so
the browser receives a few hundred figures whatever the table's size.

Who may read the table is decided before: ``table_fields`` goes through
``datastore_search`` (CKAN's own resource authorization); the aggregate then
reads through the DataStore's read-only engine with every identifier checked
against those fields and every value bound as a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from ckan.plugins import toolkit as tk
from ckan.types import Context
from ckanext.datastore.backend.postgres import get_read_engine

from ckanext.satudata.charts.rules import LONG_FORMAT_DIMENSION, ColumnLabel, TableFacts
from ckanext.satudata.charts.settings import COLUMNS, PERIOD, PERIOD_PARTS, ChartSettings
from ckanext.satudata.charts.spec import ChartData
from ckanext.satudata.harvesters.dukcapil.standard import Semester

MAX_CATEGORIES = 400
MAX_SERIES = 24
MISSING_LABEL = "\u2013"


def table_fields(context: Context, resource_id: str) -> list[dict[str, Any]]:
    """The DataStore fields of a resource the user may read (NotAuthorized otherwise)."""
    result = tk.get_action("datastore_search")(
        context.copy(), {"resource_id": resource_id, "limit": 0, "include_total": False}
    )
    return [f for f in result["fields"] if f["id"] != "_id"]


def _table(resource_id: str, fields: Sequence[Mapping[str, Any]]) -> sa.TableClause:
    return sa.table(resource_id, *(sa.column(f["id"]) for f in fields))


def facts(resource_id: str, fields: Sequence[Mapping[str, Any]]) -> TableFacts:
    """Periods, years and the first long-format dimension value of a table."""
    names = {f["id"] for f in fields}
    table = _table(resource_id, fields)
    periods: tuple[tuple[int, int], ...] = ()
    years: tuple[int, ...] = ()
    first: dict[str, str] = {}
    with get_read_engine().connect() as conn:
        if all(part in names for part in PERIOD_PARTS):
            tahun, semester = (table.c[p] for p in PERIOD_PARTS)
            rows = conn.execute(
                sa.select(tahun, semester).distinct().order_by(tahun, semester).limit(500)
            )
            periods = tuple(
                (int(y), int(s)) for y, s in rows if str(y).isdigit() and str(s).isdigit()
            )
        if "tahun" in names:
            rows = conn.execute(
                sa.select(table.c.tahun).distinct().order_by(table.c.tahun).limit(500)
            )
            years = tuple(int(y) for (y,) in rows if str(y).isdigit())
        if LONG_FORMAT_DIMENSION in names:
            column = table.c[LONG_FORMAT_DIMENSION]
            value = conn.execute(sa.select(column).order_by(column).limit(1)).scalar()
            if value is not None:
                first[LONG_FORMAT_DIMENSION] = str(value)
    return TableFacts(periods, years, first)


def _label(value: Any) -> str:
    if value is None:
        return MISSING_LABEL
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def aggregate(
    resource_id: str,
    fields: Sequence[Mapping[str, Any]],
    settings: ChartSettings,
    labels: Mapping[str, ColumnLabel],
) -> ChartData:
    """The figures of ``settings`` (already checked against ``fields``)."""
    table = _table(resource_id, fields)

    def title(column: str | None) -> str:
        if column is None:
            return ""
        if column == PERIOD:
            return "Semester"
        return labels[column].title if column in labels else column

    measures = [sa.func.sum(table.c[column]) for column in settings.y]
    conditions = [sa.cast(table.c[col], sa.Text) == value for col, value in settings.filters]
    pyramid_columns = settings.x == COLUMNS and settings.series == COLUMNS
    # Several measures without a series column: the measures are the series.
    series_from_columns = settings.series == COLUMNS or (
        settings.series is None and len(settings.y) > 1 and settings.x != COLUMNS
    )

    x_keys: list[sa.ColumnElement[Any]] = []
    if settings.x == PERIOD:
        x_keys = [table.c[p] for p in PERIOD_PARTS]
    elif settings.x != COLUMNS:
        x_keys = [table.c[settings.x]]
    series_key = table.c[settings.series] if settings.series not in (None, COLUMNS) else None
    group = [*x_keys, *([series_key] if series_key is not None else [])]
    query = sa.select(*group, *measures).where(*conditions)
    if group:
        query = query.group_by(*group)
        if settings.sort_by_value and x_keys:
            query = query.order_by(measures[0].desc().nulls_last(), *group)
        else:
            query = query.order_by(*group)
        query = query.limit(MAX_CATEGORIES * (MAX_SERIES if series_key is not None else 1) + 1)
    with get_read_engine().connect() as conn:
        rows = list(conn.execute(query))

    limit = MAX_CATEGORIES * (MAX_SERIES if series_key is not None else 1)
    truncated = len(rows) > limit
    rows = rows[:limit]
    categories: dict[str, None] = {}
    series: dict[str, None] = {}
    values: list[tuple[str, str, float]] = []

    def add(category: str, serie: str, value: Any) -> None:
        number = _number(value)
        categories.setdefault(category, None)
        if serie:
            series.setdefault(serie, None)
        if number is not None:
            values.append((category, serie, number))

    for row in rows:
        row_values = list(row)
        if settings.x == PERIOD:
            year, half = row_values[0], row_values[1]
            try:
                category = Semester(int(year), int(half)).label
            except (TypeError, ValueError):
                category = f"{_label(year)} {_label(half)}"
            row_values = row_values[2:]
        elif x_keys:
            category = _label(row_values.pop(0))
        else:
            category = ""
        serie = _label(row_values.pop(0)) if series_key is not None else ""
        sums = row_values
        if pyramid_columns:
            for column, value in zip(settings.y, sums, strict=True):
                label = labels.get(column, ColumnLabel(column))
                add(label.category or label.title, label.series or "", value)
        elif settings.x == COLUMNS:
            for column, value in zip(settings.y, sums, strict=True):
                add(title(column), serie, value)
        elif series_from_columns:
            for column, value in zip(settings.y, sums, strict=True):
                add(category, title(column), value)
        else:
            add(category, serie, sums[0])

    x_title = title(settings.x) if settings.x != COLUMNS else ""
    if pyramid_columns:
        x_title = tk._("Age band")
    y_title = title(settings.y[0]) if len(settings.y) == 1 else tk._("Number")
    if settings.x == COLUMNS and not pyramid_columns:
        y_title = tk._("Number")
    return ChartData(
        chart_type=settings.chart_type,
        categories=tuple(categories),
        series=tuple(series)[:MAX_SERIES],
        values=tuple(values),
        x_title=x_title,
        y_title=y_title,
        title=settings.title,
        truncated=truncated,
    )
