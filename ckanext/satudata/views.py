"""Flask blueprints of ckanext-satudata: each lives with its concept; the
plugin registers what ``get_blueprints`` lists."""

from __future__ import annotations

from flask import Blueprint

from ckanext.satudata.catalog.views import portal
from ckanext.satudata.charts.views import charts
from ckanext.satudata.harvesters.spreadsheet.views import spreadsheet_template
from ckanext.satudata.interop.schemes import schemes
from ckanext.satudata.interop.views import pelita_api
from ckanext.satudata.planning.views import planning
from ckanext.satudata.population.views import population
from ckanext.satudata.quality.views import quality
from ckanext.satudata.review.views import review
from ckanext.satudata.standards.views import standards
from ckanext.satudata.validation.views import validation_report


def get_blueprints() -> list[Blueprint]:
    return [
        portal,
        charts,
        pelita_api,
        planning,
        population,
        quality,
        review,
        schemes,
        standards,
        spreadsheet_template,
        validation_report,
    ]
