"""faults.classify on the errors the real services raise when they are gone
(each provoked against a closed port on loopback), and on errors that are not
outages."""

from __future__ import annotations

import errno
import socket

import pysolr
import pytest
import redis
import sqlalchemy
from ckan.lib.search.common import SearchIndexError

from ckanext.satudata import faults


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _raised(call) -> BaseException:
    with pytest.raises(Exception) as caught:
        call()
    return caught.value


def test_postgresql_gone() -> None:
    engine = sqlalchemy.create_engine(
        f"postgresql://nobody:nothing@127.0.0.1:{_closed_port()}/none"
    )
    err = _raised(engine.connect)
    assert faults.classify(err).service is faults.Service.DATABASE


def test_solr_gone_also_when_ckan_re_raises_it() -> None:
    solr = pysolr.Solr(f"http://127.0.0.1:{_closed_port()}/solr/ckan", timeout=2)
    err = _raised(lambda: solr.search("*:*"))
    assert faults.classify(err).service is faults.Service.SEARCH

    def index() -> None:
        try:
            solr.add([{"id": "x"}])
        except pysolr.SolrError as solr_error:
            raise SearchIndexError(f"Solr returned an error: {solr_error}") from solr_error

    assert faults.classify(_raised(index)).service is faults.Service.SEARCH


def test_redis_gone() -> None:
    connection = redis.Redis(port=_closed_port(), socket_connect_timeout=2, retry=None)
    err = _raised(connection.ping)
    assert faults.classify(err).service is faults.Service.QUEUE


def test_disk_full() -> None:
    err = OSError(errno.ENOSPC, "No space left on device")
    fault = faults.classify(err)
    assert fault.service is faults.Service.STORAGE
    assert fault.report() == "file storage (disk) unavailable: [Errno 28] No space left on device"


def test_other_errors_are_not_outages() -> None:
    assert faults.classify(ValueError("bad value")) is None
    assert faults.classify(FileNotFoundError(errno.ENOENT, "missing")) is None
    # Solr refusing a document is the document's problem, not an outage.
    assert (
        faults.classify(SearchIndexError("Solr returned an error: [Reason: undefined field]"))
        is None
    )


@pytest.mark.usefixtures("with_plugins", "with_request_context")
def test_user_messages_are_indonesian_by_default() -> None:
    message = faults.Fault(faults.Service.SEARCH, "x").user_message()
    assert message.startswith("Indeks pencarian sedang tidak dapat dihubungi")
    assert "tidak ada yang disimpan" in message
