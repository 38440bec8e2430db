"""Input schemas of ckanext-satudata's own actions (ckan.logic.validate)."""

from __future__ import annotations

from ckan.logic.schema import validator_args
from ckan.types import Schema, Validator, ValidatorFactory

from ckanext.satudata.planning import exporting, progress


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


@validator_args
def dataset_reference(not_empty: Validator, unicode_safe: Validator) -> Schema:
    """``id`` (a dataset's id or name, required) of the interoperability actions;
    the calls' own query parameters are checked by interop/pelita.py."""
    return {"id": [not_empty, unicode_safe]}


@validator_args
def quality_summary(ignore_missing: Validator, unicode_safe: Validator) -> Schema:
    """``organization`` (an OPD's id or name, optional: the whole portal)."""
    return {"organization": [ignore_missing, unicode_safe]}


@validator_args
def quality_export(
    ignore_missing: Validator, unicode_safe: Validator, one_of: ValidatorFactory
) -> Schema:
    """``format`` (xlsx or csv) and ``organization`` (optional: every OPD)."""
    return {
        "format": [ignore_missing, unicode_safe, one_of(["xlsx", "csv"])],
        "organization": [ignore_missing, unicode_safe],
    }


@validator_args
def daftar_data_year(ignore_missing: Validator, int_validator: Validator) -> Schema:
    """``tahun`` of a plan (optional: the default plan year)."""
    return {"tahun": [ignore_missing, int_validator]}


@validator_args
def daftar_data_list(
    ignore_missing: Validator,
    int_validator: Validator,
    unicode_safe: Validator,
    boolean_validator: Validator,
    one_of: ValidatorFactory,
) -> Schema:
    """A year's items, filtered by OPD (id or name), topic, Data Prioritas, state."""
    return {
        "tahun": [ignore_missing, int_validator],
        "organization": [ignore_missing, unicode_safe],
        "topik": [ignore_missing, unicode_safe],
        "prioritas": [ignore_missing, boolean_validator],
        "state": [ignore_missing, unicode_safe, one_of(list(progress.STATES))],
    }


@validator_args
def daftar_data_item(not_empty: Validator, unicode_safe: Validator) -> Schema:
    return {"id": [not_empty, unicode_safe]}


@validator_args
def daftar_data_import(not_empty: Validator, int_validator: Validator) -> Schema:
    """``tahun`` and ``upload`` (the XLSX/CSV file) of a plan import."""
    return {"tahun": [not_empty, int_validator], "upload": [not_empty]}


@validator_args
def daftar_data_export(
    ignore_missing: Validator,
    int_validator: Validator,
    default: ValidatorFactory,
    one_of: ValidatorFactory,
) -> Schema:
    return {
        "tahun": [ignore_missing, int_validator],
        "list": [default(exporting.DAFTAR_DATA), one_of(list(exporting.LISTS))],
        "format": [default("xlsx"), one_of(list(exporting.FORMATS))],
    }


@validator_args
def daftar_data_update(
    not_empty: Validator,
    ignore_missing: Validator,
    unicode_safe: Validator,
    strip_value: Validator,
    boolean_validator: Validator,
    satudata_release_date: Validator,
) -> Schema:
    """What the walidata edits of an item besides re-importing the list."""
    return {
        "id": [not_empty, unicode_safe],
        "nama_data": [ignore_missing, unicode_safe, strip_value, not_empty],
        "prioritas": [ignore_missing, boolean_validator],
        "kriteria_prioritas": [ignore_missing, unicode_safe, strip_value],
        "jadwal_rilis": [ignore_missing, satudata_release_date],
    }


@validator_args
def daftar_data_link(
    not_empty: Validator, unicode_safe: Validator, package_id_or_name_exists: Validator
) -> Schema:
    """An item and a dataset (id or name)."""
    return {
        "id": [not_empty, unicode_safe],
        "package_id": [not_empty, unicode_safe, package_id_or_name_exists],
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


@validator_args
def review_transition(
    not_empty: Validator,
    unicode_safe: Validator,
    ignore_missing: Validator,
    boolean_validator: Validator,
) -> Schema:
    """``id`` of the dataset, an optional ``comment`` and, for a decision,
    ``items``: [{"key", "label", "accepted", "comment"}] (items.review_items)."""
    return {
        "id": [not_empty, unicode_safe],
        "comment": [ignore_missing, unicode_safe],
        "items": {
            "key": [not_empty, unicode_safe],
            "label": [ignore_missing, unicode_safe],
            "accepted": [ignore_missing, boolean_validator],
            "comment": [ignore_missing, unicode_safe],
        },
    }


@validator_args
def review_reference(not_empty: Validator, unicode_safe: Validator) -> Schema:
    """``id`` of the dataset."""
    return {"id": [not_empty, unicode_safe]}


@validator_args
def review_queue(ignore_missing: Validator, unicode_safe: Validator) -> Schema:
    """An optional ``owner_org`` (id or name) to list one OPD's queue."""
    return {"owner_org": [ignore_missing, unicode_safe]}
