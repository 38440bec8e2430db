"""Auth of ckanext-harvest actions that come without a real one."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthFunction, AuthResult, Context, DataDict

__all__ = ["harvest_abort_failed_jobs"]


@tk.chained_auth_function
def harvest_abort_failed_jobs(
    next_auth: AuthFunction, context: Context, data_dict: DataDict | None
) -> AuthResult:
    # ckanext-harvest 1.6.3's action checks no one, and its plugin registers
    # its actions as auth functions too (one dict shared by get_actions and
    # get_auth_functions), so the "auth function" of this name is the action
    # itself. Not called: sysadmins only (who pass every check), as
    # harvest_jobs_run. Otherwise anyone, anonymous too, could abort every
    # source's running jobs through the API.
    return {"success": False, "msg": tk._("Only sysadmins can abort harvest jobs")}
