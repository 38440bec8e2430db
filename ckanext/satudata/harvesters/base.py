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

import datetime
import json
import logging
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ckan import model
from ckan.plugins import toolkit as tk
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectExtra
from sqlalchemy.orm import selectinload

from ckanext.satudata import net
from ckanext.satudata.validation import integration as validation_integration

log = logging.getLogger(__name__)

HASH_KEY = "content_hash"
# data_status vocabulary value of a dataset whose record left the source.
WITHDRAWN_STATUS = "tidak_ditayangkan"
# Context flag telling the package_create/package_update validation hooks
# that the caller validated the resources itself (our harvesters do).
VALIDATION_DONE = validation_integration.DONE_FLAG


# The one name, in every harvester's config, of the setting that lets a
# source reach loopback, private or link-local addresses (sysadmins only).
PRIVATE_ADDRESSES_KEY = "allow_private_addresses"
# Settings of the guarded HTTP client that every harvester reads (fetch_policy).
FETCH_KEYS = frozenset({"timeout", "retries", "backoff", PRIVATE_ADDRESSES_KEY})


class HarvestConfigError(ValueError):
    """A source configuration problem; the message names the field."""


def load_config(
    text: str | None, *, required: Iterable[str] = (), known: Collection[str] | None = None
) -> dict[str, Any]:
    """Parse a harvest source's JSON configuration, naming what is wrong;
    ``known``: the settings there are (a misspelt one is an error, not a
    setting silently ignored)."""
    if not text or not text.strip():
        config: Any = {}
    else:
        try:
            config = json.loads(text)
        except json.JSONDecodeError as err:
            raise HarvestConfigError(
                "configuration is not valid JSON "
                f"(line {err.lineno}, column {err.colno}: {err.msg})"
            ) from None
    if not isinstance(config, dict):
        raise HarvestConfigError("configuration must be a JSON object")
    if known is not None:
        unknown = sorted(set(config) - set(known))
        if unknown:
            raise HarvestConfigError(
                f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
    missing = [key for key in required if config.get(key) in (None, "")]
    if missing:
        raise HarvestConfigError(f"missing required setting(s): {', '.join(missing)}")
    return config


def number_setting(
    config: Mapping[str, Any], key: str, default: float, *, whole: bool = False, zero: bool = False
) -> Any:
    """A positive (or, with ``zero``, non-negative) number setting; raises
    HarvestConfigError naming it."""
    value = config.get(key, default)
    kind = "a whole number" if whole else "a number"
    bound = "0 or more" if zero else "above 0"
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or (whole and value != int(value))
        or value < 0
        or (value == 0 and not zero)
    ):
        raise HarvestConfigError(f"{key} must be {kind} {bound}, not {value!r}")
    return int(value) if whole else float(value)


def fetch_policy(
    config: Mapping[str, Any],
    *,
    max_bytes_key: str,
    max_bytes: int,
    retries: int = 0,
    backoff: float = 0.5,
) -> net.FetchPolicy:
    """The guarded client's policy from a source config: ``timeout`` s (30),
    ``max_bytes_key`` bytes, ``retries`` and ``backoff`` s on 5xx and
    timeouts, and ``allow_private_addresses``; raises HarvestConfigError."""
    allow_private, allowed_hosts = private_address_setting(config, PRIVATE_ADDRESSES_KEY)
    return net.FetchPolicy(
        timeout=number_setting(config, "timeout", 30.0),
        max_bytes=number_setting(config, max_bytes_key, max_bytes, whole=True),
        retries=number_setting(config, "retries", retries, whole=True, zero=True),
        backoff=number_setting(config, "backoff", backoff, zero=True),
        allow_private=allow_private,
        allowed_private_hosts=allowed_hosts,
    )


# --- privileged settings ---------------------------------------------------------
#
# ckanext-harvest lets an organization's editors create and edit harvest
# sources, and harvest_source_show returns a source's config to them; the
# harvest itself runs as a sysadmin in the worker. So a source config must not
# reach what its editor could not: another organization, the SSRF guard, the
# worker's environment (see dukcapil/feed.py FeedAuth), or secrets written
# into the (readable) config.


