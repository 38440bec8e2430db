"""Chart figures through the Action API (the chart view's data endpoint)."""

from __future__ import annotations

from typing import Any

from ckan.logic import validate
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.satudata.charts import service
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.logic import schema

__all__ = ["satudata_chart_data"]


@tk.side_effect_free
@validate(schema.chart_data)
def satudata_chart_data(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The aggregated figures of a chart and its Vega-Lite spec.

    :param view_id: a chart view (its stored settings), or
    :param resource_id: a resource: its data standard's chart, or the one
        described by ``chart_type``, ``x``, ``y`` (comma-separated), ``series``
        and ``filters`` (``column=value`` lines) when given
    :returns: ``settings`` (as stored in a view), ``data`` (categories,
        series, values: one entry per category x series, summed in the
        DataStore), ``spec`` (Vega-Lite, numbers in the request's language)
    """
    tk.check_access("satudata_chart_data", context, data_dict)
    if data_dict.get("view_id"):
        _, chart = service.chart_of_view(context, data_dict["view_id"])
    else:
        resource = tk.get_action("resource_show")(context.copy(), {"id": data_dict["resource_id"]})
        package = tk.get_action("package_show")(context.copy(), {"id": resource["package_id"]})
        chosen = {key: data_dict[key] for key in schema.CHART_SETTING_KEYS if key in data_dict}
        chart = service.chart_of_resource(context, resource, package, chosen)
    if chart.data is None:
        raise tk.ValidationError({"chart": [chart.problem]})
    assert chart.settings is not None
    lang = current_lang()
    return {
        "resource_id": chart.resource["id"],
        "settings": chart.settings.as_config(),
        "configured": chart.configured,
        "data": chart.data.as_dict(),
        "spec": service.vega_lite(chart.data, lang),
    }
