"""The review pages: the walidata's dashboard (/pemeriksaan), the producer's
datasets by state (/pemeriksaan/saya) and a dataset's review page
(/pemeriksaan/<id>), whose forms take the transitions through the same
actions as the API (so the same rules)."""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint, request
from werkzeug.wrappers.response import Response

from ckanext.satudata import contexts
from ckanext.satudata.i18n import N_
from ckanext.satudata.review import states

review = Blueprint("satudata_review", __name__)

ACTIONS = ("submit", "withdraw", "approve", "reject", "publish", "unpublish")


def _allowed(name: str, data_dict: dict[str, Any]) -> bool:
    try:
        tk.check_access(name, contexts.current_user(), data_dict)
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def _forbidden_or_login() -> Any:
    if not getattr(tk.current_user, "is_authenticated", False):
        return tk.redirect_to("user.login", came_from=request.path)
    return tk.abort(403, tk._("Not authorized to see this page"))


@review.route("/pemeriksaan")
def dashboard() -> Any:
    try:
        queue = tk.get_action("satudata_review_queue")(contexts.current_user(), {})
    except tk.NotAuthorized:
        return _forbidden_or_login()
    return tk.render("satudata/review/dashboard.html", {"queue": queue})


@review.route("/pemeriksaan/saya")
def mine() -> Any:
    try:
        listing = tk.get_action("satudata_review_mine")(contexts.current_user(), {})
    except tk.NotAuthorized:
        return _forbidden_or_login()
    return tk.render("satudata/review/mine.html", {"listing": listing})


def _available_actions(package_id: str, state: str, subject: str) -> list[str]:
    found = []
    for action in ACTIONS:
        if subject == "revision" and action not in states.REVISION_ACTIONS:
            continue
        if state not in states.TRANSITIONS[action].sources:
            continue
        if _allowed(f"satudata_review_{action}", {"id": package_id}):
            found.append(action)
    return found


@review.route("/pemeriksaan/<id>")
def read(id: str) -> Any:
    try:
        overview = tk.get_action("satudata_review_show")(contexts.current_user(), {"id": id})
    except tk.NotAuthorized:
        return _forbidden_or_login()
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    package_id = overview["package_id"]
    return tk.render(
        "satudata/review/read.html",
        {
            "review": overview,
            "pkg": overview["version"],
            "actions": _available_actions(package_id, overview["state"], overview["subject"]),
            "can_edit": _allowed("package_update", {"id": package_id}),
        },
    )


def _items_from_form() -> list[dict[str, Any]]:
    found = []
    index = 0
    while f"item-{index}-key" in request.form:
        prefix = f"item-{index}-"
        found.append(
            {
                "key": request.form[prefix + "key"],
                "label": request.form.get(prefix + "label", ""),
                "accepted": request.form.get(prefix + "accepted", "1") == "1",
                "comment": request.form.get(prefix + "comment", ""),
            }
        )
        index += 1
    return found


@review.route("/pemeriksaan/<id>/<action>", methods=["POST"])
def transition(id: str, action: str) -> Response | Any:
    if action not in ACTIONS:
        return tk.abort(404, tk._("Not found"))
    data: dict[str, Any] = {"id": id, "comment": request.form.get("comment", "")}
    if action in ("approve", "reject"):
        data["items"] = _items_from_form()
    try:
        tk.get_action(f"satudata_review_{action}")(contexts.current_user(), data)
        if action == "approve" and request.form.get("and_publish"):
            tk.get_action("satudata_review_publish")(contexts.current_user(), {"id": id})
    except tk.NotAuthorized:
        return _forbidden_or_login()
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.ValidationError as err:
        messages = [
            message
            for value in err.error_dict.values()
            for message in (value if isinstance(value, list) else [value])
            if isinstance(message, str)
        ]
        tk.h.flash_error(" ".join(messages) or tk._("The review could not be saved"))
        return tk.redirect_to("satudata_review.read", id=id)
    tk.h.flash_success(tk._("Saved: {action}").format(action=tk._(_DONE[action])))
    return tk.redirect_to("satudata_review.read", id=id)


_DONE = {
    "submit": N_("submitted to the walidata"),
    "withdraw": N_("submission withdrawn"),
    "approve": N_("approved"),
    "reject": N_("returned to the producer"),
    "publish": N_("published"),
    "unpublish": N_("no longer published"),
}
