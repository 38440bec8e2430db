"""Fixtures: the sample Dukcapil feed as a real HTTP server on 127.0.0.1, the
Disdukcapil OPD, and a harvest source runner on the real stack."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from dukcapil_support import ORG_NAME, ORG_TITLE, Harvests
from harvest_support import forget_harvest_user

from ckanext.satudata.demo.dukcapil_feed import FeedServer


@pytest.fixture(scope="session")
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer(port=0).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def feed(feed_server: FeedServer) -> Iterator[FeedServer]:
    """The server with every fault switched off before and after the test."""
    feed_server.state.faults.reset()
    feed_server.state.requests.clear()
    yield feed_server
    feed_server.state.faults.reset()
    feed_server.state.token = None


@pytest.fixture
def disdukcapil(make_opd: Callable[..., dict]) -> dict:
    return make_opd(ORG_NAME, ORG_TITLE, urusan=["2.12"])


@pytest.fixture
def harvests(
    with_plugins: None, clean_db: None, clean_index: None, sysadmin: dict, feed: FeedServer,
    disdukcapil: dict,
) -> Harvests:  # fmt: skip
    from ckan.tests import factories

    # The "harvest" sysadmin that ckanext-harvest acts as when it exists: its
    # activities are public, unlike the site user's (ckan.hide_activity_from_users).
    factories.Sysadmin(name="harvest")
    forget_harvest_user()
    return Harvests(sysadmin, feed, disdukcapil)
