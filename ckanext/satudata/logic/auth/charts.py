"""Who may read a chart's figures: whoever may read the resource's table."""

from __future__ import annotations

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["satudata_chart_data"]


@tk.auth_allow_anonymous_access
def satudata_chart_data(context: Context, data_dict: DataDict) -> AuthResult:
    resource_id = data_dict.get("resource_id")
    if data_dict.get("view_id"):
        view = model.ResourceView.get(data_dict["view_id"])
        resource_id = view.resource_id if view is not None else None
    if not resource_id:
        return {"success": False, "msg": tk._("Resource not found")}
    try:
        tk.check_access("resource_show", context, {"id": resource_id})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Not authorized to see this resource")}
    return {"success": True}
