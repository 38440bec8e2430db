"""ckanext-harvest harvester ``satudata_spreadsheet``: an OPD's data inventory
("Daftar Data Daerah", XLSX or CSV) and one data spreadsheet per row, turned
into SDI datasets owned by the OPD.

Source URL: the inventory spreadsheet. Its "Link Portal Daerah" cells are the
data files; a relative link is resolved against the inventory's URL (so a
folder of files can be served from anywhere), ``#sheet=NAME`` names the sheet
of a workbook with several data sheets.

Source configuration (JSON object; every key optional):
- ``organization``: owner OPD (name or id); default the harvest source's owner
- ``column_mapping``: {"header as written": "column key"} for headers the
  tolerant matching does not know (keys: inventory.COLUMNS, e.g. "nama_data")
- ``standar_data``: data standard of rows that name none (a Table Schema name)
- ``defaults``: SDI field values for what neither the row nor the data file
  gives (e.g. {"theme": "pendidikan-tenaga-kerja", "license_id": "cc-by"})
- ``timeout`` s (30), ``max_file_size`` bytes (20 MB) for the inventory and
  each data file, ``retries`` (0) and ``backoff`` s (0.5) on 5xx and
  timeouts; ``allow_private_addresses`` (false): loopback, private and
  link-local hosts are refused unless true (local tests and the demo), or a
  list of "host:port" exempted (one intranet file server; links elsewhere and
  redirects elsewhere stay refused); sysadmins only
- ``organization`` other than one the editor may publish in, and
  ``allow_private_addresses``, are refused unless a sysadmin saves the config
  (base.check_privileged_settings)
- ``removed_rows``: "flag" (default: keep the dataset, status_data
  tidak_ditayangkan) or "delete"
- ``max_shrink``: largest share of rows that may disappear in one run (0.5)

Stages:
- gather fetches and parses the inventory; one harvest object per row, guid =
  source id + the row's ID DDD (or its normalised Nama Data), never its
  position; one object per dataset whose row disappeared (withdrawal). An
  inventory that cannot be read, is empty or shrank too much is a gather
  error and changes nothing.
- gather also asks the file server whether the data file of each row that
  is otherwise unchanged (same cells and settings as its published dataset)
  changed: a conditional GET with the validators (ETag, Last-Modified) of the
  last download, or the file's hash where the server sends none; several at
  once (CHECK_WORKERS), connections kept alive. A confirmed row's object is
  complete and "not modified" at once (no fetch stage, nothing written); a
  row the check could not confirm (an error, a timeout, no file hash yet)
  goes through the fetch stage, which decides and reports.
- fetch reports the row's own errors (with its row number), downloads the
  data file through net.fetch, and returns "unchanged" when the hash of file +
  row + settings equals that of the dataset's current object (and teaches the
  current object the file's hash and validators for the next gather).
- import normalises the file (sheet.py), rules out personal data in every
  sheet of the original, and creates or updates the dataset with two
  resources in one action (package_create or package_patch): the clean CSV
  (checked against its data standard through the validation integration's
  own hook entry points, which refuse a failing file before anything is
  written and store the report once it is; its description says what was
  normalised) and the original file. A refusal is an error of that row; the
  other rows go on. Datasets are indexed without a Solr commit, committed
  once the job has nothing left (see _commit_index).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from ckan import logic, model
from ckan.lib import search, uploader
from ckan.plugins import toolkit as tk
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectExtra
from werkzeug.datastructures import FileStorage

from ckanext.satudata import net, regions, vocabularies, years
from ckanext.satudata.harvesters.base import (
    FETCH_KEYS,
    HASH_KEY,
    WITHDRAWN_STATUS,
    HarvestConfigError,
    PublishedRecord,
    SatudataHarvesterBase,
    fetch_policy,
)
from ckanext.satudata.harvesters.spreadsheet import inventory as inv
from ckanext.satudata.harvesters.spreadsheet import sheet as sheets
from ckanext.satudata.validation import guard, integration, standards

log = logging.getLogger(__name__)

SOURCE_TYPE = "satudata_spreadsheet"
REMOVED_ROW_MODES = ("flag", "delete")
DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024
ROLE_KEY = "satudata_role"  # resource extra telling the clean CSV from the original
ROLE_CLEAN, ROLE_ORIGINAL = "normalised", "original"
PUBLISHED_STATUS = "ditayangkan"
# Datasets indexed without a Solr commit before one is forced (see _commit_index).
INDEX_COMMIT_EVERY = 50
# Harvest object extras beside base.HASH_KEY: the data file's hash and the
# validators of the response it came in (for the next gather's check).
FILE_HASH_KEY = "file_hash"
ETAG_KEY, LAST_MODIFIED_KEY = "etag", "last_modified"
# Concurrent requests of gather's change check: hides the latency of one
# request at a time without loading an OPD's (often small) file server.
CHECK_WORKERS = 4
CONFIG_KEYS = FETCH_KEYS | {
    "organization",
    "column_mapping",
    "standar_data",
    "defaults",
    "max_file_size",
    "removed_rows",
    "max_shrink",
}
# SDI fields a default may fill (everything the inventory does not decide itself).
DEFAULTABLE = frozenset(
    {
        "theme", "subtopik", "jenis", "accessRights", "accrualPeriodicity", "periode",
        "tahun_mulai", "tahun_akhir", "tingkat_wilayah", "kode_wilayah", "satuan", "ukuran",
        "author_email", "maintainer", "maintainer_email", "publisher_type", "sumber",
        "license_id", "standar_data", "id_sds",
    }
)  # fmt: skip
# Columns of a data file that name the regions it covers.
REGION_CODE_COLUMNS = ("kode_wilayah", "kode_kecamatan", "kode_desa", "kode_kelurahan")
REGION_NAME_COLUMNS = (
    "kecamatan",
    "nama_kecamatan",
    "nama_wilayah",
    "wilayah",
    "desa",
    "nama_desa",
)


class ReportNotStored(Exception):
    """The dataset was written but the clean CSV's validation report was not stored."""


