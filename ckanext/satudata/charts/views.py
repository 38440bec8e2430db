"""Pages of a chart view: the embeddable page (an iframe for other
government sites and the Command Center screens) and the chart's files
(CSV of its figures, SVG and PNG drawn on the server: the static image URL).

``file_response`` serves the same files for the population dashboard."""

from __future__ import annotations

import csv
import dataclasses
import io
from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint, Response

from ckanext.satudata import contexts, exports
from ckanext.satudata.charts import render, service, spec
from ckanext.satudata.i18n import current_lang

charts = Blueprint("satudata_charts", __name__)

FILE_KINDS = ("csv", "svg", "png")
# Static images: embeds refresh often enough, the DataStore is not hit per view.
IMAGE_MAX_AGE = 300
_MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
}


def csv_bytes(data: spec.ChartData) -> bytes:
    header, rows = data.table()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(exports.neutralise_row(header))
    writer.writerows(exports.neutralise_rows(rows))
    # BOM: spreadsheet programs then read the names (Batu Engau...) as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def file_response(data: spec.ChartData, kind: str, filename: str) -> Response:
    """The CSV, SVG or PNG of ``data`` as a download named ``filename.kind``."""
    if kind == "csv":
        body: bytes | str = csv_bytes(data)
    else:
        image_spec = service.vega_lite(data, current_lang(), width=spec.DEFAULT_WIDTH, titled=True)
        body = render.svg(image_spec) if kind == "svg" else render.png(image_spec)
    response = Response(body, mimetype=_MEDIA_TYPES[kind])
    disposition = "attachment" if tk.request.args.get("download") else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}.{kind}"'
    response.headers["Cache-Control"] = f"public, max-age={IMAGE_MAX_AGE}"
    return response


def _chart(view_id: str) -> tuple[dict[str, Any], service.Chart]:
    try:
        return service.chart_of_view(contexts.current_user(), view_id)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Chart not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this chart"))


@charts.route("/grafik/<view_id>.<any(csv, svg, png):kind>")
def chart_file(view_id: str, kind: str) -> Response:
    view, chart = _chart(view_id)
    if chart.data is None:
        return tk.abort(404, chart.problem)
    # An image stands alone: it carries a title (the resource's, without one of its own).
    data = chart.data
    if not data.title:
        data = dataclasses.replace(data, title=chart.resource.get("name") or "")
    return file_response(data, kind, f"grafik-{view['id'][:8]}")


@charts.route("/grafik/<view_id>")
def embed(view_id: str) -> str:
    """The chart alone, to put in an iframe."""
    view, chart = _chart(view_id)
    lang = current_lang()
    return tk.render(
        "satudata/charts/embed.html",
        {
            "resource_view": view,
            "chart": chart,
            "chart_spec": service.vega_lite(chart.data, lang) if chart.data else None,
            "chart_table": chart.data.table() if chart.data else None,
            "package": chart.package,
            "resource": chart.resource,
        },
    )
