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
from interop_support import DemoPortal, populate_demo_portal


@pytest.fixture(scope="package")
def demo_portal() -> Iterator[DemoPortal]:
    """Loads the configured plugins itself (CKAN's with_plugins is per test)."""
    from ckan import plugins

    plugins.load_all()
    try:
        live_site.reset_portal()
        yield populate_demo_portal()
    finally:
        plugins.unload_all()


@pytest.fixture(scope="package")
def portal_url(
    request: pytest.FixtureRequest, demo_portal: DemoPortal, tmp_path_factory: Any
) -> Iterator[str]:
    port = live_site.free_port()
    url = f"http://127.0.0.1:{port}"
    base_ini = Path(request.config.getoption("ckan_ini")).resolve()
    ini = live_site.site_ini(base_ini, tmp_path_factory.mktemp("interop"), url)
    with live_site.serve(ini, port, "ckan-interop-server.log"):
        yield url
