"""A resource's chart, end to end: the view's settings (or the standard's
rule), the figures from the DataStore, the accessible description and the
Vega-Lite spec. Used by the view, the Action API, the embed and image pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context

from ckanext.satudata import config
from ckanext.satudata.charts import query, rules, spec
from ckanext.satudata.charts.settings import ChartSettings, ChartSettingsError, from_config
from ckanext.satudata.i18n import N_, formats
from ckanext.satudata.standards import registry

VIEW_TYPE = "satudata_chart"


@dataclass(frozen=True)
class Chart:
    resource: dict[str, Any]
    package: dict[str, Any]
    settings: ChartSettings | None
    data: spec.ChartData | None
    fields: list[dict[str, Any]]
    # Why there is no chart (translated), when there is none.
    problem: str = ""
    configured: bool = False

    @property
    def standard(self) -> str:
        return registry.standard_of(self.package, self.resource)


def colors() -> list[str]:
    return spec.palette(config.primary_color(), config.secondary_color())


def chart_of_resource(
    context: Context,
    resource: dict[str, Any],
    package: dict[str, Any],
    view_config: Mapping[str, Any] | None = None,
) -> Chart:
    """The chart of ``resource``: the editor's settings, else the rule's.

    Raises NotAuthorized when the user may not read the table."""
    try:
        fields = query.table_fields(context, resource["id"])
    except tk.ObjectNotFound:
        return Chart(resource, package, None, None, [], tk._("The data is not in the DataStore"))
    standard = registry.standard_of(package, resource)
    chosen = from_config(view_config or {})
    try:
        if chosen is None:
            chosen = rules.suggest(fields, standard, query.facts(resource["id"], fields))
            configured = False
        else:
            configured = True
        if chosen is None:
            return Chart(
                resource, package, None, None, fields, tk._("No chart fits this table yet")
            )
        chosen.check(fields)
    except ChartSettingsError as err:
        return Chart(resource, package, chosen, None, fields, str(err), configured=True)
    labels = rules.column_labels(fields, standard)
    data = query.aggregate(resource["id"], fields, chosen, labels)
    return Chart(resource, package, chosen, data, fields, configured=configured)


def first_chart_view_id(resource_ids: list[str]) -> str | None:
    """The first chart view of the first of ``resource_ids`` that has one,
    in one query (the dataset page's social card: the page already
    authorised the dataset, and a view is only an id here)."""
    if not resource_ids:
        return None
    found = (
        model.Session.query(model.ResourceView.resource_id, model.ResourceView.id)
        .filter(model.ResourceView.resource_id.in_(resource_ids))
        .filter(model.ResourceView.view_type == VIEW_TYPE)
        .order_by(model.ResourceView.order)
        .all()
    )
    first: dict[str, str] = {}
    for resource_id, view_id in found:
        first.setdefault(resource_id, view_id)
    return next((first[r] for r in resource_ids if r in first), None)


def chart_of_view(context: Context, view_id: str) -> tuple[dict[str, Any], Chart]:
    """(view, chart) of a resource view of ours; ObjectNotFound/NotAuthorized."""
    view = tk.get_action("resource_view_show")(context.copy(), {"id": view_id})
    if view.get("view_type") != VIEW_TYPE:
        raise tk.ObjectNotFound(tk._("Not a chart view"))
    resource = tk.get_action("resource_show")(context.copy(), {"id": view["resource_id"]})
    package = tk.get_action("package_show")(context.copy(), {"id": resource["package_id"]})
    return view, chart_of_resource(context, resource, package, view)


CHART_TYPE_LABELS = {
    "bar": N_("Bar chart"),
    "line": N_("Line chart"),
    "pyramid": N_("Population pyramid"),
}


def description(data: spec.ChartData, lang: str) -> str:
    """A text summary of the chart for screen readers (the SVG's aria-label)."""
    kind = tk._(CHART_TYPE_LABELS.get(data.chart_type, "Chart"))
    parts = [f"{kind}: {data.title or data.y_title}"]
    if data.x_title:
        parts.append(tk._("by {axis}").format(axis=data.x_title))
    text = " ".join(parts) + ". "
    text += tk._("{count} categories").format(count=formats.number(len(data.categories), lang))
    if data.series:
        text += ", " + tk._("series: {names}").format(names=", ".join(data.series))
    if data.values and not data.series:
        top = max(data.values, key=lambda triple: triple[2])
        text += ". " + tk._("Highest: {name} ({value})").format(
            name=top[0], value=formats.number(top[2], lang)
        )
    return text + "."


def vega_lite(
    data: spec.ChartData, lang: str, width: int | None = None, titled: bool = False
) -> dict[str, Any]:
    return spec.build(data, lang, colors(), description(data, lang), width, titled)
