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
