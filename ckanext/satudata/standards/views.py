"""Data standards as files people download: the Table Schema JSON (the IRI
dcat.py publishes as dct:conformsTo) and its Excel template."""

from __future__ import annotations

import json
from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint, Response

from ckanext.satudata import contexts
from ckanext.satudata.standards import files, registry

standards = Blueprint("satudata_standards", __name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _standard_or_404(name: str) -> dict[str, Any]:
    schema = files.table_schema(name)
    if schema is None:
        tk.abort(404, tk._("Data standard not found"))
    assert schema is not None
    return schema


@standards.route("/standar-data/<name>")
def data_standard(name: str) -> Response:
    """The Table Schema itself, readable by other sites' scripts (CORS)."""
    schema = _standard_or_404(name)
    body = json.dumps(schema, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={"Access-Control-Allow-Origin": "*"})


@standards.route("/standar-data/<name>/template.xlsx")
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
        files.excel_template(schema, labels),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="template_{name}.xlsx"'},
    )


@standards.route("/standar-data/<name>/dataset-baru")
def start_dataset(name: str) -> Any:
    """The dataset form, started with what the standard defines
    (registry.dataset_fields), for a user who may create a dataset."""
    _standard_or_404(name)
    try:
        tk.check_access("package_create", contexts.current_user(), {})
    except tk.NotAuthorized:
        tk.abort(403, tk._("Not authorized to create a dataset"))
    return tk.redirect_to("dataset.new", **registry.dataset_fields(name))
