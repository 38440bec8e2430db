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


@validator_args
def dataset_reference(not_empty: Validator, unicode_safe: Validator) -> Schema:
    """``id`` (a dataset's id or name, required) of the interoperability actions;
    the calls' own query parameters are checked by interop/pelita.py."""
    return {"id": [not_empty, unicode_safe]}
