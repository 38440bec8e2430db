"""The chart resource view (``satudata_chart``): what the plugin class's
IResourceView methods delegate to."""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from ckan.types import Context

from ckanext.satudata import contexts
from ckanext.satudata.charts import query, service
from ckanext.satudata.charts.settings import CHART_TYPES, COLUMNS, PERIOD, PERIOD_PARTS
from ckanext.satudata.charts.settings import measure_fields as _measure_fields
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.logic import schema


def info() -> dict[str, Any]:
    return {
        "name": service.VIEW_TYPE,
        "title": tk._("Chart"),
        "default_title": tk._("Chart"),
        "icon": "chart-bar",
        "schema": schema.chart_view(),
        "iframed": False,
        "filterable": False,
        "preview_enabled": True,
        "requires_datastore": True,
    }


def can_view(data_dict: dict[str, Any]) -> bool:
    """Tables in the DataStore with at least one column to sum."""
    resource = data_dict["resource"]
    if not resource.get("datastore_active"):
        return False
    try:
        fields = query.table_fields(contexts.site(), resource["id"])
    except tk.ObjectNotFound:
        return False
    return bool(_measure_fields(fields))


def column_choices(fields: list[dict[str, Any]]) -> dict[str, list[dict[str, str]]]:
    """Options of the editor's form: category columns, measures, series."""
    names = {f["id"] for f in fields}
    columns = [{"value": f["id"], "text": f["id"]} for f in fields]
    virtual = [{"value": COLUMNS, "text": tk._("The chosen numeric columns")}]
    if all(part in names for part in PERIOD_PARTS):
        virtual.append({"value": PERIOD, "text": tk._("Half-year (tahun + semester)")})
    return {
        "chart_types": [
            {"value": key, "text": tk._(service.CHART_TYPE_LABELS[key])} for key in CHART_TYPES
        ],
        "x": virtual + columns,
        "y": [{"value": name, "text": name} for name in _measure_fields(fields)],
        "series": [{"value": "", "text": tk._("None")}, *virtual[:1], *columns],
    }


def setup_template_variables(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    view = data_dict["resource_view"]
    chart = service.chart_of_resource(context, data_dict["resource"], data_dict["package"], view)
    lang = current_lang()
    variables: dict[str, Any] = {
        "chart": chart,
        "chart_spec": service.vega_lite(chart.data, lang) if chart.data else None,
        "chart_table": chart.data.table() if chart.data else None,
        "choices": column_choices(chart.fields),
        "suggested": chart.settings.as_config() if chart.settings else {},
    }
    return variables


def view_template() -> str:
    return "satudata/charts/chart_view.html"


def form_template() -> str:
    return "satudata/charts/chart_form.html"
