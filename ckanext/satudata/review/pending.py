"""The pending change of a published dataset: its proposed next version,
kept apart from it (table satudata_pending_change) so the public keeps
seeing the published version until the walidata publishes the change.

- ``propose`` takes what a write would have stored (package_update form):
  every text and file through the gate first, the dataset schema's
  validation, then the files staged under the storage path
  (``satudata/pending/<dataset>/<resource>``), never over the published ones;
  each file's validation is kept with it.
- ``apply`` publishes it: one package_update with the staged files as
  uploads (CKAN stores them as for any edit: same resource ids, activity,
  search index), then each kept validation recorded for its resource as the
  upload hooks would (report, DataStore load).
- ``current_version`` is what the producer edits next: the pending change,
  or the published dataset.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import shutil
import uuid
from typing import Any, cast

from ckan import model
from ckan.lib import plugins as lib_plugins
from ckan.lib import uploader
from ckan.plugins import toolkit as tk
from ckan.types import Context
from werkzeug.datastructures import FileStorage

from ckanext.satudata import contexts
from ckanext.satudata.model import pending_change, review_event
from ckanext.satudata.review import notify, states, workflow
from ckanext.satudata.validation import engine, hooks, service

PENDING_DIR = os.path.join("satudata", "pending")
# Marks the package dict a deferred write returns: the version waiting for review.
REVISION_KEY = "satudata_revision_state"


def _storage_root() -> str:
    root = tk.config.get("ckan.storage_path")
    if not root:
        raise tk.ValidationError(
            {"upload": [tk._("This portal has no file storage for pending changes")]}
        )
    return os.path.join(str(root), PENDING_DIR)


def _staging_folder(package_id: str) -> str:
    return os.path.join(_storage_root(), package_id)


def _jsonable(data: Any) -> Any:
    """``data`` as JSON keeps it (dates as ISO text, as package_show gives them)."""
    return json.loads(
        json.dumps(data, default=lambda o: o.isoformat() if hasattr(o, "isoformat") else str(o))
    )


def _serialise(pending: dict[str, Any]) -> dict[str, Any]:
    result = pending.get("result")
    return {
        "source": pending.get("source"),
        "standard": pending.get("standard"),
        "result": _jsonable(dataclasses.asdict(result)) if result is not None else None,
    }


def _restore(held: dict[str, Any]) -> dict[str, Any]:
    result = held.get("result")
    return {
        "source": held.get("source"),
        "standard": held.get("standard"),
        "result": engine.ValidationResult(**result) if result is not None else None,
    }


def validation_of(held: dict[str, Any]) -> dict[str, Any] | None:
    """A kept validation as the review page shows it (status, counts, findings)."""
    result = held.get("result")
    if result is None:
        return None
    return {
        "status": result.get("status"),
        "error_count": result.get("error_count", 0),
        "row_count": result.get("row_count"),
        "data_standard": result.get("standard"),
        "summary": result.get("summary") or [],
    }


def published_version(package_id: str) -> dict[str, Any]:
    context = contexts.site()
    context["use_cache"] = False
    return tk.get_action("package_show")(context, {"id": package_id})


def current_version(package: model.Package) -> dict[str, Any]:
    """What the next edit starts from: the pending change, else the dataset."""
    change = pending_change.get(package.id)
    if change is not None:
        return copy.deepcopy(change.data)
    return published_version(package.id)


def as_shown(package: model.Package, change: pending_change.PendingChange) -> dict[str, Any]:
    shown = copy.deepcopy(change.data)
    shown.update({"id": package.id, "type": package.type, REVISION_KEY: change.state})
    shown.setdefault("name", package.name)
    return shown


def _validate(context: Context, package: model.Package, data: dict[str, Any]) -> None:
    """The dataset schema's validation, as package_update would run it."""
    plugin = lib_plugins.lookup_package_plugin(package.type)
    schema = plugin.update_package_schema()
    validation_context = cast(
        Context,
        {
            "model": model,
            "session": model.Session,
            "user": str(context.get("user") or ""),
            "package": package,
            "ignore_auth": True,
        },
    )
    _, errors = lib_plugins.plugin_validate(
        plugin, validation_context, copy.deepcopy(data), schema, "package_update"
    )
    if errors:
        raise tk.ValidationError(errors)


def _stage(package_id: str, resource_id: str, upload: Any) -> dict[str, Any]:
    folder = _staging_folder(package_id)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, resource_id)
    upload.upload_file.seek(0)
    with open(path, "wb") as out:
        shutil.copyfileobj(upload.upload_file, out)
    return {
        "path": path,
        "filename": upload.filename,
        "mimetype": upload.mimetype,
        "size": os.path.getsize(path),
    }


def _remove_staged(files: dict[str, Any], keep: set[str]) -> None:
    for resource_id, staged in files.items():
        if resource_id not in keep and os.path.exists(staged["path"]):
            os.remove(staged["path"])


