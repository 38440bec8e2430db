"""The demo's OPD file server (demo/opd_files.py) with what only tests and
benchmarks need: files held in memory (``put``), slow paths (``delays``),
redirects, a switch to send no validators (a server without ETag or
Last-Modified), and a log of requests and answers."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ckanext.satudata.demo.opd_files import SAMPLE_ROOT, FileHandler
from ckanext.satudata.demo.opd_files import FileServer as DemoFileServer


class FileServer(DemoFileServer):
    def __init__(self, port: int = 0, root: Path | None = SAMPLE_ROOT) -> None:
        super().__init__(port, root)
        self.RequestHandlerClass = _TestHandler
        self.files: dict[str, bytes] = {}
        # When each in-memory file was last put (its Last-Modified).
        self.put_times: dict[str, float] = {}
        self.delays: dict[str, float] = {}
        self.redirects: dict[str, str] = {}
        self.send_validators = True
        self.requests: list[str] = []
        # (path, status) of every answered GET, e.g. ("opd/a.csv", 304).
        self.responses: list[tuple[str, int]] = []

    def put(self, path: str, content: bytes) -> None:
        path = path.lstrip("/")
        if self.files.get(path) != content:
            self.put_times[path] = time.time()
        self.files[path] = content

    def remove(self, path: str) -> None:
        self.files.pop(path.lstrip("/"), None)

    def reset(self) -> None:
        self.files.clear()
        self.put_times.clear()
        self.delays.clear()
        self.redirects.clear()
        self.send_validators = True
        self.requests.clear()
        self.responses.clear()

    def lookup(self, path: str) -> tuple[bytes, float] | None:
        path = path.lstrip("/")
        if path in self.files:
            return self.files[path], self.put_times.get(path, 0.0)
        return super().lookup(path)


class _TestHandler(FileHandler):
    server: FileServer

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path).lstrip("/")
        self.server.requests.append(path)
        if path in self.server.redirects:
            self.answer(path, 302, {"Location": self.server.redirects[path]})
            return
        delay = self.server.delays.get(path)
        if delay:
            time.sleep(delay)
        super().do_GET()

    def validators(self, content: bytes, modified: float) -> dict[str, str]:
        return super().validators(content, modified) if self.server.send_validators else {}

    def answer(self, path: str, status: int, headers: dict[str, str], content: bytes = b"") -> None:
        self.server.responses.append((path, status))
        super().answer(path, status, headers, content)
