"""The home page's figures: what an anonymous visitor may see, kept per
process for ckanext.satudata.home_stats_cache_seconds (0 in test.ini)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from ckan.tests.helpers import call_action

from ckanext.satudata.catalog import stats as portal_stats

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "fresh_cache")


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    portal_stats.clear_home_cache()
    yield
    portal_stats.clear_home_cache()


def _create(sysadmin: dict, sdi_dataset: Callable[..., dict], **fields: Any) -> dict:
    return call_action(
        "package_create", context={"user": sysadmin["name"]}, **sdi_dataset(**fields)
    )


def test_home_figures_are_public_whoever_asks(
    app: Any, sysadmin: dict, sdi_dataset: Callable[..., dict]
) -> None:
    """A sysadmin's visit computes (and, with a cache, would share) only what
    an anonymous visitor may see: no private dataset in any count."""
    _create(sysadmin, sdi_dataset, name="penduduk-publik")
    _create(sysadmin, sdi_dataset, name="penduduk-rahasia", accessRights="terbatas")

    page = app.get("/", headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)

    values = re.findall(r'class="satudata-stat-value">(?:<span[^>]*>)?([^<]+)<', page)
    assert values[:2] == ["1", "1"]  # datasets, OPDs
    tile_counts = re.findall(r'class="satudata-tile-count">([^<]+)<', page)
    assert tile_counts and all(count.strip() == "1 dataset" for count in tile_counts)


@pytest.mark.ckan_config("ckanext.satudata.home_stats_cache_seconds", "60")
def test_home_figures_are_kept_for_the_configured_time(
    sysadmin: dict, sdi_dataset: Callable[..., dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(portal_stats.time, "monotonic", lambda: clock[0])
    _create(sysadmin, sdi_dataset, name="penduduk-pertama")
    assert portal_stats.home_stats()["datasets"] == 1

    _create(sysadmin, sdi_dataset, name="penduduk-kedua")
    clock[0] += 59
    assert portal_stats.home_stats()["datasets"] == 1  # the same visit's figures

    clock[0] += 2
    assert portal_stats.home_stats()["datasets"] == 2


def test_without_a_cache_every_visit_counts_again(
    sysadmin: dict, sdi_dataset: Callable[..., dict]
) -> None:
    _create(sysadmin, sdi_dataset, name="penduduk-pertama")
    assert portal_stats.home_stats()["datasets"] == 1
    _create(sysadmin, sdi_dataset, name="penduduk-kedua")
    assert portal_stats.home_stats()["datasets"] == 2
