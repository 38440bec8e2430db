"""Validation schemas for ckanext-satudata's own actions."""

from __future__ import annotations
