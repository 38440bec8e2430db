"""The review tests run with the walidata's review on (test.ini turns it off
for the rest of the suite)."""

from __future__ import annotations

import pytest

ENABLED = "ckanext.satudata.review.enabled"


@pytest.fixture(autouse=True)
def review_enabled(ckan_config: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ckan_config, ENABLED, True)
