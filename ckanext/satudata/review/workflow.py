"""The review workflow inside CKAN's write actions, and its transitions.

Every write to an SDI dataset passes ``before_create`` or ``before_update``
(logic/action/dataset.py, around package_create/package_update, which
package_patch, resource_create/update/delete and the harvesters all reach):

- ``status_data`` changes only through a transition (``transition``, the
  satudata_review_* actions); a write that tries to change it is refused.
- ``private`` follows the status and the classification (states.is_public),
  so CKAN's own checks of the flag agree with the permission labels.
- A new dataset starts as ``draft`` (a producer's), ``ditayangkan`` (a
  walidata's), or as a harvester's: ``menunggu_persetujuan``, or
  ``ditayangkan`` from a trusted source.
- A change to a published dataset by a producer, or by an untrusted harvest,
  does not reach it: it becomes its pending change (pending.py), published
  only by the walidata. A walidata's own edit, and a trusted source's, are
  written at once.
- The producer may change an unpublished dataset while it is in their hands
  (states.EDITABLE); a harvest that changes one submits it again.

With ``ckanext.satudata.review.enabled`` false none of this applies: the
status is a plain field, as it was before the workflow (``enabled``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context

from ckanext.satudata import config, contexts
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.logic import roles
from ckanext.satudata.model import review_event
from ckanext.satudata.review import notify, states

SDI_TYPE = "dataset"
# Context flags: our own status writes, and who a harvest write comes from.
TRANSITION_FLAG = "satudata_review_transition"
HARVEST_FLAG = "satudata_review_harvest"  # a HarvestWrite


@dataclass
class HarvestWrite:
    """What a harvester tells the workflow about its write, and learns back
    (the context is copied on the way by package_patch; this object is not)."""

    trusted: bool
    source: str
    deferred: bool = False


def harvest_context(context: Context, write: HarvestWrite) -> Context:
    return contexts.with_flag(context, HARVEST_FLAG, write)


def harvest_write(context: Context) -> HarvestWrite | None:
    write = contexts.flag(context, HARVEST_FLAG)
    return write if isinstance(write, HarvestWrite) else None


def enabled() -> bool:
    return config.review_enabled()


def is_sdi(package: model.Package | None) -> bool:
    return package is not None and package.type == SDI_TYPE


def status_of(package: model.Package) -> str:
    return states.status_of((package.extras or {}).get("status_data"))


def _user_name(context: Context) -> str:
    return str(context.get("user") or "")


def _status_error(message: str) -> tk.ValidationError:
    return tk.ValidationError({"status_data": [message]})


def visibility_fields(data_dict: dict[str, Any], status: str) -> None:
    """Set the status and the private flag that goes with it. A request to
    make restricted or closed data public is left for the classification's
    validator to refuse by name."""
    data_dict["status_data"] = status
    if states.is_public(states.PUBLISHED, data_dict.get("accessRights")):
        data_dict["private"] = not states.is_public(status, data_dict.get("accessRights"))
    elif data_dict.get("private") in (None, ""):
        data_dict["private"] = True


# --- writes ----------------------------------------------------------------------


def before_create(context: Context, data_dict: dict[str, Any]) -> str | None:
    """The initial state of a new dataset (set in ``data_dict``); returns the
    event to record once it exists (``after_create``), or None."""
    if not enabled() or data_dict.get("type") not in (None, "", SDI_TYPE):
        return None
    asked = data_dict.get("status_data") or None
    harvest = harvest_write(context)
    if harvest is not None:
        status = states.PUBLISHED if harvest.trusted else states.SUBMITTED
    elif roles.is_walidata(_user_name(context)):
        status = asked if asked in (states.DRAFT, states.PUBLISHED) else states.PUBLISHED
    else:
        if asked not in (None, states.DRAFT):
            raise _status_error(
                tk._("A new dataset starts as a draft; submit it to the walidata to publish it")
            )
        status = states.DRAFT
    visibility_fields(data_dict, status)
    return status


def after_create(context: Context, package_id: str, status: str | None) -> None:
    if status is None:
        return
    harvest = harvest_write(context)
    review_event.record(
        package_id,
        subject="dataset",
        action="submit" if status == states.SUBMITTED else "create",
        from_state=None,
        to_state=status,
        actor=_user_name(context) or None,
        origin="harvest" if harvest else "user",
        comment=tk._("Harvested from {source}").format(source=harvest.source) if harvest else "",
    )
    if not context.get("defer_commit"):
        model.Session.commit()
    if status == states.SUBMITTED:
        notify.submitted(package_id)


def defers(context: Context, package: model.Package | None) -> bool:
    """Whether a write to ``package`` becomes its pending change."""
    if not enabled() or not is_sdi(package) or contexts.flag(context, TRANSITION_FLAG):
        return False
    assert package is not None
    if status_of(package) != states.PUBLISHED:
        return False
    harvest = harvest_write(context)
    if harvest is not None:
        return not harvest.trusted
    return not roles.is_walidata(_user_name(context))


def before_update(
    context: Context, package: model.Package, data_dict: dict[str, Any]
) -> str | None:
    """Check a direct write (one ``defers`` said is not deferred) and set its
    status fields; returns the transition a harvest write makes, if any
    (recorded by ``after_update``)."""
    if not enabled():
        return None
    status = status_of(package)
    if contexts.flag(context, TRANSITION_FLAG):
        visibility_fields(data_dict, str(data_dict.get("status_data") or status))
        return None
    asked = data_dict.get("status_data")
    if asked not in (None, "", status):
        raise _status_error(
            tk._(
                "The data status changes only through the walidata's review "
                "(satudata_review_submit, _approve, _reject, _publish, _unpublish, _withdraw)"
            )
        )
    harvest = harvest_write(context)
    new_status = status
    if harvest is not None:
        if status != states.PUBLISHED:
            new_status = states.PUBLISHED if harvest.trusted else states.SUBMITTED
    elif not roles.is_walidata(_user_name(context)) and status not in states.EDITABLE:
        raise _status_error(
            tk._(
                "This dataset is with the walidata ({state}); withdraw the submission to change it"
            ).format(state=states.label(status, current_lang()))
        )
    visibility_fields(data_dict, new_status)
    return new_status if new_status != status else None


def after_update(context: Context, package_id: str, status: str | None) -> None:
    """Record the transition a harvest write made (``before_update``)."""
    harvest = harvest_write(context)
    if status is None or harvest is None:
        return
    package = model.Package.get(package_id)
    assert package is not None
    review_event.record(
        package_id,
        subject="dataset",
        action="publish" if status == states.PUBLISHED else "submit",
        from_state=None,
        to_state=status,
        actor=_user_name(context) or None,
        origin="harvest",
        comment=tk._("Harvested from {source}").format(source=harvest.source),
    )
    if not context.get("defer_commit"):
        model.Session.commit()
    if status == states.SUBMITTED:
        notify.submitted(package_id)
