"""Load validated resources into CKAN's DataStore, typed by their Table Schema.

Only jobs.py loads, after jobs.after_validation found that a file passed
validation (a queued load_job, or the harvester's own write through
jobs.loads_in_this_process); so a failed or refused file never reaches the
DataStore.
The load is idempotent: it drops the resource's table and creates it again,
so a re-load (a corrected file, a changed standard) replaces the rows and the
column types.
"""

from __future__ import annotations

import datetime
import decimal
import logging
import os
import tempfile
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.lib.search import rebuild
from ckan.lib.uploader import get_resource_uploader
from ckan.plugins import toolkit as tk
from ckanext.datastore.backend import DatastoreBackend
from frictionless import Schema
from frictionless.resources import TableResource

from ckanext.satudata import config, contexts, faults, net, shown, writes
from ckanext.satudata.model import validation_report
from ckanext.satudata.validation import engine, reports

log = logging.getLogger(__name__)

# Table Schema type -> DataStore (PostgreSQL) column type. Types not listed
# (object, array, geojson, duration …) are stored as text.
DATASTORE_TYPES: dict[str, str] = {
    "integer": "int",
    "number": "numeric",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "year": "int",
    "boolean": "bool",
    "string": "text",
}
BATCH_ROWS = 5000
# Context flag of DataStore writes whose rows already passed the gate.
CHECKED_FLAG = "satudata_rows_checked"


def datastore_fields(table_schema: dict[str, Any]) -> list[dict[str, Any]]:
    """DataStore field definitions, with the standard's titles as labels."""
    fields = []
    for field in table_schema.get("fields", []):
        definition: dict[str, Any] = {
            "id": field["name"],
            "type": DATASTORE_TYPES.get(field.get("type", "string"), "text"),
        }
        info = {key: field[key] for key in ("title", "description") if field.get(key)}
        if info:
            definition["info"] = {
                "label": info.get("title", ""),
                "notes": info.get("description", ""),
            }
        fields.append(definition)
    return fields


def _json_value(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)  # numeric column: keep every digit
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def _typed_rows(path: str, table_schema: dict[str, Any], kind: str) -> Iterator[dict[str, Any]]:
    """Rows cast by the Table Schema, read exactly as the validation read them
    (engine.table_source: same encoding, delimiter, decimal comma, sheet)."""
    source = engine.table_source(path, kind, config.validation_limits())
    names = [field["name"] for field in table_schema.get("fields", [])]
    resource = TableResource(
        data=source, format="inline", schema=Schema.from_descriptor(table_schema)
    )
    with resource:
        for row in resource.row_stream:
            yield {name: _json_value(row.get(name)) for name in names}


class FileChanged(Exception):
    """The file is not (or no longer) the one that passed validation."""


class LoadFailed(Exception):
    """The file cannot be loaded; the message says why (the load's state)."""


def _validated_copy(resource: dict[str, Any]) -> tuple[str, str, bool]:
    """(path, content kind, whether the path is a temporary copy) of the file
    that passed validation. The stored upload, or the URL fetched again under
    the validation's policy, must be that very file (same sha256), a table
    by the gate's own record; else FileChanged, and it is validated again,
    never loaded unchecked."""
    record = validation_report.get(resource["id"])
    result = (record.report or {}).get("result", {}) if record is not None else {}
    kind = str(result.get("format") or "")
    if record is None or not record.file_hash or result.get("checked_as") != "table":
        raise FileChanged(resource["id"])
    if resource.get("url_type") == "upload":
        path = get_resource_uploader(resource).get_path(resource["id"])
        if not os.path.exists(path) or engine.file_sha256(path) != record.file_hash:
            raise FileChanged(resource["id"])
        return path, kind, False
    fetched = net.fetch(resource["url"], config.validation_fetch_policy())
    if record.file_hash != fetched.sha256:
        raise FileChanged(resource["url"])
    handle, path = tempfile.mkstemp(prefix="satudata-load-")
    with os.fdopen(handle, "wb") as out:
        out.write(fetched.content)
    return path, kind, True


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[tuple[list[dict[str, Any]], bool]]:
    """(batch, whether it is the last one) of BATCH_ROWS rows."""
    batch: list[dict[str, Any]] = []
    for row in rows:
        if len(batch) >= BATCH_ROWS:
            yield batch, False
            batch = []
        batch.append(row)
    if batch:
        yield batch, True


def load_resource(resource_id: str, table_schema: dict[str, Any]) -> int:
    """(Re)create the resource's DataStore table and fill it; returns the row
    count. Raises FileChanged when the file is not the one that passed,
    LoadFailed when it cannot be fetched.

    The rows passed the gate in the validation: the DataStore writes say so
    (gate.CHECKED_FLAG), so they are not scanned again. The load is one
    write of the dataset (writes.py): the datastore_active flag, the
    default views and the new table's evidence score it once, at the end,
    and it is indexed once then (without a Solr commit of its own: Solr's
    autoSoftCommit shows it within a second). The record count CKAN keeps
    for datastore_search is computed with the last batch, in this job, not
    in a background job of its own per table."""
    package_id = _package_of(resource_id)
    if writes.indexed_by_caller():
        # Part of a write whose caller indexes the dataset (a harvested
        # dataset loaded by its harvester): indexed once, by that caller.
        if package_id is not None:
            writes.changed(package_id)
        return _load(resource_id, table_schema)
    try:
        with writes.unit(indexed_by_caller=True):
            return _load(resource_id, table_schema)
    finally:
        if package_id is not None:
            _index(package_id)


