"""Who may do what with the year's Daftar Data (roles from logic/roles.py;
sysadmins pass every check in CKAN's own auth layer):

- everyone, anonymous too, reads the plan, its progress, the Jadwal Rilis
  and their exports (the plan is public, as on data.go.id);
- the walidata imports and edits the plan;
- an OPD's producer links and unlinks datasets to its own OPD's items (the
  walidata to any item);
- an OPD's board is for its producers, the walidata and the walidata
  pendukung; the walidata board for the walidata and the walidata pendukung.
"""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudata.logic import roles
from ckanext.satudata.model import daftar_data

__all__ = [
    "satudata_daftar_data_board",
    "satudata_daftar_data_export",
    "satudata_daftar_data_import",
    "satudata_daftar_data_link",
    "satudata_daftar_data_list",
    "satudata_daftar_data_progress",
    "satudata_daftar_data_show",
    "satudata_daftar_data_unlink",
    "satudata_daftar_data_update",
    "satudata_jadwal_rilis",
]


def _public(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


satudata_daftar_data_list = tk.auth_allow_anonymous_access(_public)
satudata_daftar_data_show = tk.auth_allow_anonymous_access(_public)
satudata_daftar_data_progress = tk.auth_allow_anonymous_access(_public)
satudata_daftar_data_export = tk.auth_allow_anonymous_access(_public)
satudata_jadwal_rilis = tk.auth_allow_anonymous_access(_public)


def _walidata_only(context: Context) -> AuthResult:
    if roles.is_walidata(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the walidata edits the Daftar Data")}


def satudata_daftar_data_import(context: Context, data_dict: DataDict) -> AuthResult:
    return _walidata_only(context)


def satudata_daftar_data_update(context: Context, data_dict: DataDict) -> AuthResult:
    return _walidata_only(context)


def _links(context: Context, data_dict: DataDict) -> AuthResult:
    user = context.get("user")
    if roles.is_walidata(user):
        return {"success": True}
    item = daftar_data.get(str(data_dict.get("id") or ""))
    if item is not None and roles.is_producer_of(user, item.organization_id):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the item's OPD and the walidata link its datasets")}


satudata_daftar_data_link = _links
satudata_daftar_data_unlink = _links


def satudata_daftar_data_board(context: Context, data_dict: DataDict) -> AuthResult:
    """``organization`` (id or name): that OPD's board; none: the walidata board."""
    user = context.get("user")
    if roles.is_walidata(user) or roles.is_walidata_pendukung(user):
        return {"success": True}
    organization = data_dict.get("organization")
    if organization and roles.is_producer_of(user, organization):
        return {"success": True}
    return {"success": False, "msg": tk._("Not authorized to see this board")}
