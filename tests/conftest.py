"""Shared fixtures. The stack is real: PostgreSQL, Solr (core ckan_test) and
Redis started by scripts/services.sh, CKAN configured by test.ini."""

from __future__ import annotations

from collections.abc import Callable

import pytest

# Tables of the plugins whose migrations are not part of CKAN core.
PLUGIN_MIGRATIONS = ("activity", "harvest", "satudata")


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
def opd(sysadmin: dict) -> dict:
    """An OPD (organization) with the sysadmin as admin."""
    from ckan.tests import factories

    return factories.Organization(
        name="diskominfo-paser",
        title="Dinas Komunikasi, Informatika, Statistik dan Persandian Kabupaten Paser",
        user=sysadmin,
    )
