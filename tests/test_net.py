"""The guarded HTTP client: every failure, malformed URLs included, is a
FetchError (callers such as the harvest fetch consumer catch only that).
Redirects come from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

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
