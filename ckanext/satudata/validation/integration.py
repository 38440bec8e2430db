"""CKAN side of validation: resource hooks, background jobs, API actions.

The plugin's IResourceController methods delegate here. In sync mode the
upload (or the URL's content) is validated in ``before_resource_*``, before
CKAN stores anything, so a refused update leaves the old file and metadata
untouched. The result waits in the action's context until
``after_resource_*`` knows the resource id and stores the report.
"""

from __future__ import annotations

import logging
import os
import tempfile
from typing import Any
from urllib.parse import urlsplit

from ckan import model
from ckan.exceptions import CkanConfigurationException
from ckan.plugins import toolkit as tk

from ckanext.satudata import net
from ckanext.satudata.validation import engine
from ckanext.satudata.validation import model as store
from ckanext.satudata.validation.reader import FileRejected, Limits

log = logging.getLogger(__name__)

# Fields only the engine may set; whatever a user sends for them is dropped.
READ_ONLY_FIELDS = ("validation_status", "validation_timestamp")
_CONTEXT_KEY = "satudata_validation"
# Set by callers that validated through this module themselves (harvesters).
DONE_FLAG = "satudata_validation_done"
# Marks a resource dict the resource hooks already validated, so the
# package_update that resource_create/resource_update run inside does not
# validate it again. An object, not a value: no API request can forge it.
_CHECKED_KEY = "__satudata_checked"
_CHECKED = object()
MB = 1024 * 1024


# Configuration ---------------------------------------------------------------


MODES = ("sync", "async")
ON_FAILURE = ("reject", "store")
_OPTION = "ckanext.satudata.validation."


def _option(key: str) -> Any:
    # Declared in config_declaration.yaml: CKAN fills in the default and the type.
    return tk.config.get(_OPTION + key)


def _choice(key: str, allowed: tuple[str, ...]) -> str:
    value = _option(key)
    if value not in allowed:
        raise CkanConfigurationException(
            f"{_OPTION}{key} = {value!r} is not one of: {', '.join(allowed)}"
        )
    return value


def mode() -> str:
    return _choice("mode", MODES)


def on_failure() -> str:
    return _choice("on_failure", ON_FAILURE)


def check_config() -> None:
    """Refuse to start with an unknown mode or on_failure (IConfigurable)."""
    mode()
    on_failure()


def validated_formats() -> set[str]:
    return {value.lower() for value in tk.aslist(_option("formats"))}


def limits() -> Limits:
    def number(key: str) -> int:
        return int(_option(key))

    return Limits(
        max_bytes=number("max_size_mb") * MB,
        max_uncompressed_bytes=number("max_uncompressed_mb") * MB,
        max_compression_ratio=number("max_compression_ratio"),
        max_zip_entries=number("max_zip_entries"),
        max_rows=number("max_rows"),
    )


def fetch_policy() -> net.FetchPolicy:
    return net.FetchPolicy(
        timeout=float(_option("url_timeout")),
        max_bytes=limits().max_bytes,
        allow_private=tk.asbool(_option("url_allow_private")),
    )


def current_lang() -> str:
    from ckanext.satudata.helpers import current_lang as lang

    return lang()


# What to validate --------------------------------------------------------------


def _upload_of(resource: dict[str, Any]) -> Any:
    upload = resource.get("upload")
    if upload is None or isinstance(upload, str) or not getattr(upload, "filename", None):
        return None
    return upload


def _extension(name: str) -> str:
    base = os.path.basename(urlsplit(name).path if "://" in name else name)
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def resource_format(resource: dict[str, Any], filename: str | None = None) -> str:
    """The format to validate as: the file's extension, else the declared format."""
    declared = (resource.get("format") or "").strip().lower().lstrip(".")
    extension = _extension(filename or resource.get("url") or "")
    return extension or declared


def data_standard(resource: dict[str, Any]) -> str | None:
    """The resource's own standard, else its dataset's."""
    if resource.get("standar_data"):
        return resource["standar_data"]
    package_id = resource.get("package_id")
    package = model.Package.get(package_id) if package_id else None
    if package is None:
        return None
    return package.extras.get("standar_data") or None


def _is_url_resource(resource: dict[str, Any]) -> bool:
    url = resource.get("url") or ""
    return resource.get("url_type") not in ("upload",) and url.startswith(("http://", "https://"))


# Running ---------------------------------------------------------------------


def _copy_upload(upload: Any, target: str, max_bytes: int) -> None:
    stream = getattr(upload, "stream", None) or upload
    stream.seek(0)
    with open(target, "wb") as out:
        # Copy at most one byte over the limit: enough for the engine to say "too large".
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = stream.read(min(remaining, MB))
            if not chunk:
                break
            out.write(chunk)
            remaining -= len(chunk)
    stream.seek(0)  # CKAN's uploader reads it again


