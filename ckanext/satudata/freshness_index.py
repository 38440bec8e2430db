"""Keeps the freshness state in the search index true as days pass.

The state is computed at index time (search.index_fields); a dataset nobody
edits turns from current to overdue while its index entry still says current.
``refresh`` asks Solr which datasets it holds in each state (the field is
indexed, not stored, so one filter query per state), compares with the state
computed now, and re-indexes only the datasets that changed. Run daily
(`ckan satudata freshness refresh`; the docker scheduler does).
"""

from __future__ import annotations

from ckan import model
from ckan.lib.search import rebuild
from ckan.lib.search.common import make_connection
from ckan.plugins import toolkit as tk

from ckanext.satudata import freshness

_PAGE = 1000


def _indexed_states() -> dict[str, str]:
    site = tk.config.get("ckan.site_id")
    solr = make_connection()
    indexed: dict[str, str] = {}
    for state in freshness.STATES:
        start = 0
        while True:
            found = solr.search(
                q="*:*", fq=[f'+freshness:"{state}"', f'+site_id:"{site}"', "+entity_type:package"],
                fl="id", rows=_PAGE, start=start,
            )  # fmt: skip
            indexed.update({doc["id"]: state for doc in found})
            start += _PAGE
            if start >= found.hits:
                break
    return indexed


def refresh() -> list[str]:
    """Re-index the datasets whose freshness changed; returns their names."""
    indexed = _indexed_states()
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    changed = []
    for package_id, state in indexed.items():
        package = model.Package.get(package_id)
        if package is None or package.state != "active":
            continue
        context = {"user": site_user["name"], "use_cache": False}  # from the database, not Solr
        shown = tk.get_action("package_show")(context, {"id": package_id})
        if shown.get("freshness") != state:
            rebuild(package_id)
            changed.append(package.name)
    return changed
