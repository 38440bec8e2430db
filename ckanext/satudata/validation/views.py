"""Validation report page: /dataset/<id>/resource/<resource_id>/validation."""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint

from ckanext.satudata import contexts
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.validation import reports

validation_report = Blueprint("satudata_validation", __name__)


@validation_report.route("/dataset/<id>/resource/<resource_id>/validation")
def report(id: str, resource_id: str) -> Any:
    try:
        package = tk.get_action("package_show")(contexts.current_user(), {"id": id})
        resource = tk.get_action("resource_show")(contexts.current_user(), {"id": resource_id})
        record = tk.get_action("satudata_validation_show")(
            contexts.current_user(), {"resource_id": resource_id}
        )
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this page"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Validation report not found"))
    if resource.get("package_id") != package["id"]:
        return tk.abort(404, tk._("Validation report not found"))
    lang = current_lang()
    return tk.render(
        "satudata/validation_report.html",
        {
            "pkg_dict": package,
            "pkg": package,
            "res": resource,
            "report": record,
            "findings": reports.summary_for_display(record["summary"], lang),
        },
    )
