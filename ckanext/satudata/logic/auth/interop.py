"""Who may read what national systems read: Portal Pelita serves public data
to anyone (the actions never return private data); the MQA self-check of a
dataset is for whoever may see the dataset."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["satudata_mqa_show", "satudata_pelita_dataset_list", "satudata_pelita_dataset_show"]


@tk.auth_allow_anonymous_access
def satudata_pelita_dataset_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_pelita_dataset_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_mqa_show(context: Context, data_dict: DataDict) -> AuthResult:
    try:
        tk.check_access("package_show", context, {"id": data_dict.get("id")})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Not authorized to see this dataset")}
    return {"success": True}
