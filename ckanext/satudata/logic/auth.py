"""Auth functions of ckanext-satudata (registered by blanket)."""

from __future__ import annotations

__all__: list[str] = []
