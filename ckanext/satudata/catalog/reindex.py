"""The whole search index rebuilt by several processes: ``ckan satudata
index rebuild --processes N``.

What ``ckan search-index rebuild`` does (every dataset through
package_show and the index hooks, one Solr commit at the end), with the
datasets shared out over N fresh ``ckan`` processes, each with its own
database and Solr connections. CKAN's own ``search-index rebuild-fast``
forks the running process instead, and its children then share the
parent's database connections (on CKAN 2.12 they fail with "SSL SYSCALL
error: EOF detected"). On a machine with N cores the rebuild takes about
1/N of the time; docs/scaling.md has the figures.

Each child sends its documents to Solr in batches (``batched_adds``): CKAN's
index opens a new Solr connection and sends one request per dataset, and at
12,000 datasets those requests were a fifth of the rebuild."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ckan import model
from ckan.lib import search
from ckan.lib.search import index as search_index
from ckan.lib.search.common import make_connection
from ckan.plugins import toolkit as tk


@dataclass(frozen=True)
class Rebuilt:
    datasets: int
    processes: int
    seconds: float


def package_ids() -> list[str]:
    """The datasets ``ckan search-index rebuild`` indexes, in its order."""
    query = model.Session.query(model.Package.id)
    if tk.config.get("ckan.search.remove_deleted_packages"):
        query = query.filter(model.Package.state != "deleted")
    return [package_id for (package_id,) in query]


def _ckan() -> str:
    return str(Path(sys.executable).with_name("ckan"))


def rebuild(processes: int) -> Rebuilt:
    """Index every dataset in ``processes`` child processes, then commit once."""
    started = time.perf_counter()
    ids = package_ids()
    model.Session.remove()  # nothing of ours held while the children work
    shares = [ids[n::processes] for n in range(processes)]
    ini = str(tk.config["__file__"])
    children = [
        subprocess.Popen(
            [_ckan(), "-c", ini, "satudata", "index", "rebuild-part"],
            stdin=subprocess.PIPE,
            text=True,
        )
        for share in shares
        if share
    ]
    for child, share in zip(children, shares, strict=False):
        assert child.stdin is not None
        child.stdin.write("\n".join(share))
        child.stdin.close()
    failed = [child.args for child in children if child.wait() != 0]
    if failed:
        raise RuntimeError(f"index rebuild: {len(failed)} of {len(children)} processes failed")
    search.commit()
    return Rebuilt(len(ids), len(children), time.perf_counter() - started)


def rebuild_part(ids: list[str]) -> None:
    """A child's share (not committed: the parent commits once)."""
    with batched_adds():
        search.rebuild(package_ids=ids, defer_commit=True, quiet=True)


BATCH_DOCUMENTS = 200


class _BatchingConnection:
    """Stands for the Solr connection CKAN's index opens per dataset: keeps
    uncommitted adds and sends them ``BATCH_DOCUMENTS`` at a time through one
    connection. Anything else (a commit, a deleted dataset's removal) sends
    what is kept first, so Solr sees the same requests in the same order."""

    def __init__(self) -> None:
        self.solr = make_connection()
        self.kept: list[dict[str, Any]] = []

    def add(self, docs: list[dict[str, Any]], commit: bool = False, **kwargs: Any) -> Any:
        if commit or kwargs:
            self.flush()
            return self.solr.add(docs=docs, commit=commit, **kwargs)
        self.kept.extend(docs)
        if len(self.kept) >= BATCH_DOCUMENTS:
            self.flush()
        return None

    def flush(self) -> None:
        if self.kept:
            docs, self.kept = self.kept, []
            self.solr.add(docs=docs, commit=False)

    def __getattr__(self, name: str) -> Any:
        self.flush()
        return getattr(self.solr, name)


@contextmanager
def batched_adds() -> Iterator[_BatchingConnection]:
    """Inside, CKAN's index (``ckan.lib.search.index``) sends uncommitted
    documents in batches; what is kept is sent on leaving, also on an error
    (the documents already built are not lost)."""
    connection = _BatchingConnection()
    original = search_index.make_connection
    search_index.make_connection = lambda *args, **kwargs: connection
    try:
        yield connection
    finally:
        search_index.make_connection = original
        connection.flush()
