"""What every satudata harvester shares, on top of ckanext-harvest.

Bookkeeping rules (the same for all our harvesters):
- A harvest object's ``guid`` is a stable identity of the remote record (never
  a row position). The *current* object of a guid points at its dataset
  (``PublishedRecord``).
- The fetch stage stores a content hash in the object's extras; when it equals
  the hash of the current object the stage returns ``"unchanged"`` and nothing
  is written (ckanext-harvest reports "not modified").
- A harvester that can tell a record is unchanged already in gather (the
  spreadsheet harvester, by conditional requests) makes its object complete
  and "not modified" there (``_not_modified_object``) instead of queueing it,
  as ckanext-harvest's own CKAN harvester leaves unchanged datasets out of an
  incremental gather; the job report counts it like any other.
- A source whose listing fails, comes back empty or shrinks by more than the
  configured share is a gather error that changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ckan import logic, model
from ckan.lib import search, uploader
from ckan.plugins import toolkit as tk
from ckan.types import Context
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectExtra
from sqlalchemy.orm import selectinload

from ckanext.satudata import uploads, writes
from ckanext.satudata.harvesters import messages
from ckanext.satudata.harvesters.messages import N_, Message, message
from ckanext.satudata.harvesters.permissions import check_privileged_settings
from ckanext.satudata.harvesters.settings import (
    HarvestConfigError,
    Setting,
    known_keys,
    load_config,
    note_refusal,
    privileged_keys,
    trusted_setting,
)
from ckanext.satudata.model import review_event
from ckanext.satudata.review import transitions, workflow
from ckanext.satudata.validation import hooks

log = logging.getLogger(__name__)

HASH_KEY = "content_hash"
# data_status vocabulary value of a dataset whose record left the source.
WITHDRAWN_STATUS = "tidak_ditayangkan"
# Datasets indexed without a Solr commit before one is forced (see commit_index).
INDEX_COMMIT_EVERY = 50


@dataclass(frozen=True)
class PublishedRecord:
    """A guid's current harvest object and the state of the dataset it points at."""

    harvest_object: HarvestObject
    package_state: str | None  # None: no dataset (never written, or purged)
    withdrawn: bool  # the record left the source (not: the walidata unpublished it)

    @property
    def package_id(self) -> str | None:
        return self.harvest_object.package_id if self.package_state else None

    @property
    def active(self) -> bool:
        return self.package_state == "active"

    @property
    def live(self) -> bool:
        """Published as the source has it: active and not withdrawn."""
        return self.active and not self.withdrawn

    def extra(self, key: str) -> str | None:
        return object_extra(self.harvest_object, key)


def _english(stored: str) -> str:
    """A stored report in English, for the worker's log."""
    return messages.render_stored(stored)


def object_extra(harvest_object: HarvestObject, key: str) -> str | None:
    for extra in harvest_object.extras:
        if extra.key == key:
            return str(extra.value)
    return None


def set_object_extra(harvest_object: HarvestObject, key: str, value: str) -> None:
    for extra in harvest_object.extras:
        if extra.key == key:
            extra.value = value
            return
    harvest_object.extras.append(HarvestObjectExtra(key=key, value=value))


