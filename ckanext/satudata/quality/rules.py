"""Data quality of a dataset: six dimensions, each 0-100, computed from the
evidence the portal stores (``evidence.py`` gathers it), with the rule
written once here. Every point a dimension loses is a ``Deduction`` naming
its cause and the fix (messages.py words them), linked to the form field or
resource to change.

Each dimension is made of components with a share of its 100 points; a
component without evidence to judge (no key, no sum a standard defines, an
ad-hoc schedule) is left out and the others share its points; a dimension
without any component is not applicable (``None``) and the score's weights
are shared among the others. Every validation error is counted once, in the
dimension it belongs to: blank required cells in Completeness, duplicate
keys in Uniqueness, region codes and every other error in Conformity.

- Metadata: data.europa.eu MQA points of the dataset's DCAT-AP record
  (interop/mqa.py) 60, SDI fields of the dataset schema 40 (a required
  field counts twice a recommended one).
- Conformity, per table resource: a data standard 40 (detected but not set:
  half), validation 40 (share of rows without other errors; not validated:
  none), region codes 20 (share of rows with valid codes).
- Completeness: blank cells in required columns 40, regions expected at the
  dataset's tingkat_wilayah 30 (each region in each year of the data),
  years of the declared coverage 30.
- Uniqueness: rows without a duplicate key (where a key is defined).
- Consistency: rows where the sums the data standard defines hold; where a
  table holds several levels, Dukcapil's hierarchy check (children add up to
  their parent, reference/hierarchy.py).
- Timeliness: the freshness rule (catalog/freshness.py) 70, coverage
  reaching the last complete year 30.

Why one module: the rule is written once; the six dimensions share their
components, shares and weighting, and read best side by side.

Pure Python: no CKAN import.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ckanext.satudata.catalog import freshness
from ckanext.satudata.reference import regions

METADATA = "metadata"
CONFORMITY = "conformity"
COMPLETENESS = "completeness"
UNIQUENESS = "uniqueness"
CONSISTENCY = "consistency"
TIMELINESS = "timeliness"
DIMENSIONS = (METADATA, CONFORMITY, COMPLETENESS, UNIQUENESS, CONSISTENCY, TIMELINESS)
DEFAULT_WEIGHTS = {
    METADATA: 25,
    CONFORMITY: 20,
    COMPLETENESS: 20,
    UNIQUENESS: 10,
    CONSISTENCY: 10,
    TIMELINESS: 15,
}
# (lowest score, grade), best first.
GRADES = ((85.0, "A"), (70.0, "B"), (55.0, "C"), (40.0, "D"), (0.0, "E"))

# SDI fields of the dataset schema (schemas/dataset.yaml) the Metadata
# dimension counts: the required ones, and those the national SDI schema and
# the Daftar Data ask for.
REQUIRED_FIELDS = (
    "title", "notes", "owner_org", "theme", "jenis", "accessRights", "accrualPeriodicity",
    "tahun_mulai", "tingkat_wilayah", "kode_wilayah", "satuan",
)  # fmt: skip
RECOMMENDED_FIELDS = (
    "subtopik", "tag_string", "periode", "ukuran", "id_dds", "id_sds", "author",
    "author_email", "maintainer", "maintainer_email", "publisher_type", "sumber",
    "license_id", "klasifikasi",
)  # fmt: skip
MQA_SHARE, FIELDS_SHARE = 60.0, 40.0
# Shares of the components of each dimension.
STANDARD_SHARE, VALIDATION_SHARE, REGION_CODE_SHARE = 40.0, 40.0, 20.0
CELLS_SHARE, REGIONS_SHARE, YEARS_SHARE = 40.0, 30.0, 30.0
FRESHNESS_SHARE, COVERAGE_SHARE = 70.0, 30.0
DUE_SOON_LOSS = 0.25
# Coverage: each year short of the last complete year loses this share.
COVERAGE_LOSS_PER_YEAR = 0.5
# Regions named in a deduction (the count says how many in all).
NAMED_REGIONS = 5
# A table at tingkat_wilayah "desa" holds the kelurahan too, and the reverse.
LEVEL_OF_CODES = {"desa": ("desa", "kelurahan"), "kelurahan": ("desa", "kelurahan")}
VALIDATED = ("success", "failure")


@dataclass(frozen=True)
class Deduction:
    """Points a dimension lost, why (``code`` with ``params``, worded by
    messages.py), and where to fix it: a form field or a resource."""

    dimension: str
    code: str
    points: float
    params: Mapping[str, Any] = field(default_factory=dict)
    field: str | None = None
    resource_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "code": self.code,
            "points": round(self.points, 1),
            "params": dict(self.params),
            "field": self.field,
            "resource_id": self.resource_id,
        }


@dataclass(frozen=True)
class DimensionScore:
    name: str
    score: float | None  # None: not applicable (no evidence to judge it)
    deductions: tuple[Deduction, ...] = ()


@dataclass(frozen=True)
class Quality:
    dimensions: tuple[DimensionScore, ...]
    score: float
    grade: str

    def dimension(self, name: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.name == name)

    @property
    def deductions(self) -> list[Deduction]:
        found = [d for dim in self.dimensions for d in dim.deductions]
        return sorted(found, key=lambda d: -d.points)

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 1),
            "grade": self.grade,
            "dimensions": {
                d.name: None if d.score is None else round(d.score, 1) for d in self.dimensions
            },
            "deductions": [d.as_dict() for d in self.deductions],
        }


def grade_of(score: float) -> str:
    return next(grade for floor, grade in GRADES if score >= floor)


# Components ------------------------------------------------------------------


@dataclass
class _Component:
    """A part of a dimension: its share, and the losses (fractions of it)."""

    share: float
    losses: list[tuple[float, str, dict[str, Any], str | None, str | None]] = field(
        default_factory=list
    )

    def lose(
        self,
        fraction: float,
        code: str,
        field_name: str | None = None,
        resource_id: str | None = None,
        **params: Any,
    ) -> None:
        if fraction > 0:
            self.losses.append((fraction, code, params, field_name, resource_id))


def _dimension(name: str, components: Iterable[_Component | None]) -> DimensionScore:
    applicable = [c for c in components if c is not None]
    total = sum(c.share for c in applicable)
    if not applicable or total <= 0:
        return DimensionScore(name, None)
    deductions = []
    for component in applicable:
        scale = 100.0 * component.share / total
        lost = 0.0
        for fraction, code, params, field_name, resource_id in component.losses:
            points = min(fraction, 1.0 - lost) * scale
            lost += fraction
            if points > 0:
                deductions.append(Deduction(name, code, points, params, field_name, resource_id))
    score = max(0.0, 100.0 - sum(d.points for d in deductions))
    return DimensionScore(name, score, tuple(deductions))


def _tables(evidence: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [r for r in evidence.get("resources") or [] if r.get("tabular")]


def _share(count: float, of: float) -> float:
    return min(1.0, count / of) if of > 0 else 0.0


# Metadata ----------------------------------------------------------------------

# The form field that earns an MQA indicator's points (None: the resources').
MQA_FIELDS = {
    "keyword": "tag_string",
    "theme": "theme",
    "spatial": "kode_wilayah",
    "temporal": "tahun_mulai",
    "licence": "license_id",
    "licence_vocabulary": "license_id",
    "access_rights": "accessRights",
    "access_rights_vocabulary": "accessRights",
    "contact_point": "maintainer_email",
    "publisher": "owner_org",
}


def metadata(evidence: Mapping[str, Any]) -> DimensionScore:
    mqa_part = _Component(MQA_SHARE)
    mqa = evidence.get("mqa")
    if mqa and mqa.get("max"):
        for indicator in mqa.get("unmet", []):
            lost = indicator["max"] - indicator["points"]
            mqa_part.lose(
                lost / mqa["max"],
                f"mqa-{indicator['key']}",
                MQA_FIELDS.get(indicator["key"]),
                property=indicator.get("property", ""),
                points=lost,
            )
    else:
        mqa_part.lose(1.0, "mqa-missing")
    fields_part = _Component(FIELDS_SHARE)
    dataset = evidence.get("dataset") or {}
    missing = set(dataset.get("missing_fields") or [])
    total = 2 * len(REQUIRED_FIELDS) + len(RECOMMENDED_FIELDS)
    for name in REQUIRED_FIELDS:
        if name in missing:
            fields_part.lose(2 / total, "field-required", name, field=name)
    for name in RECOMMENDED_FIELDS:
        if name in missing:
            fields_part.lose(1 / total, "field-recommended", name, field=name)
    return _dimension(METADATA, (mqa_part, fields_part))


def missing_fields(pkg: Mapping[str, Any]) -> list[str]:
    """The SDI fields of ``pkg`` (a package dict) left blank."""

    def blank(name: str) -> bool:
        if name == "tag_string":
            return not (pkg.get("tags") or pkg.get("tag_string"))
        value = pkg.get(name)
        return value is None or value == "" or value == [] or value == "[]"

    return [n for n in (*REQUIRED_FIELDS, *RECOMMENDED_FIELDS) if blank(n)]


# Conformity --------------------------------------------------------------------


def conformity(evidence: Mapping[str, Any]) -> DimensionScore:
    tables = _tables(evidence)
    standard, validation, codes = (
        _Component(STANDARD_SHARE),
        _Component(VALIDATION_SHARE),
        _Component(REGION_CODE_SHARE),
    )
    if not tables:
        standard.lose(1.0, "no-table")
        validation.lose(1.0, "no-table-validated")
        return _dimension(CONFORMITY, (standard, validation))
    each = 1.0 / len(tables)
    for table in tables:
        rid, name = table.get("id"), table.get("name") or ""
        if not table.get("standard"):
            standard.lose(each, "standard-missing", "standar_data", rid, resource=name)
        elif table.get("standard_source") == "detected":
            standard.lose(
                each / 2, "standard-detected", "standar_data", rid,
                resource=name, standard=table["standard"],
            )  # fmt: skip
        status = table.get("status")
        rows = table.get("rows") or 0
        if status not in VALIDATED:
            validation.lose(each, "not-validated", None, rid, resource=name, status=status or "")
        elif table.get("other_errors"):
            count = table["other_errors"]
            validation.lose(
                each * _share(count, max(rows, 1)), "validation-errors", None, rid,
                resource=name, count=count,
            )  # fmt: skip
        if table.get("region_errors"):
            count = table["region_errors"]
            codes.lose(
                each * _share(count, max(rows, 1)), "region-codes", None, rid,
                resource=name, count=count,
            )  # fmt: skip
    return _dimension(CONFORMITY, (standard, validation, codes))


# Completeness ------------------------------------------------------------------


def expected_regions(dataset: Mapping[str, Any]) -> list[str]:
    """Codes the dataset's data should cover: the tenant's regions at its
    ``tingkat_wilayah`` within its ``kode_wilayah`` (a code at that level
    is itself expected); empty when that cannot be told."""
    level = dataset.get("tingkat_wilayah")
    if not level:
        return []
    levels = LEVEL_OF_CODES.get(level, (level,))
    known = regions.tenant_regions()
    expected: list[str] = []
    for code in dataset.get("kode_wilayah") or []:
        if code in known and known[code].level in levels:
            expected.append(code)
            continue
        prefix = code + "."
        expected.extend(c for c, r in known.items() if c.startswith(prefix) and r.level in levels)
    return sorted(set(expected))


def _year_range(dataset: Mapping[str, Any], seen: Iterable[int]) -> list[int]:
    start = dataset.get("tahun_mulai")
    if not start:
        return []
    end = dataset.get("tahun_akhir") or max(seen, default=int(start))
    return list(range(int(start), int(end) + 1))


def data_years(evidence: Mapping[str, Any]) -> set[int]:
    """Years the data holds: the tables' year column, else the resources' ``tahun``."""
    years: set[int] = set()
    for resource in evidence.get("resources") or []:
        years.update(int(y) for y in resource.get("years") or [])
        if resource.get("tahun"):
            years.add(int(resource["tahun"]))
    return years


def completeness(evidence: Mapping[str, Any]) -> DimensionScore:
    tables = _tables(evidence)
    if not tables:
        return DimensionScore(COMPLETENESS, None)
    dataset = evidence.get("dataset") or {}
    cells: _Component | None = None
    required = sum(t.get("required_cells") or 0 for t in tables)
    if required:
        cells = _Component(CELLS_SHARE)
        for table in tables:
            if table.get("blank_required"):
                count = table["blank_required"]
                cells.lose(
                    _share(count, required), "blank-required", None, table.get("id"),
                    resource=table.get("name") or "", count=count,
                )  # fmt: skip
    regions_part: _Component | None = None
    expected = expected_regions(dataset)
    by_year: dict[str, set[str]] = {}
    for table in tables:
        for year, codes in (table.get("regions_by_year") or {}).items():
            by_year.setdefault(year, set()).update(codes)
    if expected and by_year:
        regions_part = _Component(REGIONS_SHARE)
        names = regions.tenant_regions()
        pairs = len(expected) * len(by_year)
        for year in sorted(by_year):
            missing = [code for code in expected if code not in by_year[year]]
            if missing:
                regions_part.lose(
                    len(missing) / pairs, "regions-missing" if year else "regions-missing-all",
                    "kode_wilayah",
                    count=len(missing), level=dataset.get("tingkat_wilayah"), year=year,
                    regions=[names[c].name for c in missing[:NAMED_REGIONS] if c in names],
                )  # fmt: skip
    years_part: _Component | None = None
    seen = data_years(evidence)
    declared = _year_range(dataset, seen)
    if declared and seen:
        years_part = _Component(YEARS_SHARE)
        missing_years = [y for y in declared if y not in seen]
        if missing_years:
            years_part.lose(
                len(missing_years) / len(declared), "years-missing", "tahun_mulai",
                count=len(missing_years), years=missing_years,
            )  # fmt: skip
    return _dimension(COMPLETENESS, (cells, regions_part, years_part))


# Uniqueness and consistency ----------------------------------------------------


def uniqueness(evidence: Mapping[str, Any]) -> DimensionScore:
    keyed = [t for t in _tables(evidence) if t.get("duplicate_keys") is not None]
    if not keyed:
        return DimensionScore(UNIQUENESS, None)
    part = _Component(100.0)
    rows = sum(t.get("rows") or 0 for t in keyed)
    for table in keyed:
        if table["duplicate_keys"]:
            part.lose(
                _share(table["duplicate_keys"], max(rows, 1)), "duplicate-keys", None,
                table.get("id"), resource=table.get("name") or "", count=table["duplicate_keys"],
                key=", ".join(table.get("key") or []),
            )  # fmt: skip
    return _dimension(UNIQUENESS, (part,))


def consistency(evidence: Mapping[str, Any]) -> DimensionScore:
    """The sums the data standard defines, row by row; and Dukcapil's
    hierarchy check where a table holds several levels (reference/hierarchy.py:
    each kabupaten / kecamatan figure against its children's sum, per period),
    the two weighing alike when both apply."""
    tables = _tables(evidence)
    summed = [t for t in tables if t.get("sums")]
    leveled = [t for t in tables if (t.get("hierarchy") or {}).get("checked")]
    if not summed and not leveled:
        return DimensionScore(CONSISTENCY, None)
    sums = _Component(100.0) if summed else None
    checked = sum(s["checked"] for t in summed for s in t["sums"])
    for table in summed:
        for rule in table["sums"]:
            if rule["mismatched"] and sums is not None:
                sums.lose(
                    _share(rule["mismatched"], max(checked, 1)), "sum-mismatch", None,
                    table.get("id"), resource=table.get("name") or "",
                    count=rule["mismatched"], rule=rule["rule"],
                )  # fmt: skip
    levels = _Component(100.0) if leveled else None
    compared = sum(t["hierarchy"]["checked"] for t in leveled)
    for table in leveled:
        found = table["hierarchy"]
        if levels is None or not found["mismatched"]:
            continue
        for wrong in found["examples"]:
            levels.lose(
                _share(1, compared), "hierarchy-mismatch", None, table.get("id"),
                resource=table.get("name") or "", level=wrong["level"],
                region=wrong["region"], region_name=wrong.get("region_name") or wrong["region"],
                period=wrong["period"], column=wrong["column"], children=wrong["children"],
                summed=wrong["summed"], total=wrong["total"],
            )  # fmt: skip
        rest = found["mismatched"] - len(found["examples"])
        if rest > 0:
            levels.lose(
                _share(rest, compared), "hierarchy-mismatch-more", None, table.get("id"),
                resource=table.get("name") or "", count=rest,
            )  # fmt: skip
    return _dimension(CONSISTENCY, (sums, levels))


# Timeliness --------------------------------------------------------------------


def timeliness(evidence: Mapping[str, Any], today: datetime.date) -> DimensionScore:
    dataset = evidence.get("dataset") or {}
    last = dataset.get("last_update")
    state = freshness.evaluate(
        dataset.get("accrualPeriodicity"),
        datetime.date.fromisoformat(last) if last else None,
        today,
    )
    fresh: _Component | None = None
    if state.state != freshness.UNSCHEDULED:
        fresh = _Component(FRESHNESS_SHARE)
        due = state.due.isoformat() if state.due else ""
        if state.state == freshness.DUE_SOON:
            fresh.lose(DUE_SOON_LOSS, "due-soon", "resources", due=due)
        elif state.state == freshness.OVERDUE:
            fresh.lose(1.0, "overdue", "resources", due=due)
        elif state.state == freshness.NO_DATA:
            fresh.lose(1.0, "no-data", "resources")
    coverage: _Component | None = None
    years = data_years(evidence) or set(_year_range(dataset, ()))
    if years and state.state != freshness.UNSCHEDULED:
        coverage = _Component(COVERAGE_SHARE)
        expected = today.year - 1
        latest = max(years)
        if latest < expected:
            coverage.lose(
                COVERAGE_LOSS_PER_YEAR * (expected - latest), "coverage-behind", "tahun_akhir",
                latest=latest, expected=expected,
            )  # fmt: skip
    return _dimension(TIMELINESS, (fresh, coverage))


# Score -------------------------------------------------------------------------


def assess(
    evidence: Mapping[str, Any],
    weights: Mapping[str, float] | None = None,
    today: datetime.date | None = None,
) -> Quality:
    """The quality of a dataset from its ``evidence`` (evidence.py's dict)."""
    today = today or datetime.date.today()
    weights = weights or DEFAULT_WEIGHTS
    dims = (
        metadata(evidence),
        conformity(evidence),
        completeness(evidence),
        uniqueness(evidence),
        consistency(evidence),
        timeliness(evidence, today),
    )
    return Quality(dims, *weighted(dims, weights))


def weighted(dims: Sequence[DimensionScore], weights: Mapping[str, float]) -> tuple[float, str]:
    """The score (weights shared among the applicable dimensions) and its grade."""
    scored = [(weights.get(d.name, 0), d.score) for d in dims if d.score is not None]
    total = sum(w for w, _ in scored)
    score = sum(w * s for w, s in scored) / total if total else 0.0
    return score, grade_of(score)


def parse_weights(text: str) -> dict[str, float]:
    """``"metadata:25 conformity:20 …"`` (config) as {dimension: weight};
    raises ValueError naming what is wrong."""
    found: dict[str, float] = {}
    for item in text.replace(",", " ").split():
        name, _, value = item.partition(":")
        if name not in DIMENSIONS:
            raise ValueError(f"unknown quality dimension {name!r} (one of {', '.join(DIMENSIONS)})")
        weight = float(value)
        if weight < 0:
            raise ValueError(f"negative weight for {name}")
        found[name] = weight
    if not any(found.values()):
        raise ValueError("every quality weight is zero")
    return {name: found.get(name, 0.0) for name in DIMENSIONS}
