"""Flask blueprints of ckanext-satudata (registered by blanket)."""

from __future__ import annotations

from flask import Blueprint

from ckanext.satudata.harvesters.spreadsheet.views import spreadsheet_template
from ckanext.satudata.ui_views import portal
from ckanext.satudata.validation.views import validation_report

satudata = Blueprint("satudata", __name__)

__all__ = ["portal", "satudata", "spreadsheet_template", "validation_report"]
