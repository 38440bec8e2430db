"""ckanext-harvest harvester ``satudata_spreadsheet``: an OPD's data inventory
("Daftar Data Daerah", XLSX or CSV) and one data spreadsheet per row, turned
into SDI datasets owned by the OPD.

Why one module: these are the stages of one harvester (gather, fetch,
import) and the bookkeeping between them; the work they call lives in
inventory, sheet, mapping and changes.

Source URL: the inventory spreadsheet. Its "Link Portal Daerah" cells are the
data files; a relative link is resolved against the inventory's URL (so a
folder of files can be served from anywhere), ``#sheet=NAME`` names the sheet
of a workbook with several data sheets.

Source configuration: every key optional, described in settings.py
(SpreadsheetSettings.SETTINGS) and docs/harvest-sources.md.

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
  (checked against its data standard through the validation hooks, which
  refuse a failing file before anything is written and store the report
  once it is; its description says what was normalised) and the original file. A refusal is an error of that row; the
  other rows go on. Datasets are indexed without a Solr commit, committed
  once the job has nothing left (base.commit_index).
- a written dataset is then linked to its OPD's items of the year's Daftar
  Data (planning/) with the row's ID DDD: the one step beyond the harvest.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectExtra

from ckanext.satudata import config, net
from ckanext.satudata.harvesters.base import (
    SatudataHarvesterBase,
)
from ckanext.satudata.harvesters.messages import N_, Localized, Message, message
from ckanext.satudata.harvesters.settings import HarvestConfigError
from ckanext.satudata.harvesters.spreadsheet import SOURCE_TYPE, changes, mapping
from ckanext.satudata.harvesters.spreadsheet import inventory as inv
from ckanext.satudata.harvesters.spreadsheet import sheet as sheets
from ckanext.satudata.harvesters.spreadsheet.settings import SpreadsheetSettings
from ckanext.satudata.model import daftar_data_link
from ckanext.satudata.review import pending
from ckanext.satudata.standards import registry
from ckanext.satudata.validation import hooks, jobs, reports, service

log = logging.getLogger(__name__)


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
    SETTINGS = SpreadsheetSettings.SETTINGS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Data file bytes from fetch to import of the same object. Both stages
        # run back to back in one process (queue.fetch_and_import_stages).
        self._downloads: dict[str, bytes] = {}

    def _check_config(self, config: Mapping[str, Any]) -> None:
        SpreadsheetSettings.parse(config)

    def _settings(self, harvest: HarvestJob | HarvestObject) -> SpreadsheetSettings:
        return SpreadsheetSettings.parse(self._source_config(harvest))

    # --- gather ------------------------------------------------------------------

    def gather_stage(self, harvest_job: HarvestJob) -> list[str]:
        source = harvest_job.source
        try:
            settings = self._settings(harvest_job)
        except HarvestConfigError as err:
            return self._gather_error(
                harvest_job, message(N_("configuration: {error}"), error=err.message)
            )
        organization = settings.organization or _source_owner(source.id)
        if not organization:
            return self._gather_error(
                harvest_job,
                message(
                    N_('configuration: no organization (set "organization" or the source\'s owner)')
                ),
            )
        try:
            org = tk.get_action("organization_show")(
                self._action_context(),
                {"id": organization, "include_datasets": False, "include_users": False},
            )
        except tk.ObjectNotFound:
            return self._gather_error(
                harvest_job,
                message(
                    N_("configuration: organization {organization} does not exist"),
                    organization=repr(organization),
                ),
            )

        try:
            fetched = net.fetch(source.url, settings.policy)
            parsed = inv.read_inventory(fetched.content, settings.column_mapping)
        except (net.FetchError, inv.InventoryError) as err:
            return self._gather_error(
                harvest_job,
                message(
                    N_("the inventory could not be read, nothing was changed: {error}"),
                    error=str(err),
                ),
            )
        if not parsed.rows:
            return self._gather_error(
                harvest_job, message(N_("the inventory lists no datasets; nothing was changed"))
            )

        contents: dict[str, dict[str, Any]] = {}
        first_row_of: dict[str, int] = {}
        for row in parsed.rows:
            identity = row.identity
            if identity is None:
                self._gather_error(
                    harvest_job,
                    message(
                        N_("inventory row {row}: no ID DDD and no Nama Data; skipped"),
                        row=row.number,
                    ),
                )
                continue
            guid = f"{source.id}:{identity}"
            if guid in contents:
                self._gather_error(
                    harvest_job,
                    message(
                        N_(
                            "inventory row {row}: same identity as row {first} ({identity}); skipped"
                        ),
                        row=row.number,
                        first=first_row_of[guid],
                        identity=identity,
                    ),
                )
                continue
            first_row_of[guid] = row.number
            link = row.cells.get("link_portal_daerah", "")
            url, sheet_name = mapping.resolve_link(fetched.url, link) if link else ("", None)
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
        refused = self._shrink_refused(len(previous), still_listed, settings.max_shrink)
        if refused:
            return self._gather_error(harvest_job, refused)

        confirmed = changes.confirm_unchanged(contents, records, settings)
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
                content=json.dumps({"withdraw": True, "mode": settings.removed_rows}),
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

    # --- fetch -------------------------------------------------------------------

    def fetch_stage(self, harvest_object: HarvestObject) -> bool | str:
        outcome = self._fetch(harvest_object)
        if outcome is not True:  # no import follows: the job may be done
            self.commit_index(harvest_object)
        return outcome

    def _fetch(self, harvest_object: HarvestObject) -> bool | str:
        content = json.loads(harvest_object.content)
        if content.get("withdraw"):
            return True
        row = content["row"]
        standard = content["values"].get("standar_data")
        known = registry.names()
        if standard and standard not in known:
            content["errors"].append(
                f"Standar Data {standard!r} is not a data standard of this portal "
                f"({', '.join(known)})"
            )
        if content["errors"]:
            for error in content["errors"]:
                self._object_error(harvest_object, _row_problem(row, error), "Fetch")
            return False
        try:
            settings = self._settings(harvest_object)
        except HarvestConfigError as err:
            return self._object_error(
                harvest_object, message(N_("configuration: {error}"), error=err.message), "Fetch"
            )
        try:
            fetched = net.fetch(content["url"], settings.policy)
        except net.FetchError as err:
            return self._object_error(
                harvest_object,
                message(
                    N_("inventory row {row}: data file not downloaded: {error}"),
                    row=row,
                    error=str(err),
                ),
                "Fetch",
            )
        if not fetched.content.strip():
            return self._object_error(
                harvest_object,
                message(
                    N_("inventory row {row}: data file {file} is empty"),
                    row=row,
                    file=content["url"],
                ),
                "Fetch",
            )
        record = self._published_record(harvest_object)
        unchanged = self._is_unchanged(
            harvest_object, changes.fingerprint(fetched.sha256, content, settings), record
        )
        changes.remember_file(harvest_object, fetched)
        # A withdrawn dataset whose row is back is published again, even unchanged.
        if unchanged and record is not None and not record.withdrawn:
            # The next gather can confirm this row without a download (a
            # dataset harvested before gather checked, or a failed check).
            changes.remember_file(record.harvest_object, fetched)
            return "unchanged"
        self._downloads[harvest_object.id] = fetched.content
        return True

    # --- import ------------------------------------------------------------------

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        try:
            return self._import(harvest_object)
        finally:
            self.commit_index(harvest_object)

    def _import(self, harvest_object: HarvestObject) -> bool | str:
        content = json.loads(harvest_object.content)
        if content.get("withdraw"):
            return self._import_withdrawal(harvest_object, content["mode"])
        row = content["row"]
        data = self._downloads.pop(harvest_object.id, None)
        try:
            settings = self._settings(harvest_object)
            if data is None:  # import run on its own (e.g. re-import): fetch again
                data = net.fetch(content["url"], settings.policy).content
        except (HarvestConfigError, net.FetchError) as err:
            return self._object_error(harvest_object, _row_problem(row, str(err)), "Import")
        filename = mapping.filename_of(content["url"])
        # Read once (the XLSX container checked first); the personal-data guard
        # sees every sheet before the normaliser, whose errors name cells.
        try:
            parsed = sheets.read_sheets(data, config.validation_limits())
        except sheets.SheetError as err:
            return self._object_error(harvest_object, _file_problem(row, filename, err), "Import")
        scanned = service.scan_grids(parsed)
        if scanned.personal_data:
            findings = Localized(
                {lang: "; ".join(scanned.messages(lang, limit=5)) for lang in ("id", "en")}
            )
            return self._object_error(
                harvest_object,
                message(
                    N_(
                        "inventory row {row}: data file {file} holds personal data ({findings}); "
                        "nothing was published for this row"
                    ),
                    row=row,
                    file=filename,
                    findings=findings,
                ),
                "Import",
            )
        try:
            table = sheets.normalise_sheets(parsed, content.get("sheet"))
        except sheets.SheetError as err:
            return self._object_error(harvest_object, _file_problem(row, filename, err), "Import")
        clean = table.to_csv(neutralise_formulas=config.neutralise_formulas())
        standard = content["values"].get("standar_data") or settings.standar_data

        context = self._action_context()
        existing_id = self._existing_package_id(harvest_object)
        existing = (
            tk.get_action("package_show")(context.copy(), {"id": existing_id})
            if existing_id
            else None
        )
        try:
            package = mapping.build_package(content, settings, table, existing)
        except ValueError as err:
            return self._object_error(harvest_object, _row_problem(row, str(err)), "Import")
        clean_resource, original_resource = mapping.resources(
            content, table, clean, data, filename, standard, existing
        )
        try:
            package_id = self._write(
                harvest_object, package, clean_resource, original_resource, existing
            )
        except ReportNotStored as err:
            return self._object_error(harvest_object, _row_problem(row, str(err)), "Import")
        except tk.ValidationError as err:
            model.Session.rollback()
            return self._object_error(
                harvest_object,
                message(
                    N_(
                        "inventory row {row}: data file {file} refused: {errors}. "
                        "Nothing was changed for this row."
                    ),
                    row=row,
                    file=filename,
                    errors=_error_summary(err),
                ),
                "Import",
            )
        self._link_to_plan(package_id, content)
        log.info("spreadsheet row %s -> %s (%s)", content["row"], package_id, table.notes)
        return True

    @staticmethod
    def _link_to_plan(package_id: str, content: Mapping[str, Any]) -> None:
        """The dataset fulfils its OPD's Daftar Data items (planning/) that
        have the row's ID DDD, in every year's plan that lists it."""
        id_ddd = content["cells"].get("id_ddd")
        if id_ddd:
            daftar_data_link.link_by_id_ddd(
                package_id, content["organization"], id_ddd, daftar_data_link.HARVEST
            )

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
        resource_create/resource_update: through the validation hooks'
        own entry points (before_change before anything is written, which
        refuses a failing file; after_change once the resource has its id,
        which stores the report, or queues it in async mode, and owes the
        DataStore load, which this write then does itself). The original is an archive copy of the OPD's file,
        not meant for analysis, and is not validated (a messy sheet would fail
        by design); personal data in any of its sheets was ruled out before
        (service.scan_grids).

        The dataset is scored and indexed once, after its report is stored
        and its table loaded (so the indexed resources carry their
        validation_status and datastore_active, and the index its quality),
        without a Solr commit: see base._one_write and
        base.commit_index.
        """
        published = {r.get("id"): r for r in (existing or {}).get("resources", [])}
        current = dict(published.get(clean.get("id")) or {})
        if existing is None and package.get("standar_data"):
            # The hook of a resource_create on the new dataset falls back to
            # the dataset's standard; the dataset does not exist yet here.
            current.setdefault("standar_data", package["standar_data"])
        hook_context: Context = {}
        hooks.before_change(hook_context, clean, current or None)

        # Resources the harvester did not write (no ROLE_KEY, e.g. a PDF a
        # steward added) are passed back unchanged.
        kept = [
            reports.without_read_only(r)
            for r in (existing or {}).get("resources", [])
            if r.get(mapping.ROLE_KEY) not in mapping.HARVESTER_ROLES
        ]
        # The clean CSV's DataStore load, when it passed, is part of the write
        # (loaded here when the block ends, inside the write): the dataset is
        # scored and indexed once, not again by a queued load.
        with self._one_write(), jobs.loads_in_this_process():
            package_id = self._write_dataset(
                harvest_object,
                {**package, "resources": [clean, original, *kept]},
                existing,
                defer_commit=True,
            )

            if self.last_write_deferred:
                # The dataset is published: the change waits for the walidata, the
                # clean CSV's validation with it (recorded once it is published).
                held = hooks.take_pending(hook_context)
                proposed = pending.current_version(model.Package.get(package_id))  # type: ignore[arg-type]
                clean_id = next(
                    r["id"]
                    for r in proposed.get("resources", [])
                    if r.get(mapping.ROLE_KEY) == mapping.ROLE_CLEAN
                )
                if held:
                    pending.hold_validation(package_id, clean_id, held)
                    model.Session.commit()
                return package_id

            written = model.Package.get(package_id)
            assert written is not None  # committed by _write_dataset
            clean_id = next(
                r.id
                for r in written.resources
                if r.state == "active" and r.extras.get(mapping.ROLE_KEY) == mapping.ROLE_CLEAN
            )
            try:
                hooks.after_change(hook_context, {"id": clean_id, "package_id": package_id})
            except Exception as err:  # written already: say how to catch up
                log.exception("spreadsheet: storing the report of resource %s failed", clean_id)
                model.Session.rollback()
                raise ReportNotStored(
                    f"dataset {package_id} was written, but the validation report of its clean "
                    f"CSV (resource {clean_id}) could not be stored or its DataStore load queued "
                    f"({err!r}); run satudata_validation_run on it"
                ) from err
            return package_id

    def _import_withdrawal(self, harvest_object: HarvestObject, mode: str) -> bool:
        package_id = self._existing_package_id(harvest_object)
        try:
            self._withdraw(harvest_object, mode)
        except (tk.ValidationError, tk.ObjectNotFound) as err:
            model.Session.rollback()
            return self._object_error(
                harvest_object,
                message(
                    N_("withdrawing the dataset of a removed row failed: {error}"), error=str(err)
                ),
                "Import",
            )
        if package_id:
            # Named in the job report as the dataset this removal concerned.
            harvest_object.package_id = package_id
            harvest_object.add()
            model.Session.commit()
        return True


def _row_problem(row: int, problem: str) -> Message:
    """A problem of an inventory row (its text from the inventory, the sheet
    reader or the mapping, in English) under a translated heading."""
    return message(N_("inventory row {row}: {problem}"), row=row, problem=problem)


def _file_problem(row: int, filename: str, err: Exception) -> Message:
    return message(
        N_("inventory row {row}: data file {file}: {problem}"),
        row=row,
        file=filename,
        problem=str(err),
    )


def _source_owner(source_id: str) -> str | None:
    package = model.Package.get(source_id)
    return package.owner_org if package is not None else None


def _error_summary(err: Any) -> str:
    summary = getattr(err, "error_summary", None) or getattr(err, "error_dict", None) or err
    return json.dumps(summary, ensure_ascii=False) if isinstance(summary, dict) else str(summary)