def validate_upload(upload: Any, fmt: str, standard: str | None) -> engine.ValidationResult:
    with tempfile.TemporaryDirectory(prefix="satudata-validation-") as folder:
        path = os.path.join(folder, f"upload.{fmt or 'bin'}")
        _copy_upload(upload, path, limits().max_bytes)
        return engine.validate_file(path, fmt, standard, limits=limits())


def validate_url(url: str, fmt: str, standard: str | None) -> engine.ValidationResult:
    try:
        fetched = net.fetch(url, fetch_policy())
    except net.ResponseTooLargeError:
        err = FileRejected("too-large", size="?", limit=limits().max_bytes)
        return engine._rejected(fmt, standard, err)
    except net.FetchError as err:
        return engine._rejected(fmt, standard, FileRejected("fetch", reason=err.reason))
    with tempfile.TemporaryDirectory(prefix="satudata-validation-") as folder:
        path = os.path.join(folder, f"download.{fmt or 'bin'}")
        with open(path, "wb") as out:
            out.write(fetched.content)
        return engine.validate_file(path, fmt, standard, limits=limits())


def refusal_message(result: engine.ValidationResult, lang: str) -> str:
    """The refusal in the UI language; ``lang`` picks the findings' language."""
    lines = result.messages(lang, limit=10)
    head = tk._("The file failed validation ({count} problem(s))").format(count=result.error_count)
    message = f"{head}: " + " | ".join(lines)
    more = result.error_count - len(lines)
    if more > 0:
        message += " " + tk._("… (+{count} more)").format(count=more)
    return message


def _refuse_if_needed(result: engine.ValidationResult, field: str) -> None:
    if result.valid:
        return
    if result.rejection == "fetch":
        return  # an unreachable URL is recorded, not refused: it may come back
    if result.always_refused or on_failure() == "reject":
        raise tk.ValidationError({field: [refusal_message(result, current_lang())]})


# Hooks -----------------------------------------------------------------------


def strip_read_only(resource: dict[str, Any]) -> None:
    for key in READ_ONLY_FIELDS:
        resource.pop(key, None)


def before_change(
    context: dict[str, Any],
    resource: dict[str, Any],
    current: dict[str, Any] | None,
    package_standard: str | None = None,
) -> None:
    """Shared by before_resource_create and before_resource_update (and the
    package_create/package_update wrappers, which pass the dataset's standard
    from the data dict: the dataset may not exist yet)."""
    strip_read_only(resource)
    resource[_CHECKED_KEY] = _CHECKED
    context.pop(_CONTEXT_KEY, None)
    upload = _upload_of(resource)
    if upload is not None:
        fmt, source = resource_format(resource, upload.filename), "upload"
    elif _is_url_resource(resource):
        if current is not None and current.get("url") == resource.get("url"):
            return  # same URL: metadata edit, keep the report
        fmt, source = resource_format(resource), "url"
    else:
        return
    if fmt not in validated_formats():
        return
    standard = data_standard({**(current or {}), **resource}) or package_standard
    if mode() == "async":
        context[_CONTEXT_KEY] = {"source": source, "standard": standard, "result": None}
        return
    if source == "upload":
        result = validate_upload(upload, fmt, standard)
    else:
        result = validate_url(resource["url"], fmt, standard)
    _refuse_if_needed(result, "upload" if source == "upload" else "url")
    context[_CONTEXT_KEY] = {"source": source, "standard": standard, "result": result}


def after_change(context: dict[str, Any], resource: dict[str, Any]) -> None:
    pending = context.pop(_CONTEXT_KEY, None)
    if not pending:
        return
    result: engine.ValidationResult | None = pending["result"]
    if result is None:
        store.save(
            resource["id"],
            resource["package_id"],
            status="pending",
            source=pending["source"],
            data_standard=pending["standard"],
        )
        enqueue(resource["id"])
        return
    save_result(resource, result, pending["source"])


def save_result(resource: dict[str, Any], result: engine.ValidationResult, source: str) -> None:
    store.save(
        resource["id"],
        resource["package_id"],
        status=result.status,
        source=source,
        data_standard=result.standard,
        file_hash=result.file_hash,
        row_count=result.row_count,
        error_count=result.error_count,
        summary=result.summary,
        report={"result": result.as_dict(), "frictionless": result.report},
    )
    # Only a file that passed validation reaches the DataStore, typed by the
    # Table Schema it passed against: its data standard, or the inferred one.
    if result.status == engine.SUCCESS and result.table_schema:
        from ckanext.satudata import datastore_load

        datastore_load.enqueue_load(resource["id"], result.table_schema)


