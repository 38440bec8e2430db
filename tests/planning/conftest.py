"""Fixtures of the planning tests: the auth-matrix roles (tests/auth_matrix.py)
with the test plan of 2025 imported by the walidata."""

from __future__ import annotations

import pytest
from auth_matrix import AuthRoles
from plan_support import ROWS, Plan, import_plan, items_by_id_ddd, xlsx


@pytest.fixture
def plan(with_plugins: None, clean_index: None, auth_roles: AuthRoles) -> Plan:
    """The roles, with the 2025 plan imported by the walidata."""
    import_plan(auth_roles.name("walidata") or "", xlsx(ROWS))
    return Plan(auth_roles, items_by_id_ddd())
