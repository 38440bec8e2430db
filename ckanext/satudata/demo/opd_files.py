"""A local file server for OPD spreadsheets, as an OPD's file share would be.

Serves the sample inventories and data files (``demo/files/``) on
127.0.0.1. Inventories link their data files by relative name, so the
server's address never appears in a file. (tests/file_server.py extends it
with files held in memory, slow paths, redirects and a request log.)

Like the web servers OPD file shares run on (nginx, Apache, IIS), it keeps
connections alive (HTTP/1.1), sends ``ETag`` and ``Last-Modified`` and answers
a conditional GET for an unchanged file with ``304 Not Modified``.

Run: ``python -m ckanext.satudata.demo.opd_files --port 8766``; the
inventories are then ``http://127.0.0.1:8766/<opd>/daftar_data.(xlsx|csv)``.
Pure Python: no CKAN import.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import mimetypes
import threading
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

SAMPLE_ROOT = Path(__file__).parent / "files"
# The sample OPDs: (organization name, title, inventory path).
SAMPLE_SOURCES = (
    ("dinkes-paser", "Daftar Data Dinas Kesehatan", "dinkes/daftar_data.xlsx"),
    ("disdikbud-paser", "Daftar Data Dinas Pendidikan dan Kebudayaan", "disdikbud/daftar_data.csv"),
    ("distan-paser", "Daftar Data Dinas Pertanian", "distan/daftar_data.xlsx"),
)


class FileServer(ThreadingHTTPServer):
    """Serves the files under ``root`` (None: nothing)."""

    daemon_threads = True

    def __init__(self, port: int = 0, root: Path | None = SAMPLE_ROOT) -> None:
        super().__init__(("127.0.0.1", port), FileHandler)
        self.root = root
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def content(self, path: str) -> bytes | None:
        found = self.lookup(path)
        return found[0] if found else None

    def lookup(self, path: str) -> tuple[bytes, float] | None:
        """The file's content and modification time, or None."""
        if self.root is None:
            return None
        target = (self.root / path.lstrip("/")).resolve()
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


class FileHandler(BaseHTTPRequestHandler):
    server: FileServer  # pyright: ignore[reportIncompatibleVariableOverride] (the server it runs in)
    protocol_version = "HTTP/1.1"  # keep-alive, as real file servers do
    # TCP_NODELAY, as nginx sets on kept-alive connections: the body written
    # after the headers would otherwise wait for the client's delayed ACK.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path).lstrip("/")
        found = self.server.lookup(path)
        if found is None:
            self.answer(path, 404, {"Content-Type": "text/plain"}, b"not found")
            return
        content, modified = found
        headers = {"Content-Type": mimetypes.guess_type(path)[0] or "application/octet-stream"}
        validators = self.validators(content, modified)
        headers.update(validators)
        if validators and self._not_modified(validators["ETag"], int(modified)):
            self.answer(path, 304, {"ETag": validators["ETag"]})
            return
        self.answer(path, 200, headers, content)

    def validators(self, content: bytes, modified: float) -> dict[str, str]:
        """The ETag and Last-Modified headers of a file."""
        return {
            "ETag": f'"{hashlib.sha256(content).hexdigest()[:20]}"',
            "Last-Modified": formatdate(int(modified), usegmt=True),
        }

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

    def answer(self, path: str, status: int, headers: dict[str, str], content: bytes = b"") -> None:
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


@dataclass(frozen=True)
class DemoSource:
    """A harvest source of a sample OPD's inventory."""

    name: str
    title: str
    url: str
    owner_org: str
    config: dict[str, Any]


def demo_source_configs(base_url: str) -> list[DemoSource]:
    """Harvest sources of the sample OPDs on a running server."""
    return [
        DemoSource(
            name=f"daftar-data-{organization}",
            title=title,
            url=f"{base_url.rstrip('/')}/{path}",
            owner_org=organization,
            config={"organization": organization, "allow_private_addresses": True},
        )
        for organization, title, path in SAMPLE_SOURCES
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
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
