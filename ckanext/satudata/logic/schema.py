"""Input schemas of ckanext-satudata's own actions (ckan.logic.validate)."""

from __future__ import annotations

from ckan.logic.schema import validator_args
from ckan.types import Schema, Validator


@validator_args
def resource_reference(
    not_empty: Validator,
    unicode_safe: Validator,
    ignore_missing: Validator,
    boolean_validator: Validator,
) -> Schema:
    """``resource_id`` (required) and the optional ``async`` flag of validation runs."""
    return {
        "resource_id": [not_empty, unicode_safe],
        "async": [ignore_missing, boolean_validator],
    }


# Keys of a chart's settings (charts/settings.py ChartSettings.as_config).
CHART_SETTING_KEYS = ("chart_type", "x", "y", "series", "filters", "chart_title", "sort_by_value")


@validator_args
def chart_data(
    ignore_missing: Validator,
    unicode_safe: Validator,
    satudata_one_of_view_or_resource: Validator,
) -> Schema:
    """``view_id`` or ``resource_id``, and the optional settings of a chart."""
    return {
        "view_id": [ignore_missing, unicode_safe],
        "resource_id": [satudata_one_of_view_or_resource, unicode_safe],
        **{key: [ignore_missing, unicode_safe] for key in CHART_SETTING_KEYS},
    }


@validator_args
def chart_view(ignore_missing: Validator, unicode_safe: Validator) -> Schema:
    """The config a chart view stores (IResourceView schema)."""
    return {key: [ignore_missing, unicode_safe] for key in CHART_SETTING_KEYS}
