"""Shared fixtures. The stack is real: PostgreSQL, Solr (core ckan_test) and
Redis started by scripts/services.sh, CKAN configured by test.ini."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

# Tables of the plugins whose migrations are not part of CKAN core.
PLUGIN_MIGRATIONS = ("activity", "harvest", "satudata")
# The validation tests' sample files (validation/validation_files.py), importable
# by their bare name from every test folder.
VALIDATION_TESTS = str(Path(__file__).resolve().parent / "validation")
if VALIDATION_TESTS not in sys.path:
    sys.path.append(VALIDATION_TESTS)


@pytest.fixture
def clean_db(reset_db: Callable[[], None], migrate_db_for: Callable[[str], None]) -> None:
    """CKAN's clean_db, plus the tables of plugins with their own migrations."""
    reset_db()
    for plugin in PLUGIN_MIGRATIONS:
        migrate_db_for(plugin)


@pytest.fixture
def sysadmin() -> dict:
    from ckan.tests import factories

    return factories.SysadminWithToken()


@pytest.fixture
def make_opd(sysadmin: dict) -> Callable[..., dict]:
    """Creates an OPD organization (the OPD schema's required fields filled in)."""
    from ckan.tests import factories
    from sdi_data import opd_fields

    def make(name: str, title: str, **overrides: object) -> dict:
        return factories.Organization(user=sysadmin, **opd_fields(name, title, **overrides))

    return make


@pytest.fixture
def opd(make_opd: Callable[..., dict]) -> dict:
    """An OPD (organization) with the sysadmin as admin."""
    return make_opd(
        "diskominfo-paser",
        "Dinas Komunikasi, Informatika, Statistik dan Persandian Kabupaten Paser",
        peran="walidata",
    )


@pytest.fixture
def sdi_dataset(opd: dict) -> Callable[..., dict]:
    """Builds a complete SDI dataset dict for ``opd`` (see sdi_data.py)."""
    from sdi_data import sdi_dataset_dict

    return lambda **overrides: sdi_dataset_dict(**{"owner_org": opd["id"], **overrides})


@pytest.fixture
def auth_roles(clean_db: None) -> object:
    """Users for an auth-matrix test (tests/auth_matrix.py)."""
    from auth_matrix import make_auth_roles

    return make_auth_roles()