class SpreadsheetHarvester(SatudataHarvesterBase):
    """Keeps an OPD's datasets in step with its inventory spreadsheet."""

    SOURCE_TYPE = SOURCE_TYPE
    TITLE = "Spreadsheet OPD (Daftar Data Daerah)"
    DESCRIPTION = (
        "Daftar data OPD (XLSX/CSV, format Daftar Data Daerah) dan satu berkas data "
        "per baris: dinormalisasi, divalidasi, dan ditayangkan sebagai dataset SDI."
    )
    CONFIG_KEYS = CONFIG_KEYS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Data file bytes from fetch to import of the same object. Both stages
        # run back to back in one process (queue.fetch_and_import_stages).
        self._downloads: dict[str, bytes] = {}
        # Datasets this process indexed since the last Solr commit.
        self._uncommitted_index = 0

    def _check_config(self, config: Mapping[str, Any]) -> None:
        settings(config)

    # --- gather ------------------------------------------------------------------

    def gather_stage(self, harvest_job: HarvestJob) -> list[str]:
        source = harvest_job.source
        try:
            config = settings(self._source_config(harvest_job))
        except HarvestConfigError as err:
            return self._gather_error(harvest_job, f"configuration: {err}")
        organization = config["organization"] or _source_owner(source.id)
        if not organization:
            return self._gather_error(
                harvest_job,
                'configuration: no organization (set "organization" or the source\'s owner)',
            )
        try:
            org = tk.get_action("organization_show")(
                self._action_context(),
                {"id": organization, "include_datasets": False, "include_users": False},
            )
        except tk.ObjectNotFound:
            return self._gather_error(
                harvest_job, f"configuration: organization {organization!r} does not exist"
            )

        try:
            fetched = net.fetch(source.url, config["policy"])
            parsed = inv.read_inventory(fetched.content, config["column_mapping"])
        except net.FetchError as err:
            return self._gather_error(
                harvest_job, f"the inventory could not be read, nothing was changed: {err}"
            )
        except inv.InventoryError as err:
            return self._gather_error(
                harvest_job, f"the inventory could not be read, nothing was changed: {err}"
            )
        if not parsed.rows:
            return self._gather_error(
                harvest_job, "the inventory lists no datasets; nothing was changed"
            )

        contents: dict[str, dict[str, Any]] = {}
        first_row_of: dict[str, int] = {}
        for row in parsed.rows:
            identity = row.identity
            if identity is None:
                self._gather_error(
                    harvest_job, f"inventory row {row.number}: no ID DDD and no Nama Data; skipped"
                )
                continue
            guid = f"{source.id}:{identity}"
            if guid in contents:
                self._gather_error(
                    harvest_job,
                    f"inventory row {row.number}: same identity as row {first_row_of[guid]} "
                    f"({identity}); skipped",
                )
                continue
            first_row_of[guid] = row.number
            link = row.cells.get("link_portal_daerah", "")
            url, sheet_name = resolve_link(fetched.url, link) if link else ("", None)
            contents[guid] = {
                "row": row.number,
                "cells": row.cells,
                "values": row.values,
                "errors": row.errors,
                "url": url,
                "sheet": sheet_name,
                "organization": org["id"],
                "organization_title": org.get("title") or org["name"],
            }

        records = self._published_records(source.id)
        previous = [guid for guid, record in records.items() if record.live]
        # Measured on the rows that stay, so new rows cannot hide mass removals
        # (e.g. every ID DDD renumbered at once).
        still_listed = len(set(previous) & set(contents))
        refused = self._shrink_refused(len(previous), still_listed, config["max_shrink"])
        if refused:
            return self._gather_error(harvest_job, refused)

        confirmed = self._confirm_unchanged(contents, records, config)
        # One commit for all objects (not one per object).
        created = []
        for guid, content in contents.items():
            if guid in confirmed:
                self._not_modified_object(harvest_job, guid, json.dumps(content), confirmed[guid])
                continue
            harvest_object = HarvestObject(guid=guid, job=harvest_job, content=json.dumps(content))
            harvest_object.add()
            created.append(harvest_object)
        for guid in sorted(set(previous) - set(contents)):
            harvest_object = HarvestObject(
                guid=guid,
                job=harvest_job,
                content=json.dumps({"withdraw": True, "mode": config["removed_rows"]}),
                extras=[HarvestObjectExtra(key="status", value="delete")],
            )
            harvest_object.add()
            created.append(harvest_object)
        model.Session.flush()
        ids = [harvest_object.id for harvest_object in created]
        model.Session.commit()
        log.info(
            "spreadsheet source %s: %d rows (%d confirmed unchanged), %d withdrawn",
            source.url, len(contents), len(confirmed), len(set(previous) - set(contents)),
        )  # fmt: skip
        return ids

    def _confirm_unchanged(
        self,
        contents: Mapping[str, Mapping[str, Any]],
        records: Mapping[str, PublishedRecord],
        config: Mapping[str, Any],
    ) -> dict[str, dict[str, str]]:
        """{guid: extras of its "not modified" object} of the rows whose
        published dataset the file server confirms is current.

        Only rows with the same cells and settings as their live dataset are
        asked about; an answer that is not a clear "same file" (an error, a
        late answer, a different file) leaves the row to the fetch stage.
        """
        candidates: dict[str, tuple[PublishedRecord, str]] = {}
        for guid, content in contents.items():
            record = records.get(guid)
            if record is None or not record.live or content["errors"] or not content["url"]:
                continue
            file_hash = record.extra(FILE_HASH_KEY)
            if file_hash is None or record.extra(HASH_KEY) != fingerprint(
                file_hash, content, config
            ):
                continue
            candidates[guid] = (record, file_hash)
        if not candidates:
            return {}
        policy: net.FetchPolicy = config["policy"]
        answers = net.fetch_all(
            (
                (guid, contents[guid]["url"], stored_validators(record).request_headers())
                for guid, (record, _) in candidates.items()
            ),
            policy,
            workers=CHECK_WORKERS,
            budget=2 * policy.timeout,
        )
        confirmed = {}
        for guid, answer in answers.items():
            record, file_hash = candidates[guid]
            if isinstance(answer, net.FetchError):
                continue  # the fetch stage tries again, and reports what fails
            if answer.not_modified:
                # A 304 may leave out validators it does not change.
                old, new = stored_validators(record), answer.validators
                validators = net.Validators(
                    new.etag or old.etag, new.last_modified or old.last_modified
                )
            elif answer.sha256 == file_hash:
                validators = answer.validators
            else:
                continue  # changed: downloaded and imported by the fetch stage
            store_validators(record.harvest_object, validators)
            confirmed[guid] = {
                HASH_KEY: record.extra(HASH_KEY) or "",
                FILE_HASH_KEY: file_hash,
                **validator_extras(validators),
            }
        return confirmed

    # --- fetch -------------------------------------------------------------------

    def fetch_stage(self, harvest_object: HarvestObject) -> bool | str:
        outcome = self._fetch(harvest_object)
        if outcome is not True:  # no import follows: the job may be done
            self._commit_index(harvest_object)
        return outcome

    def _fetch(self, harvest_object: HarvestObject) -> bool | str:
        content = json.loads(harvest_object.content)
        if content.get("withdraw"):
            return True
        prefix = f"inventory row {content['row']}"
        standard = content["values"].get("standar_data")
        known = known_standards()
        if standard and standard not in known:
            content["errors"].append(
                f"Standar Data {standard!r} is not a data standard of this portal "
                f"({', '.join(known)})"
            )
        if content["errors"]:
            for error in content["errors"]:
                self._object_error(harvest_object, f"{prefix}: {error}", "Fetch")
            return False
        try:
            config = settings(self._source_config(harvest_object))
        except HarvestConfigError as err:
            return self._object_error(harvest_object, f"configuration: {err}", "Fetch")
        try:
            fetched = net.fetch(content["url"], config["policy"])
        except net.FetchError as err:
            return self._object_error(
                harvest_object, f"{prefix}: data file not downloaded: {err}", "Fetch"
            )
        if not fetched.content.strip():
            return self._object_error(
                harvest_object, f"{prefix}: data file {content['url']} is empty", "Fetch"
            )
        record = self._published_record(harvest_object)
        file_hash = fetched.sha256
        unchanged = self._is_unchanged(
            harvest_object, fingerprint(file_hash, content, config), record
        )
        self._set_extra(harvest_object, FILE_HASH_KEY, file_hash)
        store_validators(harvest_object, fetched.validators)
        # A withdrawn dataset whose row is back is published again, even unchanged.
        if unchanged and record is not None and not record.withdrawn:
            # The next gather can confirm this row without a download (a
            # dataset harvested before gather checked, or a failed check).
            self._set_extra(record.harvest_object, FILE_HASH_KEY, file_hash)
            store_validators(record.harvest_object, fetched.validators)
            return "unchanged"
        self._downloads[harvest_object.id] = fetched.content
        return True

    # --- import ------------------------------------------------------------------

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        try:
            return self._import(harvest_object)
        finally:
            self._commit_index(harvest_object)

    def _import(self, harvest_object: HarvestObject) -> bool | str:
        content = json.loads(harvest_object.content)
        if content.get("withdraw"):
            return self._import_withdrawal(harvest_object, content["mode"])
        prefix = f"inventory row {content['row']}"
        data = self._downloads.pop(harvest_object.id, None)
        try:
            config = settings(self._source_config(harvest_object))
            if data is None:  # import run on its own (e.g. re-import): fetch again
                data = net.fetch(content["url"], config["policy"]).content
        except (HarvestConfigError, net.FetchError) as err:
            return self._object_error(harvest_object, f"{prefix}: {err}", "Import")
        filename = _filename(content["url"])
        # Read once (the XLSX container checked first); the personal-data guard
        # sees every sheet before the normaliser, whose errors name cells.
        try:
            parsed = sheets.read_sheets(data, integration.limits())
        except sheets.SheetError as err:
            return self._object_error(
                harvest_object, f"{prefix}: data file {filename}: {err}", "Import"
            )
        findings = personal_data_in_sheets(parsed)
        if findings:
            return self._object_error(
                harvest_object,
                f"{prefix}: data file {filename} holds personal data ({'; '.join(findings)}); "
                "nothing was published for this row",
                "Import",
            )
        try:
            table = sheets.normalise_sheets(parsed, content.get("sheet"))
        except sheets.SheetError as err:
            return self._object_error(
                harvest_object, f"{prefix}: data file {filename}: {err}", "Import"
            )
        clean = table.to_csv()
        standard = content["values"].get("standar_data") or config["standar_data"]

        context = self._action_context()
        existing_id = self._existing_package_id(harvest_object)
        existing = (
            tk.get_action("package_show")(context.copy(), {"id": existing_id})
            if existing_id
            else None
        )
        try:
            package = build_package(content, config, table, existing)
        except ValueError as err:
            return self._object_error(harvest_object, f"{prefix}: {err}", "Import")
        clean_resource, original_resource = _resources(
            content, table, clean, data, filename, standard, existing
        )
        try:
            package_id = self._write(
                harvest_object, package, clean_resource, original_resource, existing
            )
        except ReportNotStored as err:
            return self._object_error(harvest_object, f"{prefix}: {err}", "Import")
        except tk.ValidationError as err:
            model.Session.rollback()
            return self._object_error(
                harvest_object,
                f"{prefix}: data file {filename} refused: {_error_summary(err)}. "
                "Nothing was changed for this row.",
                "Import",
            )
        log.info("spreadsheet row %s -> %s (%s)", content["row"], package_id, table.notes)
        return True

    def _write(
        self,
        harvest_object: HarvestObject,
        package: dict[str, Any],
        clean: dict[str, Any],
        original: dict[str, Any],
        existing: Mapping[str, Any] | None,
    ) -> str:
        """Write the dataset with both resources in one action; returns its id.
        Raises tk.ValidationError with nothing changed.

        One write per dataset (package_create, or package_patch of an existing
        one) instead of a bare dataset, a resource_create and a package_patch:
        each of those re-dictized, re-validated, logged an activity and
        re-indexed the dataset with a Solr commit.

        The clean CSV is still checked exactly as the upload hooks check a
        resource_create/resource_update: through the validation integration's
        own entry points (before_change before anything is written, which
        refuses a failing file; after_change once the resource has its id,
        which stores the report, or queues it in async mode, and queues the
        DataStore load). The original is an archive copy of the OPD's file,
        not meant for analysis, and is not validated (a messy sheet would fail
        by design); personal data in it was ruled out before
        (personal_data_in_sheets).

        The dataset is indexed once, after its report is stored (so the
        indexed resources carry their validation_status), without a Solr
        commit: see _commit_index.
        """
        context = {**self._write_context(), "defer_commit": True, "return_id_only": True}
        published = {r.get("id"): r for r in (existing or {}).get("resources", [])}
        current = dict(published.get(clean.get("id")) or {})
        if existing is None and package.get("standar_data"):
            # The hook of a resource_create on the new dataset falls back to
            # the dataset's standard; the dataset does not exist yet here.
            current.setdefault("standar_data", package["standar_data"])
        hook_context: dict[str, Any] = {}
        integration.before_change(hook_context, clean, current or None)

        try:
            if existing is None:
                package_id = self._create_with_uploads(context, package, [clean, original])
            else:
                # Resources the harvester did not write (no ROLE_KEY, e.g. a
                # PDF a steward added) are passed back unchanged.
                kept = [
                    _unchanged(r)
                    for r in existing.get("resources", [])
                    if r.get(ROLE_KEY) not in (ROLE_CLEAN, ROLE_ORIGINAL)
                ]
                resources = [clean, original, *kept]
                update = {**package, "id": existing["id"], "resources": resources}
                update.pop("name", None)
                # package_update stores the uploads of the resources it changes.
                package_id = tk.get_action("package_patch")(context, update)
            self._make_current(harvest_object, package_id)  # commits the dataset
        except Exception:
            model.Session.rollback()
            raise

        written = model.Package.get(package_id)
        clean_id = next(
            r.id
            for r in written.resources
            if r.state == "active" and r.extras.get(ROLE_KEY) == ROLE_CLEAN
        )
        try:
            integration.after_change(hook_context, {"id": clean_id, "package_id": package_id})
        except Exception as err:  # written already: say how to catch up
            log.exception("spreadsheet: storing the report of resource %s failed", clean_id)
            model.Session.rollback()
            self._index(package_id)
            raise ReportNotStored(
                f"dataset {package_id} was written, but the validation report of its clean "
                f"CSV (resource {clean_id}) could not be stored or its DataStore load queued "
                f"({err!r}); run satudata_validation_run on it"
            ) from err
        self._index(package_id)
        return package_id

    def _index(self, package_id: str) -> None:
        logic.index_update_package(self._action_context(), package_id, defer_commit=True)
        self._uncommitted_index += 1

    @staticmethod
    def _create_with_uploads(
        context: dict[str, Any], package: dict[str, Any], resources: list[dict[str, Any]]
    ) -> str:
        """package_create with uploaded resources (it does not store uploads
        itself: this does what package_update does for them)."""
        uploads = []
        for resource in resources:
            upload = uploader.get_resource_uploader(resource)  # takes "upload" out
            if "mimetype" not in resource and getattr(upload, "mimetype", None):
                resource["mimetype"] = upload.mimetype
            if "url_type" in resource and hasattr(upload, "filesize"):
                resource["size"] = upload.filesize
            uploads.append(upload)
        package_id = tk.get_action("package_create")(context, {**package, "resources": resources})
        stored = model.Package.get(package_id).resources
        written: list[str] = []
        try:
            for resource, upload in zip(stored, uploads, strict=True):
                upload.upload(resource.id, uploader.get_max_resource_size())
                written.append(resource.id)
        except Exception:
            for resource_id in written:  # nothing of a refused dataset stays behind
                path = getattr(uploader.get_resource_uploader({}), "get_path", None)
                if path is not None:
                    with contextlib.suppress(OSError):
                        os.remove(path(resource_id))
            raise
        return package_id

    def _commit_index(self, harvest_object: HarvestObject) -> None:
        """Commit the datasets indexed without a commit, once per job.

        Each dataset is indexed without a Solr commit (a hard commit per
        dataset was a large share of the import time); the commit happens when
        this process has no object of the job left to do (or every
        INDEX_COMMIT_EVERY datasets). Solr's autoSoftCommit (1 s in our
        configset) bounds the delay in any case, e.g. when several fetch
        consumers share a job.
        """
        if not self._uncommitted_index:
            return
        if self._uncommitted_index < INDEX_COMMIT_EVERY and self._job_has_more(harvest_object):
            return
        self._uncommitted_index = 0
        if tk.asbool(tk.config.get("ckan.search.solr_commit", True)):
            search.commit()

    @staticmethod
    def _job_has_more(harvest_object: HarvestObject) -> bool:
        """Whether other objects of the job are still waiting or running."""
        return (
            model.Session.query(HarvestObject.id)
            .filter(HarvestObject.harvest_job_id == harvest_object.harvest_job_id)
            .filter(HarvestObject.id != harvest_object.id)
            .filter(HarvestObject.state.in_(("WAITING", "FETCH", "IMPORT")))
            .first()
            is not None
        )

    def _import_withdrawal(self, harvest_object: HarvestObject, mode: str) -> bool:
        package_id = self._existing_package_id(harvest_object)
        try:
            self._withdraw(harvest_object, mode)
        except (tk.ValidationError, tk.ObjectNotFound) as err:
            model.Session.rollback()
            return self._object_error(
                harvest_object, f"withdrawing the dataset of a removed row failed: {err}", "Import"
            )
        if package_id:
            # Named in the job report as the dataset this removal concerned.
            harvest_object.package_id = package_id
            harvest_object.add()
            model.Session.commit()
        return True


