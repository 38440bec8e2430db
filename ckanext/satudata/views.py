"""Flask blueprints of ckanext-satudata (registered by blanket)."""

from __future__ import annotations

from flask import Blueprint

satudata = Blueprint("satudata", __name__)

__all__ = ["satudata"]
