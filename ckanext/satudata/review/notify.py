"""E-mail about the review, through CKAN's mailer (``smtp.*`` options): the
walidata hear of each submission, the OPD's producers of each decision, in
the portal's default language (read from our catalog directly: the mail is
written outside any request's locale) with a link to the review page. Mails are
sent by a background job (``ckan satudata jobs worker``) after the transition is
committed; nothing here ever fails a transition: a mail that cannot be
written, queued or sent is logged."""

from __future__ import annotations

import gettext
import logging
from pathlib import Path
from typing import Any

from ckan import model
from ckan.lib import mailer
from ckan.plugins import toolkit as tk

from ckanext.satudata import config, i18n
from ckanext.satudata.logic import roles
from ckanext.satudata.model import review_event

log = logging.getLogger(__name__)

Recipient = tuple[str, str]  # (display name, address)


def review_url(package: model.Package) -> str:
    return f"{tk.config.get('ckan.site_url').rstrip('/')}/pemeriksaan/{package.name}"


def _recipients(users: list[model.User]) -> list[Recipient]:
    return [(user.fullname or user.name, user.email) for user in users if user.email]


def _organization_title(package: model.Package) -> str:
    group = model.Group.get(package.owner_org) if package.owner_org else None
    return str(group.title or "") if group is not None else ""


CATALOG_DOMAIN = "ckanext-satudata"


def _catalog(lang: str) -> gettext.NullTranslations:
    """Our compiled catalog of ``lang`` (English msgids when there is none)."""
    directory = str(Path(i18n.__file__).parent)
    return gettext.translation(CATALOG_DOMAIN, directory, languages=[lang], fallback=True)


def mail_lang() -> str:
    return str(tk.config.get("ckan.locale_default") or "id")


def _compose(
    action: str, package: model.Package, event: dict[str, Any] | None, lang: str
) -> tuple[str, str]:
    """Subject and body of a mail in ``lang``."""
    _ = _catalog(lang).gettext
    title = package.title or package.name
    subjects = {
        "submit": _("[Satu Data] Waiting for review: {title}"),
        "withdraw": _("[Satu Data] Submission withdrawn: {title}"),
        "approve": _("[Satu Data] Approved: {title}"),
        "reject": _("[Satu Data] Returned for correction: {title}"),
        "publish": _("[Satu Data] Published: {title}"),
        "unpublish": _("[Satu Data] No longer published: {title}"),
    }
    openings = {
        "submit": _('The dataset "{title}" of {opd} waits for the walidata\'s review.'),
        "withdraw": _('The producer withdrew the submission of "{title}" ({opd}).'),
        "approve": _('The walidata approved the dataset "{title}".'),
        "reject": _('The walidata returned the dataset "{title}" for correction.'),
        "publish": _('The dataset "{title}" is now published on the portal.'),
        "unpublish": _('The dataset "{title}" is no longer published.'),
    }
    opd = _organization_title(package)
    lines = [openings[action].format(title=title, opd=opd), ""]
    items = [item for item in (event or {}).get("items", []) if not item.get("accepted", True)]
    if items:
        lines.append(_("To correct:"))
        lines.extend(f"- {item['label']}: {item['comment']}" for item in items)
        lines.append("")
    if event and event.get("comment"):
        lines.extend([_("Walidata's note: {comment}").format(comment=event["comment"]), ""])
    lines.append(_("Open the review page: {url}").format(url=review_url(package)))
    return subjects[action].format(title=title), "\n".join(lines) + "\n"


def _send_later(action: str, package_id: str, event_id: str | None, to: list[Recipient]) -> None:
    if not to or not config.review_notify():
        return
    package = model.Package.get(package_id)
    if package is None:
        return
    event = None
    if event_id:
        found = model.Session.get(review_event.ReviewEvent, event_id)
        event = found.as_dict() if found is not None else None
    try:
        subject, body = _compose(action, package, event, mail_lang())
        tk.enqueue_job(send, [to, subject, body], title=f"satudata review mail {action}")
    except Exception:  # a mail is never worth a failed transition
        log.exception("review mail (%s) of %s not queued", action, package_id)


def submitted(package_id: str) -> None:
    """Tell the walidata a dataset (or its change) waits for them."""
    _send_later("submit", package_id, None, _recipients(roles.walidata_users()))


def after_transition(package_id: str, event_id: str) -> None:
    event = model.Session.get(review_event.ReviewEvent, event_id)
    package = model.Package.get(package_id)
    if event is None or package is None:
        return
    if event.action in ("submit", "withdraw"):
        to = _recipients(roles.walidata_users())
    else:
        to = _recipients(roles.producers_of(package.owner_org)) if package.owner_org else []
    _send_later(event.action, package_id, event_id, to)


def send(recipients: list[Recipient], subject: str, body: str) -> int:
    """Job: send one mail to each recipient; returns how many were sent."""
    sent = 0
    for name, address in recipients:
        try:
            mailer.mail_recipient(name, address, subject, body)
            sent += 1
        except Exception:  # the next recipient may still get theirs
            log.exception("review mail to %s not sent", address)
    return sent
