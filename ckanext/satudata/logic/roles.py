"""Who a user is in Satu Data (Perpres 39/2019), written once for every auth
function: Produsen Data, Walidata, Walidata Pendukung, or the public.

- **Produsen Data** of an OPD: an editor or admin of that OPD's organization.
- **Walidata** (in Paser the DKISP): a member, in any capacity, of an
  organization whose ``peran`` is ``walidata``, or a user named in
  ``ckanext.satudata.walidata_users``.
- **Walidata Pendukung** (e.g. Bappeda): likewise with ``walidata_pendukung``
  (``ckanext.satudata.walidata_pendukung_users``).
- Sysadmins pass every check in CKAN's own auth layer; ``is_walidata`` also
  answers True for them, so our checks treat them as walidata.
"""

from __future__ import annotations

from ckan import authz, model

from ckanext.satudata import config

WALIDATA = "walidata"
WALIDATA_PENDUKUNG = "walidata_pendukung"
PRODUCER_CAPACITIES = ("editor", "admin")


def _user(name: str | None) -> model.User | None:
    if not name:
        return None
    user = model.User.get(name)
    return user if user is not None and user.state == "active" else None


def _member_of_role(user: model.User, peran: str) -> bool:
    """Whether ``user`` is an active member of an active organization whose
    ``peran`` extra is ``peran``."""
    query = (
        model.Session.query(model.Member.id)
        .join(model.Group, model.Group.id == model.Member.group_id)
        .filter(model.Member.table_name == "user")
        .filter(model.Member.table_id == user.id)
        .filter(model.Member.state == "active")
        .filter(model.Group.is_organization.is_(True))
        .filter(model.Group.state == "active")
        .filter(model.group_table.c.extras["peran"].astext == peran)
    )
    return query.first() is not None


def is_sysadmin(user_name: str | None) -> bool:
    return bool(user_name) and bool(authz.is_sysadmin(user_name))


def is_walidata(user_name: str | None) -> bool:
    """A Walidata (or a sysadmin)."""
    user = _user(user_name)
    if user is None:
        return False
    if user.sysadmin or user.name in config.walidata_users():
        return True
    return _member_of_role(user, WALIDATA)


def is_walidata_pendukung(user_name: str | None) -> bool:
    """A Walidata Pendukung (not a Walidata: they may read what the walidata
    reads, e.g. review queues, but not decide)."""
    user = _user(user_name)
    if user is None:
        return False
    if user.name in config.walidata_pendukung_users():
        return True
    return _member_of_role(user, WALIDATA_PENDUKUNG)


def producer_organizations(user_name: str | None) -> list[str]:
    """Ids of the organizations ``user_name`` produces data for (editor or admin)."""
    user = _user(user_name)
    if user is None:
        return []
    rows = (
        model.Session.query(model.Member.group_id)
        .join(model.Group, model.Group.id == model.Member.group_id)
        .filter(model.Member.table_name == "user")
        .filter(model.Member.table_id == user.id)
        .filter(model.Member.state == "active")
        .filter(model.Member.capacity.in_(PRODUCER_CAPACITIES))
        .filter(model.Group.is_organization.is_(True))
        .filter(model.Group.state == "active")
    )
    return [group_id for (group_id,) in rows]


def is_producer_of(user_name: str | None, organization_id: str | None) -> bool:
    """Whether ``user_name`` produces data for ``organization_id`` (id or name)."""
    if not organization_id:
        return False
    group = model.Group.get(organization_id)
    return group is not None and group.id in producer_organizations(user_name)


def _active_users_of_role(peran: str) -> list[model.User]:
    query = (
        model.Session.query(model.User)
        .join(model.Member, model.Member.table_id == model.User.id)
        .join(model.Group, model.Group.id == model.Member.group_id)
        .filter(model.Member.table_name == "user")
        .filter(model.Member.state == "active")
        .filter(model.User.state == "active")
        .filter(model.Group.is_organization.is_(True))
        .filter(model.Group.state == "active")
        .filter(model.group_table.c.extras["peran"].astext == peran)
    )
    return query.distinct().all()


def walidata_users() -> list[model.User]:
    """Every Walidata (members of a walidata organization and the configured
    users; not sysadmins, who are not the walidata's staff)."""
    found = {user.id: user for user in _active_users_of_role(WALIDATA)}
    for name in config.walidata_users():
        user = _user(name)
        if user is not None:
            found[user.id] = user
    return sorted(found.values(), key=lambda user: user.name)


def producers_of(organization_id: str) -> list[model.User]:
    """The Produsen Data of an OPD: its active editors and admins."""
    return (
        model.Session.query(model.User)
        .join(model.Member, model.Member.table_id == model.User.id)
        .filter(model.Member.table_name == "user")
        .filter(model.Member.group_id == organization_id)
        .filter(model.Member.state == "active")
        .filter(model.Member.capacity.in_(PRODUCER_CAPACITIES))
        .filter(model.User.state == "active")
        .order_by(model.User.name)
        .all()
    )
