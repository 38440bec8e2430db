"""Action functions of ckanext-satudata (registered by blanket: every public
function here becomes an action)."""

from __future__ import annotations

__all__: list[str] = []
