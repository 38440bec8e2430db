"""ckanext-harvest harvester ``satudata_dukcapil``: Dukcapil DKB population feed.

Why one module: these are the stages of one harvester (gather, fetch,
import) and the bookkeeping between them; the pure work they call lives in
feed, pipeline, records, consistency, mapping, transform and validating.

Semester label (the payload carries none): the source configuration names it.
``"semester": "2024-S2"`` harvests the source URL as that semester;
``"releases": [{"semester": "2024-S1", "url": ...}, ...]`` harvests several
(backfilling history). When a semester already published comes back with
different figures it is a *revision* (Dukcapil corrections): that semester's
table is replaced and the change shows in the dataset's activity stream. The
harvester never guesses a new semester from changed content: a new semester
only arrives when an administrator names it.

Source configuration: the source URL is the ArcGIS MapServer of the release,
or a .xlsx/.csv spreadsheet URL; the settings are described in settings.py
(DukcapilSettings.SETTINGS) and docs/harvest-sources.md.

Revisions show in the public activity stream when the harvest runs as a real
sysadmin (a "harvest" user or ``ckanext.harvest.user_name``): CKAN hides the
site user's activities (``ckan.hide_activity_from_users``).

Stages:
- gather reads each release whole (every layer, every page), collects records,
  runs the consistency checks and builds the tidy tables; a release that cannot
  be read completely is a gather error and changes nothing. One harvest object
  per dataset (indicator family x published level) carries the checked tables
  of the job's semesters, and the check report of any rejected semester.
- fetch reports rejected semesters as object errors, and returns "unchanged"
  when the tables equal those of the dataset's current object (base.py).
- import compares each semester's table with the published resource (sha256 in
  the resource's ``hash``): same -> nothing; new -> a resource is added;
  different -> replaced (revision). The cumulative "Semua Semester" resource is
  rebuilt from the per-semester tables whenever one of them changed. Nothing
  changed -> "unchanged", zero writes.
- quarantine (``dirty_records``, records.py): with the quarantine policy, the
  records failing their own checks are left out, listed on the harvest job
  (the object's QUARANTINE_EXTRA, shown by the job page) and on each
  semester's resource (``catatan_karantina``, shown on the dataset page).
- a recreated source adopts the datasets of the deleted one (adoption.py).
- reports are harvest report messages (harvesters/messages.py): shown in the
  reader's language.
- validation (validating.py): every table about to be written is validated
  with our frictionless engine against its data standard first (a failure is
  an object error naming file, row, column and rule; nothing of the dataset is
  written); after the write each report is stored through the validation
  module (validation_status, badge, report page, DataStore load on success).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.satudata.harvesters import messages
from ckanext.satudata.harvesters.base import (
    SatudataHarvesterBase,
    set_object_extra,
)
from ckanext.satudata.harvesters.dukcapil import (
    SOURCE_TYPE,
    adoption,
    feed,
    mapping,
    pipeline,
    transform,
    validating,
)
from ckanext.satudata.harvesters.dukcapil.settings import DukcapilSettings
from ckanext.satudata.harvesters.dukcapil.standard import FAMILIES, Family, Semester, SemesterError
from ckanext.satudata.harvesters.messages import N_, Message, message
from ckanext.satudata.harvesters.permissions import check_secret_owners, secret_owner
from ckanext.satudata.harvesters.settings import HarvestConfigError
from ckanext.satudata.reference import regions
from ckanext.satudata.review import pending
from ckanext.satudata.validation import engine

log = logging.getLogger(__name__)

# Harvest object extra: the stored report of the records quarantined in the
# object's semesters (logic/action/harvest_reports.py shows it with the job).
QUARANTINE_EXTRA = "satudata_quarantine"


class ImportRefused(Exception):
    """An object's import that changes nothing; ``problem`` is its report."""

    def __init__(self, problem: Message) -> None:
        super().__init__(problem.render())
        self.problem = problem


@dataclass
class Tables:
    """What an import writes: the semesters' tables, which of them changed
    (and whether that is a revision of a published one), and the cumulative one."""

    every: dict[Semester, bytes] = field(default_factory=dict)
    changed: dict[Semester, bool] = field(default_factory=dict)  # semester -> is revision
    cumulative: bytes = b""


