"""The fault-injection module's stack (tests/faults/stack.py), started once for
the module, with the demo's Dukcapil feed on loopback (fault_site.py).

The suite runs one representative scenario; the scenarios marked
``fault_drill`` (the other faults and the backup/restore drill, a few minutes
more) run with `make faults` (SATUDATA_FAULTS=all)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from fault_site import RECOVERY, Site, setup_site
from stack import private_stack

from ckanext.satudata.demo.dukcapil_feed import FeedServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get("SATUDATA_FAULTS") == "all":
        return
    skip = pytest.mark.skip(reason="run by `make faults` (SATUDATA_FAULTS=all)")
    for item in items:
        if item.get_closest_marker("fault_drill"):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def feed() -> Iterator[FeedServer]:
    server = FeedServer(port=0).start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def site(feed: FeedServer) -> Iterator[Site]:
    started = time.monotonic()
    with private_stack(RECOVERY) as stack:
        created = setup_site(stack, feed.base_url)
        stack.start_web()
        stack.start_workers(scheduler_interval=3)
        print(f"private stack up in {time.monotonic() - started:.0f} s: {stack.root}")
        yield Site(stack, created["token"], created["source_id"], created["uploads"])
