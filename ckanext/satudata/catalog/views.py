"""The portal's own pages: the developer page (with live examples)."""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint
from werkzeug.wrappers.response import Response

portal = Blueprint("satudata_portal", __name__)


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


@portal.route("/pengembang")
def developer() -> str:
    site = tk.config.get("ckan.site_url").rstrip("/")
    return tk.render("satudata/developer.html", {"site": site, "example": _example_resource()})


@portal.route("/api-docs")
def api_docs() -> Response:
    return tk.redirect_to("satudata_portal.developer")
