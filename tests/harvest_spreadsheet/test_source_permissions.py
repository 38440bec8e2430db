"""Who may use which source settings, through the real API (an editor's token).

ckanext-harvest lets an organization's editors create harvest sources, while
the harvest runs as a sysadmin: a source config must not publish into another
organization, switch the SSRF guard off, or read the worker's environment.
Both satudata harvesters share the rule (harvesters/base.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

DUKCAPIL = {"semester": "2024-S2"}
CASES = [
    ("satudata_spreadsheet", {"allow_private_addresses": True}, "allow_private_addresses"),
    ("satudata_spreadsheet", {"allow_private_addresses": ["10.1.2.3:80"]}, "allow_private_addresses"),
    ("satudata_spreadsheet", {"organization": "dinas-lain"}, "organization"),
    ("satudata_dukcapil", {**DUKCAPIL, "allow_private_addresses": True}, "allow_private_addresses"),
    ("satudata_dukcapil", {**DUKCAPIL, "organization": "dinas-lain"}, "organization"),
    ("satudata_dukcapil", {**DUKCAPIL, "auth": {"token_env": "CKAN_SECRET_KEY"}}, "token_env"),
    ("satudata_dukcapil", {**DUKCAPIL, "auth": {"token": "s3cret"}}, "auth.token"),
    # Publishing without the walidata's review (review/workflow.py).
    ("satudata_spreadsheet", {"trusted": True}, "trusted"),
    ("satudata_dukcapil", {**DUKCAPIL, "trusted": True}, "trusted"),
    # The record policy: publishing a feed with dirty records left out is a
    # sysadmin's decision (issue 13).
    ("satudata_dukcapil", {**DUKCAPIL, "dirty_records": "quarantine"}, "dirty_records"),
    ("satudata_dukcapil", {**DUKCAPIL, "quarantine_limit": 0.5}, "quarantine_limit"),
]  # fmt: skip
# What a sysadmin may set (the secrets of CASES[5:7] nobody may).
SYSADMIN_CASES = [*CASES[:5], *CASES[7:]]


@pytest.fixture
def orgs(with_plugins: None, clean_db: None, make_opd: Callable[..., dict]) -> dict[str, Any]:
    from ckan.tests import factories
    from ckan.tests.helpers import call_action

    own = make_opd("dinkes-paser", "Dinas Kesehatan Kabupaten Paser")
    other = make_opd("dinas-lain", "Dinas Lain Kabupaten Paser")
    editor = factories.User()
    call_action(
        "member_create", id=own["id"], object=editor["id"], object_type="user", capacity="editor"
    )
    token = factories.APIToken(user=editor["name"])["token"]
    return {"own": own, "other": other, "editor": editor, "token": token}


def _create(app: Any, token: str, org: dict, source_type: str, config: dict, status: int) -> Any:
    data = {
        "name": f"source-{source_type.replace('_', '-')}",
        "title": "Sumber",
        "url": "http://data.example.org/daftar.csv",
        "source_type": source_type,
        "owner_org": org["id"],
        "config": json.dumps(config),
    }
    return app.post(
        "/api/action/harvest_source_create",
        json=data,
        headers={"Authorization": token},
        status=status,
    ).json


@pytest.mark.parametrize(("source_type", "config", "named"), CASES)
def test_editor_cannot_use_privileged_settings(
    app: Any, orgs: dict[str, Any], source_type: str, config: dict, named: str
) -> None:
    response = _create(app, orgs["token"], orgs["own"], source_type, config, 409)
    message = json.dumps(response["error"])
    assert named in message
    assert "s3cret" not in message


@pytest.mark.parametrize("source_type", ["satudata_spreadsheet", "satudata_dukcapil"])
def test_editor_may_name_own_organization(app: Any, orgs: dict[str, Any], source_type: str) -> None:
    config: dict[str, Any] = {"organization": "dinkes-paser"}
    if source_type == "satudata_dukcapil":
        config.update(DUKCAPIL, auth={"token_env": "SATUDATA_HARVEST_DINKES_PASER_TOKEN"})
    response = _create(app, orgs["token"], orgs["own"], source_type, config, 200)
    assert response["success"]


@pytest.mark.parametrize(("source_type", "config", "named"), SYSADMIN_CASES)
def test_sysadmin_may_use_privileged_settings(
    app: Any, orgs: dict[str, Any], sysadmin: dict, source_type: str, config: dict, named: str
) -> None:
    response = _create(app, sysadmin["token"], orgs["own"], source_type, config, 200)
    assert response["success"]


def test_allow_private_must_be_a_boolean_or_host_list(
    app: Any, orgs: dict[str, Any], sysadmin: dict
) -> None:
    """The string "false" once switched the Dukcapil guard off (bool("false"))."""
    config = {**DUKCAPIL, "allow_private_addresses": "false"}
    response = _create(app, sysadmin["token"], orgs["own"], "satudata_dukcapil", config, 409)
    # The API says the refusal in the site's language, naming the setting.
    assert response["error"]["config"] == [
        'allow_private_addresses harus true, false, atau daftar "host:port"'
    ]


@pytest.mark.parametrize("source_type", ["satudata_spreadsheet", "satudata_dukcapil"])
def test_a_misspelt_setting_is_refused_by_both_harvesters(
    app: Any, orgs: dict[str, Any], sysadmin: dict, source_type: str
) -> None:
    """A typo in a setting must not silently leave the guard it meant to set."""
    config = {**(DUKCAPIL if source_type == "satudata_dukcapil" else {}), "timout": 5}
    response = _create(app, sysadmin["token"], orgs["own"], source_type, config, 409)
    error = json.dumps(response["error"])
    assert "pengaturan tidak dikenal: timout" in error and "timeout" in error


@pytest.mark.parametrize(
    ("source_type", "config", "said"),
    [
        ("satudata_spreadsheet", {"max_shrink": 2}, "max_shrink harus berupa proporsi antara 0"),
        ("satudata_spreadsheet", {"retries": -1},
         "retries harus bilangan bulat 0 atau lebih, bukan -1"),
        ("satudata_dukcapil", {**DUKCAPIL, "levels": ["provinsi"]},
         "levels harus berupa daftar dari kabupaten, kecamatan, desa"),
    ],
)  # fmt: skip
def test_the_api_says_a_refused_setting_in_the_sites_language(
    app: Any, orgs: dict[str, Any], sysadmin: dict, source_type: str, config: dict, said: str
) -> None:
    """Not ckanext-harvest's English frame: the harvester's reason, naming the setting."""
    response = _create(app, sysadmin["token"], orgs["own"], source_type, config, 409)
    (error,) = response["error"]["config"]
    assert error.startswith(said)
    assert "Error parsing" not in error
