"""Who may see and run validation reports."""

from __future__ import annotations

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["satudata_validation_run", "satudata_validation_show"]


@tk.auth_allow_anonymous_access
def satudata_validation_show(context: Context, data_dict: DataDict) -> AuthResult:
    # Whoever may see the resource (so its dataset) may see its report. CKAN's
    # resource_show auth looks at the dataset only: a deleted resource of a
    # public dataset would pass it.
    resource = model.Resource.get(data_dict.get("resource_id") or "")
    if resource is None or resource.state != "active":
        return {"success": False, "msg": tk._("Resource not found")}
    try:
        tk.check_access("resource_show", context, {"id": data_dict.get("resource_id")})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Not authorized to see this resource")}
    return {"success": True}


def satudata_validation_run(context: Context, data_dict: DataDict) -> AuthResult:
    # Editors of the dataset (and sysadmins, who pass every check).
    resource = model.Resource.get(data_dict.get("resource_id") or "")
    if resource is None:
        return {"success": False, "msg": tk._("Resource not found")}
    try:
        tk.check_access("package_update", context, {"id": resource.package_id})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Not authorized to validate this resource")}
    return {"success": True}
