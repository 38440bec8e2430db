"""The demo's review (pemeriksaan), for `make demo`: a walidata of the DKISP
and a producer of Dinas Kesehatan who can log in, and a realistic queue made
from what the OPD spreadsheets' harvest submitted: most datasets published,
one approved and waiting to be published, two still waiting (one past the
SLA), one returned to Dinas Kesehatan with the walidata's comments.
Idempotent: a dataset already where the demo wants it is left alone."""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.satudata import contexts
from ckanext.satudata.demo import opd_files
from ckanext.satudata.model import review_event
from ckanext.satudata.review import states, workflow

WALIDATA_ORG = "dkisp-paser"
PRODUCER_ORG = "dinkes-paser"
# name -> (organization, capacity, full name, e-mail)
DEMO_USERS = {
    "walidata-dkisp": (WALIDATA_ORG, "member", "Walidata DKISP Paser", "walidata@paserkab.go.id"),
    "produsen-dinkes": (PRODUCER_ORG, "editor", "Pengelola Data Dinkes", "dinkes@paserkab.go.id"),
}
WALIDATA_USER = "walidata-dkisp"

REJECT_COMMENT = "Lengkapi metadata sesuai prinsip Satu Data sebelum diajukan kembali."
REJECT_ITEMS = (
    {"key": "field:notes", "label": "Deskripsi", "accepted": False,
     "comment": "Tuliskan definisi operasional indikator dan cara penghitungannya."},
    {"key": "field:satuan", "label": "Satuan", "accepted": False,
     "comment": "Satuan tidak sesuai dengan nilai pada tabel; periksa kembali."},
    {"key": "field:kode_wilayah", "label": "Kode Wilayah", "accepted": True, "comment": ""},
)  # fmt: skip
# Days the waiting submissions have waited (the SLA is 5 by default).
WAITING_DAYS = (2.0, 8.0)


def ensure_users(password_file: Path) -> list[tuple[str, str, str]]:
    """The demo walidata and producer, with passwords kept in ``password_file``
    (one ``name password`` a line) so a second run prints the same ones;
    returns (name, password, full name) of each."""
    known: dict[str, str] = {}
    if password_file.exists():
        for line in password_file.read_text().splitlines():
            name, _, password = line.partition(" ")
            known[name] = password.strip()
    found = []
    for name, (organization, capacity, fullname, email) in DEMO_USERS.items():
        password = known.get(name) or secrets.token_urlsafe(12)
        user = model.User.get(name)
        if user is None:
            tk.get_action("user_create")(
                contexts.site(),
                {"name": name, "email": email, "password": password, "fullname": fullname},
            )
        elif not user.validate_password(password):
            user.password = password
            model.Session.commit()
        tk.get_action("organization_member_create")(
            contexts.site(), {"id": organization, "username": name, "role": capacity}
        )
        known[name] = password
        found.append((name, password, fullname))
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.write_text("".join(f"{name} {password}\n" for name, password in known.items()))
    password_file.chmod(0o600)
    return found


def _context(action: str) -> Any:
    """Decisions are the demo walidata's; submissions the site's (a sysadmin)."""
    if states.TRANSITIONS[action].actor == states.WALIDATA and model.User.get(WALIDATA_USER):
        return {"user": WALIDATA_USER}
    return contexts.site()


def reach(package_id: str, target: str, comment: str = "", items: Any = None) -> list[str]:
    """Take the transitions from the dataset's state to ``target``; returns them."""
    package = model.Package.get(package_id)
    assert package is not None
    actions = states.path(workflow.status_of(package), target)
    for action in actions:
        data: dict[str, Any] = {"id": package_id}
        if action == "reject":
            data.update(comment=comment, items=list(items or []))
        tk.get_action(f"satudata_review_{action}")(_context(action), data)
    return actions


def _backdate_submission(package_id: str, days: float) -> None:
    submitted = review_event.last_of(package_id, ("submit",))
    if submitted is not None:
        submitted.created = datetime.datetime.utcnow() - datetime.timedelta(days=days)
        model.Session.commit()


def _opd_datasets() -> list[model.Package]:
    """The datasets the OPD spreadsheets' harvest wrote, by OPD then name."""
    organizations = [model.Group.get(name) for name, _title, _path in opd_files.SAMPLE_SOURCES]
    ids = [group.id for group in organizations if group is not None]
    return (
        model.Session.query(model.Package)
        .filter(model.Package.type == "dataset")
        .filter(model.Package.state == "active")
        .filter(model.Package.owner_org.in_(ids))
        .order_by(model.Package.owner_org, model.Package.name)
        .all()
    )


def plan(packages: list[model.Package]) -> dict[str, str]:
    """Where the demo puts each dataset: {package id: state}. Dinas Kesehatan's
    first is returned with comments and its second approved; the last of
    each other OPD waits; everything else is published."""
    producer_org = model.Group.get(PRODUCER_ORG)
    by_org: dict[str, list[model.Package]] = {}
    for package in packages:
        by_org.setdefault(package.owner_org or "", []).append(package)
    targets = {package.id: states.PUBLISHED for package in packages}
    for owner, datasets in by_org.items():
        if producer_org is not None and owner == producer_org.id:
            targets[datasets[0].id] = states.REJECTED
            if len(datasets) > 1:
                targets[datasets[1].id] = states.APPROVED
        elif len(datasets) > 1:
            targets[datasets[-1].id] = states.SUBMITTED
    return targets


def load_queue() -> dict[str, int]:
    """Put the harvested OPD datasets where ``plan`` says; {state: count}."""
    packages = _opd_datasets()
    targets = plan(packages)
    waiting = iter(WAITING_DAYS)
    counts: dict[str, int] = {}
    for package in packages:
        target = targets[package.id]
        if target == states.REJECTED:
            reach(package.id, target, REJECT_COMMENT, REJECT_ITEMS)
        else:
            reach(package.id, target)
        if target == states.SUBMITTED:
            _backdate_submission(package.id, next(waiting, WAITING_DAYS[0]))
        counts[target] = counts.get(target, 0) + 1
    return counts
