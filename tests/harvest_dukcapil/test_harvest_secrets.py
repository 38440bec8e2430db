"""Harvest secrets belong to one OPD: a source reads only the variables named
SATUDATA_HARVEST_<its owner OPD>_<NAME>. An OPD's editor can no longer point
their own source at another OPD's credentials, neither when saving it (the
Action API, as the editor) nor when it runs (the gather stage, whoever saved
it). The sample feed runs over real HTTP and asks for its ArcGIS token."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from dukcapil_support import ORG_NAME, Harvests

from ckanext.satudata import net
from ckanext.satudata.demo import dukcapil_feed
from ckanext.satudata.demo.dukcapil_feed import FeedServer
from ckanext.satudata.harvesters.dukcapil import pipeline
from ckanext.satudata.harvesters.dukcapil.feed import FeedAuth, FeedError, FeedSettings
from ckanext.satudata.harvesters.settings import (
    HarvestConfigError,
    check_secret_env,
    secret_env_prefix,
)

OWN_TOKEN = "SATUDATA_HARVEST_DISDUKCAPIL_PASER_TOKEN"
OTHER_TOKEN = "SATUDATA_HARVEST_DINKES_PASER_TOKEN"


@pytest.fixture
def dinkes(make_opd: Callable[..., dict]) -> dict:
    return make_opd("dinkes-paser", "Dinas Kesehatan Kabupaten Paser")


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(OWN_TOKEN, "token-disdukcapil")
    monkeypatch.setenv(OTHER_TOKEN, "token-dinkes")


# --- saving a source (the Action API, as the OPD's editor) -------------------------


def _create_as(app: Any, token: str, owner: dict, auth: dict[str, str], status: int) -> Any:
    data = {
        "name": "dukcapil-paser",
        "title": "Dukcapil DKB Kabupaten Paser",
        "url": "http://dukcapil.example/arcgis/rest/services/DKB_2024_S2/MapServer",
        "source_type": "satudata_dukcapil",
        "owner_org": owner["id"],
        "config": json.dumps({"semester": "2024-S2", "auth": auth}),
    }
    return app.post(
        "/api/action/harvest_source_create",
        json=data,
        headers={"Authorization": token},
        status=status,
    ).json


@pytest.fixture
def editor_token(harvests: Harvests) -> str:
    editor = factories.User()
    call_action(
        "member_create",
        id=harvests.org["id"],
        object=editor["id"],
        object_type="user",
        capacity="editor",
    )
    return factories.APIToken(user=editor["name"])["token"]


@pytest.mark.parametrize(
    "auth",
    [
        {"token_env": OTHER_TOKEN},
        {"username": "paser", "password_env": "SATUDATA_HARVEST_DINKES_PASER_PASSWORD"},
        {"token_env": "SATUDATA_HARVEST_DUKCAPIL_TOKEN"},  # no such OPD
    ],
)
def test_an_editor_cannot_name_another_opds_secret(
    app: Any, harvests: Harvests, dinkes: dict, editor_token: str, auth: dict[str, str]
) -> None:
    response = _create_as(app, editor_token, harvests.org, auth, 409)
    message = json.dumps(response["error"])
    assert "SATUDATA_HARVEST_DISDUKCAPIL_PASER_" in message  # the prefix expected
    assert "token-dinkes" not in message


def test_an_editor_may_name_their_own_opds_secret(
    app: Any, harvests: Harvests, editor_token: str
) -> None:
    response = _create_as(app, editor_token, harvests.org, {"token_env": OWN_TOKEN}, 200)
    assert response["success"]


# --- running a source ----------------------------------------------------------


def test_the_owner_opds_secret_is_sent_to_the_feed(
    harvests: Harvests, feed: FeedServer, secrets: None
) -> None:
    feed.state.token = "token-disdukcapil"
    harvests.configure(
        url=feed.service_url("2024-S2"), semester="2024-S2", auth={"token_env": OWN_TOKEN}
    )
    result = harvests.run()
    assert result.gather_errors == [] and result.object_errors == []
    assert feed.state.requests and all("token=token-disdukcapil" in r for r in feed.state.requests)


def test_a_source_naming_another_opds_secret_never_reads_it(
    harvests: Harvests, feed: FeedServer, dinkes: dict, secrets: None
) -> None:
    """Saved by a sysadmin (who may name anything), run as Disdukcapil's source."""
    feed.state.token = "token-dinkes"
    harvests.configure(
        url=feed.service_url("2024-S2"), semester="2024-S2", auth={"token_env": OTHER_TOKEN}
    )
    result = harvests.run()
    assert len(result.gather_errors) == 1, result.gather_errors
    error = result.gather_errors[0]
    assert "auth.token_env" in error and OTHER_TOKEN in error
    assert "SATUDATA_HARVEST_DISDUKCAPIL_PASER_" in error and ORG_NAME in error
    assert "token-dinkes" not in error
    assert feed.state.requests == []  # refused before any request
    assert result.objects == []


