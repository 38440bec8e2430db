"""The review through the Action API, with the rules of the review pages:
one action per transition (``satudata_review_<action>``), the review of a
dataset (``satudata_review_show``), the walidata's queue and the producer's
list. The transitions store the walidata's comments: they go through the
personal-data gate in review/transitions.py.

Also the resource writes a published dataset's producer makes: they become
its pending change (review/pending.py) instead of reaching the public; the
other resource writes are CKAN's, each one write unit (writes.py), an outage
refused as the package writes refuse it (dataset.py). (These are the only
chained resource_create/resource_update of this plugin: a second one in
another module would replace them in get_actions.)
"""

from __future__ import annotations

import uuid
from typing import Any

from ckan import model
from ckan.logic import validate
from ckan.plugins import toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.satudata import writes
from ckanext.satudata.logic import roles, schema
from ckanext.satudata.logic.action.dataset import refusing_outages
from ckanext.satudata.logic.action.gate import calls_the_gate
from ckanext.satudata.review import overview, pending, queues, transitions, workflow

__all__ = [
    "resource_create",
    "resource_delete",
    "resource_update",
    "satudata_review_approve",
    "satudata_review_mine",
    "satudata_review_publish",
    "satudata_review_queue",
    "satudata_review_reject",
    "satudata_review_show",
    "satudata_review_submit",
    "satudata_review_unpublish",
    "satudata_review_withdraw",
]


def _dataset(data_dict: DataDict) -> model.Package:
    package = model.Package.get(str(data_dict.get("id") or ""))
    if not workflow.is_sdi(package):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    assert package is not None
    return package


def _transition(action: str, context: Context, data_dict: DataDict) -> dict[str, Any]:
    package = _dataset(data_dict)
    tk.check_access(f"satudata_review_{action}", context, {"id": package.id})
    if not workflow.enabled():
        # The status would change but not what the public sees: refuse by name.
        raise tk.ValidationError(
            {"status_data": [tk._("The walidata's review is not enabled on this portal")]}
        )
    return transitions.run(
        context,
        package,
        action,
        comment=str(data_dict.get("comment") or ""),
        items=data_dict.get("items") or [],
    )


@calls_the_gate  # comments and item notes: transitions.run
@validate(schema.review_transition)
def satudata_review_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a dataset (or the change of a published one) to the walidata.

    :param id: the dataset's id or name
    :param comment: a note for the walidata (optional)
    :returns: the review event
    """
    return _transition("submit", context, data_dict)


@calls_the_gate  # comments and item notes: transitions.run
@validate(schema.review_transition)
def satudata_review_withdraw(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Withdraw a submission (dibatalkan): the producer may change it again.

    :param id: the dataset's id or name
    :param comment: why (optional)
    :returns: the review event
    """
    return _transition("withdraw", context, data_dict)


