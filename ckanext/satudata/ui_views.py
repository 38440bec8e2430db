"""Public pages of the portal: data standards (Table Schema JSON and Excel
template) and the developer page."""

from __future__ import annotations

import json
from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint, Response

from ckanext.satudata import standard_files

portal = Blueprint("satudata_portal", __name__)


def _standard_or_404(name: str) -> dict[str, Any]:
    schema = standard_files.table_schema(name)
    if schema is None:
        tk.abort(404, tk._("Data standard not found"))
    assert schema is not None
    return schema


def data_standard(name: str) -> Response:
    """The Table Schema itself: the IRI dcat.py publishes as dct:conformsTo."""
    schema = _standard_or_404(name)
    body = json.dumps(schema, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={"Access-Control-Allow-Origin": "*"})


def data_standard_template(name: str) -> Response:
    schema = _standard_or_404(name)
    labels = {
        "sheet": tk._("Guide"),
        "column": tk._("Column"),
        "title": tk._("Title"),
        "type": tk._("Type"),
        "required": tk._("Required"),
        "rules": tk._("Rules"),
        "description": tk._("Description"),
        "yes": tk._("Yes"),
        "no": tk._("No"),
    }
    return Response(
        standard_files.excel_template(schema, labels),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="template_{name}.xlsx"'},
    )


def _example_resource() -> dict[str, Any] | None:
    """A public dataset with a DataStore table, for live examples."""
    found = tk.get_action("package_search")(
        {}, {"q": "res_extras_datastore_active:true", "rows": 1, "sort": "metadata_modified desc"}
    )["results"]
    if not found:
        found = tk.get_action("package_search")({}, {"rows": 1, "sort": "metadata_modified desc"})[
            "results"
        ]
    if not found:
        return None
    dataset = found[0]
    resource = next(
        (r for r in dataset.get("resources", []) if r.get("datastore_active")),
        (dataset.get("resources") or [None])[0],
    )
    return {"dataset": dataset, "resource": resource}


def developer() -> str:
    site = tk.config.get("ckan.site_url").rstrip("/")
    return tk.render(
        "satudata/developer.html",
        {"site": site, "example": _example_resource()},
    )


portal.add_url_rule("/standar-data/<name>", view_func=data_standard)
portal.add_url_rule(
    "/standar-data/<name>/template.xlsx",
    view_func=data_standard_template,
    endpoint="data_standard_template",
)
portal.add_url_rule("/pengembang", view_func=developer)
portal.add_url_rule(
    "/api-docs", view_func=lambda: tk.redirect_to("satudata_portal.developer"), endpoint="api_docs"
)
