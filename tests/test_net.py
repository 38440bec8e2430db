"""The guarded HTTP client: every failure, malformed URLs included, is a
FetchError (callers such as the harvest fetch consumer catch only that); the
address check holds on the connection itself; sessions keep connections
alive; conditional and concurrent requests. Answers come from real HTTP
servers on 127.0.0.1 (DNS answers are faked where the test needs a name)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from file_server import FileServer

from ckanext.satudata import net

LOCAL = net.FetchPolicy(timeout=5, allow_private=True)


@pytest.mark.parametrize(
    "url",
    [
        "http://h:abc/",
        "http://example.org:99999/",
        "http://[::1/",
        "http://[nonsense]/",
        "http://" + "a" * 70 + ".example/",
        "ftp://example.org/file.csv",
        "http:///no-host",
    ],
)
@pytest.mark.parametrize("allow_private", [False, True])
def test_malformed_urls_raise_fetch_errors(url: str, allow_private: bool) -> None:
    policy = net.FetchPolicy(timeout=2, allow_private=allow_private)
    with pytest.raises(net.FetchError):
        net.fetch(url, policy)


class _Redirects(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/ok":
            body = b"ok"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(302)
        self.send_header("Location", self.path.removeprefix("/to/"))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Redirects)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("location", ["http://h:abc/", "http://[::1/x", "http://h:70000/"])
def test_redirect_to_a_malformed_location_raises_a_fetch_error(server: str, location: str) -> None:
    with pytest.raises(net.FetchError):
        net.fetch(f"{server}/to/{location}", LOCAL)


def test_redirect_to_a_good_location_is_followed(server: str) -> None:
    assert net.fetch(f"{server}/to//ok", LOCAL).content == b"ok"


# --- connections, conditional requests, concurrency --------------------------------


class _Counting(_Redirects):
    """Counts the connections it accepts (keep-alive makes them fewer than requests)."""

    protocol_version = "HTTP/1.1"
    connections = 0

    def setup(self) -> None:
        type(self).connections += 1
        super().setup()


def test_a_session_keeps_its_connection_alive() -> None:
    _Counting.connections = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/ok"
        with net.GuardedSession(net.AddressRules.of(LOCAL)) as session:
            bodies = [net.fetch(url, LOCAL, session=session).content for _ in range(5)]
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert bodies == [b"ok"] * 5
    assert _Counting.connections == 1


def test_a_session_must_carry_the_policy_address_rules() -> None:
    with net.GuardedSession(net.AddressRules()) as session, pytest.raises(ValueError):
        net.fetch("http://127.0.0.1:1/", LOCAL, session=session)


@pytest.fixture
def files() -> Iterator[FileServer]:
    server = FileServer(port=0, root=None).start()
    yield server
    server.stop()


def test_a_conditional_request_for_an_unchanged_file_is_not_modified(files: FileServer) -> None:
    files.put("a.csv", b"kode_wilayah,nilai\n64.01.04,3\n")
    first = net.fetch(files.url("a.csv"), LOCAL)
    assert first.status == 200 and first.validators.etag

    again = net.fetch(files.url("a.csv"), LOCAL, headers=first.validators.request_headers())
    assert again.not_modified and again.content == b""

    files.put("a.csv", b"kode_wilayah,nilai\n64.01.04,4\n")
    changed = net.fetch(files.url("a.csv"), LOCAL, headers=first.validators.request_headers())
    assert changed.status == 200 and changed.content.endswith(b"4\n")


@pytest.mark.parametrize(
    ("last_modified", "date", "kept"),
    [
        ("Tue, 01 Dec 2026 10:00:00 GMT", "Tue, 01 Dec 2026 10:00:05 GMT", True),
        # Changed again within the same second would look unmodified: weak.
        ("Tue, 01 Dec 2026 10:00:00 GMT", "Tue, 01 Dec 2026 10:00:00 GMT", False),
        ("Tue, 01 Dec 2026 10:00:00 GMT", None, False),
        ("not a date", "Tue, 01 Dec 2026 10:00:05 GMT", False),
    ],
)
def test_only_a_strong_last_modified_is_a_validator(
    last_modified: str, date: str | None, kept: bool
) -> None:
    headers = {"ETag": '"v1"', "Last-Modified": last_modified}
    if date:
        headers["Date"] = date
    validators = net.Validators.of(headers)
    assert validators.etag == '"v1"'
    assert (validators.last_modified == last_modified) is kept


def test_fetch_all_answers_each_url_on_its_own(files: FileServer) -> None:
    port = files.server_address[1]
    policy = net.FetchPolicy(timeout=2, allowed_private_hosts=(f"127.0.0.1:{port}",))
    for n in range(8):
        files.put(f"{n}.csv", f"n\n{n}\n".encode())
    requests = [(str(n), files.url(f"{n}.csv"), {}) for n in range(8)]
    requests += [
        ("missing", files.url("missing.csv"), {}),
        ("metadata", "http://169.254.169.254/", {}),
    ]

    answers = net.fetch_all(requests, policy, workers=3)

    assert {key: answers[key].content for key in map(str, range(8))} == {  # type: ignore[union-attr]
        str(n): f"n\n{n}\n".encode() for n in range(8)
    }
    assert isinstance(answers["missing"], net.HTTPStatusError)
    assert isinstance(answers["metadata"], net.BlockedURLError)
    assert "169.254.169.254" not in files.requests


def test_fetch_all_leaves_out_what_misses_the_budget(files: FileServer) -> None:
    files.put("fast.csv", b"a\n1\n")
    files.put("slow.csv", b"a\n2\n")
    files.delays["slow.csv"] = 2

    answers = net.fetch_all(
        [("fast", files.url("fast.csv"), {}), ("slow", files.url("slow.csv"), {})],
        LOCAL,
        budget=1,
    )

    assert set(answers) == {"fast"}


# --- the address check is made on the connection ------------------------------------


def test_a_name_that_rebinds_to_loopback_never_reaches_it(
    files: FileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name resolves to a public address when checked and to
    loopback afterwards. The client resolves once, checks what it connects
    to, and the loopback server never sees a request."""
    port = files.server_address[1]
    files.put("secret.csv", b"rahasia\n")
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])  # public once, loopback ever after

    def rebinding(host: str, *args: object, **kwargs: object) -> list:
        if host == "rebind.example":
            address = next(answers, "127.0.0.1")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with pytest.raises(net.FetchError):
        net.fetch(f"http://rebind.example:{port}/secret.csv", net.FetchPolicy(timeout=1))
    assert files.requests == []


def test_a_name_answering_public_and_private_addresses_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def mixed(host: str, port: int, *args: object, **kwargs: object) -> list:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", mixed)
    with pytest.raises(net.BlockedURLError, match=r"non-public address 10\.0\.0\.5"):
        net.fetch("http://mixed.example/data.csv", net.FetchPolicy(timeout=1))


def test_environment_proxies_are_not_used(
    files: FileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy would hide the real peer from the address check."""
    files.put("a.csv", b"a\n1\n")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9/")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9/")
    assert net.fetch(files.url("a.csv"), LOCAL).content == b"a\n1\n"


def test_https_connections_pass_the_same_check() -> None:
    """The HTTPS pool connects through the checked connection too."""
    with pytest.raises(net.BlockedURLError, match=r"non-public address 127\."):
        net.fetch("https://127.0.0.1:1/data.csv", net.FetchPolicy(timeout=1))
    with pytest.raises(net.BlockedURLError, match=r"non-public address 169\."):
        net.fetch("https://169.254.169.254/latest/meta-data/", net.FetchPolicy(timeout=1))
