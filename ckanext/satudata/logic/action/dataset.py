"""Chained dataset actions: CKAN's package writes validate their resources
(validation/hooks.py) and keep storage in step with the database
(uploads.py), a save that meets an outage is refused with a clear message,
the bulk "make public" respects the data classification, and scheming's
schema API lists vocabulary choices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Action, Context, DataDict
from flask import has_request_context

from ckanext.satudata import faults, uploads
from ckanext.satudata.catalog import choices
from ckanext.satudata.logic.action.gate import marked
from ckanext.satudata.reference import vocabularies
from ckanext.satudata.validation import hooks, service

__all__ = [
    "bulk_update_public",
    "package_create",
    "package_update",
    "resource_create",
    "resource_update",
    "scheming_dataset_schema_show",
    "scheming_organization_schema_show",
]


def refusing_outages(call: Callable[[], Any]) -> Any:
    """``call()``; in a web or API request, an infrastructure fault (Solr,
    PostgreSQL, Redis, disk) becomes a ValidationError saying, in the user's
    language, that nothing was saved. Elsewhere (harvest consumers, jobs) the
    fault propagates, for their retries (ops/consumers.py)."""
    try:
        return call()
    except tk.ValidationError:
        raise
    except Exception as err:
        fault = faults.classify(err)
        if fault is None or not has_request_context():
            raise
        try:
            model.Session.rollback()
        except Exception:  # the database may be the service that is gone
            model.Session.remove()
        raise tk.ValidationError({"service": [fault.user_message()]}) from err


def _validating(original: Action, context: Context, data_dict: DataDict, current: Any) -> Any:
    """Run a package action through the gate: its texts (dataset and resource
    metadata) and its resources' uploads and URLs are checked before it stores
    anything, the reports recorded once the resources have ids, and its
    uploads undone if it fails."""
    service.refuse_personal_text(data_dict)
    pending = hooks.before_package_change(context, data_dict, current)
    with uploads.transaction():
        result = refusing_outages(lambda: original(context, data_dict))
    package_id = result if isinstance(result, str) else result["id"]  # return_id_only
    hooks.after_package_change(package_id, pending)
    return result


@marked
def package_create(original: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN stores the uploads and URLs of the resources given to
    package_create without the resource hooks: validate them here too."""
    return _validating(original, context, data_dict, None)


@marked
def package_update(original: Action, context: Context, data_dict: DataDict) -> Any:
    """As package_create (package_patch and resource_create/update call this;
    resources the resource hooks validated are not validated again)."""
    current = None
    reference = data_dict.get("id") or data_dict.get("name")
    if isinstance(data_dict.get("resources"), list) and reference:
        package = refusing_outages(lambda: model.Package.get(reference))
        if package is not None:
            current = tk.get_action("package_show")(
                {"ignore_auth": True, "use_cache": False}, {"id": package.id}
            )
    return _validating(original, context, data_dict, current)


@tk.chained_action
def resource_create(original: Action, context: Context, data_dict: DataDict) -> Any:
    """A steward's upload during an outage gets a clear refusal (the dataset
    is read before package_update runs)."""
    return refusing_outages(lambda: original(context, data_dict))


@tk.chained_action
def resource_update(original: Action, context: Context, data_dict: DataDict) -> Any:
    """As resource_create."""
    return refusing_outages(lambda: original(context, data_dict))


@tk.chained_action
def bulk_update_public(original: Action, context: Context, data_dict: DataDict) -> Any:
    """The organization page's bulk "make public" writes straight to the
    database, past the dataset validators: refuse restricted or closed data."""
    closed = {t.value for t in vocabularies.terms("classification") if not t.extra.get("public")}
    ids = data_dict.get("datasets") or []
    blocked = []
    for dataset_id in ids:
        package = model.Package.get(dataset_id)
        if package is not None and package.extras.get("accessRights") in closed:
            blocked.append(package.name)
    if blocked:
        raise tk.ValidationError(
            {
                "datasets": [
                    tk._("Restricted or closed datasets cannot be made public: {names}").format(
                        names=", ".join(blocked)
                    )
                ]
            }
        )
    return original(context, data_dict)


def _with_vocabulary_choices(schema: dict[str, Any]) -> dict[str, Any]:
    """Our vocabulary fields name a ``choices_helper``, which scheming does not
    resolve in its API: add the ``choices`` so API users see the allowed values."""
    schema = dict(schema)
    for key in ("dataset_fields", "resource_fields", "fields"):
        if key in schema:
            schema[key] = [
                {**f, "choices": choices.of_field(f)}
                if f.get("choices_helper") == "satudata_choices"
                else f
                for f in schema[key]
            ]
    return schema


@tk.side_effect_free
@tk.chained_action
def scheming_dataset_schema_show(
    original: Action, context: Context, data_dict: DataDict
) -> dict[str, Any]:
    return _with_vocabulary_choices(original(context, data_dict))


@tk.side_effect_free
@tk.chained_action
def scheming_organization_schema_show(
    original: Action, context: Context, data_dict: DataDict
) -> dict[str, Any]:
    return _with_vocabulary_choices(original(context, data_dict))
