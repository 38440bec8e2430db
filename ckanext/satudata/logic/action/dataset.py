"""Chained dataset actions: CKAN's package writes validate their resources
(validation/hooks.py), the bulk "make public" respects the data
classification, and scheming's schema API lists vocabulary choices."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.satudata.catalog import choices
from ckanext.satudata.logic.action.gate import marked
from ckanext.satudata.reference import vocabularies
from ckanext.satudata.validation import hooks, service

__all__ = [
    "bulk_update_public",
    "package_create",
    "package_update",
    "scheming_dataset_schema_show",
    "scheming_organization_schema_show",
]


def _validating(original: Action, context: Context, data_dict: DataDict, current: Any) -> Any:
    """Run a package action through the gate: its texts (dataset and resource
    metadata) and its resources' uploads and URLs are checked before it stores
    anything, and the reports recorded once the resources have ids."""
    service.refuse_personal_text(data_dict)
    pending = hooks.before_package_change(context, data_dict, current)
    result = original(context, data_dict)
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
        package = model.Package.get(reference)
        if package is not None:
            current = tk.get_action("package_show")(
                {"ignore_auth": True, "use_cache": False}, {"id": package.id}
            )
    return _validating(original, context, data_dict, current)


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
