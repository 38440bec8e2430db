"""Credentials never follow a redirect to another origin: the guarded client
follows redirects itself, so it must drop what ``requests`` drops (the
Authorization header, basic auth) and also the query-string secrets the
caller names (the ArcGIS ``token`` of the Dukcapil feed) as soon as the
scheme, host or port changes. Two real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from ckanext.satudata import net
from ckanext.satudata.demo.dukcapil_feed import FeedServer
from ckanext.satudata.harvesters.dukcapil import feed, pipeline

LOCAL = net.FetchPolicy(timeout=5, allow_private=True)


@dataclass
class Seen:
    path: str
    authorization: str | None
    query: dict[str, list[str]] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    """``/go/<path>?<query>`` redirects to ``redirect_to`` + ``/<path>?<query>``
    (as a service that moved does, query kept); anything else answers 200."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[Seen] = []
        self.redirect_to = ""

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


class _Handler(BaseHTTPRequestHandler):
    server: _Server  # pyright: ignore[reportIncompatibleVariableOverride] (the server it runs in)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.server.seen.append(
            Seen(parts.path, self.headers.get("Authorization"), parse_qs(parts.query))
        )
        if parts.path.startswith("/go/"):
            self.send_response(302)
            query = f"?{parts.query}" if parts.query else ""
            location = self.server.redirect_to + parts.path.removeprefix("/go") + query
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


def _start(server: ThreadingHTTPServer) -> None:
    threading.Thread(target=server.serve_forever, daemon=True).start()


@pytest.fixture
def origin() -> Iterator[_Server]:
    server = _Server()
    _start(server)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def other() -> Iterator[_Server]:
    server = _Server()
    _start(server)
    yield server
    server.shutdown()
    server.server_close()


CREDENTIALS = {
    "basic auth": {"auth": ("paser", "rahasia")},
    "Authorization header": {"headers": {"Authorization": "Bearer rahasia"}},
    "query token": {"params": {"token": "rahasia", "f": "json"}, "secret_params": ("token",)},
}


def _sent_secret(seen: Seen) -> bool:
    return seen.authorization is not None or "token" in seen.query


@pytest.mark.parametrize("credential", sorted(CREDENTIALS))
def test_credentials_are_not_sent_to_another_port(
    origin: _Server, other: _Server, credential: str
) -> None:
    origin.redirect_to = other.url("")
    assert net.fetch(origin.url("/go/ok"), LOCAL, **CREDENTIALS[credential]).content == b"ok"
    assert _sent_secret(origin.seen[0])  # the origin gets them
    assert [s.path for s in other.seen] == ["/ok"]
    assert not _sent_secret(other.seen[0])


@pytest.mark.parametrize("credential", sorted(CREDENTIALS))
def test_credentials_are_not_sent_to_another_host(origin: _Server, credential: str) -> None:
    """localhost and 127.0.0.1 are one machine but two hosts (as requests sees it)."""
    origin.redirect_to = origin.url("", host="localhost")
    net.fetch(origin.url("/go/ok"), LOCAL, **CREDENTIALS[credential])
    first, second = origin.seen
    assert _sent_secret(first) and not _sent_secret(second)


def test_other_query_parameters_survive_the_redirect(origin: _Server, other: _Server) -> None:
    origin.redirect_to = other.url("")
    net.fetch(origin.url("/go/ok"), LOCAL, **CREDENTIALS["query token"])
    assert other.seen[0].query == {"f": ["json"]}


def test_credentials_stay_dropped_when_the_chain_comes_back(
    origin: _Server, other: _Server
) -> None:
    origin.redirect_to = other.url("/go")  # origin /go/ok -> other /go/ok -> origin /ok
    other.redirect_to = origin.url("")
    net.fetch(origin.url("/go/ok"), LOCAL, **CREDENTIALS["basic auth"])
    assert [(s.path, s.authorization is not None) for s in origin.seen] == [
        ("/go/ok", True),
        ("/ok", False),
    ]
    assert other.seen[0].authorization is None


@pytest.mark.parametrize("credential", sorted(CREDENTIALS))
def test_a_redirect_on_the_same_origin_keeps_the_credentials(
    origin: _Server, credential: str
) -> None:
    origin.redirect_to = origin.url("")
    net.fetch(origin.url("/go/ok"), LOCAL, **CREDENTIALS[credential])
    assert [_sent_secret(s) for s in origin.seen] == [True, True]


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("http://a.example/x", "http://A.example:80/y", True),
        ("https://a.example/x", "https://a.example:443/y", True),
        ("http://a.example/x", "https://a.example/x", False),  # scheme (requests allows this one)
        ("http://a.example/x", "http://a.example:8080/x", False),
        ("http://a.example/x", "http://b.example/x", False),
        ("http://a.example/x", "http://a.example.evil/x", False),
    ],
)
def test_origin_comparison(first: str, second: str, same: bool) -> None:
    assert net.same_origin(first, second) is same


def test_the_dukcapil_token_does_not_follow_a_redirect_to_another_server(
    origin: _Server,
) -> None:
    """A Dukcapil service that moved: the old address redirects every query
    (its query string kept) to the sample feed on another port."""
    target = FeedServer(port=0).start()
    try:
        origin.redirect_to = target.base_url
        service = target.service_url("2024-S2").replace(target.base_url, origin.url("/go"))
        settings = feed.FeedSettings(
            where=feed.where_for_root("64.01"),
            fetch=net.FetchPolicy(timeout=5, allow_private=True),
            auth=feed.FeedAuth(token="rahasia"),
        )
        pages = list(pipeline.arcgis_pages(service, settings))
    finally:
        target.shutdown()
        target.server_close()
    assert pages and all(records for _level, records in pages)
    assert origin.seen and all(s.query["token"] == ["rahasia"] for s in origin.seen)
    assert target.state.requests and not any("token" in r for r in target.state.requests)
