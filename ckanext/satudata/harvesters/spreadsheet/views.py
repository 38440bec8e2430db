"""Blueprint serving the inventory template: /satudata/template/daftar-data.xlsx."""

from __future__ import annotations

import functools

from flask import Blueprint, Response

from ckanext.satudata.harvesters.spreadsheet.template import build_template

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

spreadsheet_template = Blueprint("satudata_spreadsheet_template", __name__)


@functools.cache
def _template_bytes() -> bytes:
    # The template depends only on the shipped vocabularies: built once per process.
    return build_template()


@spreadsheet_template.route("/satudata/template/daftar-data.xlsx")
def daftar_data_template() -> Response:
    return Response(
        _template_bytes(),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": 'attachment; filename="daftar-data-daerah.xlsx"'},
    )