# --- change detection ------------------------------------------------------------


def fingerprint(file_hash: str, content: Mapping[str, Any], config: Mapping[str, Any]) -> str:
    """Content hash of a row's dataset: it depends on the data file, the
    inventory row and the settings that shape it; any of them changing means
    an update."""
    shaped_by = {
        "file": file_hash,
        "cells": content["cells"],
        "organization": content["organization"],
        "standar_data": config["standar_data"],
        "defaults": config["defaults"],
    }
    return hashlib.sha256(json.dumps(shaped_by, sort_keys=True).encode()).hexdigest()


def stored_validators(record: PublishedRecord) -> net.Validators:
    return net.Validators(record.extra(ETAG_KEY), record.extra(LAST_MODIFIED_KEY))


def validator_extras(validators: net.Validators) -> dict[str, str]:
    extras = {ETAG_KEY: validators.etag, LAST_MODIFIED_KEY: validators.last_modified}
    return {key: value for key, value in extras.items() if value}


def store_validators(harvest_object: HarvestObject, validators: net.Validators) -> None:
    """Set the object's validator extras to ``validators`` (dropping stale ones)."""
    wanted = validator_extras(validators)
    for extra in list(harvest_object.extras):
        if extra.key in (ETAG_KEY, LAST_MODIFIED_KEY) and extra.key not in wanted:
            harvest_object.extras.remove(extra)
    for key, value in wanted.items():
        SatudataHarvesterBase._set_extra(harvest_object, key, value)


