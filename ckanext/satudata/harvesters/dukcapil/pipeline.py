"""One release, end to end without CKAN: read -> collect -> check -> tables.

Used by the harvester's gather stage and by bench/bench_dukcapil.py.
Pure Python: no CKAN import.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ckanext.satudata import net
from ckanext.satudata.harvesters.dukcapil import feed, transform
from ckanext.satudata.harvesters.dukcapil.consistency import check
from ckanext.satudata.harvesters.dukcapil.records import (
    RecordCollector,
    RecordPolicy,
    SemesterData,
)
from ckanext.satudata.harvesters.dukcapil.standard import FAMILIES, Semester
from ckanext.satudata.reference.regions import Region

# Levels read for the cross-level checks, whatever level is published.
CHECK_LEVELS = ("kabupaten", "kecamatan", "desa")
Pages = Iterable[tuple[str | None, Sequence[Mapping[str, Any]]]]


@dataclass
class ReleaseResult:
    semester: Semester
    data: SemesterData
    # (family key, level) -> CSV bytes, only for what passed the checks.
    tables: dict[tuple[str, str], bytes] = field(default_factory=dict)

    @property
    def rejected(self) -> bool:
        return self.data.semester_rejected


def collect_pages(
    pages: Pages,
    known: Mapping[str, Region],
    families: Iterable[str],
    policy: RecordPolicy | None = None,
) -> SemesterData:
    """Feed (level, records) pages through a collector."""
    collector = RecordCollector(known, families, policy)
    for level, page in pages:
        collector.add_records(page, level)
    return collector.data


def build_tables(
    result: ReleaseResult, families: Iterable[str], levels: Iterable[str]
) -> ReleaseResult:
    """Tables of every family and level that passed the checks."""
    if result.rejected:
        return result
    rejected_families = result.data.rejected_families()
    for family_key in families:
        if family_key in rejected_families:
            continue
        family = FAMILIES[family_key]
        for level in levels:
            rows = transform.family_rows(result.data, family, level, result.semester)
            if rows:
                result.tables[(family_key, level)] = transform.to_csv(family, rows)
    return result


def process_release(
    semester: Semester,
    pages: Pages,
    known: Mapping[str, Region],
    root: str,
    families: Sequence[str],
    levels: Sequence[str],
    policy: RecordPolicy | None = None,
) -> ReleaseResult:
    data = collect_pages(pages, known, families, policy)
    present = [level for level in CHECK_LEVELS if data.rows[level]]
    missing = [level for level in levels if level not in present]
    check(data, known, root, levels=sorted({*present, *missing}), families=families)
    return build_tables(ReleaseResult(semester, data), families, levels)


def release_pages(
    source: feed.ReleaseSource,
    settings: feed.FeedSettings,
    session: net.GuardedSession | None = None,
) -> Pages:
    """The pages of a release, whichever way it is published."""
    if source.is_spreadsheet:
        return spreadsheet_pages(source.url, settings, session)
    return arcgis_pages(source, settings, session=session)


def arcgis_pages(
    source: feed.ReleaseSource,
    settings: feed.FeedSettings,
    levels: Sequence[str] = CHECK_LEVELS,
    session: net.GuardedSession | None = None,
) -> Iterable[tuple[str | None, list[dict[str, Any]]]]:
    """Every page of the release's layers (one per level, in one service or in
    one service each), the whole release under one byte budget."""
    budget = feed.ByteBudget(settings.max_bytes)
    with contextlib.ExitStack() as stack:
        if session is None:
            # One kept-alive connection for every page of the release.
            session = stack.enter_context(net.GuardedSession(settings.address_rules()))
        for level, layer_url in source.layers:
            if level not in levels:
                continue
            for page in feed.arcgis_layer_pages(layer_url, settings, budget, session):
                yield level, page


def spreadsheet_pages(
    url: str, settings: feed.FeedSettings, session: net.GuardedSession | None = None
) -> Iterable[tuple[str | None, list[dict[str, Any]]]]:
    yield (
        None,
        feed.spreadsheet_records(url, settings, feed.ByteBudget(settings.max_bytes), session),
    )
