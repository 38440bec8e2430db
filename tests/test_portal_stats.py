"""The home page's figures: what an anonymous visitor may see, kept in Redis
for all web processes for ckanext.satudata.home_stats_cache_seconds (0 in
test.ini), refreshed by one process in the background; per process when
Redis cannot be reached."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from ckan.tests.helpers import call_action

from ckanext.satudata.catalog import stats as portal_stats

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "fresh_cache")


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    portal_stats.clear_home_cache()
    portal_stats.forget_shared_home_stats()
    yield
    portal_stats.clear_home_cache()
    portal_stats.forget_shared_home_stats()


class Computations:
    """Counts the computations of the figures; ``hold`` makes them wait for
    ``release`` (a slow refresh), ``started`` is set when one began."""

    def __init__(self, compute: Callable[[], dict[str, Any]], hold: bool = False) -> None:
        self.compute = compute
        self.count = 0
        self.started = threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()

    def __call__(self) -> dict[str, Any]:
        self.count += 1
        self.started.set()
        self.release.wait(30)
        return self.compute()


@pytest.fixture
def computations(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Computations]:
    def install(hold: bool = False) -> Computations:
        counter = Computations(portal_stats._public_home_stats, hold=hold)
        monkeypatch.setattr(portal_stats, "_public_home_stats", counter)
        return counter

    return install


def _age_shared_copy(seconds: float) -> None:
    """Makes the shared copy ``seconds`` older, as if time had passed."""
    connection = portal_stats._redis()
    raw = connection.get(portal_stats._home_key())
    assert isinstance(raw, bytes)
    stored = json.loads(raw)
    stored["computed_at"] -= seconds
    connection.set(portal_stats._home_key(), json.dumps(stored))


def _new_worker() -> None:
    """Another web process: none of this process's state."""
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
def test_home_figures_are_computed_once_for_all_workers(
    sysadmin: dict, sdi_dataset: Callable[..., dict], computations: Callable[..., Computations]
) -> None:
    _create(sysadmin, sdi_dataset, name="penduduk-pertama")
    counted = computations()

    for _worker in range(5):
        _new_worker()
        assert portal_stats.home_stats()["datasets"] == 1

    assert counted.count == 1


@pytest.mark.ckan_config("ckanext.satudata.home_stats_cache_seconds", "60")
def test_a_stale_copy_is_served_while_one_worker_refreshes_it(
    sysadmin: dict, sdi_dataset: Callable[..., dict], computations: Callable[..., Computations]
) -> None:
    _create(sysadmin, sdi_dataset, name="penduduk-pertama")
    assert portal_stats.home_stats()["datasets"] == 1
    _create(sysadmin, sdi_dataset, name="penduduk-kedua")
    _age_shared_copy(59)
    counted = computations(hold=True)
    assert portal_stats.home_stats()["datasets"] == 1  # still fresh: nothing recomputed
    assert counted.count == 0

    _age_shared_copy(2)
    assert portal_stats.home_stats()["datasets"] == 1  # stale, served; a refresh starts
    assert counted.started.wait(30)
    for _worker in range(3):  # other workers' visits during the slow refresh
        assert portal_stats.home_stats()["datasets"] == 1
    counted.release.set()
    portal_stats.wait_for_home_refresh()

    for _worker in range(3):
        _new_worker()
        assert portal_stats.home_stats()["datasets"] == 2
    assert counted.count == 1


@pytest.mark.ckan_config("ckanext.satudata.home_stats_cache_seconds", "60")
def test_a_failed_refresh_keeps_the_stale_copy_and_waits_before_trying_again(
    sysadmin: dict, sdi_dataset: Callable[..., dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Solr or the database down during a refresh: visitors keep the older
    figures, and no other visit starts a refresh until the lock lapses."""
    _create(sysadmin, sdi_dataset, name="penduduk-pertama")
    assert portal_stats.home_stats()["datasets"] == 1
    _age_shared_copy(61)
    attempts: list[int] = []

    def failing() -> dict[str, Any]:
        attempts.append(1)
        raise RuntimeError("search index unreachable")

    monkeypatch.setattr(portal_stats, "_public_home_stats", failing)

    assert portal_stats.home_stats()["datasets"] == 1
    portal_stats.wait_for_home_refresh()
    for _worker in range(3):
        _new_worker()
        assert portal_stats.home_stats()["datasets"] == 1

    assert len(attempts) == 1


@pytest.mark.ckan_config("ckanext.satudata.home_stats_cache_seconds", "60")
def test_a_cold_start_computes_the_figures_once(
    sysadmin: dict, sdi_dataset: Callable[..., dict], computations: Callable[..., Computations]
) -> None:
    """Nothing in Redis yet: the first visit computes, a concurrent visit
    (another worker) waits for its copy instead of computing too."""
    _create(sysadmin, sdi_dataset, name="penduduk-pertama")
    counted = computations(hold=True)
    results: list[int] = []

    def visit() -> None:
        results.append(portal_stats.home_stats()["datasets"])

    first = threading.Thread(target=visit)
    first.start()
    assert counted.started.wait(30)
    second = threading.Thread(target=visit)
    second.start()
    counted.release.set()
    first.join(30)
    second.join(30)

    assert results == [1, 1]
    assert counted.count == 1


@pytest.mark.ckan_config("ckanext.satudata.home_stats_cache_seconds", "60")
def test_a_background_refresh_counts_what_the_public_sees(
    app: Any, sysadmin: dict, sdi_dataset: Callable[..., dict]
) -> None:
    """The refresh a sysadmin's visit starts computes the anonymous figures."""
    _create(sysadmin, sdi_dataset, name="penduduk-publik")
    assert portal_stats.home_stats()["datasets"] == 1
    _create(sysadmin, sdi_dataset, name="penduduk-kedua")
    _create(sysadmin, sdi_dataset, name="penduduk-rahasia", accessRights="terbatas")
    _age_shared_copy(61)

    app.get("/", headers={"Authorization": sysadmin["token"]})
    portal_stats.wait_for_home_refresh()

    assert portal_stats.home_stats()["datasets"] == 2


@pytest.mark.ckan_config("ckanext.satudata.home_stats_cache_seconds", "60")
@pytest.mark.ckan_config("ckan.redis.url", "redis://127.0.0.1:1/0")
def test_without_redis_the_home_page_renders_with_figures_of_its_process(
    app: Any,
    sysadmin: dict,
    sdi_dataset: Callable[..., dict],
    computations: Callable[..., Computations],
) -> None:
    _create(sysadmin, sdi_dataset, name="penduduk-pertama")
    counted = computations()

    for _visit in range(3):
        page = app.get("/")
        assert page.status_code == 200
        values = re.findall(
            r'class="satudata-stat-value">(?:<span[^>]*>)?([^<]+)<', page.get_data(as_text=True)
        )
        assert values[:2] == ["1", "1"]

    assert counted.count == 1  # kept in this process for the configured time


def test_without_a_cache_every_visit_counts_again(
    sysadmin: dict, sdi_dataset: Callable[..., dict]
) -> None:
    _create(sysadmin, sdi_dataset, name="penduduk-pertama")
    assert portal_stats.home_stats()["datasets"] == 1
    _create(sysadmin, sdi_dataset, name="penduduk-kedua")
    assert portal_stats.home_stats()["datasets"] == 2
