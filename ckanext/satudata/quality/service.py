"""The CKAN side of data quality: a dataset's score recomputed when the
dataset, a resource, a validation report or a DataStore table changes
(plugin hooks and the validation's ``evidence_changed`` signal), once per
write (writes.py: a write's hooks and reports only mark the dataset, the
score is computed when the write ends), the nightly re-scoring of the
time-based dimensions from the stored evidence (``ckan satudata quality
refresh``), and the search index kept in step. Reading a score never
writes one (``unstored``)."""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass
from typing import Any

from ckan import model
from ckan.lib.search import commit, rebuild
from ckan.plugins import toolkit as tk

from ckanext.satudata import config, contexts, writes
from ckanext.satudata.catalog import reindex
from ckanext.satudata.model import quality_score
from ckanext.satudata.quality import evidence, rules

log = logging.getLogger(__name__)


def _package(package_id: str) -> dict[str, Any] | None:
    context = contexts.site()
    context["use_cache"] = False  # from the database, not Solr
    try:
        shown = tk.get_action("package_show")(context, {"id": package_id})
    except tk.ObjectNotFound:
        return None
    return shown if shown.get("type") == "dataset" and shown.get("state") == "active" else None


def recompute(package_id: str, today: datetime.date | None = None) -> dict[str, Any] | None:
    """Gather the dataset's evidence, score it and store the row (in the
    caller's transaction, not committed); returns the quality dict."""
    pkg = _package(package_id)
    if pkg is None:
        return None
    found = evidence.gather(pkg)
    quality = rules.assess(found, config.quality_weights(), today).as_dict()
    quality_score.save(pkg["id"], pkg.get("owner_org"), quality, found)
    return quality


def unstored(package_id: str) -> quality_score.QualityScore | None:
    """The score of a dataset that has no stored row yet, computed from its
    evidence now and not stored: a read (satudata_quality_show, the dataset
    page) never writes. The row is a transient object, never added to the
    session."""
    pkg = _package(package_id)
    if pkg is None:
        return None
    quality = rules.assess(evidence.gather(pkg), config.quality_weights()).as_dict()
    now = datetime.datetime.utcnow()
    return quality_score.QualityScore(
        package_id=pkg["id"],
        organization_id=pkg.get("owner_org"),
        score=quality["score"],
        grade=quality["grade"],
        dimensions=quality["dimensions"],
        deductions=quality["deductions"],
        computed=now,
        gathered=now,
    )


def current(package_id: str) -> tuple[quality_score.QualityScore | None, bool]:
    """(the dataset's score, whether it is stored): the stored row, or for a
    dataset not scored yet (older than the quality tables, before `ckan
    satudata quality refresh --gather`) the score its evidence gives now,
    which the reader wants rather than nothing, computed but not stored."""
    row = quality_score.get(package_id)
    if row is not None:
        return row, True
    return unstored(package_id), False


def after_dataset_change(pkg_dict: dict[str, Any]) -> None:
    """IPackageController.after_dataset_create/update. Inside a write unit
    (every package action opens one) the score waits for the end of the
    write, when its reports are stored too; otherwise it is computed now,
    before the index is written, so the index carries the new grade."""
    if pkg_dict.get("type", "dataset") != "dataset" or not pkg_dict.get("id"):
        return
    if writes.changed(pkg_dict["id"]):
        return
    try:
        # A savepoint: a failure here rolls back the score only, not the dataset.
        with model.Session.begin_nested():
            recompute(pkg_dict["id"])
    except Exception:  # a score must never block saving a dataset
        log.exception("quality of %s not recomputed", pkg_dict.get("id"))


def on_evidence_changed(sender: str, **kwargs: Any) -> None:
    """A validation report or DataStore table of dataset ``sender`` changed
    after the dataset was saved: score it again and re-index it (at the end
    of the write when one is under way)."""
    if not writes.changed(sender):
        _rescore(sender, reindex=True)


def on_write_finished(sender: str, reindex: bool = True, **kwargs: Any) -> None:
    """writes.finished: the write that changed dataset ``sender`` ended."""
    _rescore(sender, reindex)


def _rescore(package_id: str, reindex: bool) -> None:
    """Score a saved dataset, commit the row and, when ``reindex`` and its
    score or grade moved, re-index it (with a Solr commit: a user's write
    is searchable at once)."""
    try:
        before = quality_score.get(package_id)
        previous = (before.score, before.grade) if before is not None else None
        quality = recompute(package_id)
        model.Session.commit()
        if reindex and quality is not None and previous != (quality["score"], quality["grade"]):
            rebuild(package_id)
    except Exception:
        log.exception("quality of %s not recomputed", package_id)
        model.Session.rollback()


@dataclass(frozen=True)
class Refresh:
    datasets: int
    changed: list[str]  # re-scored and re-indexed
    seconds: float


def refresh(today: datetime.date | None = None, gather: bool = False) -> Refresh:
    """Re-score every dataset from its stored evidence for ``today`` (the
    time-based dimensions change as days pass), storing and re-indexing
    those whose score or grade moved. ``gather``: gather the evidence of
    every active dataset again first (after an upgrade, or a new rule)."""
    started = time.perf_counter()
    if gather:
        ids = [
            pid
            for (pid,) in model.Session.query(model.Package.id).filter(
                model.Package.state == "active", model.Package.type == "dataset"
            )
        ]
        for package_id in ids:
            recompute(package_id, today)
        model.Session.commit()
    weights = config.quality_weights()
    changed: list[str] = []
    count = 0
    for package_id, score, grade, found in list(quality_score.iter_evidence()):
        count += 1
        quality = rules.assess(found, weights, today).as_dict()
        if quality["score"] != round(score, 1) or quality["grade"] != grade:
            quality_score.rescored(package_id, quality)
            changed.append(package_id)
    model.Session.commit()
    # The index holds the score and grade (catalog/search.py): one commit for
    # all (rebuild of one id would commit each), the documents sent in batches.
    with reindex.batched_adds():
        rebuild(package_ids=changed, defer_commit=True, quiet=True)
    if changed:
        commit()
    return Refresh(count, changed, time.perf_counter() - started)