# --- settings ------------------------------------------------------------------


def settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """Checked settings of a source config; raises HarvestConfigError naming the key."""
    organization = config.get("organization")
    if organization is not None and (not isinstance(organization, str) or not organization):
        raise HarvestConfigError("organization must be the name or id of an organization")

    mapping = config.get("column_mapping") or {}
    if not isinstance(mapping, dict):
        raise HarvestConfigError('column_mapping must be an object {"header": "column key"}')
    for header, key in mapping.items():
        if key not in inv.BY_KEY:
            raise HarvestConfigError(
                f"column_mapping: {header!r} maps to unknown column {key!r}; known: "
                f"{', '.join(inv.BY_KEY)}"
            )

    standard = config.get("standar_data")
    if standard is not None:
        if not isinstance(standard, str) or not standard:
            raise HarvestConfigError("standar_data must be the name of a data standard")
        known = known_standards()
        if standard not in known:
            raise HarvestConfigError(
                f"standar_data: unknown data standard {standard!r}; known: {', '.join(known)}"
            )

    defaults = config.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise HarvestConfigError("defaults must be an object of SDI field values")
    bad = sorted(set(defaults) - DEFAULTABLE)
    if bad:
        raise HarvestConfigError(
            f"defaults: field(s) {', '.join(bad)} cannot be defaulted; allowed: "
            f"{', '.join(sorted(DEFAULTABLE))}"
        )

    policy = fetch_policy(config, max_bytes_key="max_file_size", max_bytes=DEFAULT_MAX_FILE_SIZE)
    mode = config.get("removed_rows", "flag")
    if mode not in REMOVED_ROW_MODES:
        raise HarvestConfigError(f"removed_rows must be one of {', '.join(REMOVED_ROW_MODES)}")
    max_shrink = config.get("max_shrink", 0.5)
    if (
        isinstance(max_shrink, bool)
        or not isinstance(max_shrink, (int, float))
        or not (0 <= max_shrink <= 1)
    ):
        raise HarvestConfigError("max_shrink must be a share between 0 and 1 (e.g. 0.5)")
    return {
        "organization": organization,
        "column_mapping": mapping,
        "standar_data": standard,
        "defaults": defaults,
        "removed_rows": mode,
        "max_shrink": float(max_shrink),
        "policy": policy,
    }