def propose(context: Context, package: model.Package, proposed: dict[str, Any]) -> dict[str, Any]:
    """Keep ``proposed`` as the pending change of the published ``package``;
    returns it as package_show would show it (with REVISION_KEY). Raises
    ValidationError with nothing stored (the gate, the schema, or a change
    that is with the walidata)."""
    harvest = workflow.harvest_write(context)
    change = pending_change.get(package.id)
    previous_state = change.state if change is not None else None
    if harvest is None and previous_state is not None and previous_state not in states.EDITABLE:
        raise tk.ValidationError(
            {
                "status_data": [
                    tk._(
                        "Your change of this dataset is with the walidata ({state}); withdraw "
                        "it to change it again"
                    ).format(state=states.label(previous_state))
                ]
            }
        )
    base = current_version(package)
    proposed = dict(proposed)
    proposed.update({"id": package.id, "type": package.type, "status_data": states.PUBLISHED})
    proposed.pop(REVISION_KEY, None)
    if not isinstance(proposed.get("resources"), list):
        proposed["resources"] = base.get("resources", [])
    resources: list[dict[str, Any]] = [dict(r) for r in proposed["resources"]]
    proposed["resources"] = resources
    for resource in resources:
        resource.setdefault("id", str(uuid.uuid4()))  # the id it will have once published

    service.refuse_personal_text(proposed)
    checked = hooks.before_package_change(context, proposed, base)
    uploads = {}
    for resource in resources:
        if service.upload_of(resource) is not None:
            uploads[resource["id"]] = uploader.get_resource_uploader(resource)  # sets url, url_type
            resource.pop("upload", None)
    _validate(context, package, proposed)

    present = {resource["id"] for resource in resources}
    files = {k: v for k, v in (change.files if change else {}).items() if k in present}
    validations = {k: v for k, v in (change.validations if change else {}).items() if k in present}
    if change is not None:
        _remove_staged(change.files, keep=set(files) - set(uploads))
    for index, resource in enumerate(resources):
        if resource["id"] in uploads:
            staged = _stage(package.id, resource["id"], uploads[resource["id"]])
            files[resource["id"]] = staged
            resource["size"], resource["mimetype"] = staged["size"], staged["mimetype"]
            validations.pop(resource["id"], None)  # a harvester keeps its own (hold_validation)
        if index in checked:
            validations[resource["id"]] = _serialise(checked[index])

    state = states.SUBMITTED if harvest is not None else (previous_state or states.DRAFT)
    if state == states.WITHDRAWN or state == states.REJECTED:
        state = previous_state or states.DRAFT
    actor = str(context.get("user") or "") or None
    pending_change.save(
        package.id,
        state=state,
        data=_jsonable(proposed),
        files=files,
        validations=validations,
        author=actor,
        origin="harvest" if harvest is not None else "user",
    )
    if previous_state is None or previous_state != state:
        review_event.record(
            package.id,
            subject="revision",
            action="submit" if state == states.SUBMITTED else "revise",
            from_state=previous_state,
            to_state=state,
            actor=actor,
            origin="harvest" if harvest is not None else "user",
            comment=(
                tk._("Harvested from {source}").format(source=harvest.source) if harvest else ""
            ),
        )
    if not context.get("defer_commit"):
        model.Session.commit()
    if harvest is not None:
        harvest.deferred = True
        notify.submitted(package.id)
    shown = pending_change.get(package.id)
    assert shown is not None
    return as_shown(package, shown)


def hold_validation(package_id: str, resource_id: str, pending: dict[str, Any]) -> None:
    """Keep a harvester's validation of a file of its pending change, to be
    recorded when the change is published (not committed: the harvester's
    write commits)."""
    change = pending_change.get(package_id)
    if change is None:
        return
    change.validations = {**change.validations, resource_id: _serialise(pending)}


def apply(context: Context, package: model.Package) -> None:
    """Publish the pending change of ``package`` as the walidata of
    ``context`` (the caller records the transition and commits)."""
    change = pending_change.get(package.id)
    if change is None:
        return
    data = copy.deepcopy(change.data)
    data["status_data"] = states.PUBLISHED
    streams = []
    try:
        for resource in data.get("resources", []):
            staged = change.files.get(resource.get("id"))
            if staged is None:
                continue
            stream = open(staged["path"], "rb")  # noqa: SIM115 (closed below)
            streams.append(stream)
            resource["upload"] = FileStorage(
                stream, filename=staged["filename"], content_type=staged.get("mimetype")
            )
        write_context = hooks.validated_by_caller(
            contexts.with_flag(
                {"user": str(context.get("user") or ""), "ignore_auth": True},
                workflow.TRANSITION_FLAG,
                True,
            )
        )
        tk.get_action("package_update")(write_context, data)
    finally:
        for stream in streams:
            stream.close()
    for resource_id, held in change.validations.items():
        if model.Resource.get(resource_id) is not None:
            hooks.record(_restore(held), {"id": resource_id, "package_id": package.id})
    discard(package.id)


def discard(package_id: str) -> None:
    """Forget the pending change and its staged files (not committed)."""
    change = pending_change.get(package_id)
    if change is None:
        return
    shutil.rmtree(_staging_folder(package_id), ignore_errors=True)
    pending_change.delete(package_id)


def show_for_edit(context: Context, pkg_dict: dict[str, Any]) -> None:
    """The dataset form of a published dataset edits its pending change (the
    form loads package_show with ``for_edit``): so a second edit keeps the
    first."""
    if not context.get("for_edit") or pkg_dict.get("type") != workflow.SDI_TYPE:
        return
    change = pending_change.get(str(pkg_dict.get("id") or ""))
    package = model.Package.get(str(pkg_dict.get("id") or ""))
    if change is None or package is None:
        return
    pkg_dict.update(as_shown(package, change))