def _index(package_id: str) -> None:
    """The index follows the database, after a failed load too (never hiding its error)."""
    try:
        if model.Package.get(package_id) is not None:
            rebuild(package_ids=[package_id], defer_commit=True, quiet=True)
    except Exception:
        log.exception("dataset %s not indexed after its DataStore load", package_id)
        model.Session.rollback()


def _not_offered(resource_id: str) -> None:
    """A table that could not be filled is not offered (the job records why);
    when the database itself failed, the job's own error is what counts."""
    try:
        model.Session.rollback()
        _set_datastore_active(resource_id, False)
    except Exception:
        log.exception("datastore_active of %s not cleared after a failed load", resource_id)
        faults.discard_session()


def _package_of(resource_id: str) -> str | None:
    resource = model.Resource.get(resource_id)
    return resource.package_id if resource is not None else None


def _set_datastore_active(resource_id: str, active: bool) -> None:
    """The resource's ``datastore_active`` flag, as CKAN's DataStore actions
    keep it, written in place. Theirs is a resource_patch: a whole
    package_update (validation, activity, index and Solr commit, our hooks)
    for one flag, a third of a load; set beforehand, datastore_create and
    datastore_delete find it as they would leave it and skip the patch.
    The dataset's metadata_modified moves, as with the patch, so no
    package_show serves the index's copy of the old flag; the load indexes
    the dataset at its end."""
    resource = model.Resource.get(resource_id)
    if resource is None or bool((resource.extras or {}).get("datastore_active")) == active:
        return
    now = datetime.datetime.utcnow()
    model.Session.execute(
        sa.update(model.resource_table)
        .where(model.resource_table.c.id == resource_id)
        .values(
            extras={**(resource.extras or {}), "datastore_active": active}, metadata_modified=now
        )
    )
    model.Session.execute(
        sa.update(model.package_table)
        .where(model.package_table.c.id == resource.package_id)
        .values(metadata_modified=now)
    )
    model.Session.commit()
    model.Session.expire_all()


def _stored_file_of(resource_id: str) -> dict[str, Any]:
    """What _validated_copy needs of the resource, read from its row: a
    resource_show is a whole package_show."""
    resource = model.Resource.get(resource_id)
    if resource is None or resource.state != "active":  # as resource_show would refuse it
        raise tk.ObjectNotFound(resource_id)
    return {
        "id": resource.id,
        "package_id": resource.package_id,
        "url": resource.url,
        "url_type": resource.url_type,
    }


def _load(resource_id: str, table_schema: dict[str, Any]) -> int:
    context = contexts.with_flag(contexts.site(), CHECKED_FLAG, True)
    resource = _stored_file_of(resource_id)
    try:
        path, kind, temporary = _validated_copy(resource)
    except net.FetchError as err:
        raise LoadFailed(f"the file could not be fetched: {err}") from err
    try:
        _set_datastore_active(resource_id, False)  # the table goes: no preview meanwhile
        # First load: no table to drop (datastore_delete would show the dataset to say so).
        if DatastoreBackend.get_active_backend().resource_exists(resource_id):
            tk.get_action("datastore_delete")(
                context.copy(),
                {"resource_id": resource_id, "force": True, "calculate_record_count": False},
            )
        _set_datastore_active(resource_id, True)
        # From here to the views nothing changes the dataset: the resource_show
        # of each DataStore action, and the views' dataset, are one package_show.
        with shown.kept(resource["package_id"]):
            tk.get_action("datastore_create")(
                context.copy(),
                {"resource_id": resource_id, "fields": datastore_fields(table_schema),
                 "force": True},
            )  # fmt: skip
            count = 0
            for batch, last in _batches(_typed_rows(path, table_schema, kind)):
                tk.get_action("datastore_upsert")(
                    context.copy(),
                    {"resource_id": resource_id, "records": batch, "method": "insert",
                     "force": True, "calculate_record_count": last},
                )  # fmt: skip
                count += len(batch)
            package = tk.get_action("package_show")(context.copy(), {"id": resource["package_id"]})
    except BaseException:
        _not_offered(resource_id)
        raise
    finally:
        if temporary:
            os.unlink(path)
    # The preview (datatables_view) needs the table first: create the default
    # views now; existing views are kept, so a re-load adds none. Given
    # neither the resource nor its dataset, the action shows the dataset twice.
    tk.get_action("resource_create_default_resource_views")(
        context.copy(),
        {
            "resource": next(r for r in package["resources"] if r["id"] == resource_id),
            "package": package,
            "create_datastore_views": True,
        },
    )
    log.info("DataStore: loaded %d rows into %s", count, resource_id)
    reports.evidence_changed.send(resource["package_id"])
    return count