@calls_the_gate  # comments and item notes: transitions.run
@validate(schema.review_transition)
def satudata_review_approve(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Approve a submitted dataset (disetujui), ready to be published.

    :param id: the dataset's id or name
    :param comment: a note (optional)
    :param items: the walidata's marks, [{"key", "label", "accepted", "comment"}]
        (keys as satudata_review_show lists them; optional)
    :returns: the review event
    """
    return _transition("approve", context, data_dict)


@calls_the_gate  # comments and item notes: transitions.run
@validate(schema.review_transition)
def satudata_review_reject(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Return a dataset to its producer (ditolak) with what to correct: a
    comment, or items not accepted (each with its comment).

    :param id: the dataset's id or name
    :param comment: the walidata's note
    :param items: [{"key", "label", "accepted", "comment"}]
    :returns: the review event
    """
    return _transition("reject", context, data_dict)


@calls_the_gate  # comments and item notes: transitions.run
@validate(schema.review_transition)
def satudata_review_publish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish an approved dataset (ditayangkan), or the approved change of a
    published one (it replaces the published version).

    :param id: the dataset's id or name
    :returns: the review event
    """
    return _transition("publish", context, data_dict)


@calls_the_gate  # comments and item notes: transitions.run
@validate(schema.review_transition)
def satudata_review_unpublish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Take a published dataset off the portal (tidak_ditayangkan).

    :param id: the dataset's id or name
    :param comment: why
    :returns: the review event
    """
    return _transition("unpublish", context, data_dict)


@tk.side_effect_free
@validate(schema.review_reference)
def satudata_review_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The review of a dataset: the version under review (the dataset, or the
    pending change of a published one), its items with what changed since
    the last review, the SDI checks, and the review history.

    :param id: the dataset's id or name
    """
    package = _dataset(data_dict)
    tk.check_access("satudata_review_show", context, {"id": package.id})
    return overview.overview(package)


@tk.side_effect_free
@validate(schema.review_queue)
def satudata_review_queue(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What waits for the walidata, oldest first, with its age (days) against
    the SLA (ckanext.satudata.review.sla_days), and a summary per OPD.

    :param owner_org: one OPD only (id or name, optional)
    """
    tk.check_access("satudata_review_queue", context, data_dict)
    owner = data_dict.get("owner_org")
    owner_id = None
    if owner:
        group = model.Group.get(str(owner))
        if group is None:
            raise tk.ObjectNotFound(tk._("Organization not found"))
        owner_id = group.id
    return queues.queue(owner_id)


@tk.side_effect_free
def satudata_review_mine(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The datasets of the OPDs the user produces data for, by state, with
    the walidata's last decision (its comments)."""
    tk.check_access("satudata_review_mine", context, data_dict)
    return queues.mine(roles.producer_organizations(str(context.get("user") or "")))


# --- resource writes to a published dataset ------------------------------------


def _resource_of(shown: dict[str, Any], resource_id: str) -> dict[str, Any]:
    found = next(r for r in shown.get("resources", []) if r.get("id") == resource_id)
    return {**found, "package_id": shown["id"], pending.REVISION_KEY: shown[pending.REVISION_KEY]}


@tk.chained_action
def resource_create(original: Action, context: Context, data_dict: DataDict) -> Any:
    """On a published dataset, a producer's new resource joins its pending
    change. Otherwise CKAN's, as one write unit (writes.py: the package_update
    inside and the report the resource hooks store after it, scored once),
    and a steward's upload during an outage gets a clear refusal."""
    with writes.unit():
        return _resource_create(original, context, data_dict)


def _resource_create(original: Action, context: Context, data_dict: DataDict) -> Any:
    package = model.Package.get(str(data_dict.get("package_id") or ""))
    if not workflow.defers(context, package):
        return refusing_outages(lambda: original(context, data_dict))
    assert package is not None
    tk.check_access("resource_create", context, data_dict)
    version = pending.current_version(package)
    resource = {k: v for k, v in data_dict.items() if k != "package_id"}
    resource.setdefault("id", str(uuid.uuid4()))
    version["resources"] = [*(version.get("resources") or []), resource]
    return _resource_of(pending.propose(context, package, version), resource["id"])


@tk.chained_action
def resource_update(original: Action, context: Context, data_dict: DataDict) -> Any:
    """On a published dataset, a producer's change of a resource (a new file
    too) joins its pending change; the published file stays until then.
    Otherwise CKAN's, as resource_create."""
    with writes.unit():
        return _resource_update(original, context, data_dict)


def _resource_update(original: Action, context: Context, data_dict: DataDict) -> Any:
    stored = model.Resource.get(str(data_dict.get("id") or ""))
    package = stored.package if stored is not None else None
    if not workflow.defers(context, package):
        return refusing_outages(lambda: original(context, data_dict))
    assert package is not None and stored is not None
    tk.check_access("resource_update", context, data_dict)
    version = pending.current_version(package)
    resources = version.get("resources") or []
    for index, resource in enumerate(resources):
        if resource.get("id") == stored.id:
            kept = {k: resource[k] for k in ("datastore_active",) if k in resource}
            resources[index] = {**kept, **{k: v for k, v in data_dict.items() if k != "package_id"}}
            break
    else:
        raise tk.ObjectNotFound(tk._("Resource was not found."))
    version["resources"] = resources
    return _resource_of(pending.propose(context, package, version), stored.id)


@tk.chained_action
def resource_delete(original: Action, context: Context, data_dict: DataDict) -> Any:
    """On a published dataset, a producer's removal of a resource joins its
    pending change."""
    stored = model.Resource.get(str(data_dict.get("id") or ""))
    package = stored.package if stored is not None else None
    if not workflow.defers(context, package):
        return original(context, data_dict)
    assert package is not None and stored is not None
    tk.check_access("resource_delete", context, data_dict)
    version = pending.current_version(package)
    version["resources"] = [r for r in version.get("resources") or [] if r.get("id") != stored.id]
    pending.propose(context, package, version)
    return None
