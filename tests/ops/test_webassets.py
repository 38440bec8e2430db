"""Web assets built once at start (ops/webassets.py), on the app CKAN makes."""

from __future__ import annotations

import os
import re

import pytest
from ckan.lib import webassets_tools

BUILD = "ckanext.satudata.webassets.build_at_start"


def _asset_urls(html: str) -> list[str]:
    return sorted(set(re.findall(r'(?:src|href)="(/webassets/[^"?]+)', html)))


@pytest.mark.ckan_config(BUILD, True)
@pytest.mark.usefixtures("with_plugins")
def test_assets_built_at_start_and_not_checked_at_each_page(app) -> None:
    assert webassets_tools.env.auto_build is False

    page = app.get("/")
    urls = _asset_urls(page.body)
    assert any(url.endswith(".js") for url in urls) and any(url.endswith(".css") for url in urls)
    for url in urls:  # every asset the page names was built and is served
        assert app.get(url).status_code == 200, url


@pytest.mark.ckan_config(BUILD, True)
@pytest.mark.usefixtures("with_plugins")
def test_a_second_process_finds_the_assets_built(app) -> None:
    """What a second gunicorn worker does: builds nothing, rewrites nothing."""
    from ckanext.satudata.ops import webassets

    env = webassets_tools.env
    outputs = {
        os.path.join(root, name): os.stat(os.path.join(root, name)).st_mtime_ns
        for root, _, names in os.walk(env.directory)
        for name in names
        if name != webassets.LOCK_NAME
    }
    env.auto_build = True
    assert webassets.build_then_freeze() == len(env._named_bundles)
    assert env.auto_build is False
    after = {path: os.stat(path).st_mtime_ns for path in outputs}
    assert after == outputs


@pytest.mark.usefixtures("with_plugins")
def test_by_default_assets_follow_their_sources(app) -> None:
    assert webassets_tools.env.auto_build is True
