"""Fixtures: OPD spreadsheets served over real HTTP on 127.0.0.1, an OPD, and
a harvest source runner on the real stack (PostgreSQL, Solr, Redis)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from file_server import FileServer
from spreadsheet_support import Harvests

ORG_NAME = "dinkes-paser"
ORG_TITLE = "Dinas Kesehatan Kabupaten Paser"


@pytest.fixture(scope="session")
def file_server_session() -> Iterator[FileServer]:
    server = FileServer(port=0).start()
    yield server
    server.stop()


@pytest.fixture
def file_server(file_server_session: FileServer) -> Iterator[FileServer]:
    """The server with no in-memory files, delays or redirects left over."""
    file_server_session.reset()
    yield file_server_session
    file_server_session.reset()


@pytest.fixture
def dinkes(make_opd: Callable[..., dict]) -> dict:
    return make_opd(ORG_NAME, ORG_TITLE, urusan=["1.02"])


@pytest.fixture
def harvests(
    with_plugins: None, clean_db: None, clean_index: None, sysadmin: dict,
    file_server: FileServer, dinkes: dict,
) -> Harvests:  # fmt: skip
    from harvest_support import forget_harvest_user

    forget_harvest_user()
    return Harvests(sysadmin, file_server, dinkes)
