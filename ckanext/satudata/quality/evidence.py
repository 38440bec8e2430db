"""The evidence rules.py scores, gathered from what the portal stores: the
dataset as package_show gives it, its DCAT-AP record's MQA points
(interop/assessment.py, without fetching anything: a URL answers when its
validation fetched it), the stored validation reports, and the DataStore
tables of the files that passed (regions and years present, the sums the
data standard defines, Dukcapil's hierarchy check where a table holds
several levels). A JSON-ready dict, stored beside the score so the
nightly refresh re-scores time-based dimensions without gathering again."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckanext.datastore.backend.postgres import get_read_engine
from sqlalchemy.exc import DBAPIError

from ckanext.satudata.catalog import freshness
from ckanext.satudata.interop import assessment
from ckanext.satudata.model import validation_report
from ckanext.satudata.quality import rules
from ckanext.satudata.reference import hierarchy, regions
from ckanext.satudata.standards import registry
from ckanext.satudata.validation import keys

TABLE_KINDS = frozenset({"csv", "xlsx", "xls", "ods", "tsv"})
# DataStore tables are named by resource id; anything else is not queried.
_RESOURCE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
YEAR_COLUMN = "tahun"
REGION_COLUMN = "kode_wilayah"
SEMESTER_COLUMN = "semester"
PERIOD_COLUMNS = (YEAR_COLUMN, SEMESTER_COLUMN)
# Distinct (year, region) pairs read from a table.
MAX_PAIRS = 50_000
# Rows read for the hierarchy check (a national desa table is about 84,000 a
# period); the regions and periods named in the evidence.
MAX_HIERARCHY_ROWS = 500_000
MAX_HIERARCHY_EXAMPLES = 20


def gather(pkg: Mapping[str, Any]) -> dict[str, Any]:
    """The evidence of a dataset (a package_show dict, resources included)."""
    records = {
        r.resource_id: r
        for r in model.Session.query(validation_report.ValidationReport).filter_by(
            package_id=pkg["id"]
        )
    }
    fetched = {
        resource.get("url"): record.status in rules.VALIDATED
        for resource in pkg.get("resources") or []
        if (record := records.get(resource["id"])) is not None and record.source == "url"
    }
    try:
        mqa = assessment.assess_dataset(dict(pkg), lambda url: fetched.get(url))
        mqa_evidence: dict[str, Any] | None = {
            "points": mqa.score,
            "max": mqa.as_dict()["max"],
            "unmet": [
                {"key": r.indicator.key, "property": r.indicator.prop, "points": r.points,
                 "max": r.indicator.weight}
                for r in mqa.results
                if r.points < r.indicator.weight
            ],
        }  # fmt: skip
    except Exception:  # a record the DCAT profiles cannot build scores no MQA points
        mqa_evidence = None
    resources = [
        _resource(pkg, resource, records.get(resource["id"]))
        for resource in pkg.get("resources") or []
    ]
    last = freshness.last_update(pkg.get("resources") or [])
    return {
        "dataset": {
            "jenis": pkg.get("jenis"),
            "tingkat_wilayah": pkg.get("tingkat_wilayah"),
            "kode_wilayah": list(pkg.get("kode_wilayah") or []),
            "tahun_mulai": pkg.get("tahun_mulai"),
            "tahun_akhir": pkg.get("tahun_akhir"),
            "accrualPeriodicity": pkg.get("accrualPeriodicity"),
            "last_update": last.isoformat() if last else None,
            "missing_fields": rules.missing_fields(pkg),
        },
        "mqa": mqa_evidence,
        "resources": resources,
    }


def _resource(
    pkg: Mapping[str, Any],
    resource: Mapping[str, Any],
    record: validation_report.ValidationReport | None,
) -> dict[str, Any]:
    result = ((record.report or {}).get("result") or {}) if record is not None else {}
    kind = str(result.get("format") or resource.get("format") or "").lower()
    tabular = result.get("checked_as") == "table" or (
        not result.get("checked_as") and kind in TABLE_KINDS
    )
    found: dict[str, Any] = {
        "id": resource["id"],
        "name": resource.get("name") or resource.get("url") or resource["id"],
        "tabular": tabular,
        "tahun": resource.get("tahun") or None,
    }
    if not tabular:
        return found
    declared = registry.standard_of(dict(pkg), dict(resource)) or None
    standard = declared or (record.data_standard if record is not None else None)
    found.update(
        status=record.status if record is not None else None,
        standard=standard if registry.is_known(standard) else None,
        standard_source="declared" if declared else ("detected" if standard else None),
        rows=(record.row_count or 0) if record is not None else 0,
    )
    if record is not None and record.status in rules.VALIDATED:
        found.update(_report_counts(record, found["standard"]))
    if resource.get("datastore_active") and _RESOURCE_ID.match(str(resource["id"])):
        found.update(_table_facts(str(resource["id"]), found["standard"]))
    return found


def _report_counts(
    record: validation_report.ValidationReport, standard: str | None
) -> dict[str, Any]:
    """Errors of the report by the dimension they count in (rules.py)."""
    tasks = ((record.report or {}).get("frictionless") or {}).get("tasks") or []
    errors = (
        [e for e in (tasks[0].get("errors") or []) if e.get("type") != "personal-data"]
        if tasks
        else []
    )
    blank = duplicates = region = 0
    for error in errors:
        kind, note = error.get("type"), str(error.get("note") or "")
        if kind == "constraint-error" and '"required"' in note:
            blank += 1
        elif kind == "primary-key" and not note.startswith(keys.ALL_BLANK_NOTE[:20]):
            duplicates += 1
        elif kind == "region-code":
            region += 1
    listed = len(errors)
    total = max(record.error_count or 0, listed)
    # The report lists the first errors only: the rest are counted alike.
    scale = total / listed if listed else 1.0
    other = total - round((blank + duplicates + region) * scale)
    schema = registry.standard_descriptor(standard) if standard else {}
    required = [f for f in schema.get("fields", []) if (f.get("constraints") or {}).get("required")]
    return {
        "blank_required": round(blank * scale),
        "required_cells": (record.row_count or 0) * len(required),
        "duplicate_keys": round(duplicates * scale) if schema.get("primaryKey") else None,
        "key": list(schema.get("primaryKey") or []),
        "region_errors": round(region * scale),
        "other_errors": max(0, other),
    }


def _table_facts(resource_id: str, standard: str | None) -> dict[str, Any]:
    """Years and regions present, and the sums that fail, in the resource's
    DataStore table (read-only engine; identifiers checked against its columns)."""
    engine = get_read_engine()
    with engine.connect() as conn:
        try:
            columns = list(conn.execute(sa.text(f'SELECT * FROM "{resource_id}" LIMIT 0')).keys())
        except DBAPIError:
            return {}
        table = sa.table(resource_id, *(sa.column(c) for c in columns))
        facts: dict[str, Any] = {}
        region_columns = [REGION_COLUMN] if REGION_COLUMN in columns else []
        if standard:
            region_columns = [
                c for c in registry.standard_region_code_fields(standard) if c in columns
            ] or region_columns
        year = table.c[YEAR_COLUMN] if YEAR_COLUMN in columns else None
        if year is not None:
            facts["years"] = sorted(
                int(y) for (y,) in conn.execute(sa.select(year).distinct()) if y is not None
            )
        if region_columns:
            region = table.c[region_columns[0]]
            selected = [year, region] if year is not None else [region]
            by_year: dict[str, list[str]] = {}
            query = sa.select(*selected).distinct().limit(MAX_PAIRS)
            for row in conn.execute(query):
                key = str(row[0]) if year is not None else ""
                by_year.setdefault(key, []).append(str(row[-1]))
            facts["regions_by_year"] = by_year
        sums = []
        for total, parts in registry.sum_rules(standard):
            if total not in columns or any(p not in columns for p in parts):
                continue
            added = sum((sa.func.coalesce(table.c[p], 0) for p in parts), sa.literal(0))
            checked, mismatched = conn.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.count().filter(table.c[total].is_distinct_from(added)),
                ).select_from(table)
            ).one()
            sums.append(
                {
                    "rule": f"{' + '.join(parts)} = {total}",
                    "checked": int(checked),
                    "mismatched": int(mismatched),
                }
            )
        if sums:
            facts["sums"] = sums
        if region_columns:
            across = _hierarchy(conn, table, region_columns[0], columns, standard)
            if across is not None:
                facts["hierarchy"] = across
    return facts


def _hierarchy(
    conn: sa.Connection,
    table: sa.TableClause,
    region_column: str,
    columns: list[str],
    standard: str | None,
) -> dict[str, Any] | None:
    """Dukcapil's hierarchy check on a table holding several levels (a
    kabupaten row and its kecamatan, kecamatan and their desa): each parent
    figure of the counts the standard sums against its children's sum, per
    period, by reference/hierarchy.py's rule (the one the Dukcapil harvester
    checks its feed with). None when the table has one level only."""
    counted = [
        c for c in dict.fromkeys(c for total, parts in registry.sum_rules(standard)
                                 for c in (total, *parts))
        if c in columns
    ]  # fmt: skip
    if not counted:
        return None
    region = table.c[region_column]
    depth = sa.func.array_length(sa.func.string_to_array(sa.cast(region, sa.Text), "."), 1)
    depths = {int(d) for (d,) in conn.execute(sa.select(depth).distinct()) if d}
    levels = [level for level, d in hierarchy.LEVEL_DEPTH.items() if d in depths]
    pairs = list(hierarchy.level_pairs(levels))
    if not pairs:
        return None
    period_columns = [c for c in PERIOD_COLUMNS if c in columns]
    selected = [region, *(table.c[c] for c in period_columns), *(table.c[c] for c in counted)]
    by_period: dict[str, dict[int, dict[str, list[int | None]]]] = {}
    for row in conn.execute(sa.select(*selected).limit(MAX_HIERARCHY_ROWS)):
        code = str(row[0])
        period = _period_label(row[1 : 1 + len(period_columns)], period_columns)
        values = [None if v is None else int(v) for v in row[1 + len(period_columns) :]]
        by_period.setdefault(period, {}).setdefault(hierarchy.depth(code), {})[code] = values
    indexes = list(range(len(counted)))
    checked = 0
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for period in sorted(by_period):
        rows = by_period[period]
        for parent_level, child_level in pairs:
            parents = rows.get(hierarchy.LEVEL_DEPTH[parent_level], {})
            children = hierarchy.sum_children(
                rows.get(hierarchy.LEVEL_DEPTH[child_level], {}).items(), indexes
            )
            checked += sum(1 for code in parents if code in children.sums)
            for wrong in hierarchy.disagreements(parents, children, indexes):
                key = (child_level, wrong.parent, period)
                if key in found:
                    continue  # one deduction per region and period: its first count named
                found[key] = {
                    "level": child_level,
                    "parent_level": parent_level,
                    "region": wrong.parent,
                    "region_name": _region_name(wrong.parent),
                    "period": period,
                    "column": counted[wrong.index],
                    "children": wrong.children,
                    "summed": wrong.summed,
                    "total": wrong.total,
                }
    listed = list(found.values())
    return {
        "checked": checked,
        "mismatched": len(listed),
        "examples": listed[:MAX_HIERARCHY_EXAMPLES],
    }


def _region_name(code: str) -> str:
    found = regions.tenant_regions().get(code)
    return found.name if found is not None else code


def _period_label(values: Sequence[Any], names: Sequence[str]) -> str:
    """ "2024-S2" (tahun and semester, as Dukcapil's releases are named), "2024"."""
    parts = dict(zip(names, values, strict=True))
    year = parts.get(YEAR_COLUMN)
    semester = parts.get(SEMESTER_COLUMN)
    if year is None:
        return ""
    return f"{year}-S{semester}" if semester is not None else str(year)
