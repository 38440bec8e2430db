"""A local file server for OPD spreadsheets, as an OPD's file share would be.

Serves the sample inventories and data files (``sample_data/opd/``) on
127.0.0.1; tests and the benchmark also put files in memory (``put``), make
paths slow (``delays``) or redirect them (``redirects``). Inventories link
their data files by relative name, so the server's address never appears in
a file.

Like the web servers OPD file shares run on (nginx, Apache, IIS), it keeps
connections alive (HTTP/1.1), sends ``ETag`` and ``Last-Modified`` and answers
a conditional GET for an unchanged file with ``304 Not Modified``; tests turn
the validators off (``send_validators``) to act as a server without them.

Run: ``python -m ckanext.satudata.sample_data.serve --port 8766``; the
inventories are then ``http://127.0.0.1:8766/<opd>/daftar_data.(xlsx|csv)``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import mimetypes
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

SAMPLE_ROOT = Path(__file__).parent / "opd"
# The sample OPDs: (organization name, title, inventory path).
SAMPLE_SOURCES = (
    ("dinkes-paser", "Daftar Data Dinas Kesehatan", "dinkes/daftar_data.xlsx"),
    ("disdikbud-paser", "Daftar Data Dinas Pendidikan dan Kebudayaan", "disdikbud/daftar_data.csv"),
    ("distan-paser", "Daftar Data Dinas Pertanian", "distan/daftar_data.xlsx"),
)


class FileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0, root: Path | None = SAMPLE_ROOT) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.root = root
        self.files: dict[str, bytes] = {}
        # When each in-memory file was last put (its Last-Modified).
        self.put_times: dict[str, float] = {}
        self.delays: dict[str, float] = {}
        self.redirects: dict[str, str] = {}
        self.send_validators = True
        self.requests: list[str] = []
        # (path, status) of every answered GET, e.g. ("opd/a.csv", 304).
        self.responses: list[tuple[str, int]] = []
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

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

    def content(self, path: str) -> bytes | None:
        found = self.lookup(path)
        return found[0] if found else None

    def lookup(self, path: str) -> tuple[bytes, float] | None:
        """The file's content and modification time, or None."""
        path = path.lstrip("/")
        if path in self.files:
            return self.files[path], self.put_times.get(path, 0.0)
        if self.root is None:
            return None
        target = (self.root / path).resolve()
        # Never outside the root (../ in a request).
        if self.root.resolve() not in target.parents or not target.is_file():
            return None
        return target.read_bytes(), target.stat().st_mtime

    def start(self) -> FileServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: FileServer
    protocol_version = "HTTP/1.1"  # keep-alive, as real file servers do
    # TCP_NODELAY, as nginx sets on kept-alive connections: the body written
    # after the headers would otherwise wait for the client's delayed ACK.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path).lstrip("/")
        self.server.requests.append(path)
        if path in self.server.redirects:
            self._answer(path, 302, {"Location": self.server.redirects[path]})
            return
        delay = self.server.delays.get(path)
        if delay:
            time.sleep(delay)
        found = self.server.lookup(path)
        if found is None:
            self.server.responses.append((path, 404))
            self.send_error(404)
            return
        content, modified = found
        headers = {"Content-Type": mimetypes.guess_type(path)[0] or "application/octet-stream"}
        if self.server.send_validators:
            headers["ETag"] = f'"{hashlib.sha256(content).hexdigest()[:20]}"'
            headers["Last-Modified"] = formatdate(int(modified), usegmt=True)
            if self._not_modified(headers["ETag"], int(modified)):
                self._answer(path, 304, {"ETag": headers["ETag"]})
                return
        self._answer(path, 200, headers, content)

    def _not_modified(self, etag: str, modified: int) -> bool:
        """RFC 9110 13.1: If-None-Match wins over If-Modified-Since."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            with contextlib.suppress(TypeError, ValueError):
                return modified <= parsedate_to_datetime(if_modified_since).timestamp()
        return False

    def _answer(
        self, path: str, status: int, headers: dict[str, str], content: bytes = b""
    ) -> None:
        self.server.responses.append((path, status))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        # The client may give up first (its timeout or size cap).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(content)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: tests and the demo log elsewhere


def demo_source_configs(base_url: str) -> list[dict[str, object]]:
    """Harvest sources of the sample OPDs on a running server."""
    return [
        {
            "name": f"daftar-data-{organization}",
            "title": title,
            "url": f"{base_url.rstrip('/')}/{path}",
            "owner_org": organization,
            "config": {"organization": organization, "allow_private_addresses": True},
        }
        for organization, title, path in SAMPLE_SOURCES
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    server = FileServer(port=args.port)
    print(f"Serving {SAMPLE_ROOT} on {server.base_url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
