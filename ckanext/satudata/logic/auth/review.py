"""Who may do what in the review (roles from logic/roles.py; sysadmins pass
every check in CKAN's own auth layer):

- the producer of the dataset's OPD submits and withdraws;
- the walidata approves, rejects, publishes and unpublishes;
- both, and the walidata pendukung, see a dataset's review; the walidata
  and walidata pendukung see the queue; a producer sees their own list.
- A published dataset is deleted only by the walidata (it would leave the
  portal without the walidata's review).
"""

from __future__ import annotations

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.satudata.logic import roles
from ckanext.satudata.review import states, workflow

__all__ = [
    "package_delete",
    "satudata_review_approve",
    "satudata_review_mine",
    "satudata_review_publish",
    "satudata_review_queue",
    "satudata_review_reject",
    "satudata_review_show",
    "satudata_review_submit",
    "satudata_review_unpublish",
    "satudata_review_withdraw",
]


def _package(data_dict: DataDict) -> model.Package | None:
    package = model.Package.get(str(data_dict.get("id") or ""))
    return package if workflow.is_sdi(package) else None


def _user(context: Context) -> str:
    return str(context.get("user") or "")


def _denied(message: str) -> AuthResult:
    return {"success": False, "msg": message}


def _producer(context: Context, data_dict: DataDict) -> AuthResult:
    package = _package(data_dict)
    if package is None:
        return _denied(tk._("Dataset not found"))
    if roles.is_producer_of(_user(context), package.owner_org):
        return {"success": True}
    return _denied(tk._("Only the producer of this dataset's OPD may do this"))


def _walidata(context: Context, data_dict: DataDict) -> AuthResult:
    if _package(data_dict) is None:
        return _denied(tk._("Dataset not found"))
    if roles.is_walidata(_user(context)):
        return {"success": True}
    return _denied(tk._("Only the walidata may do this"))


def satudata_review_submit(context: Context, data_dict: DataDict) -> AuthResult:
    return _producer(context, data_dict)


def satudata_review_withdraw(context: Context, data_dict: DataDict) -> AuthResult:
    return _producer(context, data_dict)


def satudata_review_approve(context: Context, data_dict: DataDict) -> AuthResult:
    return _walidata(context, data_dict)


def satudata_review_reject(context: Context, data_dict: DataDict) -> AuthResult:
    return _walidata(context, data_dict)


def satudata_review_publish(context: Context, data_dict: DataDict) -> AuthResult:
    return _walidata(context, data_dict)


def satudata_review_unpublish(context: Context, data_dict: DataDict) -> AuthResult:
    return _walidata(context, data_dict)


def _reviewer(user: str) -> bool:
    return roles.is_walidata(user) or roles.is_walidata_pendukung(user)


def satudata_review_show(context: Context, data_dict: DataDict) -> AuthResult:
    package = _package(data_dict)
    if package is None:
        return _denied(tk._("Dataset not found"))
    user = _user(context)
    if _reviewer(user) or roles.is_producer_of(user, package.owner_org):
        return {"success": True}
    return _denied(tk._("Only the dataset's producer and the walidata see its review"))


def satudata_review_queue(context: Context, data_dict: DataDict) -> AuthResult:
    if _reviewer(_user(context)):
        return {"success": True}
    return _denied(tk._("Only the walidata see the review queue"))


def satudata_review_mine(context: Context, data_dict: DataDict) -> AuthResult:
    if roles.producer_organizations(_user(context)):
        return {"success": True}
    return _denied(tk._("Only a data producer has datasets to follow"))


@tk.chained_auth_function
def package_delete(
    next_auth: AuthFunction, context: Context, data_dict: DataDict | None
) -> AuthResult:
    package = _package(data_dict or {})
    if (
        package is not None
        and workflow.enabled()
        and workflow.status_of(package) == states.PUBLISHED
        and not roles.is_walidata(_user(context))
    ):
        return _denied(
            tk._("A published dataset is deleted only by the walidata; ask them to unpublish it")
        )
    return next_auth(context, data_dict or {})
