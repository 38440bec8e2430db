"""Background work of validation (``ckan jobs worker``): validating a stored
resource again, and loading a file that passed into the DataStore. Also what
follows every validation, in any path: ``after_validation`` stores the report
and queues the load of a file that passed."""

from __future__ import annotations

import logging
import os
from typing import Any

from ckan import model
from ckan.lib import uploader
from ckan.plugins import toolkit as tk

from ckanext.satudata import config, contexts
from ckanext.satudata.validation import datastore, engine, reports, service
from ckanext.satudata.validation.reader import FileRejected

log = logging.getLogger(__name__)

LOAD_TIMEOUT_SECONDS = 1800


def after_validation(
    resource: dict[str, Any], result: engine.ValidationResult, source: str
) -> None:
    """Store the report of ``resource`` (with its id and package_id); a file
    that passed reaches the DataStore, typed by the Table Schema it passed
    against (its data standard's, or the inferred one). Nothing else loads
    data, so a failed or refused file never reaches the DataStore."""
    reports.save_result(resource, result, source)
    if result.status == engine.SUCCESS and result.checked_as == "table" and result.table_schema:
        enqueue_load(resource["id"], result.table_schema)


def queue_validation(resource: dict[str, Any], source: str, standard: str | None) -> None:
    """Record a pending report and validate the stored resource in the background."""
    reports.save_pending(resource["id"], resource["package_id"], source, standard)
    enqueue_validation(resource["id"])


# Validation --------------------------------------------------------------------


def enqueue_validation(resource_id: str) -> None:
    tk.enqueue_job(
        validation_job,
        [resource_id],
        title=f"satudata validation {resource_id}",
        queue=config.validation_queue(),
    )


def validation_job(resource_id: str) -> None:
    """Job: validate a stored resource; never raises for a bad file."""
    try:
        run_now(resource_id)
    except Exception:
        log.exception("validation job for resource %s failed", resource_id)
        model.Session.rollback()


def run_now(resource_id: str) -> dict[str, Any]:
    """Inspect the stored file (or URL) of a resource through the gate and
    store the report. A stored upload found to hold personal data is deleted
    from storage."""
    resource = tk.get_action("resource_show")(contexts.site(), {"id": resource_id})
    standard = service.data_standard(resource)
    declared = service.declared_format(resource)
    if resource.get("url_type") == "upload":
        path = stored_path(resource)
        if path is None or not os.path.exists(path):
            result = engine.rejected(
                declared, standard, FileRejected("fetch", reason="no stored file")
            )
        else:
            result = service.inspect_path(path, declared, standard)
            if result.personal_data:
                _remove_stored(path)
        source = "upload"
    elif service.is_url_resource(resource):
        result = service.inspect_url(str(resource["url"]).strip(), declared, standard)
        source = "url"
    else:
        raise tk.ValidationError({"resource_id": [tk._("Resource has no file or URL to validate")]})
    after_validation(resource, result, source)
    return result.as_dict()


def stored_path(resource: dict[str, Any]) -> str | None:
    upload = uploader.get_resource_uploader(resource)
    get_path = getattr(upload, "get_path", None)
    return get_path(resource["id"]) if get_path else None


def _remove_stored(path: str) -> None:
    # Personal data must not stay published; the walidata re-uploads a clean file.
    try:
        os.remove(path)
    except OSError:
        log.exception("could not remove %s", path)


# DataStore ---------------------------------------------------------------------


def enqueue_load(resource_id: str, table_schema: dict[str, Any]) -> None:
    """Queue the load of a validated resource (call only after validation passed)."""
    tk.enqueue_job(
        load_job,
        [resource_id, table_schema],
        title=f"DataStore load {resource_id}",
        queue=config.validation_queue(),
        rq_kwargs={"timeout": LOAD_TIMEOUT_SECONDS},
    )


def load_job(resource_id: str, table_schema: dict[str, Any]) -> int:
    """Job: (re)create the resource's DataStore table and fill it; returns the
    row count. A URL that now serves another file is validated again instead."""
    try:
        return datastore.load_resource(resource_id, table_schema)
    except datastore.FileChanged:
        log.warning(
            "DataStore: %s changed after validation; not loaded, validating it again", resource_id
        )
        enqueue_validation(resource_id)
        return 0
