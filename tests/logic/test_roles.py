"""logic/roles.py on the real database: who is a producer, walidata and
walidata pendukung, by organization peran and by configured user lists."""

from __future__ import annotations

import pytest
from auth_matrix import AuthRoles

from ckanext.satudata.logic import roles


@pytest.mark.usefixtures("with_plugins")
def test_roles_follow_organization_peran(auth_roles: AuthRoles) -> None:
    name = auth_roles.name
    assert roles.is_walidata(name("walidata"))
    assert roles.is_walidata(name("sysadmin"))
    for role in ("anonymous", "producer", "other_producer", "walidata_pendukung"):
        assert not roles.is_walidata(name(role)), role
    assert roles.is_walidata_pendukung(name("walidata_pendukung"))
    assert not roles.is_walidata_pendukung(name("walidata"))
    owner = auth_roles.owner["id"]
    assert roles.is_producer_of(name("producer"), owner)
    assert roles.is_producer_of(name("producer"), auth_roles.owner["name"])
    assert not roles.is_producer_of(name("other_producer"), owner)
    # A plain member of the walidata's organization produces nothing there.
    assert not roles.is_producer_of(name("walidata"), auth_roles.walidata_org["id"])
    assert roles.producer_organizations(name("anonymous")) == []


@pytest.mark.usefixtures("with_plugins")
def test_configured_walidata_users(auth_roles: AuthRoles, ckan_config: dict) -> None:
    producer = auth_roles.name("producer")
    assert not roles.is_walidata(producer)
    ckan_config["ckanext.satudata.walidata_users"] = [producer]
    ckan_config["ckanext.satudata.walidata_pendukung_users"] = [auth_roles.name("other_producer")]
    assert roles.is_walidata(producer)
    assert roles.is_walidata_pendukung(auth_roles.name("other_producer"))