def _resource_label(index: int, resource: dict[str, Any]) -> str:
    name = resource.get("name") or resource.get("id") or ""
    return tk._("Resource {number} ({name})").format(number=index + 1, name=name)


def before_package_change(
    context: dict[str, Any], data_dict: dict[str, Any], current: dict[str, Any] | None
) -> dict[int, dict[str, Any]]:
    """package_create/package_update store uploads and URLs of every resource
    in the data dict without calling the resource hooks: validate each new
    upload or new URL here, as the hooks do. Returns the pending results by
    resource position, for ``after_package_change``."""
    resources = data_dict.get("resources")
    if not isinstance(resources, list):
        return {}
    checked = [isinstance(r, dict) and r.pop(_CHECKED_KEY, None) is _CHECKED for r in resources]
    if context.get(DONE_FLAG):
        return {}
    existing = {r["id"]: r for r in (current or {}).get("resources", []) if r.get("id")}
    pending: dict[int, dict[str, Any]] = {}
    for index, resource in enumerate(resources):
        if checked[index] or not isinstance(resource, dict):
            continue  # validated by the resource hooks of resource_create/update
        own: dict[str, Any] = {}
        try:
            before_change(
                own, resource, existing.get(resource.get("id") or ""), data_dict.get("standar_data")
            )
        except tk.ValidationError as refused:
            errors: list[dict[str, Any]] = [{} for _ in resources]
            label = _resource_label(index, resource)
            errors[index] = {
                field: [f"{label}: {message}" for message in messages]
                for field, messages in refused.error_dict.items()
            }
            raise tk.ValidationError({"resources": errors}) from None
        finally:
            resource.pop(_CHECKED_KEY, None)
        if own.get(_CONTEXT_KEY):
            pending[index] = own[_CONTEXT_KEY]
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
            after_change({_CONTEXT_KEY: result}, {**resources[index], "package_id": package["id"]})


def before_show(resource: dict[str, Any]) -> dict[str, Any]:
    record = store.get(resource["id"]) if resource.get("id") else None
    if record is None:
        strip_read_only(resource)
        return resource
    resource["validation_status"] = record.status
    stamp = record.timestamp
    resource["validation_timestamp"] = stamp.isoformat() if stamp else None
    return resource


def forget(resource_id: str | None) -> None:
    if not resource_id:
        return
    store.delete(resource_id)
    model.Session.commit()


# Jobs and manual runs ----------------------------------------------------------


def enqueue(resource_id: str) -> None:
    queue = _option("queue")
    tk.enqueue_job(
        run_validation_job, [resource_id], title=f"satudata validation {resource_id}", queue=queue
    )


def run_validation_job(resource_id: str) -> None:
    """Background job: validate a stored resource; never raises for a bad file."""
    try:
        run_now(resource_id)
    except Exception:
        log.exception("validation job for resource %s failed", resource_id)
        model.Session.rollback()


def run_now(resource_id: str) -> dict[str, Any]:
    """Validate the stored file (or URL) of a resource and store the report.
    A stored upload found to hold personal data is deleted from storage."""
    resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
    standard = data_standard(resource)
    if resource.get("url_type") == "upload":
        fmt = resource_format(resource)
        path = _stored_path(resource)
        if path is None or not os.path.exists(path):
            result = engine._rejected(fmt, standard, FileRejected("fetch", reason="no stored file"))
        else:
            result = engine.validate_file(path, fmt, standard, limits=limits())
            if result.personal_data:
                _remove_stored(path)
        source = "upload"
    elif _is_url_resource(resource):
        fmt = resource_format(resource)
        result = validate_url(resource["url"], fmt, standard)
        source = "url"
    else:
        raise tk.ValidationError({"resource_id": [tk._("Resource has no file or URL to validate")]})
    save_result(resource, result, source)
    return result.as_dict()


def _stored_path(resource: dict[str, Any]) -> str | None:
    from ckan.lib import uploader

    upload = uploader.get_resource_uploader(resource)
    get_path = getattr(upload, "get_path", None)
    return get_path(resource["id"]) if get_path else None


def _remove_stored(path: str) -> None:
    # Personal data must not stay published; the walidata re-uploads a clean file.
    try:
        os.remove(path)
    except OSError:
        log.exception("could not remove %s", path)


def summary_for_display(summary: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    key = "message_en" if lang == "en" else "message_id"
    return [{**entry, "message": entry.get(key) or entry.get("message_id")} for entry in summary]
