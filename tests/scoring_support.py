"""Counting the quality scorings a write makes (quality/service.py recompute,
which still scores: the counter passes every call on)."""

from __future__ import annotations

from typing import Any

import pytest


def count_scorings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The datasets service.recompute scores from now on, in order."""
    from ckanext.satudata.quality import service

    scored: list[str] = []
    recompute = service.recompute

    def counting(package_id: str, *args: Any, **kwargs: Any) -> Any:
        scored.append(package_id)
        return recompute(package_id, *args, **kwargs)

    monkeypatch.setattr(service, "recompute", counting)
    return scored