class DukcapilHarvester(SatudataHarvesterBase):
    """Keeps the population datasets of the tenant current from Dukcapil's DKB."""

    SOURCE_TYPE = SOURCE_TYPE
    TITLE = "Dukcapil: Data Kependudukan Bersih (DKB)"
    DESCRIPTION = (
        "Jumlah penduduk per semester dari layanan peta ArcGIS Dukcapil atau "
        "spreadsheet Disdukcapil, diperiksa konsistensinya sebelum ditayangkan."
    )
    SETTINGS = DukcapilSettings.SETTINGS

    def _check_config(self, config: Mapping[str, Any]) -> None:
        DukcapilSettings.parse(config, source_url="http://example.invalid/", owner=None)
        check_secret_owners(feed.FeedAuth.env_names(config, None))

    # --- gather ------------------------------------------------------------------

    def gather_stage(self, harvest_job: HarvestJob) -> list[str]:
        source = harvest_job.source
        source_package = model.Package.get(source.id)
        owner_org = source_package.owner_org if source_package is not None else None
        try:
            config = self._source_config(harvest_job)
            # Only a source that names secrets needs its owner to be unambiguous.
            owner = secret_owner(owner_org) if feed.FeedAuth.env_names(config, None) else ""
            settings = DukcapilSettings.parse(config, source.url, owner=owner)
        except HarvestConfigError as err:  # in the reader's language
            return self._gather_error(
                harvest_job, message(N_("configuration: {error}"), error=err.message)
            )
        except (SemesterError, ValueError) as err:
            return self._gather_error(
                harvest_job, message(N_("configuration: {error}"), error=str(err))
            )

        # The producing OPD: named in the config, else the harvest source's owner.
        organization = settings.organization or owner_org
        if not organization:
            return self._gather_error(
                harvest_job,
                message(
                    N_('configuration: no organization (set "organization" or the source\'s owner)')
                ),
            )
        known = regions.tenant_regions()
        objects: dict[tuple[str, str], dict[str, Any]] = {}
        latest: Semester | None = None
        for semester, release in settings.releases:
            try:
                result = pipeline.process_release(
                    semester,
                    pipeline.release_pages(release, settings.feed),
                    known,
                    settings.root,
                    settings.families,
                    settings.levels,
                    settings.policy,
                )
            except feed.FeedError as err:
                self._gather_error(
                    harvest_job,
                    message(
                        N_(
                            "{semester}: the feed could not be read completely, nothing was "
                            "changed: {error}"
                        ),
                        semester=semester.label,
                        error=err.problem,
                    ),
                )
                continue
            newest = latest is None or semester > latest
            latest = semester if newest else latest
            notes = self._release_notes(result)
            quarantine = self._quarantine_report(result)
            family_issues = result.data.rejected_families()
            for family_key in settings.families:
                for level in settings.levels:
                    content = objects.setdefault(
                        (family_key, level),
                        {"family": family_key, "level": level, "root": settings.root,
                         "organization": organization, "source_url": "",
                         "tables": {}, "rejected": {}, "notes": {}, "quarantine": {}},
                    )  # fmt: skip
                    if newest:
                        content["source_url"] = release.service_url(level)
                    table = result.tables.get((family_key, level))
                    if table is not None:
                        content["tables"][semester.key] = table.decode("utf-8")
                        content["notes"][semester.key] = notes
                        if quarantine is not None:
                            content["quarantine"][semester.key] = messages.dumps(quarantine)
                    elif result.rejected or family_key in family_issues:
                        content["rejected"][semester.key] = messages.dumps(
                            message(
                                N_(
                                    "{semester} rejected, published data left untouched "
                                    "({count} problem(s)):\n{report}"
                                ),
                                semester=semester.label,
                                count=result.data.issue_count,
                                report=messages.lines(result.data.report_lines()),
                            )
                        )
                    else:
                        content["rejected"][semester.key] = messages.dumps(
                            message(
                                N_("{semester}: no {level} rows in the feed; nothing was changed"),
                                semester=semester.label,
                                level=level,
                            )
                        )
        ids = []
        for (family_key, level), content in objects.items():
            harvest_object = HarvestObject(
                guid=f"dukcapil:{settings.root}:{family_key}:{level}",
                job=harvest_job,
                content=json.dumps(content, sort_keys=True),
            )
            if content["quarantine"]:
                set_object_extra(
                    harvest_object,
                    QUARANTINE_EXTRA,
                    messages.dumps(
                        messages.join_messages(
                            [
                                messages.loads(text) or text
                                for text in content["quarantine"].values()
                            ]
                        )
                    ),
                )
            harvest_object.save()
            ids.append(harvest_object.id)
        return ids

    @staticmethod
    def _release_notes(result: pipeline.ReleaseResult) -> str:
        """What the semester's resource description says of the feed (Indonesian:
        resource descriptions are content, written in the portal's language)."""
        data = result.data
        note = f"{data.records_read} rekaman dibaca"
        if data.duplicates_collapsed:
            note += (
                f"; {data.duplicates_collapsed} rekaman duplikat (hanya objectid berbeda) digabung"
            )
        if data.quarantined:
            note += f"; {len(data.quarantined)} rekaman dikarantina (tidak ditayangkan)"
        return note

    @staticmethod
    def _quarantine_report(result: pipeline.ReleaseResult) -> Message | None:
        """The records of a published semester left out by the quarantine policy."""
        data = result.data
        if not data.quarantined or result.rejected:
            return None
        return message(
            N_(
                "{semester}: {count} of {read} record(s) quarantined (policy dirty_records: "
                "quarantine) and left out of every table; the rest was checked and "
                "published:\n{records}{unchecked}"
            ),
            semester=result.semester.label,
            count=len(data.quarantined),
            read=data.records_read,
            records=messages.lines(data.quarantine_lines()),
            unchecked=messages.lines(["", *data.unchecked]) if data.unchecked else "",
        )

    # --- fetch -------------------------------------------------------------------

    def fetch_stage(self, harvest_object: HarvestObject) -> bool | str:
        content = json.loads(harvest_object.content)
        for semester_key in sorted(content["rejected"]):
            stored = content["rejected"][semester_key]
            self._object_error(harvest_object, messages.loads(stored) or stored, "Fetch")
        if not content["tables"]:
            return False
        # A changed quarantine list is a change too (the resources carry it).
        hashed = (
            {"tables": content["tables"], "quarantine": content["quarantine"]}
            if content.get("quarantine")
            else content["tables"]
        )
        tables_hash = transform.sha256(json.dumps(hashed, sort_keys=True).encode("utf-8"))
        if self._is_unchanged(harvest_object, tables_hash):
            return "unchanged"
        return True

    # --- import ------------------------------------------------------------------

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        try:
            return self._import(harvest_object)
        finally:
            # The datasets are indexed without a Solr commit (base._one_write).
            self.commit_index(harvest_object)

    def _import(self, harvest_object: HarvestObject) -> bool | str:
        content = json.loads(harvest_object.content)
        family = FAMILIES[content["family"]]
        level = content["level"]
        try:
            organization = self._organization(content)
            existing_id = self._existing_package_id(harvest_object)
            adopted = (
                None
                if existing_id
                else adoption.find(
                    harvest_object,
                    organization["id"],
                    mapping.dataset_name(
                        family, level, regions.tenant_regions()[content["root"]].name
                    ),
                )
            )
        except adoption.AdoptionRefused as refused:
            return self._object_error(harvest_object, refused.problem, "Import")
        if adopted is not None:
            existing_id = adopted.package_id
        existing = (
            tk.get_action("package_show")(self._action_context(), {"id": existing_id})
            if existing_id
            else None
        )
        # The harvester's own resources carry a semester label or "Semua
        # Semester" in periode_data; any other (e.g. a PDF a steward added) is
        # passed back unchanged.
        resources = (existing or {}).get("resources", [])
        published = {r.get("periode_data"): r for r in resources if mapping.is_own(r)}
        kept = [r for r in resources if not mapping.is_own(r)]
        quarantine = {
            Semester.parse(key): content.get("quarantine", {}).get(key, "")
            for key in content["tables"]
        }
        try:
            tables = self._tables(family, content["tables"], published)
            if existing is not None and not tables.changed:
                return self._without_new_figures(
                    harvest_object, existing, published, quarantine, adopted
                )
            checked = self._validate(family, level, tables)
        except ImportRefused as refused:
            return self._object_error(harvest_object, refused.problem, "Import")

        received = harvest_object.fetch_started or harvest_object.gathered
        written = self._resources(
            family, level, tables, published, content["notes"], quarantine,
            received.strftime("%Y-%m-%d") if received else "",
        )  # fmt: skip
        written.extend(validating.as_published(resource) for resource in kept)
        # Coverage: the regions of the latest semester's table (codes at the dataset's level).
        _, latest_rows = transform.read_csv_rows(tables.every[max(tables.every)])
        package = mapping.package(
            content, organization, family, level, sorted(tables.every), written,
            [row[0] for row in latest_rows],
        )  # fmt: skip
        if adopted is not None:
            adopted.take_over()
        # One write: the dataset and its reports, scored once, then indexed.
        # A new dataset is indexed once (CKAN's package_create leaves it to
        # _one_write); an update is indexed by package_update too: with
        # defer_commit it would record no activity (no "changed_entities").
        with self._one_write():
            try:
                package_id = self._write_dataset(
                    harvest_object, package, existing, defer_commit=existing is None
                )
            except tk.ValidationError as err:
                return self._rejected(harvest_object, err)
            failed = self._record_reports(package_id, checked)
        if failed:
            return self._object_error(harvest_object, failed, "Import")
        revised = [s.label for s, revision in tables.changed.items() if revision]
        log.info(
            "dukcapil %s: %s semester(s) written%s", package["name"], len(tables.changed),
            f" (revised: {', '.join(revised)})" if revised else "",
        )  # fmt: skip
        return True

    def _without_new_figures(
        self,
        harvest_object: HarvestObject,
        existing: Mapping[str, Any],
        published: Mapping[str, Any],
        quarantine: Mapping[Semester, str],
        adopted: adoption.Adoption | None,
    ) -> bool | str:
        """The same figures as published: nothing is written (not even
        metadata), unless a semester's quarantine list changed (its resource
        says so) or the dataset is adopted from a deleted source (re-indexed
        under this one)."""
        stale = {
            semester.label: note
            for semester, note in quarantine.items()
            if (published.get(semester.label) or {}).get(mapping.QUARANTINE_FIELD, "") != note
        }
        if adopted is not None:
            adopted.take_over()
        if not stale:
            self._make_current(harvest_object, existing["id"])
            if adopted is not None:
                self._index_without_commit(existing["id"])
                self.commit_index(harvest_object)
            return "unchanged"
        resources = []
        for resource in existing.get("resources", []):
            passed = validating.as_published(resource)
            if resource.get("periode_data") in stale:
                passed[mapping.QUARANTINE_FIELD] = stale[resource["periode_data"]]
            resources.append(passed)
        try:
            with self._one_write():
                self._write_dataset(harvest_object, {"resources": resources}, existing)
        except tk.ValidationError as err:
            return self._rejected(harvest_object, err)
        return True

    def _rejected(self, harvest_object: HarvestObject, err: tk.ValidationError) -> bool:
        """The object's error for a dataset write CKAN refused (nothing written)."""
        model.Session.rollback()
        return self._object_error(
            harvest_object,
            message(
                N_("dataset rejected by validation: {errors}"),
                errors=json.dumps(err.error_summary, ensure_ascii=False),
            ),
            "Import",
        )

    @staticmethod
    def _tables(
        family: Family, incoming_text: Mapping[str, str], published: Mapping[str, Any]
    ) -> Tables:
        """Every semester's table: changed ones from the feed, the others from
        storage; and the cumulative table rebuilt from them."""
        tables = Tables()
        for key, text in incoming_text.items():
            semester, table = Semester.parse(key), text.encode("utf-8")
            resource = published.get(semester.label)
            if resource is None:
                tables.changed[semester] = False
            elif resource.get("hash") != transform.sha256(table):
                tables.changed[semester] = True
            else:
                continue
            tables.every[semester] = table
        if not tables.changed:
            return tables
        for period, resource in published.items():
            if period in (None, mapping.CUMULATIVE_PERIOD):
                continue
            semester = mapping.semester_of_label(period)
            if semester is not None and semester not in tables.every:
                try:
                    tables.every[semester] = mapping.stored_upload(resource)
                except OSError as err:
                    raise ImportRefused(
                        message(
                            N_(
                                "cannot read the published table of {period} to rebuild the "
                                "cumulative resource ({error}); nothing was changed"
                            ),
                            period=period,
                            error=str(err),
                        )
                    ) from None
        try:
            tables.cumulative = transform.cumulative_csv(
                family, (tables.every[s] for s in sorted(tables.every))
            )
        except ValueError as err:
            raise ImportRefused(message(N_("cumulative table: {error}"), error=str(err))) from None
        return tables

    @staticmethod
    def _validate(family: Family, level: str, tables: Tables) -> dict[str, engine.ValidationResult]:
        """Every table about to be written, through the validation engine (the
        upload hooks do not run for package_patch); one failure and nothing of
        this dataset is written. Returns the results by periode_data."""
        standard = mapping.standard_of(family)
        checked: dict[str, engine.ValidationResult] = {}
        failures: list[Message] = []
        for semester in sorted(tables.changed):
            name = mapping.filename(family, level, semester)
            outcome = validating.validate_table(tables.every[semester], name, standard)
            checked[semester.label] = outcome
            if not outcome.valid:
                failures.append(validating.failure_report(name, outcome))
        if not failures:  # a bad semester would only be reported again here
            name = mapping.filename(family, level, None)
            outcome = validating.validate_table(tables.cumulative, name, standard)
            checked[mapping.CUMULATIVE_PERIOD] = outcome
            if not outcome.valid:
                failures.append(validating.failure_report(name, outcome))
        if failures:
            raise ImportRefused(messages.join_messages(failures))
        return checked

    @staticmethod
    def _resources(
        family: Family,
        level: str,
        tables: Tables,
        published: Mapping[str, Any],
        notes: Mapping[str, str],
        quarantine: Mapping[Semester, str],
        received: str,
    ) -> list[dict[str, Any]]:
        """The cumulative resource first, then each semester, newest first
        (unchanged ones passed back as published, with this job's quarantine
        list of their semester)."""
        semesters = sorted(tables.every)
        written = [
            mapping.resource(
                family, level, None, tables.cumulative, published.get(mapping.CUMULATIVE_PERIOD),
                description=(
                    f"Semua semester dalam satu tabel ({len(semesters)} semester: "
                    f"{', '.join(s.label for s in semesters)})."
                ),
            )
        ]  # fmt: skip
        for semester in reversed(semesters):
            previous = published.get(semester.label)
            if semester not in tables.changed:
                untouched = validating.as_published(previous or {})
                if semester in quarantine:
                    untouched[mapping.QUARANTINE_FIELD] = quarantine[semester]
                written.append(untouched)
                continue
            description = mapping.semester_description(
                semester,
                notes.get(semester.key, ""),
                previous,
                received if tables.changed[semester] else None,
            )
            written.append(
                mapping.resource(
                    family, level, semester, tables.every[semester], previous, description,
                    quarantine.get(semester, ""),
                )
            )  # fmt: skip
        return written

    def _record_reports(
        self, package_id: str, checked: Mapping[str, engine.ValidationResult]
    ) -> Message | None:
        """Store each written table's report (and queue its DataStore load)
        through the validation module's own path; returns why one failed."""
        written = tk.get_action("package_show")(
            {**self._action_context(), "use_cache": False}, {"id": package_id}
        )
        if self.last_write_deferred:
            # The dataset is published: its change waits for the walidata, each
            # table's validation with it (recorded once it is published).
            proposed = pending.current_version(model.Package.get(package_id))  # type: ignore[arg-type]
            for resource in proposed.get("resources", []):
                outcome = checked.get(resource.get("periode_data"))
                if outcome is not None:
                    pending.hold_validation(
                        package_id,
                        resource["id"],
                        {"source": validating.REPORT_SOURCE, "standard": outcome.standard,
                         "result": outcome},
                    )  # fmt: skip
            model.Session.commit()
            return None
        for resource in written.get("resources", []):
            outcome = checked.get(resource.get("periode_data"))
            if outcome is None:
                continue
            try:
                validating.record({**resource, "package_id": package_id}, outcome)
            except Exception as err:  # written already: say how to catch up
                log.exception("dukcapil: recording the report of %s failed", resource["id"])
                model.Session.rollback()
                return message(
                    N_(
                        "{dataset} was written, but the validation report of resource "
                        "{resource} ({period}) could not be stored or its DataStore load "
                        "queued ({error}); run satudata_validation_run on it"
                    ),
                    dataset=written["name"],
                    resource=resource["id"],
                    period=str(resource.get("periode_data")),
                    error=repr(err),
                )
        return None

    def _organization(self, content: Mapping[str, Any]) -> dict[str, Any]:
        organization: dict[str, Any] = tk.get_action("organization_show")(
            self._action_context(),
            {"id": content["organization"], "include_datasets": False, "include_users": False},
        )
        return organization