def test_two_opds_with_the_same_variable_names_cannot_use_secrets(
    harvests: Harvests, feed: FeedServer, make_opd: Callable[..., dict], secrets: None
) -> None:
    """disdukcapil-paser and disdukcapil_paser would share every variable."""
    make_opd("disdukcapil_paser", "Disdukcapil (salinan)")
    harvests.configure(
        url=feed.service_url("2024-S2"), semester="2024-S2", auth={"token_env": OWN_TOKEN}
    )
    result = harvests.run()
    assert len(result.gather_errors) == 1
    assert "disdukcapil_paser" in result.gather_errors[0]
    assert feed.state.requests == []


# --- the naming rule --------------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "prefix"),
    [
        ("disdukcapil-paser", "SATUDATA_HARVEST_DISDUKCAPIL_PASER_"),
        ("dinas_pu.paser", "SATUDATA_HARVEST_DINAS_PU_PASER_"),
        ("bappeda2", "SATUDATA_HARVEST_BAPPEDA2_"),
    ],
)
def test_prefix_of_an_opd(owner: str, prefix: str) -> None:
    assert secret_env_prefix(owner) == prefix


@pytest.mark.parametrize(
    "name",
    [
        "SATUDATA_HARVEST_DINAS_KESEHATAN_TOKEN",  # dinas-kesehatan's, not dinas's
        "SATUDATA_HARVEST_DINAS_",
        "SATUDATA_HARVEST_DINAS_token",
        "SATUDATA_HARVEST_DINAS",
        "CKAN_SECRET_KEY",
        42,
    ],
)
def test_names_another_owner_or_malformed_are_refused(name: object) -> None:
    with pytest.raises(HarvestConfigError, match=r"auth\.token_env.*SATUDATA_HARVEST_DINAS_"):
        check_secret_env("auth.token_env", name, owner="dinas")


def test_a_name_of_the_owner_is_accepted() -> None:
    assert check_secret_env("auth.token_env", "SATUDATA_HARVEST_DINAS_TOKEN2", owner="dinas")


def test_feed_auth_reads_only_the_owners_variables(secrets: None) -> None:
    config = {"auth": {"username": "paser", "password_env": OWN_TOKEN}}
    assert FeedAuth.from_config(config, owner=ORG_NAME).basic == (
        "paser",
        "token-disdukcapil",
    )
    with pytest.raises(ValueError, match="DINKES_PASER_"):
        FeedAuth.from_config(config, owner="dinkes-paser")


# --- the demo ------------------------------------------------------------------


def test_the_demo_source_reads_disdukcapils_own_token(monkeypatch: pytest.MonkeyPatch) -> None:
    config = dukcapil_feed.demo_source_config("http://127.0.0.1:8765")
    assert config["auth"] == {"token_env": OWN_TOKEN}
    monkeypatch.setenv(OWN_TOKEN, "token-disdukcapil")
    assert FeedAuth.from_config(config, owner=ORG_NAME).token == "token-disdukcapil"


def test_the_sample_feed_asks_for_its_token(feed: FeedServer) -> None:
    feed.state.token = "token-disdukcapil"
    policy = net.FetchPolicy(timeout=5, allow_private=True)
    with pytest.raises(FeedError, match="ArcGIS error 499: Token Required"):
        list(pipeline.arcgis_pages(feed.service_url("2024-S2"), FeedSettings(fetch=policy)))
    settings = FeedSettings(fetch=policy, auth=FeedAuth(token="token-disdukcapil"))
    assert list(pipeline.arcgis_pages(feed.service_url("2024-S2"), settings, levels=["kabupaten"]))