def private_address_setting(config: Mapping[str, Any], key: str) -> tuple[bool, tuple[str, ...]]:
    """(allow every private address, "host:port" exempted) of a setting that is
    false (default), true or a list of "host:port"; raises HarvestConfigError."""
    value = config.get(key, False)
    if isinstance(value, bool):
        return value, ()
    if isinstance(value, list):
        if not all(isinstance(h, str) and re.fullmatch(r"[^:/\s]+:\d+", h) for h in value):
            raise HarvestConfigError(
                f'{key}: a list must hold "host:port" entries, e.g. "10.1.2.3:80"'
            )
        return False, tuple(h.lower() for h in value)
    raise HarvestConfigError(f'{key} must be true, false or a list of "host:port"')


def editor_is_privileged() -> bool:
    """Whether whoever is saving a source config may use privileged settings.

    ckanext-harvest calls validate_config(config) with no context: the user
    is the one of the current request. Without a request (CLI commands, the
    demo loader, the worker) the caller is the site itself.
    """
    from ckan import authz
    from flask import has_request_context

    if not has_request_context():
        return True
    user = tk.current_user
    if user is None or getattr(user, "is_anonymous", True):
        return False
    return bool(authz.is_sysadmin(user.name))


def check_privileged_settings(config: Mapping[str, Any], private_keys: Iterable[str]) -> None:
    """Refuse settings a non-sysadmin editor may not use; raises HarvestConfigError.

    - ``organization``: only an organization the editor may publish in (a
      sysadmin: any). An editor can only create a source in such an
      organization, so the source's own organization always passes.
    - private-address settings (switching the SSRF guard off): sysadmins only.
    """
    if editor_is_privileged():
        return
    from ckan import authz

    user = tk.current_user.name
    for key in private_keys:
        if config.get(key) not in (None, False):
            raise HarvestConfigError(f"{key}: only a sysadmin may set this")
    organization = config.get("organization")
    if organization:
        group = model.Group.get(str(organization))
        if group is None or not authz.has_user_permission_for_group_or_org(
            group.id, user, "create_dataset"
        ):
            raise HarvestConfigError(
                f"organization: you cannot publish datasets in {organization!r}; "
                "only a sysadmin may name another organization"
            )


@dataclass(frozen=True)
class PublishedRecord:
    """A guid's current harvest object and the state of the dataset it points at."""

    harvest_object: HarvestObject
    package_state: str | None  # None: no dataset (never written, or purged)
    withdrawn: bool  # status_data says the record left the source

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
        return SatudataHarvesterBase._extra(self.harvest_object, key)


