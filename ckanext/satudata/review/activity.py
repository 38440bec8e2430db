"""Review events in CKAN's activity stream: activity type ``satudata review
package`` (rendered by templates/snippets/activities/
satudata_review_package.html). Site-wide streams (OPD, user, dashboard,
recent changes) show it to those who saw the dataset when it happened (its
permission labels then); a dataset's own stream shows it to whoever sees the
dataset. So it says what happened and to which state, never the
walidata's comments: those stay on the review page."""

from __future__ import annotations

import logging
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Schema

from ckanext.satudata import contexts
from ckanext.satudata.i18n import N_
from ckanext.satudata.model.review_event import ReviewEvent
from ckanext.satudata.review import visibility

log = logging.getLogger(__name__)

ACTIVITY_TYPE = "satudata review package"

# English msgids of each action (the UI translates them).
ACTION_LABELS = {
    "create": N_("created"),
    "revise": N_("changed"),
    "submit": N_("submit"),
    "withdraw": N_("withdraw"),
    "approve": N_("approve"),
    "reject": N_("reject"),
    "publish": N_("publish"),
    "unpublish": N_("unpublish"),
}


def action_label(action: str) -> str:
    return tk._(ACTION_LABELS.get(action, action))


def _is_review_activity(value: Any) -> Any:
    if value != ACTIVITY_TYPE:
        raise tk.Invalid(tk._("Not a review activity"))
    return value


def _schema() -> Schema:
    """CKAN's activity schema, for our one activity type (its own validator
    knows only core types)."""
    validators = tk.get_validator
    return {
        "id": [validators("ignore")],
        "timestamp": [validators("ignore")],
        "user_id": [validators("not_empty"), validators("convert_user_name_or_id_to_id")],
        "object_id": [validators("not_empty"), validators("package_id_exists")],
        "activity_type": [validators("not_empty"), _is_review_activity],
        "data": [validators("ignore_missing")],
        "permission_labels": [validators("ignore_missing")],
    }


def record(package: model.Package, event: ReviewEvent) -> None:
    """Add the event to the dataset's activity stream (with the session's
    transaction); never fails the transition."""
    user = model.User.get(event.actor) if event.actor else None
    if user is None:
        user = model.User.get(str(contexts.site().get("user") or ""))
    if user is None:
        return
    labels = visibility.dataset_labels(package)
    context = {"user": user.name, "ignore_auth": True, "defer_commit": True, "schema": _schema()}
    try:
        tk.get_action("activity_create")(
            context,  # type: ignore[arg-type]
            {
                "user_id": user.id,
                "object_id": package.id,
                "activity_type": ACTIVITY_TYPE,
                "permission_labels": labels,
                "data": {
                    "package": {
                        "id": package.id,
                        "name": package.name,
                        "title": package.title,
                        "type": package.type,
                    },
                    "review": {
                        key: value
                        for key, value in event.as_dict().items()
                        if key not in ("comment", "items")
                    },
                    "actor": user.name,
                },
            },
        )
    except (tk.ValidationError, tk.ObjectNotFound, KeyError) as err:
        log.warning("review activity of %s not recorded: %s", package.id, err)
