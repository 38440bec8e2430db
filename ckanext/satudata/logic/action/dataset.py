"""Chained dataset actions: CKAN's package writes validate their resources
(validation/hooks.py), keep storage in step with the database (uploads.py)
and follow the review workflow (review/workflow.py: the status changes only
through a transition, a published dataset's producer edits become its
pending change); a save that meets an outage is refused with a clear
message, the bulk visibility actions respect the classification and the
status, and scheming's schema API lists vocabulary choices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Action, Context, DataDict
from flask import has_request_context

from ckanext.satudata import contexts, faults, shown, uploads, writes
from ckanext.satudata.catalog import choices
from ckanext.satudata.catalog import form as dataset_form
from ckanext.satudata.harvesters import form as harvest_form
from ckanext.satudata.logic import roles
from ckanext.satudata.logic.action.gate import marked
from ckanext.satudata.reference import vocabularies
from ckanext.satudata.review import pending, states, workflow
from ckanext.satudata.validation import hooks, reports, service

__all__ = [
    "bulk_update_delete",
    "bulk_update_private",
    "bulk_update_public",
    "package_create",
    "package_show",
    "package_update",
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
    page = dataset_form.posted_page(data_dict)
    if page is not None:
        context = contexts.with_flag(context, dataset_form.FORM_PAGE_FLAG, page)
    pending = hooks.before_package_change(context, data_dict, current)
    with uploads.transaction():
        result = refusing_outages(lambda: original(context, data_dict))
    package_id = result if isinstance(result, str) else result["id"]  # return_id_only
    hooks.after_package_change(package_id, pending)
    return result


@marked
def package_create(original: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN stores the uploads and URLs of the resources given to
    package_create without the resource hooks: validate them here too. The
    workflow sets the new dataset's status. One write unit (writes.py): the
    dataset's quality is scored once, after its reports are stored."""
    if harvest_form.applies(data_dict):  # a harvest source: its form's config first
        return harvest_form.save(
            data_dict, lambda d: package_create(original, context, d), update=False
        )
    with writes.unit():
        return _create(original, context, data_dict)


def _create(original: Action, context: Context, data_dict: DataDict) -> Any:
    status = workflow.before_create(context, data_dict)
    result = _validating(original, context, data_dict, None)
    workflow.after_create(context, result if isinstance(result, str) else result["id"], status)
    return result


@marked
def package_update(original: Action, context: Context, data_dict: DataDict) -> Any:
    """As package_create (package_patch and resource_create/update call this;
    resources the resource hooks validated are not validated again). A write
    the workflow defers is kept as the dataset's pending change. One write
    unit, as package_create."""
    if harvest_form.applies(data_dict):  # a harvest source: its form's config first
        return harvest_form.save(
            data_dict, lambda d: package_update(original, context, d), update=True
        )
    with writes.unit():
        return _update(original, context, data_dict)


def _update(original: Action, context: Context, data_dict: DataDict) -> Any:
    reference = data_dict.get("id") or data_dict.get("name")
    package = refusing_outages(lambda: model.Package.get(reference)) if reference else None
    if package is not None and workflow.defers(context, package):
        tk.check_access("package_update", context, {**data_dict, "id": package.id})
        shown = pending.propose(context, package, data_dict)
        return package.id if context.get("return_id_only") else shown
    transition = (
        workflow.before_update(context, package, data_dict)
        if package is not None and workflow.is_sdi(package)
        else None
    )
    current = None
    if isinstance(data_dict.get("resources"), list) and package is not None:
        current = tk.get_action("package_show")(
            {"ignore_auth": True, "use_cache": False}, {"id": package.id}
        )
    result = _validating(original, context, data_dict, current)
    if package is not None:
        workflow.after_update(context, package.id, transition)
    return result


def _under_review(package: model.Package) -> bool:
    return workflow.enabled() and workflow.is_sdi(package)


def _refuse_bulk(blocked: list[str], message: str) -> None:
    if blocked:
        raise tk.ValidationError({"datasets": [message.format(names=", ".join(blocked))]})


@tk.side_effect_free
@tk.chained_action
def package_show(original: Action, context: Context, data_dict: DataDict) -> Any:
    """The validation status of every resource (before_resource_show) read in
    one query for the dataset, not one per resource; within shown.kept, a
    dataset shown again is the kept answer."""
    name_or_id = data_dict.get("id") or data_dict.get("name_or_id")
    if not name_or_id:
        return original(context, data_dict)
    shown_key = shown.key(str(name_or_id), contexts.as_dict(context), data_dict)
    answer = shown.lookup(shown_key)
    if answer is not None:
        tk.check_access("package_show", context, data_dict)  # as the action would
        return answer
    with reports.reports_of_package(str(name_or_id)):
        answer = original(context, data_dict)
    shown.keep(shown_key, answer)
    return answer


@tk.chained_action
def bulk_update_public(original: Action, context: Context, data_dict: DataDict) -> Any:
    """The organization page's bulk "make public" writes straight to the
    database, past the dataset validators: refuse restricted or closed data,
    and data the walidata has not published."""
    closed = {t.value for t in vocabularies.terms("classification") if not t.extra.get("public")}
    restricted, unpublished = [], []
    for dataset_id in data_dict.get("datasets") or []:
        package = model.Package.get(dataset_id)
        if package is None:
            continue
        if package.extras.get("accessRights") in closed:
            restricted.append(package.name)
        elif _under_review(package) and workflow.status_of(package) != states.PUBLISHED:
            unpublished.append(package.name)
    _refuse_bulk(restricted, tk._("Restricted or closed datasets cannot be made public: {names}"))
    _refuse_bulk(
        unpublished,
        tk._("Datasets the walidata has not published cannot be made public: {names}"),
    )
    return original(context, data_dict)


@tk.chained_action
def bulk_update_private(original: Action, context: Context, data_dict: DataDict) -> Any:
    """Taking published datasets off the portal is the walidata's
    unpublishing (satudata_review_unpublish), not a visibility switch."""
    published = [
        package.name
        for package in (model.Package.get(i) for i in data_dict.get("datasets") or [])
        if package is not None
        and _under_review(package)
        and workflow.status_of(package) == states.PUBLISHED
    ]
    _refuse_bulk(
        published,
        tk._(
            "Published datasets leave the portal only when the walidata unpublishes them: {names}"
        ),
    )
    return original(context, data_dict)


@tk.chained_action
def bulk_update_delete(original: Action, context: Context, data_dict: DataDict) -> Any:
    """As package_delete's auth: only the walidata deletes published datasets."""
    if not roles.is_walidata(str(context.get("user") or "")):
        published = [
            package.name
            for package in (model.Package.get(i) for i in data_dict.get("datasets") or [])
            if package is not None
            and _under_review(package)
            and workflow.status_of(package) == states.PUBLISHED
        ]
        _refuse_bulk(
            published,
            tk._("A published dataset is deleted only by the walidata: {names}"),
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
