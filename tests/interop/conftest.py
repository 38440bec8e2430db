"""Fixtures of the interoperability tests: the demo portal (what `make demo`
harvests: the Dukcapil feed and three OPD inventories, through the real
harvesters, validation and DataStore loading), served by a real CKAN web
server as national systems see it.

Package-scoped: populating takes a while and every test here only reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import live_site
import pytest

from interop.interop_support import DemoPortal, populate_demo_portal


@pytest.fixture(scope="package")
def portal_address() -> str:
    """Where the portal will be served: populated with this site URL, so the
    links CKAN stores and indexes (download URLs) are the served ones."""
    return f"http://127.0.0.1:{live_site.free_port()}"


@pytest.fixture(scope="package")
def demo_portal(portal_address: str) -> Iterator[DemoPortal]:
    """Loads the configured plugins itself (CKAN's with_plugins is per test)."""
    from ckan import plugins
    from ckan.plugins import toolkit as tk

    site_url = tk.config.get("ckan.site_url")
    plugins.load_all()
    tk.config["ckan.site_url"] = portal_address
    try:
        live_site.reset_portal()
        yield populate_demo_portal()
    finally:
        tk.config["ckan.site_url"] = site_url
        plugins.unload_all()


@pytest.fixture(scope="package")
def portal_url(
    request: pytest.FixtureRequest,
    portal_address: str,
    demo_portal: DemoPortal,
    tmp_path_factory: Any,
) -> Iterator[str]:
    base_ini = Path(request.config.getoption("ckan_ini")).resolve()
    ini = live_site.site_ini(base_ini, tmp_path_factory.mktemp("interop"), portal_address)
    port = int(portal_address.rsplit(":", 1)[1])
    with live_site.serve(ini, port, "ckan-interop-server.log"):
        yield portal_address
