"""Validation inside CKAN's write actions: the resource hooks and the
package_create/package_update wrappers (logic/action/dataset.py) call these.

In sync mode the upload (or the URL's content) is validated in
``before_change``, before CKAN stores anything, so a refused update leaves
the old file and metadata untouched. The result waits in the action's
context until ``after_change`` knows the resource id and stores the report.
In async mode ``after_change`` queues the validation instead.
"""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from ckan.types import Context

from ckanext.satudata import config, contexts
from ckanext.satudata.validation import engine, jobs, reports, service

_CONTEXT_KEY = "satudata_validation"
# Set by callers that validated through the validation service themselves (harvesters).
DONE_FLAG = "satudata_validation_done"
# Marks a resource dict the resource hooks already validated, so the
# package_update that resource_create/resource_update run inside does not
# validate it again. An object, not a value: no API request can forge it.
_CHECKED_KEY = "__satudata_checked"
_CHECKED = object()


def before_change(
    context: Context,
    resource: dict[str, Any],
    current: dict[str, Any] | None,
    package_standard: str | None = None,
) -> None:
    """Shared by before_resource_create and before_resource_update (and the
    package_create/package_update wrappers, which pass the dataset's standard
    from the data dict: the dataset may not exist yet). Every upload and every
    new URL goes through the gate, whatever its name or format says."""
    reports.strip_read_only(resource)
    resource[_CHECKED_KEY] = _CHECKED
    carried = contexts.as_dict(context)
    carried.pop(_CONTEXT_KEY, None)
    upload = service.upload_of(resource)
    if upload is not None:
        declared, source = service.declared_format(resource, upload.filename), "upload"
    elif service.is_url_resource(resource):
        if current is not None and current.get("url") == resource.get("url"):
            return  # same URL: metadata edit, keep the report
        declared, source = service.declared_format(resource), "url"
    else:
        return
    standard = service.data_standard({**(current or {}), **resource}) or package_standard
    if config.validation_mode() == "async":
        carried[_CONTEXT_KEY] = {"source": source, "standard": standard, "result": None}
        return
    if source == "upload":
        result = service.inspect_upload(upload, declared, standard)
    else:
        result = service.inspect_url(str(resource["url"]).strip(), declared, standard)
    service.refuse_if_needed(result, "upload" if source == "upload" else "url")
    carried[_CONTEXT_KEY] = {"source": source, "standard": standard, "result": result}


def after_change(context: Context, resource: dict[str, Any]) -> None:
    pending = contexts.as_dict(context).pop(_CONTEXT_KEY, None)
    if not pending:
        return
    result: engine.ValidationResult | None = pending["result"]
    if result is None:
        jobs.queue_validation(resource, pending["source"], pending["standard"])
        return
    jobs.after_validation(resource, result, pending["source"])


def take_pending(context: Context) -> dict[str, Any] | None:
    """The validation ``before_change`` left in ``context``, taken out of it,
    for a caller that stores the file later (a published dataset's pending
    change keeps it until the walidata publishes the change)."""
    return contexts.as_dict(context).pop(_CONTEXT_KEY, None)


def record(pending: dict[str, Any], resource: dict[str, Any]) -> None:
    """What ``after_change`` does, for a validation taken out by ``take_pending``
    (or by ``before_package_change``), now that ``resource`` is stored."""
    after_change(contexts.with_flag({}, _CONTEXT_KEY, pending), resource)


def validated_by_caller(context: Context) -> Context:
    """``context`` telling the package hooks that the caller validated the
    resources through the validation service itself (the harvesters)."""
    return contexts.with_flag(context, DONE_FLAG, True)


def _resource_label(index: int, resource: dict[str, Any]) -> str:
    name = resource.get("name") or resource.get("id") or ""
    return tk._("Resource {number} ({name})").format(number=index + 1, name=name)


def before_package_change(
    context: Context, data_dict: dict[str, Any], current: dict[str, Any] | None
) -> dict[int, dict[str, Any]]:
    """package_create/package_update store uploads and URLs of every resource
    in the data dict without calling the resource hooks: validate each new
    upload or new URL here, as the hooks do. Returns the pending results by
    resource position, for ``after_package_change``."""
    resources = data_dict.get("resources")
    if not isinstance(resources, list):
        return {}
    checked = [isinstance(r, dict) and r.pop(_CHECKED_KEY, None) is _CHECKED for r in resources]
    if contexts.flag(context, DONE_FLAG):
        return {}
    existing = {r["id"]: r for r in (current or {}).get("resources", []) if r.get("id")}
    pending: dict[int, dict[str, Any]] = {}
    for index, resource in enumerate(resources):
        if checked[index] or not isinstance(resource, dict):
            continue  # validated by the resource hooks of resource_create/update
        own: Context = {}
        try:
            before_change(
                own, resource, existing.get(resource.get("id") or ""), data_dict.get("standar_data")
            )
        except tk.ValidationError as refused:
            errors: list[str | dict[str, Any]] = [{} for _ in resources]
            label = _resource_label(index, resource)
            errors[index] = {
                field: [f"{label}: {message}" for message in messages]
                for field, messages in refused.error_dict.items()
                if isinstance(messages, list)
            }
            raise tk.ValidationError({"resources": errors}) from None
        finally:
            resource.pop(_CHECKED_KEY, None)
        result = contexts.flag(own, _CONTEXT_KEY)
        if result:
            pending[index] = result
    return pending


def after_package_change(package_id: str, pending: dict[int, dict[str, Any]]) -> None:
    """Store the results (or queue the validation) of the resources that
    ``before_package_change`` validated, now that they have ids."""
    if not pending:
        return
    package = tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False}, {"id": package_id}
    )
    resources = package.get("resources", [])
    for index, result in pending.items():
        if index < len(resources):
            context = contexts.with_flag({}, _CONTEXT_KEY, result)
            after_change(context, {**resources[index], "package_id": package["id"]})
