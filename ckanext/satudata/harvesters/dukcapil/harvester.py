"""ckanext-harvest harvester ``satudata_dukcapil``: Dukcapil DKB population feed.

Semester label (the payload carries none): the source configuration names it.
``"semester": "2024-S2"`` harvests the source URL as that semester;
``"releases": [{"semester": "2024-S1", "url": ...}, ...]`` harvests several
(backfilling history). When a semester already published comes back with
different figures it is a *revision* (Dukcapil corrections): that semester's
table is replaced and the change shows in the dataset's activity stream. The
harvester never guesses a new semester from changed content: a new semester
only arrives when an administrator names it.

Source configuration (JSON; the source URL is the ArcGIS MapServer of the
release, or a .xlsx/.csv spreadsheet URL):
- ``semester`` "YYYY-S1|S2", or ``releases`` [{"semester", "url"}, ...]
- ``organization``: the producing OPD (default: the harvest source's owner)
- ``region`` (default: the tenant, 64.01); ``levels`` published, out of
  kabupaten / kecamatan / desa (default ["kecamatan"]); ``families`` (default
  every family of standard.FAMILIES: jenis_kelamin, kelompok_umur, agama,
  pendidikan, status_kawin)
- feed: ``layers`` {level: layer id} (default kabupaten 1, kecamatan 2, desa 3),
  ``where`` (default from the region), ``page_size`` (2000, at most 10,000),
  ``max_pages`` (200), ``max_bytes`` per release (200 MB), ``timeout`` s (30),
  ``retries`` (3) and ``backoff`` s (1.0) on 5xx/timeouts,
  ``allow_private_addresses`` (false; true, or a list of "host:port", for
  loopback/intranet feeds: tests, demo; sysadmins only)
- ``auth``: {"token_env"} (ArcGIS token) or {"username" | "username_env",
  "password_env"} (basic): each ``*_env`` names an environment variable of the
  harvest worker that starts with SATUDATA_HARVEST_ (feed.SECRET_ENV_PREFIX);
  secrets written in the config itself are refused (editors can read it). Read
  at harvest time, never written to datasets.
- ``organization`` other than one the editor may publish in, and
  ``allow_private_addresses``, are refused unless a sysadmin saves the config
  (base.check_privileged_settings).
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
- validation (validating.py): every table about to be written is validated
  with our frictionless engine against its data standard first (a failure is
  an object error naming file, row, column and rule; nothing of the dataset is
  written); after the write each report is stored through the validation
  module (validation_status, badge, report page, DataStore load on success).
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Mapping
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckanext.harvest.model import HarvestJob, HarvestObject
from werkzeug.datastructures import FileStorage

from ckanext.satudata import regions
from ckanext.satudata.harvesters.base import (
    FETCH_KEYS,
    HarvestConfigError,
    SatudataHarvesterBase,
    fetch_policy,
    number_setting,
)
from ckanext.satudata.harvesters.dukcapil import feed, pipeline, transform, validating
from ckanext.satudata.harvesters.dukcapil.standard import (
    DEFAULT_FAMILIES,
    FAMILIES,
    Family,
    Semester,
    SemesterError,
)
from ckanext.satudata.validation import engine, integration, standards

log = logging.getLogger(__name__)

SOURCE_TYPE = "satudata_dukcapil"
PUBLISHED_LEVELS = ("kabupaten", "kecamatan", "desa")
LEVEL_TITLES = {"kabupaten": "Kabupaten", "kecamatan": "Kecamatan", "desa": "Desa/Kelurahan"}
CUMULATIVE_PERIOD = "Semua Semester"
SOURCE_STATEMENT = "Dukcapil Kemendagri (DKB)"


class DukcapilHarvester(SatudataHarvesterBase):
    """Keeps the population datasets of the tenant current from Dukcapil's DKB."""

    SOURCE_TYPE = SOURCE_TYPE
    TITLE = "Dukcapil: Data Kependudukan Bersih (DKB)"
    DESCRIPTION = (
        "Jumlah penduduk per semester dari layanan peta ArcGIS Dukcapil atau "
        "spreadsheet Disdukcapil, diperiksa konsistensinya sebelum ditayangkan."
    )
    CONFIG_KEYS = FETCH_KEYS | {
        "semester", "releases", "organization", "region", "levels", "families",
        "layers", "where", "page_size", "max_pages", "max_bytes", "auth",
    }  # fmt: skip

    def _check_config(self, config: Mapping[str, Any]) -> None:
        self._settings(config, source_url="http://example.invalid/")

    @staticmethod
    def _settings(config: Mapping[str, Any], source_url: str) -> dict[str, Any]:
        """Parsed, checked settings; raises ValueError naming the setting."""
        if config.get("releases"):
            releases_raw = config["releases"]
            if not isinstance(releases_raw, list):
                raise HarvestConfigError("releases must be a list of {semester, url}")
        elif config.get("semester"):
            releases_raw = [{"semester": config["semester"], "url": source_url}]
        else:
            raise HarvestConfigError(
                'missing required setting: semester (e.g. "2024-S2") or releases'
            )
        releases: list[tuple[Semester, str]] = []
        for item in releases_raw:
            if not isinstance(item, Mapping) or not item.get("url"):
                raise HarvestConfigError("each release needs a semester and a url")
            releases.append((Semester.parse(item.get("semester")), str(item["url"])))
        if len({semester for semester, _ in releases}) != len(releases):
            raise HarvestConfigError("releases: a semester is listed twice")

        root = regions.normalize_code(config.get("region") or regions.tenant_root())
        if root not in regions.tenant_regions():
            raise HarvestConfigError(f"region {root} is not in the tenant's region list")
        levels = config.get("levels") or ["kecamatan"]
        if not isinstance(levels, list) or not set(levels) <= set(PUBLISHED_LEVELS):
            raise HarvestConfigError(f"levels must be a list out of {', '.join(PUBLISHED_LEVELS)}")
        families = config.get("families") or list(DEFAULT_FAMILIES)
        unknown = [f for f in families if f not in FAMILIES]
        if unknown:
            raise HarvestConfigError(f"unknown families {unknown}; known: {', '.join(FAMILIES)}")
        layers = {**feed.DEFAULT_LAYERS, **(config.get("layers") or {})}
        max_bytes = number_setting(config, "max_bytes", 200 * 1024 * 1024, whole=True)
        try:
            feed_settings = feed.FeedSettings(
                layers={level: int(layer) for level, layer in layers.items()},
                where=str(config.get("where") or feed.where_for_root(root)),
                page_size=int(config.get("page_size", 2000)),
                max_pages=int(config.get("max_pages", 200)),
                max_bytes=max_bytes,
                fetch=fetch_policy(
                    config, max_bytes_key="max_bytes", max_bytes=max_bytes, retries=3, backoff=1.0
                ),
                xlsx_limits=integration.limits(),
                auth=feed.FeedAuth.from_config(config),
            )
        except (TypeError, ValueError) as err:
            raise HarvestConfigError(f"feed setting: {err}") from None
        if feed_settings.page_size < 1 or feed_settings.max_pages < 1:
            raise HarvestConfigError("page_size and max_pages must be positive")
        return {
            "releases": releases,
            "root": root,
            "levels": levels,
            "families": families,
            "feed": feed_settings,
            "organization": config.get("organization"),
        }

    # --- gather ------------------------------------------------------------------

    def gather_stage(self, harvest_job: HarvestJob) -> list[str]:
        source = harvest_job.source
        try:
            settings = self._settings(self._source_config(harvest_job), source.url)
        except (HarvestConfigError, SemesterError, ValueError) as err:
            return self._gather_error(harvest_job, f"configuration: {err}")

        # The producing OPD: named in the config, else the harvest source's owner.
        source_package = model.Package.get(source.id)
        organization = settings["organization"] or (
            source_package.owner_org if source_package is not None else None
        )
        if not organization:
            return self._gather_error(
                harvest_job,
                'configuration: no organization (set "organization" or the source\'s owner)',
            )
        known = regions.tenant_regions()
        objects: dict[tuple[str, str], dict[str, Any]] = {}
        for semester, url in settings["releases"]:
            try:
                pages = (
                    pipeline.spreadsheet_pages(url, settings["feed"])
                    if feed.is_spreadsheet(url)
                    else pipeline.arcgis_pages(url, settings["feed"])
                )
                result = pipeline.process_release(
                    semester,
                    pages,
                    known,
                    settings["root"],
                    settings["families"],
                    settings["levels"],
                )
            except feed.FeedError as err:
                self._gather_error(
                    harvest_job,
                    f"{semester.label}: the feed could not be read completely, "
                    f"nothing was changed: {err}",
                )
                continue
            notes = self._release_notes(result)
            family_issues = result.data.rejected_families()
            for family_key in settings["families"]:
                for level in settings["levels"]:
                    content = objects.setdefault(
                        (family_key, level),
                        {"family": family_key, "level": level, "root": settings["root"],
                         "organization": organization, "source_url": url,
                         "tables": {}, "rejected": {}, "notes": {}},
                    )  # fmt: skip
                    table = result.tables.get((family_key, level))
                    if table is not None:
                        content["tables"][semester.key] = table.decode("utf-8")
                        content["notes"][semester.key] = notes
                    elif result.rejected or family_key in family_issues:
                        content["rejected"][semester.key] = (
                            f"{semester.label} rejected, published data left untouched "
                            f"({result.data.issue_count} problem(s)):\n{result.data.report()}"
                        )
                    else:
                        content["rejected"][semester.key] = (
                            f"{semester.label}: no {level} rows in the feed; nothing was changed"
                        )
        ids = []
        for (family_key, level), content in objects.items():
            harvest_object = HarvestObject(
                guid=f"dukcapil:{settings['root']}:{family_key}:{level}",
                job=harvest_job,
                content=json.dumps(content, sort_keys=True),
            )
            harvest_object.save()
            ids.append(harvest_object.id)
        return ids

    @staticmethod
    def _release_notes(result: pipeline.ReleaseResult) -> str:
        data = result.data
        note = f"{data.records_read} rekaman dibaca"
        if data.duplicates_collapsed:
            note += (
                f"; {data.duplicates_collapsed} rekaman duplikat (hanya objectid berbeda) digabung"
            )
        return note

    # --- fetch -------------------------------------------------------------------

    def fetch_stage(self, harvest_object: HarvestObject) -> bool | str:
        content = json.loads(harvest_object.content)
        for semester_key in sorted(content["rejected"]):
            self._object_error(harvest_object, content["rejected"][semester_key], "Fetch")
        if not content["tables"]:
            return False
        tables_hash = transform.sha256(
            json.dumps(content["tables"], sort_keys=True).encode("utf-8")
        )
        if self._is_unchanged(harvest_object, tables_hash):
            return "unchanged"
        return True

    # --- import ------------------------------------------------------------------

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        content = json.loads(harvest_object.content)
        family = FAMILIES[content["family"]]
        level = content["level"]
        context = self._action_context()
        existing_id = self._existing_package_id(harvest_object)
        existing = (
            tk.get_action("package_show")(context.copy(), {"id": existing_id})
            if existing_id
            else None
        )
        # The harvester's own resources carry a semester label or "Semua
        # Semester" in periode_data; any other (e.g. a PDF a steward added) is
        # passed back unchanged.
        own = [r for r in (existing or {}).get("resources", []) if _is_own(r)]
        kept = [r for r in (existing or {}).get("resources", []) if not _is_own(r)]
        published = {r.get("periode_data"): r for r in own}
        incoming = {
            Semester.parse(key): text.encode("utf-8") for key, text in content["tables"].items()
        }

        changed: dict[Semester, tuple[bytes, bool]] = {}  # semester -> (table, is revision)
        for semester, table in incoming.items():
            resource = published.get(semester.label)
            if resource is None:
                changed[semester] = (table, False)
            elif resource.get("hash") != transform.sha256(table):
                changed[semester] = (table, True)
        if existing is not None and not changed:
            # Same figures as published: nothing is written (not even metadata).
            self._make_current(harvest_object, existing["id"])
            return "unchanged"

        # Every semester's table: changed ones from the feed, the others from storage.
        tables: dict[Semester, bytes] = {semester: t for semester, (t, _) in changed.items()}
        for period, resource in published.items():
            if period in (None, CUMULATIVE_PERIOD):
                continue
            semester = _semester_of_label(period)
            if semester is not None and semester not in tables:
                try:
                    tables[semester] = _stored_upload(resource)
                except OSError as err:
                    return self._object_error(
                        harvest_object,
                        f"cannot read the published table of {period} to rebuild the "
                        f"cumulative resource ({err}); nothing was changed",
                        "Import",
                    )
        try:
            cumulative = transform.cumulative_csv(family, (tables[s] for s in sorted(tables)))
        except ValueError as err:
            return self._object_error(harvest_object, f"cumulative table: {err}", "Import")

        # Every table about to be written goes through our engine first (the
        # upload hooks do not run for package_patch); one failure and nothing
        # of this dataset is written.
        standard = family.standard if _standard_known(family.standard) else None
        checked: dict[str, engine.ValidationResult] = {}  # periode_data -> result
        failures: list[str] = []
        for semester in sorted(changed):
            filename = _filename(family, level, semester)
            outcome = validating.validate_table(changed[semester][0], filename, standard)
            checked[semester.label] = outcome
            if not outcome.valid:
                failures.append(validating.failure_report(filename, outcome))
        if not failures:  # a bad semester would only be reported again here
            filename = _filename(family, level, None)
            outcome = validating.validate_table(cumulative, filename, standard)
            checked[CUMULATIVE_PERIOD] = outcome
            if not outcome.valid:
                failures.append(validating.failure_report(filename, outcome))
        if failures:
            return self._object_error(harvest_object, "\n\n".join(failures), "Import")

        received = harvest_object.fetch_started or harvest_object.gather_started
        received_text = received.strftime("%Y-%m-%d") if received else ""
        resources: list[dict[str, Any]] = []
        cumulative_resource = published.get(CUMULATIVE_PERIOD)
        resources.append(
            self._resource(
                family, level, None, cumulative, cumulative_resource,
                description=(
                    f"Semua semester dalam satu tabel ({len(tables)} semester: "
                    f"{', '.join(s.label for s in sorted(tables))})."
                ),
            )
        )  # fmt: skip
        for semester in sorted(tables, reverse=True):
            resource = published.get(semester.label)
            if semester not in changed:
                resources.append(validating.as_published(resource))  # untouched
                continue
            table, is_revision = changed[semester]
            notes = content["notes"].get(semester.key, "")
            description = (
                f"Data Kependudukan Bersih {semester.label} (keadaan {semester.reference_date}). "
                f"{notes}."
            )
            if is_revision:
                previous = (resource or {}).get("description") or ""
                history = (
                    previous.split("Riwayat revisi:", 1)[1].strip()
                    if "Riwayat revisi:" in previous
                    else ""
                )
                history = "\n".join(
                    line for line in [history, f"- {received_text}: angka dikoreksi oleh Dukcapil "
                                      f"(sha256 sebelumnya {(resource or {}).get('hash', '')[:12]})"]
                    if line
                )  # fmt: skip
                description += f"\n\nRiwayat revisi:\n{history}"
            resources.append(self._resource(family, level, semester, table, resource, description))

        resources.extend(validating.as_published(resource) for resource in kept)

        # Coverage: the regions of the latest semester's table (codes at the dataset's level).
        _, latest_rows = transform.read_csv_rows(tables[max(tables)])
        codes = [row[0] for row in latest_rows]
        package = self._package_dict(content, family, level, sorted(tables), resources, codes)
        try:
            result = self._write_package(harvest_object, package, created=existing is None)
        except tk.ValidationError as err:
            model.Session.rollback()
            return self._object_error(
                harvest_object, f"dataset rejected by validation: {err.error_summary}", "Import"
            )
        # The reports, through the validation module's own path (same table,
        # status fields, badge, DataStore load) as for an upload.
        for written in result.get("resources", []):
            outcome = checked.get(written.get("periode_data"))
            if outcome is None:
                continue
            try:
                validating.record(written, outcome)
            except Exception as err:  # written already: say how to catch up
                log.exception("dukcapil: recording the report of %s failed", written["id"])
                model.Session.rollback()
                return self._object_error(
                    harvest_object,
                    f"{result['name']} was written, but the validation report of resource "
                    f"{written['id']} ({written.get('periode_data')}) could not be stored or its "
                    f"DataStore load queued ({err!r}); run satudata_validation_run on it",
                    "Import",
                )
        revised = [s.label for s, (_, rev) in changed.items() if rev]
        log.info(
            "dukcapil %s: %s semester(s) written%s",
            result["name"],
            len(changed),
            f" (revised: {', '.join(revised)})" if revised else "",
        )
        return True

    # --- dataset and resources ---------------------------------------------------

    def _write_package(
        self, harvest_object: HarvestObject, package: dict[str, Any], *, created: bool
    ) -> dict[str, Any]:
        """One package_patch carrying every resource (so one activity per change).

        package_create does not store resource uploads (only package_update
        does), so a new dataset is created bare first and purged again if its
        resources are refused: no half-made dataset stays behind.
        """
        if not created:
            return self._upsert_package(harvest_object, package)
        bare = {key: value for key, value in package.items() if key != "resources"}
        result = self._upsert_package(harvest_object, bare)
        try:
            return self._upsert_package(harvest_object, package)
        except Exception:
            model.Session.rollback()
            tk.get_action("dataset_purge")(self._action_context(), {"id": result["id"]})
            harvest_object.current = False
            harvest_object.package_id = None
            harvest_object.add()
            model.Session.commit()
            raise

    @staticmethod
    def _resource(
        family: Family,
        level: str,
        semester: Semester | None,
        table: bytes,
        previous: Mapping[str, Any] | None,
        description: str,
    ) -> dict[str, Any]:
        period = semester.label if semester else CUMULATIVE_PERIOD
        filename = _filename(family, level, semester)
        resource: dict[str, Any] = {
            "name": f"{family.title} per {LEVEL_TITLES[level]}, {period}",
            "description": description,
            "format": "CSV",
            "url": filename,
            "upload": FileStorage(io.BytesIO(table), filename=filename, content_type="text/csv"),
            "periode_data": period,
            "hash": transform.sha256(table),
        }
        if semester is not None:
            resource["tahun"] = semester.year
        if _standard_known(family.standard):
            resource["standar_data"] = family.standard
        if previous and previous.get("id"):
            resource["id"] = previous["id"]
        return resource

    def _package_dict(
        self,
        content: Mapping[str, Any],
        family: Family,
        level: str,
        semesters: list[Semester],
        resources: list[dict[str, Any]],
        codes: list[str],
    ) -> dict[str, Any]:
        root = content["root"]
        region = regions.tenant_regions()[root]
        organization = self._organization(content)
        latest = semesters[-1]
        package: dict[str, Any] = {
            "name": f"{family.slug}-per-{level}-{_slug(region.name)}"[:100],
            "title": f"{family.title} per {LEVEL_TITLES[level]} di {region.name}",
            "notes": (
                f"{family.definition}, per {LEVEL_TITLES[level].lower()} di {region.name}. "
                f"Satu baris per wilayah per semester (keadaan 30 Juni dan 31 Desember). "
                f"Data terakhir: {latest.label}."
            ),
            "owner_org": organization["id"],
            "author": organization.get("title") or organization["name"],
            "theme": "pemerintahan-umum",
            "subtopik": "kependudukan",
            "jenis": "statistik",
            "accessRights": "terbuka",
            "accrualPeriodicity": "semesteran",
            "periode": "semester",
            "tahun_mulai": semesters[0].year,
            "tahun_akhir": latest.year,
            "tingkat_wilayah": level,
            "kode_wilayah": codes,
            "satuan": "jiwa",
            "ukuran": "Jumlah",
            "id_sds": "N/A",
            "sumber": SOURCE_STATEMENT,
            # The service address without credentials (auth lives only in the source config).
            "url": str(content.get("source_url", "")).split("?", 1)[0],
            "license_id": "cc-by",
            "klasifikasi": f"per {LEVEL_TITLES[level].lower()}, {family.klasifikasi}",
            "tags": [{"name": "kependudukan"}, {"name": "penduduk"}, {"name": "dukcapil"}],
            "resources": resources,
        }
        if _standard_known(family.standard):
            package["standar_data"] = family.standard
        return package

    def _organization(self, content: Mapping[str, Any]) -> dict[str, Any]:
        return tk.get_action("organization_show")(
            self._action_context(),
            {"id": content["organization"], "include_datasets": False, "include_users": False},
        )


def _slug(text: str) -> str:
    from ckan.lib.munge import munge_title_to_name

    return munge_title_to_name(text)


def _filename(family: Family, level: str, semester: Semester | None) -> str:
    suffix = semester.key if semester else "semua-semester"
    return f"{family.slug}-per-{level}-{suffix}.csv".lower()


def _semester_of_label(label: str) -> Semester | None:
    try:
        year_text, _, roman = label.partition(" Semester ")
        return Semester(int(year_text), {"I": 1, "II": 2}[roman])
    except (KeyError, ValueError):
        return None


def _is_own(resource: Mapping[str, Any]) -> bool:
    """Whether the harvester wrote ``resource`` (periode_data is its marker)."""
    period = resource.get("periode_data")
    return isinstance(period, str) and (
        period == CUMULATIVE_PERIOD or _semester_of_label(period) is not None
    )


def _stored_upload(resource: Mapping[str, Any]) -> bytes:
    from ckan.lib import uploader

    path = uploader.get_resource_uploader(dict(resource)).get_path(resource["id"])
    with open(path, "rb") as handle:
        return handle.read()


def _standard_known(name: str) -> bool:
    """Whether the data-standard registry lists ``name``."""
    return any(entry[0] == name for entry in standards.list_standards())
