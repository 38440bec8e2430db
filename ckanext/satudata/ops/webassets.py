"""Web assets built once when a web process starts, not checked at every page.

CKAN's webassets environment keeps ``auto_build`` on: every ``{% asset %}``
of every page stats each source file of the bundle and hashes its output to
decide whether to rebuild (about 0.6 ms a bundle here, 18 ms for the 31
bundles of a page set). In production the sources only change with a new
image, so ``ckanext.satudata.webassets.build_at_start`` builds every
registered bundle when the app is made (IMiddleware, after every plugin and
CKAN's core registered theirs) and turns ``auto_build`` off: a page then
only reads the version each bundle computed once.

gunicorn workers make their apps at the same time and would write the same
output files at once (a concurrent first visit answered 500 in the portal
benchmark): the build holds an exclusive lock on a file beside the outputs,
and a worker that comes second finds them up to date.
"""

from __future__ import annotations

import fcntl
import logging
import os

from ckan.lib import webassets_tools

log = logging.getLogger(__name__)

LOCK_NAME = ".satudata-build.lock"


def build_then_freeze() -> int:
    """Build every registered bundle under the lock, then stop checking them
    at each page. Returns the number of bundles."""
    env = webassets_tools.env
    os.makedirs(env.directory, exist_ok=True)
    names = sorted(env._named_bundles)  # webassets keeps no public list of names
    with open(os.path.join(env.directory, LOCK_NAME), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            for name in names:
                env[name].urls()  # builds what is missing or stale, computes the version
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    env.auto_build = False
    log.info("Built %d web asset bundles; pages no longer check their sources", len(names))
    return len(names)
