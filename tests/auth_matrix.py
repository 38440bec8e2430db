"""The roles every auth-matrix test checks, as real users on the real stack:
anonymous, the producer of the owning OPD, the producer of another OPD, the
walidata, the walidata pendukung and a sysadmin (see logic/roles.py).

    def test_my_action_auth(auth_roles: AuthRoles) -> None:
        dataset = auth_roles.dataset()            # owned by the producer's OPD
        assert_matrix(auth_roles, "my_action", {"id": dataset["id"]},
                      allowed={"producer", "walidata", "sysadmin"})
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ckan.plugins import toolkit as tk
from ckan.tests import factories
from sdi_data import opd_fields, sdi_dataset_dict

ROLES = (
    "anonymous",
    "producer",
    "other_producer",
    "walidata",
    "walidata_pendukung",
    "sysadmin",
)


@dataclass
class AuthRoles:
    users: dict[str, dict[str, Any] | None]  # role -> user dict (None: anonymous)
    owner: dict[str, Any]  # the producer's OPD
    other: dict[str, Any]  # the other producer's OPD
    walidata_org: dict[str, Any]

    def name(self, role: str) -> str | None:
        user = self.users[role]
        return user["name"] if user else None

    def context(self, role: str) -> dict[str, Any]:
        """A fresh action context acting as ``role`` (never reuse one: actions write into it)."""
        return {"user": self.name(role) or "", "ignore_auth": False}

    def dataset(self, **overrides: Any) -> dict[str, Any]:
        """A public SDI dataset of the producer's OPD."""
        data = sdi_dataset_dict(owner_org=self.owner["id"], **overrides)
        return tk.get_action("package_create")({"user": self.name("sysadmin") or ""}, data)


def make_auth_roles() -> AuthRoles:
    sysadmin = factories.Sysadmin()
    producer, other_producer = factories.User(), factories.User()
    walidata, pendukung = factories.User(), factories.User()

    def opd(name: str, title: str, peran: str, member: dict[str, Any], capacity: str) -> Any:
        return factories.Organization(
            user=sysadmin,
            users=[{"name": member["name"], "capacity": capacity}],
            **opd_fields(name, title, peran=peran),
        )

    owner = opd(
        "dinkes-paser", "Dinas Kesehatan Kabupaten Paser", "produsen_data", producer, "editor"
    )
    other = opd(
        "distan-paser", "Dinas Pertanian Kabupaten Paser", "produsen_data", other_producer, "editor"
    )
    walidata_org = opd(
        "diskominfo-paser",
        "Dinas Komunikasi, Informatika, Statistik dan Persandian Kabupaten Paser",
        "walidata",
        walidata,
        "member",
    )
    opd("bappeda-paser", "Bappeda Kabupaten Paser", "walidata_pendukung", pendukung, "member")
    return AuthRoles(
        users={
            "anonymous": None,
            "producer": producer,
            "other_producer": other_producer,
            "walidata": walidata,
            "walidata_pendukung": pendukung,
            "sysadmin": sysadmin,
        },
        owner=owner,
        other=other,
        walidata_org=walidata_org,
    )


def allowed_roles(roles: AuthRoles, auth_name: str, data_dict: dict[str, Any]) -> set[str]:
    """The roles ``tk.check_access(auth_name)`` lets through."""
    found = set()
    for role in ROLES:
        try:
            tk.check_access(auth_name, roles.context(role), dict(data_dict))
        except tk.NotAuthorized:
            continue
        found.add(role)
    return found


def assert_matrix(
    roles: AuthRoles, auth_name: str, data_dict: dict[str, Any], allowed: Collection[str]
) -> None:
    got = allowed_roles(roles, auth_name, data_dict)
    assert got == set(allowed), f"{auth_name}: allowed {sorted(got)}, expected {sorted(allowed)}"
