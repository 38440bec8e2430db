"""Validation actions and their auth functions (re-exported by
logic/action.py and logic/auth.py, which are blanket-registered)."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.satudata.validation import integration
from ckanext.satudata.validation import model as store


def _resource_id(data_dict: dict[str, Any]) -> str:
    resource_id = data_dict.get("resource_id") or data_dict.get("id")
    if not resource_id:
        raise tk.ValidationError({"resource_id": [tk._("Missing value")]})
    return str(resource_id)


@tk.side_effect_free
def satudata_validation_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The stored validation report of a resource.

    :param resource_id: the resource's id
    :returns: status, counts, timestamps, the summary (each entry with row,
        column, type and messages in Indonesian and English) and the full
        frictionless report
    """
    resource_id = _resource_id(data_dict)
    tk.check_access("satudata_validation_show", context, {"resource_id": resource_id})
    record = store.get(resource_id)
    if record is None:
        raise tk.ObjectNotFound(tk._("No validation report for this resource"))
    return record.as_dict()


def satudata_validation_run(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Validate a resource again (its stored file or its URL).

    :param resource_id: the resource's id
    :param async: queue a background job instead of validating now
        (optional, default: the configured mode)
    :returns: the new report (status "pending" when queued)
    """
    resource_id = _resource_id(data_dict)
    tk.check_access("satudata_validation_run", context, {"resource_id": resource_id})
    resource = model.Resource.get(resource_id)
    if resource is None:
        raise tk.ObjectNotFound(tk._("Resource not found"))
    run_async = tk.asbool(data_dict.get("async", integration.mode() == "async"))
    if run_async:
        store.save(resource_id, resource.package_id, status="pending", source="manual")
        integration.enqueue(resource_id)
    else:
        integration.run_now(resource_id)
    record = store.get(resource_id)
    assert record is not None
    return record.as_dict()


@tk.auth_allow_anonymous_access
def satudata_validation_show_auth(
    context: dict[str, Any], data_dict: dict[str, Any]
) -> dict[str, Any]:
    # Whoever may see the resource (so its dataset) may see its report.
    try:
        tk.check_access("resource_show", context, {"id": data_dict.get("resource_id")})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Not authorized to see this resource")}
    return {"success": True}


def satudata_validation_run_auth(
    context: dict[str, Any], data_dict: dict[str, Any]
) -> dict[str, Any]:
    # Editors of the dataset (and sysadmins, who pass every check).
    resource = model.Resource.get(data_dict.get("resource_id") or "")
    if resource is None:
        return {"success": False, "msg": tk._("Resource not found")}
    try:
        tk.check_access("package_update", context, {"id": resource.package_id})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Not authorized to validate this resource")}
    return {"success": True}
