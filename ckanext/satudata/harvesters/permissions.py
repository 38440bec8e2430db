"""Who may set what in a harvest source's config, and which secrets it may read.

ckanext-harvest lets an organization's editors create and edit harvest
sources, and harvest_source_show returns a source's config to them; the
harvest itself runs as a sysadmin in the worker. So a source config must not
reach what its editor could not: another organization, the SSRF guard, the
worker's environment or another OPD's secrets (settings.check_secret_env,
dukcapil/feed.py FeedAuth), or secrets written into the (readable) config.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ckan import authz, model
from ckan.plugins import toolkit as tk
from flask import has_request_context

from ckanext.satudata.harvesters.messages import N_, message
from ckanext.satudata.harvesters.settings import (
    HarvestConfigError,
    secret_env_key,
    secret_env_owner_key,
    secret_env_prefix,
)

# The stored config of the source being updated (harvesters/form.py save):
# a non-sysadmin's save may keep the values a sysadmin set.
_stored: contextvars.ContextVar[Mapping[str, Any] | None] = contextvars.ContextVar(
    "satudata_harvest_stored_config", default=None
)


@contextlib.contextmanager
def keeping(stored: Mapping[str, Any]) -> Iterator[None]:
    """Within: check_privileged_settings accepts a setting whose value is the
    one ``stored`` (the source's current config) holds."""
    token = _stored.set(stored)
    try:
        yield
    finally:
        _stored.reset(token)


def editor_is_privileged() -> bool:
    """Whether whoever is saving a source config may use privileged settings.

    ckanext-harvest calls validate_config(config) with no context: the user
    is the one of the current request. Without a request (CLI commands, the
    demo loader, the worker) the caller is the site itself.
    """
    if not has_request_context():
        return True
    user = tk.current_user
    if user is None or getattr(user, "is_anonymous", True):
        return False
    return bool(authz.is_sysadmin(user.name))


def check_privileged_settings(config: Mapping[str, Any], private_keys: Iterable[str]) -> None:
    """Refuse settings a non-sysadmin editor may not use; raises HarvestConfigError.

    - ``organization``: only an organization the editor may publish in (a
      sysadmin: any). An editor can only create a source in such an
      organization, so the source's own organization always passes.
    - private-address settings (switching the SSRF guard off): sysadmins only.

    A value the source already holds (``keeping``) passes: a sysadmin set it.
    """
    if editor_is_privileged():
        return
    user = tk.current_user.name
    stored = _stored.get() or {}
    for key in private_keys:
        if config.get(key) not in (None, False) and config.get(key) != stored.get(key):
            raise HarvestConfigError(
                message(N_("{key}: only a sysadmin may set this"), key=key), key=key
            )
    organization = config.get("organization")
    if organization and organization != stored.get("organization"):
        group = model.Group.get(str(organization))
        if group is None or not authz.has_user_permission_for_group_or_org(
            group.id, user, "create_dataset"
        ):
            raise HarvestConfigError(
                message(
                    N_("organization: you cannot publish datasets in {organization}; "
                       "only a sysadmin may name another organization"),
                    organization=repr(organization),
                ),
                key="organization",
            )  # fmt: skip


def check_secret_owners(names: Mapping[str, str]) -> None:
    """Refuse, when a config is saved, secret variables ({setting: name}) of
    an OPD the editor does not publish for; raises HarvestConfigError naming
    the prefixes the editor may use. ckanext-harvest does not tell
    validate_config the source's owner: the gather stage binds every secret to
    it (``secret_owner``, settings.check_secret_env), whoever saved the config."""
    if not names or editor_is_privileged():
        return
    user = tk.current_user.name
    own = tk.get_action("organization_list_for_user")(
        {"user": user}, {"permission": "create_dataset"}
    )
    allowed = {secret_env_key(org["name"]): org["name"] for org in own}
    for setting, name in names.items():
        if secret_env_owner_key(name) not in allowed:
            prefixes = ", ".join(sorted(secret_env_prefix(o) + "<NAME>" for o in allowed.values()))
            raise HarvestConfigError(
                message(
                    N_("{setting}: {name} is not a secret of an OPD you publish for; a source "
                       "can use only the secrets of the OPD that owns it: {prefixes}"),
                    setting=setting, name=name, prefixes=prefixes or "-",
                ),
                key=setting.partition(".")[0],
            )  # fmt: skip


def secret_owner(owner_org: str | None) -> str:
    """The name of the OPD whose secrets a source owned by the organization
    ``owner_org`` (id or name) may read ("" for none); raises
    HarvestConfigError when another organization's name gives the same
    variable names (dinas-pu and dinas_pu both read SATUDATA_HARVEST_DINAS_PU_*)."""
    group = model.Group.get(owner_org) if owner_org else None
    if group is None:
        return ""
    key = secret_env_key(group.name)
    names = model.Session.query(model.Group.name).filter(
        model.Group.is_organization.is_(True),
        model.Group.state != "deleted",
        model.Group.id != group.id,
    )
    clashes = sorted(name for (name,) in names if secret_env_key(name) == key)
    if clashes:
        raise HarvestConfigError(
            message(
                N_("auth: the secrets of {organization} ({prefix}<NAME>) would also be those "
                   "of {others}; rename one of these organizations"),
                organization=group.name, prefix=secret_env_prefix(group.name),
                others=", ".join(clashes),
            ),
            key="auth",
        )  # fmt: skip
    return group.name
