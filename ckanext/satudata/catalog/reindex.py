"""The whole search index rebuilt by several processes: ``ckan satudata
index rebuild --processes N``.

What ``ckan search-index rebuild`` does (every dataset through
package_show and the index hooks, one Solr commit at the end), with the
datasets shared out over N fresh ``ckan`` processes, each with its own
database and Solr connections. CKAN's own ``search-index rebuild-fast``
forks the running process instead, and its children then share the
parent's database connections (on CKAN 2.12 they fail with "SSL SYSCALL
error: EOF detected"). On a machine with N cores the rebuild takes about
1/N of the time; docs/scaling.md has the figures."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ckan import model
from ckan.lib import search
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
    search.rebuild(package_ids=ids, defer_commit=True, quiet=True)
