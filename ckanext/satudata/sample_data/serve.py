"""A local file server for OPD spreadsheets, as an OPD's file share would be.

Serves the sample inventories and data files (``sample_data/opd/``) on
127.0.0.1; tests and the benchmark also put files in memory (``put``), make
paths slow (``delays``) or redirect them (``redirects``). Inventories link
their data files by relative name, so the server's address never appears in
a file.

Run: ``python -m ckanext.satudata.sample_data.serve --port 8766``; the
inventories are then ``http://127.0.0.1:8766/<opd>/daftar_data.(xlsx|csv)``.
"""

from __future__ import annotations

import argparse
import contextlib
import mimetypes
import threading
import time
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
        self.delays: dict[str, float] = {}
        self.redirects: dict[str, str] = {}
        self.requests: list[str] = []
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def put(self, path: str, content: bytes) -> None:
        self.files[path.lstrip("/")] = content

    def remove(self, path: str) -> None:
        self.files.pop(path.lstrip("/"), None)

    def reset(self) -> None:
        self.files.clear()
        self.delays.clear()
        self.redirects.clear()
        self.requests.clear()

    def content(self, path: str) -> bytes | None:
        path = path.lstrip("/")
        if path in self.files:
            return self.files[path]
        if self.root is None:
            return None
        target = (self.root / path).resolve()
        # Never outside the root (../ in a request).
        if self.root.resolve() not in target.parents or not target.is_file():
            return None
        return target.read_bytes()

    def start(self) -> FileServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: FileServer

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path).lstrip("/")
        self.server.requests.append(path)
        if path in self.server.redirects:
            self.send_response(302)
            self.send_header("Location", self.server.redirects[path])
            self.end_headers()
            return
        delay = self.server.delays.get(path)
        if delay:
            time.sleep(delay)
        content = self.server.content(path)
        if content is None:
            self.send_error(404)
            return
        self.send_response(200)
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        self.send_header("Content-Type", kind)
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