class SatudataHarvesterBase(HarvesterBase):
    """Shared bookkeeping; subclasses implement IHarvester's stages and
    ``_check_config``, and name themselves in the class attributes."""

    SOURCE_TYPE: ClassVar[str]
    TITLE: ClassVar[str]
    DESCRIPTION: ClassVar[str]  # Indonesian: shown on the source form
    CONFIG_KEYS: ClassVar[frozenset[str]]

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
            parsed = load_config(config, known=self.CONFIG_KEYS)
            self._check_config(parsed)
            check_privileged_settings(parsed, (PRIVATE_ADDRESSES_KEY,))
        except ValueError as err:  # HarvestConfigError and the parsers' own
            raise ValueError(str(err)) from None
        return config or ""

    def _check_config(self, config: Mapping[str, Any]) -> None:
        """Raise ValueError naming the first setting that is wrong."""
        raise NotImplementedError

    # --- context -------------------------------------------------------------

    def _action_context(self) -> dict[str, Any]:
        """Context for actions run as the harvest user (a sysadmin)."""
        return {"user": self._get_user_name(), "model": model, "session": model.Session}

    def _write_context(self) -> dict[str, Any]:
        """Context of a package_create/package_patch carrying resources."""
        # Our harvesters validate every table through validation/integration.py
        # before writing: the package hooks must not validate again (or refuse
        # the spreadsheet's deliberately unvalidated original file).
        return {**self._action_context(), VALIDATION_DONE: True}

    def _source_config(self, harvest: HarvestJob | HarvestObject) -> dict[str, Any]:
        return load_config(harvest.source.config, known=self.CONFIG_KEYS)

    # --- current objects -------------------------------------------------------

    @staticmethod
    def _published_records(source_id: str, guid: str | None = None) -> dict[str, PublishedRecord]:
        """The current object of each guid of a source (or of one guid), with
        its extras and its dataset's state, in two queries whatever their number."""
        status = model.Package.extras["status_data"].astext
        query = (
            model.Session.query(HarvestObject, model.Package.state, status)
            .outerjoin(model.Package, model.Package.id == HarvestObject.package_id)
            .options(selectinload(HarvestObject.extras))
            .filter(HarvestObject.harvest_source_id == source_id)
            .filter(HarvestObject.current == True)  # noqa: E712 (SQL expression)
        )
        if guid is not None:
            query = query.filter(HarvestObject.guid == guid)
        return {
            row.guid: PublishedRecord(row, state, status_data == WITHDRAWN_STATUS)
            for row, state, status_data in query
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

    @staticmethod
    def _extra(harvest_object: HarvestObject, key: str) -> str | None:
        for extra in harvest_object.extras:
            if extra.key == key:
                return extra.value
        return None

    @staticmethod
    def _set_extra(harvest_object: HarvestObject, key: str, value: str) -> None:
        for extra in harvest_object.extras:
            if extra.key == key:
                extra.value = value
                return
        harvest_object.extras.append(HarvestObjectExtra(key=key, value=value))

    def _is_unchanged(
        self,
        harvest_object: HarvestObject,
        content_hash: str,
        record: PublishedRecord | None = None,
    ) -> bool:
        """Record the hash; True when the current object of the guid has the
        same and its dataset is active (a deleted dataset is harvested again).
        ``record``: the guid's PublishedRecord, when the caller has it."""
        self._set_extra(harvest_object, HASH_KEY, content_hash)
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

    def _object_error(self, harvest_object: HarvestObject, message: str, stage: str) -> bool:
        """Record a per-object error (shown in the job report) and fail the object."""
        log.warning("harvest object %s (%s): %s", harvest_object.guid, stage, message)
        self._save_object_error(message, harvest_object, stage)
        return False

    def _gather_error(self, job: HarvestJob, message: str) -> list[str]:
        """Record a gather error; returning [] makes the job change nothing."""
        log.warning("harvest job %s: %s", job.id, message)
        self._save_gather_error(message, job)
        return []

    @staticmethod
    def _shrink_refused(previous: int, new: int, max_share: float) -> str | None:
        """Why a listing that shrank too much is refused, or None if it is fine."""
        if previous == 0 or new >= previous:
            return None
        lost = (previous - new) / previous
        if lost > max_share:
            return (
                f"the source now lists {new} records against {previous} before "
                f"({lost:.0%} fewer, more than the allowed {max_share:.0%}); nothing was changed"
            )
        return None

    # --- datasets ----------------------------------------------------------------

    def _existing_package_id(self, harvest_object: HarvestObject) -> str | None:
        record = self._published_record(harvest_object)
        if record is None or record.package_state in (None, "deleted"):
            return None
        return record.package_id

    def _upsert_package(
        self, harvest_object: HarvestObject, package: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Create or update (patch, so other fields survive) the object's dataset."""
        context = self._write_context()
        existing = self._existing_package_id(harvest_object)
        if existing:
            result = tk.get_action("package_patch")(context, {**package, "id": existing})
        else:
            result = tk.get_action("package_create")(context, dict(package))
        self._make_current(harvest_object, result["id"])
        return result

    def _withdraw(self, harvest_object: HarvestObject, mode: str) -> None:
        """Handle a record removed from the source: delete, or keep and flag."""
        package_id = self._existing_package_id(harvest_object)
        if package_id is None:
            return
        context = self._write_context()
        if mode == "delete":
            tk.get_action("package_delete")(context, {"id": package_id})
        else:
            withdrawn = {"id": package_id, "status_data": WITHDRAWN_STATUS}
            tk.get_action("package_patch")(context, withdrawn)
        harvest_object.current = False
        harvest_object.add()
        model.Session.commit()
