"""Who may read data quality: a dataset's score and breakdown, whoever may
see the dataset; the portal and OPD summary, anyone (private datasets are
counted only for the walidata, see the action); the evidence table, the
walidata, the walidata pendukung and sysadmins (all OPDs) and the producers
of an OPD (their own OPD's)."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudata.logic import roles

__all__ = ["satudata_quality_export", "satudata_quality_show", "satudata_quality_summary"]


@tk.auth_allow_anonymous_access
def satudata_quality_show(context: Context, data_dict: DataDict) -> AuthResult:
    try:
        tk.check_access("package_show", context, {"id": data_dict.get("id")})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Not authorized to see this dataset")}
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_quality_summary(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def satudata_quality_export(context: Context, data_dict: DataDict) -> AuthResult:
    user = context.get("user")
    if roles.is_walidata(user) or roles.is_walidata_pendukung(user):
        return {"success": True}
    organization = data_dict.get("organization")
    if organization and roles.is_producer_of(user, str(organization)):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the walidata or the OPD's producers may export")}
