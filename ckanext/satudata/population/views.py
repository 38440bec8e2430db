"""The population dashboard (/kependudukan): total and trend, pyramid,
breakdowns, kecamatan comparison and the desa table of a semester, each chart
with its source, reference date and files; an embeddable version."""

from __future__ import annotations

import csv
import io
from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint, Response

from ckanext.satudata import exports
from ckanext.satudata.charts import service as chart_service
from ckanext.satudata.charts.views import file_response
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.population import figures

population = Blueprint("satudata_population", __name__)


def _dashboard() -> figures.Dashboard | None:
    try:
        return figures.dashboard(tk.request.args.get("semester"), current_lang())
    except figures.NoPopulationData:
        return None


def _page_vars(dashboard: figures.Dashboard | None) -> dict[str, Any]:
    lang = current_lang()
    query = tk.request.args.get("q", "")
    specs = {}
    if dashboard is not None:
        specs = {
            key: chart_service.vega_lite(chart.data, lang)
            for key, chart in dashboard.charts.items()
        }
    return {
        "dashboard": dashboard,
        "specs": specs,
        "desa_query": query,
        "desa_rows": figures.search_desa(dashboard.desa, query) if dashboard else [],
        "chart_keys": figures.CHART_KEYS,
    }


@population.route("/kependudukan")
def dashboard() -> str:
    return tk.render("satudata/population/dashboard.html", _page_vars(_dashboard()))


@population.route("/kependudukan/sematan")
def embed() -> str:
    """The dashboard without the portal's header and footer, for an iframe."""
    return tk.render("satudata/population/embed.html", _page_vars(_dashboard()))


@population.route("/kependudukan/<key>.<any(csv, svg, png):kind>")
def chart_file(key: str, kind: str) -> Response:
    board = _dashboard() if key in figures.CHART_KEYS else None
    if board is None or key not in board.charts:
        return tk.abort(404, tk._("No population data yet"))
    return file_response(board.charts[key].data, kind, f"kependudukan-{key}-{board.semester.key}")


@population.route("/kependudukan/desa.csv")
def desa_csv() -> Response:
    board = _dashboard()
    if board is None:
        return tk.abort(404, tk._("No population data yet"))
    rows = figures.search_desa(board.desa, tk.request.args.get("q", ""))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [tk._("Region code"), tk._("Desa/Kelurahan"), tk._("Kecamatan"), tk._("Male"),
         tk._("Female"), tk._("Total")]
    )  # fmt: skip
    writer.writerows(
        exports.neutralise_rows(
            [r.code, r.name, r.kecamatan, r.male, r.female, r.total] for r in rows
        )
    )
    response = Response(("\ufeff" + buffer.getvalue()).encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="kependudukan-desa-{board.semester.key}.csv"'
    )
    return response
