"""What a resource's content is and how it is validated: the upload or the
URL, the format it is read as, the data standard that applies, and the
validation of each (through engine.validate_file). The resource hooks, the
package action wrappers, the background jobs and the harvesters all validate
through here."""

from __future__ import annotations

import os
import tempfile
from typing import Any
from urllib.parse import urlsplit

from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.satudata import config, net
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.validation import engine
from ckanext.satudata.validation.reader import FileRejected

MB = 1024 * 1024


def upload_of(resource: dict[str, Any]) -> Any:
    """The uploaded file of a resource dict (a FileStorage), or None."""
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
        return str(resource["standar_data"])
    package_id = resource.get("package_id")
    package = model.Package.get(package_id) if package_id else None
    if package is None:
        return None
    return package.extras.get("standar_data") or None


def is_url_resource(resource: dict[str, Any]) -> bool:
    url = resource.get("url") or ""
    return resource.get("url_type") not in ("upload",) and url.startswith(("http://", "https://"))


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
    limits = config.validation_limits()
    with tempfile.TemporaryDirectory(prefix="satudata-validation-") as folder:
        path = os.path.join(folder, f"upload.{fmt or 'bin'}")
        _copy_upload(upload, path, limits.max_bytes)
        return engine.validate_file(path, fmt, standard, limits=limits)


def validate_url(url: str, fmt: str, standard: str | None) -> engine.ValidationResult:
    limits = config.validation_limits()
    try:
        fetched = net.fetch(url, config.validation_fetch_policy())
    except net.ResponseTooLargeError:
        err = FileRejected("too-large", size="?", limit=limits.max_bytes)
        return engine.rejected(fmt, standard, err)
    except net.FetchError as err:
        return engine.rejected(fmt, standard, FileRejected("fetch", reason=err.reason))
    return validate_bytes(fetched.content, f"download.{fmt or 'bin'}", fmt, standard)


def validate_bytes(
    content: bytes, filename: str, fmt: str, standard: str | None
) -> engine.ValidationResult:
    """Validate content held in memory (a download, a generated table)."""
    with tempfile.TemporaryDirectory(prefix="satudata-validation-") as folder:
        path = os.path.join(folder, os.path.basename(filename))
        with open(path, "wb") as out:
            out.write(content)
        return engine.validate_file(path, fmt, standard, limits=config.validation_limits())


def refusal_message(result: engine.ValidationResult, lang: str | None = None) -> str:
    """The refusal in the UI language; ``lang`` picks the findings' language."""
    lines = result.messages(lang or current_lang(), limit=10)
    head = tk._("The file failed validation ({count} problem(s))").format(count=result.error_count)
    message = f"{head}: " + " | ".join(lines)
    more = result.error_count - len(lines)
    if more > 0:
        message += " " + tk._("… (+{count} more)").format(count=more)
    return message


def refuse_if_needed(result: engine.ValidationResult, field: str) -> None:
    """Raise the ValidationError a failed result means under the configured
    policy: personal data and unsafe files always; other failures unless
    on_failure is "store"; an unreachable URL never (it may come back)."""
    if result.valid:
        return
    if result.rejection == "fetch":
        return
    if result.always_refused or config.validation_on_failure() == "reject":
        raise tk.ValidationError({field: [refusal_message(result)]})
