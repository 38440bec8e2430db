"""Action contexts, built in one place. Every call gets a fresh context
(actions write into theirs); our own flags travel in it as extra keys, which
CKAN's ``Context`` TypedDict does not list (``with_flag``)."""

from __future__ import annotations

from typing import Any, cast

from ckan.plugins import toolkit as tk
from ckan.types import Context


def site() -> Context:
    """The site user, past every auth check: jobs, CLI commands, the demo."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def public() -> Context:
    """An anonymous visitor: what everyone may see."""
    return {"user": ""}


def current_user() -> Context:
    """The user of the current request (anonymous when logged out)."""
    user = tk.current_user
    name = getattr(user, "name", None) if user is not None else None
    return {"user": name or ""}


def with_flag(context: Context, key: str, value: Any) -> Context:
    """A copy of ``context`` carrying one of our flags."""
    flagged = cast("dict[str, Any]", context.copy())
    flagged[key] = value
    return cast(Context, flagged)


def flag(context: Context, key: str) -> Any:
    """One of our flags in ``context`` (None when absent)."""
    return cast("dict[str, Any]", context).get(key)


def as_dict(context: Context) -> dict[str, Any]:
    """``context`` as the plain dict it is at run time, to keep our own
    entries in it between hooks of one action."""
    return cast("dict[str, Any]", context)