def known_standards() -> list[str]:
    """Names of the shipped data standards."""
    return [entry[0] for entry in standards.list_standards()]


def resolve_link(inventory_url: str, link: str) -> tuple[str, str | None]:
    """Absolute data file URL of a Link Portal Daerah cell, and the sheet its
    ``#sheet=NAME`` fragment names."""
    absolute = urljoin(inventory_url, link.strip())
    parts = urlsplit(absolute)
    sheet_name = None
    if parts.fragment.lower().startswith("sheet="):
        sheet_name = unquote(parts.fragment.split("=", 1)[1]) or None
    return urlunsplit(parts._replace(fragment="")), sheet_name


def _source_owner(source_id: str) -> str | None:
    package = model.Package.get(source_id)
    return package.owner_org if package is not None else None


def _filename(url: str) -> str:
    name = unquote(os.path.basename(urlsplit(url).path)) or "data"
    return name


# --- personal data ---------------------------------------------------------------


def personal_data_in_sheets(parsed: list[sheets.Sheet]) -> list[str]:
    """Personal-data findings (NIK/KK) in any sheet of the original file.

    The clean CSV is checked by the validation hooks; the original is stored
    beside it as an archive copy, and may hold sheets the clean table left out.
    Findings name sheets, columns and rows, never a value.
    """
    findings = []
    for each in parsed:
        filled = [(n, row) for n, row in enumerate(each.rows, 1) if not sheets.is_blank(row)]
        rows = [row for _, row in filled]
        if not rows:
            continue
        # The header is where normalise finds it (else the first row), so the
        # guard sees column names such as "NIK".
        try:
            start = sheets.find_header(each, rows).last_row
        except sheets.SheetError:
            start = 0
        for finding in guard.scan_rows(rows[start:]):
            found = finding.as_dict()
            # Row numbers as the steward sees them in the spreadsheet.
            numbers = [str(filled[start + n - 1][0]) for n in found["rows"]]
            where = f", rows {', '.join(numbers)}" if numbers else ""
            label = f" {found['column']!r}" if found["column"] else ""
            column = f"column {found['column_number']}{label}"
            findings.append(f"sheet {each.name!r}, {column}{where}")
    return findings


