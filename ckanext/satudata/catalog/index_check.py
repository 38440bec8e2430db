"""Do the database and the search index agree? (``ckan satudata index check
[--repair]``, run daily by the scheduler.)

The database is the truth; Solr is a copy that an outage can leave behind: a
dataset committed while Solr was down is missing from search, one indexed
just before PostgreSQL failed is indexed in a version the database never
kept, a dataset deleted while Solr was down still turns up. Compared per
dataset: its id and ``metadata_modified`` (Solr keeps milliseconds). The
repair indexes the missing and stale datasets again and removes the extra
ones, so search answers what the database holds.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from ckan import logic, model
from ckan.lib import search
from ckan.lib.search.common import make_connection
from ckan.plugins import toolkit as tk

log = logging.getLogger(__name__)

PAGE_ROWS = 1000


@dataclass
class IndexCheck:
    """Dataset ids by disagreement; sorted."""

    checked: int = 0  # datasets in the database that belong in the index
    missing: list[str] = field(default_factory=list)  # in the database only
    stale: list[str] = field(default_factory=list)  # metadata_modified differs
    extra: list[str] = field(default_factory=list)  # in the index only

    @property
    def agrees(self) -> bool:
        return not (self.missing or self.stale or self.extra)

    def summary(self) -> str:
        return (
            f"{self.checked} dataset(s) checked: {len(self.missing)} missing from the index, "
            f"{len(self.stale)} stale, {len(self.extra)} in the index only"
        )


def _milliseconds(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def _solr_milliseconds(value: str) -> str:
    """'2025-01-02T03:04:05.6Z' -> '2025-01-02T03:04:05.600' (Solr drops zeros)."""
    stamp = value.rstrip("Z")
    whole, _, fraction = stamp.partition(".")
    return f"{whole}.{(fraction + '000')[:3]}"


def _database() -> dict[str, str]:
    """id -> metadata_modified (to the millisecond) of what belongs in the index."""
    query = model.Session.query(model.Package.id, model.Package.metadata_modified)
    if tk.config.get("ckan.search.remove_deleted_packages"):
        query = query.filter(model.Package.state != "deleted")
    return {
        package_id: _milliseconds(modified) if modified else ""
        for package_id, modified in query.all()
    }


def _index() -> dict[str, str]:
    """id -> metadata_modified of this site's datasets in Solr, page by page."""
    connection = make_connection(decode_dates=False)
    found: dict[str, str] = {}
    cursor = "*"
    while True:
        results = connection.search(
            q="*:*",
            fq=[f'+site_id:"{tk.config.get("ckan.site_id")}"', "+entity_type:package"],
            fl="id,metadata_modified",
            sort="index_id asc",  # a cursor needs the unique key
            rows=PAGE_ROWS,
            cursorMark=cursor,
        )
        for doc in results.docs:
            modified = doc.get("metadata_modified") or ""
            found[str(doc["id"])] = _solr_milliseconds(str(modified)) if modified else ""
        if not results.nextCursorMark or results.nextCursorMark == cursor:
            return found
        cursor = results.nextCursorMark


def check() -> IndexCheck:
    database = _database()
    indexed = _index()
    return IndexCheck(
        checked=len(database),
        missing=sorted(set(database) - set(indexed)),
        stale=sorted(i for i in set(database) & set(indexed) if database[i] != indexed[i]),
        extra=sorted(set(indexed) - set(database)),
    )


def repair(found: IndexCheck) -> None:
    """Index the missing and stale datasets again, drop the extra ones, commit."""
    context = {"ignore_auth": True}
    for package_id in [*found.missing, *found.stale]:
        logic.index_update_package(context.copy(), package_id, defer_commit=True)  # type: ignore[arg-type]
    index = search.index_for(model.Package)
    for package_id in found.extra:
        index.delete_package({"id": package_id})
    search.commit()
    log.info("index repaired: %s", found.summary())