class SatudataHarvesterBase(HarvesterBase):
    """Shared bookkeeping; subclasses implement IHarvester's stages and
    ``_check_config``, and name themselves in the class attributes."""

    SOURCE_TYPE: ClassVar[str]
    TITLE: ClassVar[str]
    DESCRIPTION: ClassVar[str]  # Indonesian: shown on the source form
    # Every key a source config may hold (settings.py); the parser reads each.
    SETTINGS: ClassVar[tuple[Setting, ...]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Datasets this process indexed since the last Solr commit (commit_index).
        self._uncommitted_index = 0
        # Whether the last _write_dataset became a pending change waiting for
        # the walidata (an untrusted source's change of a published dataset).
        self.last_write_deferred = False

    # --- IHarvester: description and configuration -----------------------------

    def info(self) -> dict[str, str]:
        return {
            "name": self.SOURCE_TYPE,
            "title": self.TITLE,
            "description": self.DESCRIPTION,
            "form_config_interface": "Text",
        }

    def validate_config(self, config: str | None) -> str:
        """ckanext-harvest's check of a source config being saved: the
        harvester's own settings, then those only a sysadmin may use."""
        try:
            parsed = load_config(config, known=known_keys(self.SETTINGS))
            self._check_config(parsed)
            check_privileged_settings(parsed, privileged_keys(self.SETTINGS))
        except HarvestConfigError as err:
            # ckanext-harvest words the English text; the form and the API
            # (harvesters/form.py save) say the noted refusal in the user's language.
            note_refusal(err)
            raise ValueError(str(err)) from None
        except ValueError as err:  # the parsers' own
            raise ValueError(str(err)) from None
        return config or ""

    def _check_config(self, config: Mapping[str, Any]) -> None:
        """Raise ValueError naming the first setting that is wrong."""
        raise NotImplementedError

    # --- context -------------------------------------------------------------

    def _action_context(self) -> Context:
        """Context for actions run as the harvest user (a sysadmin)."""
        # CKAN's get_action adds model and session to every context itself.
        return {"user": str(self._get_user_name())}

    def _write_context(self) -> Context:
        """Context of a package_create/package_patch carrying resources."""
        # Our harvesters validate every table through the validation service
        # before writing: the package hooks must not validate again (or refuse
        # the spreadsheet's deliberately unvalidated original file).
        return hooks.validated_by_caller(self._action_context())

    def _source_config(self, harvest: HarvestJob | HarvestObject) -> dict[str, Any]:
        return load_config(harvest.source.config, known=known_keys(self.SETTINGS))

    # --- current objects -------------------------------------------------------

    @staticmethod
    def _published_records(source_id: str, guid: str | None = None) -> dict[str, PublishedRecord]:
        """The current object of each guid of a source (or of one guid), with
        its extras and its dataset's state, in two queries whatever their number."""
        status = model.Package.extras["status_data"].astext
        left_source = review_event.withdrawn_by_source(model.Package.id)
        query = (
            model.Session.query(HarvestObject, model.Package.state, status, left_source)
            .outerjoin(model.Package, model.Package.id == HarvestObject.package_id)
            .options(selectinload(HarvestObject.extras))
            .filter(HarvestObject.harvest_source_id == source_id)
            .filter(HarvestObject.current == True)  # noqa: E712 (SQL expression)
        )
        if guid is not None:
            query = query.filter(HarvestObject.guid == guid)
        return {
            row.guid: PublishedRecord(row, state, status_data == WITHDRAWN_STATUS and left)
            for row, state, status_data, left in query
        }

    def _published_record(self, harvest_object: HarvestObject) -> PublishedRecord | None:
        records = self._published_records(harvest_object.harvest_source_id, harvest_object.guid)
        return records.get(harvest_object.guid)

    @staticmethod
    def _current_object(source_id: str, guid: str) -> HarvestObject | None:
        return (
            model.Session.query(HarvestObject)
            .filter(HarvestObject.harvest_source_id == source_id)
            .filter(HarvestObject.guid == guid)
            .filter(HarvestObject.current == True)  # noqa: E712
            .first()
        )

    @staticmethod
    def _make_current(harvest_object: HarvestObject, package_id: str) -> None:
        """Point the guid at ``package_id`` through this object from now on."""
        previous = SatudataHarvesterBase._current_object(
            harvest_object.harvest_source_id, harvest_object.guid
        )
        if previous is not None and previous.id != harvest_object.id:
            previous.current = False
            previous.add()
        harvest_object.package_id = package_id
        harvest_object.current = True
        harvest_object.add()
        model.Session.commit()

    # --- content hashes --------------------------------------------------------

    def _is_unchanged(
        self,
        harvest_object: HarvestObject,
        content_hash: str,
        record: PublishedRecord | None = None,
    ) -> bool:
        """Record the hash; True when the current object of the guid has the
        same and its dataset is active (a deleted dataset is harvested again).
        ``record``: the guid's PublishedRecord, when the caller has it."""
        set_object_extra(harvest_object, HASH_KEY, content_hash)
        # Committed with the object's state by the queue right after the fetch
        # stage (queue.fetch_and_import_stages): no commit of its own here.
        harvest_object.add()
        if record is None:
            record = self._published_record(harvest_object)
        if record is None or record.harvest_object.id == harvest_object.id:
            return False
        return record.active and record.extra(HASH_KEY) == content_hash

    @staticmethod
    def _not_modified_object(
        job: HarvestJob, guid: str, content: str, extras: Mapping[str, str]
    ) -> HarvestObject:
        """An object completed in gather as "not modified" (not queued): what
        queue.fetch_and_import_stages makes of a fetch stage's "unchanged"."""
        now = datetime.datetime.utcnow()
        harvest_object = HarvestObject(
            guid=guid,
            job=job,
            content=content,
            state="COMPLETE",
            report_status="not modified",
            fetch_started=now,
            fetch_finished=now,
            extras=[HarvestObjectExtra(key=key, value=value) for key, value in extras.items()],
        )
        harvest_object.add()
        return harvest_object

    # --- reporting -------------------------------------------------------------

    # Reports are stored as harvest report messages (messages.py: an English
    # msgid and its parameters), shown in the reader's language; plain text
    # is stored as it is. Neither ever quotes a NIK/KK number.

    def _object_error(
        self, harvest_object: HarvestObject, problem: Message | str, stage: str
    ) -> bool:
        """Record a per-object error (shown in the job report) and fail the object."""
        stored = messages.as_stored(problem)
        log.warning("harvest object %s (%s): %s", harvest_object.guid, stage, _english(stored))
        self._save_object_error(stored, harvest_object, stage)
        return False

    def _gather_error(self, job: HarvestJob, problem: Message | str) -> list[str]:
        """Record a gather error; returning [] makes the job change nothing."""
        stored = messages.as_stored(problem)
        log.warning("harvest job %s: %s", job.id, _english(stored))
        self._save_gather_error(stored, job)
        return []

    @staticmethod
    def _shrink_refused(previous: int, new: int, max_share: float) -> Message | None:
        """Why a listing that shrank too much is refused, or None if it is fine."""
        if previous == 0 or new >= previous:
            return None
        lost = (previous - new) / previous
        if lost > max_share:
            return message(
                N_(
                    "the source now lists {new} records against {previous} before "
                    "({lost} fewer, more than the allowed {allowed}); nothing was changed"
                ),
                new=new,
                previous=previous,
                lost=f"{lost:.0%}",
                allowed=f"{max_share:.0%}",
            )
        return None

    # --- datasets ----------------------------------------------------------------

    def _existing_package_id(self, harvest_object: HarvestObject) -> str | None:
        record = self._published_record(harvest_object)
        if record is None or record.package_state in (None, "deleted"):
            return None
        return record.package_id

    @uploads.undone_on_failure  # files stored for a write whose commit fails
    def _write_dataset(
        self,
        harvest_object: HarvestObject,
        package: Mapping[str, Any],
        existing: Mapping[str, Any] | None,
        defer_commit: bool = False,
    ) -> str:
        """Create the object's dataset with its resources (uploads stored), or
        update it with package_patch (so fields the harvester does not set
        survive), in one write; make the object current. Returns the dataset
        id; on an error nothing is left behind (rolled back, uploads removed).
        The dataset is indexed by CKAN as usual; ``defer_commit`` leaves the
        database commit to the caller (_make_current makes it)."""
        write = workflow.HarvestWrite(
            trusted=trusted_setting(self._source_config(harvest_object)),
            source=harvest_object.source.title or harvest_object.source.url,
        )
        context = workflow.harvest_context(self._write_context(), write)
        context["return_id_only"] = True
        if defer_commit:
            context["defer_commit"] = True
        try:
            if existing is None:
                package_id = self._create_with_uploads(context, dict(package))
            else:
                update = {**package, "id": existing["id"]}
                update.pop("name", None)
                # package_update stores the uploads of the resources it changes.
                package_id = tk.get_action("package_patch")(context, update)
            self._make_current(harvest_object, package_id)  # commits the dataset
        except Exception:
            model.Session.rollback()
            raise
        self.last_write_deferred = write.deferred
        return str(package_id)

    @staticmethod
    def _create_with_uploads(context: Context, package: dict[str, Any]) -> str:
        """package_create with uploaded resources (it does not store uploads
        itself: this does what package_update does for them)."""
        uploads = []
        for resource in package.get("resources") or []:
            upload = uploader.get_resource_uploader(resource)  # takes "upload" out
            if "mimetype" not in resource and getattr(upload, "mimetype", None):
                resource["mimetype"] = upload.mimetype
            if "url_type" in resource and hasattr(upload, "filesize"):
                resource["size"] = upload.filesize
            uploads.append(upload)
        package_id = str(tk.get_action("package_create")(context, package))
        created = model.Package.get(package_id)
        assert created is not None  # just created in this transaction
        stored = created.resources
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

    @contextlib.contextmanager
    def _one_write(self) -> Iterator[None]:
        """One harvested dataset write: the package write (with
        ``defer_commit``: CKAN does not index it) and the reports stored
        after it. What follows a change of the dataset, its quality score,
        happens once when the write ends (writes.py), then the dataset is
        indexed once, without a Solr commit (commit_index). Before, each
        package hook and each stored report scored the dataset again, with
        its own index write and Solr commit."""
        changed: list[str] = []
        try:
            with writes.unit(indexed_by_caller=True) as unit:
                try:
                    yield
                finally:
                    changed = list(unit.changed)
        except Exception:
            # The index follows the database even when the write failed after
            # the dataset was committed (a report not stored); never hides
            # the write's own error.
            try:
                self._index_existing(changed)
            except Exception:
                log.exception("datasets %s not indexed after their write", changed)
                model.Session.rollback()
            raise
        self._index_existing(changed)

    def _index_existing(self, package_ids: list[str]) -> None:
        for package_id in package_ids:
            if model.Session.query(model.Package.id).filter_by(id=package_id).first():
                self._index_without_commit(package_id)

    # --- the search index ------------------------------------------------------

    def _index_without_commit(self, package_id: str) -> None:
        """Index a dataset now, its Solr commit left to commit_index."""
        logic.index_update_package(self._action_context(), package_id, defer_commit=True)
        self._uncommitted_index += 1

    def commit_index(self, harvest_object: HarvestObject) -> None:
        """Commit the datasets indexed without a commit, once per job.

        A hard Solr commit per dataset was a large share of the import time;
        the commit happens when this process has no object of the job left to
        do (or every INDEX_COMMIT_EVERY datasets). Solr's autoSoftCommit (1 s
        in our configset) bounds the delay in any case, e.g. when several
        fetch consumers share a job.
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

    def _withdraw(self, harvest_object: HarvestObject, mode: str) -> None:
        """Handle a record removed from the source: delete, or keep and flag."""
        package_id = self._existing_package_id(harvest_object)
        if package_id is None:
            return
        context = self._write_context()
        if mode == "delete":
            tk.get_action("package_delete")(context, {"id": package_id})
        else:
            source = harvest_object.source.title or harvest_object.source.url
            transitions.withdraw_by_source(context, package_id, source)
        harvest_object.current = False
        harvest_object.add()
        model.Session.commit()