# --- dataset ---------------------------------------------------------------------


def build_package(
    content: Mapping[str, Any],
    config: Mapping[str, Any],
    table: sheets.Table,
    existing: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The SDI dataset of an inventory row; raises ValueError naming what is missing."""
    cells, values = content["cells"], content["values"]
    defaults = config["defaults"]
    title = cells["nama_data"]
    package: dict[str, Any] = {
        "title": title,
        "notes": cells.get("definisi") or "",
        "owner_org": content["organization"],
        "author": cells.get("produsen_data") or content["organization_title"],
        "url": content["url"],
        "license_id": defaults.get("license_id", "cc-by"),
    }
    for key in DEFAULTABLE - {"license_id"}:
        if key in defaults:
            package[key] = defaults[key]
    # Inventory cells win over defaults.
    mapped = {
        "jenis_data": "jenis",
        "klasifikasi_data": "accessRights",
        "satuan": "satuan",
        "jadwal_pemutakhiran": "accrualPeriodicity",
        "topik": "theme",
        "subtopik": "subtopik",
        "tahun_mulai": "tahun_mulai",
        "tahun_akhir": "tahun_akhir",
        "tingkat_wilayah": "tingkat_wilayah",
        "kode_wilayah": "kode_wilayah",
        "id_sds": "id_sds",
    }
    for source_key, field in mapped.items():
        if values.get(source_key) not in (None, "", []):
            package[field] = values[source_key]
    if cells.get("id_ddd"):
        package["id_dds"] = cells["id_ddd"]
    if cells.get("klasifikasi_penyajian"):
        package["klasifikasi"] = cells["klasifikasi_penyajian"]
    if cells.get("kata_kunci"):
        package["tag_string"] = ",".join(
            t.strip() for t in cells["kata_kunci"].replace(";", ",").split(",") if t.strip()
        )
    if package.get("theme") is None and package.get("subtopik"):
        package["theme"] = vocabularies.topic_of_subtopic(package["subtopik"])

    # What the data file itself says about its coverage.
    covered = _column_years(table)
    if covered and "tahun_mulai" not in values:
        package["tahun_mulai"] = min(covered)
        package.setdefault("tahun_akhir", max(covered))
    if "kode_wilayah" not in values:
        codes = _coverage_codes(table)
        if codes:
            package["kode_wilayah"] = codes
            if "tingkat_wilayah" not in values:
                package["tingkat_wilayah"] = regions.code_level(codes[0])
    if "tingkat_wilayah" not in package and cells.get("klasifikasi_penyajian"):
        for term in vocabularies.terms("region_level"):
            if term.value in cells["klasifikasi_penyajian"].lower():
                package["tingkat_wilayah"] = term.value
                break
    if "kode_wilayah" not in package and package.get("tingkat_wilayah") == "kabupaten":
        # Kabupaten-level data of an OPD covers its own kabupaten.
        package["kode_wilayah"] = [regions.tenant_root()]
    if "periode" not in package and package.get("accrualPeriodicity"):
        term = vocabularies.get("frequency", package["accrualPeriodicity"])
        periods = (term.extra.get("periods") if term else None) or []
        if len(periods) == 1:
            package["periode"] = periods[0]

    required = {
        "notes": "Definisi",
        "theme": "Topik (or defaults.theme)",
        "jenis": "Jenis Data",
        "accessRights": "Klasifikasi Data",
        "accrualPeriodicity": "Jadwal Pemutakhiran",
        "satuan": "Satuan",
        "tahun_mulai": "Tahun Mulai (or a tahun column in the data file)",
        "tingkat_wilayah": "Tingkat Wilayah (or Klasifikasi Penyajian)",
        "kode_wilayah": "Kode Wilayah (or a kode_wilayah / kecamatan column in the data file)",
    }
    missing = [label for key, label in required.items() if package.get(key) in (None, "", [])]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")

    if existing is None:
        package["name"] = _dataset_name(title, content)
    elif existing.get("status_data") == WITHDRAWN_STATUS:
        # The row is back in the inventory: the dataset is published again.
        package["status_data"] = PUBLISHED_STATUS
    return package


def _column_years(table: sheets.Table) -> list[int]:
    if "tahun" not in table.columns:
        return []
    index = table.columns.index("tahun")
    found = []
    for row in table.rows:
        text = row[index]
        if text.isdigit() and years.is_data_year(int(text)):
            found.append(int(text))
    return found


def _coverage_codes(table: sheets.Table) -> list[str]:
    """Region codes the data file covers: a code column, or tenant region names."""
    for column in REGION_CODE_COLUMNS:
        if column in table.columns:
            index = table.columns.index(column)
            codes = []
            for row in table.rows:
                try:
                    codes.append(regions.normalize_code(row[index]))
                except regions.RegionCodeError:
                    return []
            return sorted(set(codes))
    for column in REGION_NAME_COLUMNS:
        if column not in table.columns:
            continue
        index = table.columns.index(column)
        names = {row[index].strip().lower() for row in table.rows}
        # Names are matched within one level (a desa may share its kecamatan's name).
        for level in ("kecamatan", "desa", "kelurahan"):
            by_name: dict[str, list[str]] = {}
            for region in regions.tenant_regions().values():
                if region.level == level:
                    by_name.setdefault(region.name.lower(), []).append(region.code)
            if all(len(by_name.get(name, [])) == 1 for name in names):
                return sorted(by_name[name][0] for name in names)
    return []


def _dataset_name(title: str, content: Mapping[str, Any]) -> str:
    """A URL name from the title; the row identity's hash keeps it unique."""
    from ckan.lib.munge import munge_title_to_name

    base = munge_title_to_name(title)[:80].strip("-")
    if model.Package.get(base) is None:
        return base
    suffix = hashlib.sha1(
        f"{content['organization']}:{content['row']}:{title}".encode()
    ).hexdigest()
    return f"{base}-{suffix[:8]}"


def _resources(
    content: Mapping[str, Any],
    table: sheets.Table,
    clean: bytes,
    original: bytes,
    filename: str,
    standard: str | None,
    existing: Mapping[str, Any] | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The clean CSV and the original file, replacing those of an earlier harvest."""
    published = {r.get(ROLE_KEY): r for r in (existing or {}).get("resources", [])}
    stem = os.path.splitext(filename)[0]
    clean_name = f"{stem}.csv"
    normalised = "; ".join(table.notes) if table.notes else "tidak ada yang perlu diubah"
    description = (
        f"Tabel bersih (CSV, UTF-8, koma) dari berkas {filename}, lembar {table.sheet!r}, "
        f"{len(table.rows)} baris. Normalisasi: {normalised}."
    )
    if standard:
        description += f" Divalidasi terhadap standar data {standard}."
    clean_resource: dict[str, Any] = {
        "name": content["cells"]["nama_data"],
        "description": description,
        "format": "CSV",
        "url": clean_name,
        "upload": FileStorage(io.BytesIO(clean), filename=clean_name, content_type="text/csv"),
        "hash": hashlib.sha256(clean).hexdigest(),
        ROLE_KEY: ROLE_CLEAN,
    }
    if standard:
        clean_resource["standar_data"] = standard
    xlsx = sheets.is_xlsx(original)
    original_resource: dict[str, Any] = {
        "name": f"Berkas asli: {filename}",
        "description": (
            f"Berkas sebagaimana diterbitkan OPD ({content['url']}), tanpa perubahan. "
            "Gunakan tabel bersih untuk analisis."
        ),
        "format": "XLSX" if xlsx else "CSV",
        "url": filename,
        "upload": FileStorage(
            io.BytesIO(original),
            filename=filename,
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                if xlsx
                else "text/csv"
            ),
        ),
        "hash": hashlib.sha256(original).hexdigest(),
        ROLE_KEY: ROLE_ORIGINAL,
    }
    for resource, role in ((clean_resource, ROLE_CLEAN), (original_resource, ROLE_ORIGINAL)):
        previous = published.get(role)
        if previous and previous.get("id"):
            resource["id"] = previous["id"]
    return clean_resource, original_resource


def _unchanged(resource: Mapping[str, Any]) -> dict[str, Any]:
    """A published resource to pass back as it is, without the fields only the
    validation engine sets."""
    copy = dict(resource)
    integration.strip_read_only(copy)
    return copy


def _error_summary(err: Any) -> str:
    summary = getattr(err, "error_summary", None) or getattr(err, "error_dict", None) or err
    return json.dumps(summary, ensure_ascii=False) if isinstance(summary, dict) else str(summary)
