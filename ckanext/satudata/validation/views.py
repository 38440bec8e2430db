"""Validation report page: /dataset/<id>/resource/<resource_id>/validation,
and the dataset editor's one-click adoption of the data standard the report
recognised (POST …/validation/standard)."""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint
from werkzeug.wrappers.response import Response

from ckanext.satudata import contexts
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.validation import reports

validation_report = Blueprint("satudata_validation", __name__)


def _shown(id: str, resource_id: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The dataset, resource and report as the current user may see them;
    aborts with 403 or 404."""
    try:
        package = tk.get_action("package_show")(contexts.current_user(), {"id": id})
        resource = tk.get_action("resource_show")(contexts.current_user(), {"id": resource_id})
        record = tk.get_action("satudata_validation_show")(
            contexts.current_user(), {"resource_id": resource_id}
        )
    except tk.NotAuthorized:
        tk.abort(403, tk._("Not authorized to see this page"))
        raise  # unreachable: abort raises
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Validation report not found"))
        raise
    if resource.get("package_id") != package["id"]:
        tk.abort(404, tk._("Validation report not found"))
    return package, resource, record


def _may_edit(package_id: str) -> bool:
    try:
        tk.check_access("package_update", contexts.current_user(), {"id": package_id})
    except tk.NotAuthorized:
        return False
    return True


@validation_report.route("/dataset/<id>/resource/<resource_id>/validation")
def report(id: str, resource_id: str) -> Any:
    package, resource, record = _shown(id, resource_id)
    lang = current_lang()
    notes = reports.notes_for_display(record, lang)
    return tk.render(
        "satudata/validation_report.html",
        {
            "pkg_dict": package,
            "pkg": package,
            "res": resource,
            "report": record,
            "checked_as": reports.checked_as(record),
            "notes": notes,
            "adoptable": (
                reports.adoptable_standard(record)
                if not resource.get("standar_data") and _may_edit(package["id"])
                else None
            ),
            "findings": reports.summary_for_display(record["summary"], lang),
        },
    )


@validation_report.route(
    "/dataset/<id>/resource/<resource_id>/validation/standard", methods=["POST"]
)
def adopt_standard(id: str, resource_id: str) -> Response:
    """Set the recognised (or suggested) standard on the resource and validate
    it against that standard again."""
    package, resource, record = _shown(id, resource_id)
    standard = reports.adoptable_standard(record)
    if standard is None or standard != tk.request.form.get("standard"):
        tk.abort(400, tk._("No data standard to set for this resource"))
    try:
        tk.get_action("resource_patch")(
            contexts.current_user(), {"id": resource["id"], "standar_data": standard}
        )
        tk.get_action("satudata_validation_run")(
            contexts.current_user(), {"resource_id": resource["id"]}
        )
    except tk.NotAuthorized:
        tk.abort(403, tk._("Not authorized to edit this dataset"))
    tk.h.flash_success(tk._("Data standard {standard} set").format(standard=standard))
    return tk.redirect_to(
        "satudata_validation.report", id=package["name"], resource_id=resource["id"]
    )
