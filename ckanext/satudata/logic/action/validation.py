"""Validation reports through the Action API."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.logic import validate
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.satudata import config
from ckanext.satudata.logic import schema
from ckanext.satudata.model import validation_report
from ckanext.satudata.validation import jobs

__all__ = ["satudata_validation_run", "satudata_validation_show"]


@tk.side_effect_free
@validate(schema.resource_reference)
def satudata_validation_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The stored validation report of a resource.

    :param resource_id: the resource's id
    :returns: status, counts, timestamps, the summary (each entry with row,
        column, type and messages in Indonesian and English) and the full
        frictionless report
    """
    resource_id = data_dict["resource_id"]
    resource = model.Resource.get(resource_id)
    if resource is None or resource.state != "active":
        # A deleted resource has no report, for anyone (sysadmins pass every
        # auth function, so the auth function's own check does not stop them).
        raise tk.ObjectNotFound(tk._("Resource not found"))
    tk.check_access("satudata_validation_show", context, {"resource_id": resource_id})
    record = validation_report.get(resource_id)
    if record is None:
        raise tk.ObjectNotFound(tk._("No validation report for this resource"))
    return record.as_dict()


@validate(schema.resource_reference)
def satudata_validation_run(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Validate a resource again (its stored file or its URL).

    :param resource_id: the resource's id
    :param async: queue a background job instead of validating now
        (optional, default: the configured mode)
    :returns: the new report (status "pending" when queued)
    """
    resource_id = data_dict["resource_id"]
    tk.check_access("satudata_validation_run", context, {"resource_id": resource_id})
    resource = model.Resource.get(resource_id)
    if resource is None or resource.state != "active":
        raise tk.ObjectNotFound(tk._("Resource not found"))
    run_async = data_dict.get("async", config.validation_mode() == "async")
    if run_async:
        jobs.queue_validation(
            {"id": resource_id, "package_id": resource.package_id}, "manual", None
        )
    else:
        jobs.run_now(resource_id)
    record = validation_report.get(resource_id)
    assert record is not None
    return record.as_dict()
