"""Feed records -> region rows, with the checks that must pass before anything
is published.

Records arrive page by page (ArcGIS layers) or as one sheet (Disdukcapil
spreadsheet). Each record is reduced at once to a compact ``RegionRow`` (code,
name, the integer counts the families need) so a national feed of ~83,000
records x ~120 fields never sits in memory as dicts. The personal-data guard
runs on the whole raw record before it is reduced. Pure Python: no CKAN import.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ckanext.satudata.harvesters.dukcapil.standard import (
    DEFAULT_FAMILIES,
    FAMILIES,
    SEX_TOTAL_KEYS,
    TOTAL_KEY,
    VALUE_INDEX,
    VALUE_KEYS,
    Family,
    required_keys,
)
from ckanext.satudata.reference.regions import Region, RegionCodeError, normalize_code
from ckanext.satudata.validation import guard

LEVELS = ("provinsi", "kabupaten", "kecamatan", "desa")
# Number of dotted segments of a code at each level.
_LEVEL_DEPTH = {"provinsi": 1, "kabupaten": 2, "kecamatan": 3, "desa": 4}
_CODE_KEYS = ("no_prop", "no_kab", "no_kec", "no_kel")
_CODE_WIDTHS = (2, 2, 2, 4)
_NAME_KEYS = ("nama_prop", "nama_kab", "nama_kec", "nama_kel")
# Keys that identify a record, not a count; never published, never summed.
IDENTITY_KEYS = frozenset(
    {"objectid", "kode_desa_spatial", "kode_wilayah", *_CODE_KEYS, *_NAME_KEYS}
)

# A 16-digit run inside a longer text value, checked with the guard's rule.
MAX_REPORTED_ISSUES = 50


@dataclass(frozen=True)
class Issue:
    """One failed check; ``family`` None means the whole semester is rejected."""

    code: str
    field: str
    message: str
    expected: str = ""
    found: str = ""
    family: str | None = None

    def __str__(self) -> str:
        text = f"{self.code} {self.field}: {self.message}"
        if self.expected or self.found:
            text += f" (expected {self.expected}, found {self.found})"
        return text


@dataclass(slots=True)
class RegionRow:
    code: str
    name: str
    level: str
    values: tuple[int, ...]


@dataclass
class SemesterData:
    """All regions of one semester, by level and code, plus what was found."""

    rows: dict[str, dict[str, RegionRow]] = field(
        default_factory=lambda: {level: {} for level in LEVELS}
    )
    issues: list[Issue] = field(default_factory=list)
    issue_count: int = 0
    duplicates_collapsed: int = 0
    records_read: int = 0

    def add_issue(self, issue: Issue) -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_REPORTED_ISSUES:
            self.issues.append(issue)

    def rejected_families(self) -> set[str]:
        """Families with an issue of their own (the rest may still publish)."""
        return {i.family for i in self.issues if i.family is not None}

    @property
    def semester_rejected(self) -> bool:
        return any(i.family is None for i in self.issues) or (self.issue_count > len(self.issues))

    def report(self) -> str:
        lines = [str(issue) for issue in self.issues]
        if self.issue_count > len(self.issues):
            lines.append(f"... and {self.issue_count - len(self.issues)} more problem(s)")
        return "\n".join(lines)


_PERSONAL_FIELD = "individual-level field (NIK/KK/KTP) in an aggregate feed"


def _personal_data_issue(code: str, key: str, value: Any) -> Issue | None:
    """An issue when ``key``/``value`` looks like individual-level data.

    Never echoes the value: the report itself must not leak a NIK.
    The rules are the validation guard's (header names; a NIK/KK number's
    kecamatan prefix and birth date). A record is one row, so one match of
    either kind, strong or weak, is enough.
    """
    if guard.header_is_personal(key):
        return Issue(code, str(key), _PERSONAL_FIELD)
    # A record is one row: one match of either kind, strong or weak, is
    # enough (a number inside a text value too: "NIK 6401 0412 …").
    if value is not None and guard.classify_cell(value) is not None:
        return Issue(code, str(key), "16-digit identifier (NIK/KK-like) in an aggregate feed")
    return None


def _as_count(value: Any) -> int | None:
    """An integer count from an int, an integral float or a digit string."""
    value_type = type(value)
    if value_type is int:
        return value
    if value_type is float and value.is_integer():
        return int(value)
    if value_type is str:
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    return None


def _code_from_parts(record: Mapping[str, Any], level: str | None) -> tuple[str, str]:
    """(dotted code, level) from no_prop..no_kel; raises RegionCodeError."""
    parts: list[str] = []
    depth = _LEVEL_DEPTH[level] if level else 4
    for key, width in zip(_CODE_KEYS[:depth], _CODE_WIDTHS, strict=False):
        raw = record.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if level is None and parts:
                break  # spreadsheet row of a higher level
            raise RegionCodeError(f"{key} is empty")
        number = _as_count(raw)
        if number is None or number < 0 or len(str(number)) > width:
            raise RegionCodeError(f"{key} {raw!r} is not a {width}-digit code part")
        parts.append(str(number).zfill(width))
    code = ".".join(parts)
    return code, LEVELS[len(parts) - 1]


def _record_code(record: Mapping[str, Any], level: str | None) -> tuple[str, str]:
    if "no_prop" in record:
        code, found_level = _code_from_parts(record, level)
        spatial = record.get("kode_desa_spatial")
        if found_level == "desa" and spatial not in (None, ""):
            spatial_text = str(spatial).strip()
            if spatial_text != code.replace(".", ""):
                raise RegionCodeError(
                    f"kode_desa_spatial {spatial_text!r} does not match no_prop..no_kel ({code})"
                )
        return code, found_level
    raw = record.get("kode_wilayah", record.get("kode_desa_spatial"))
    if raw in (None, ""):
        raise RegionCodeError("no region code (no_prop..no_kel, kode_wilayah or kode_desa_spatial)")
    code = normalize_code(str(raw))
    found_level = LEVELS[code.count(".")]
    if level and found_level != level:
        raise RegionCodeError(f"{code} is a {found_level} code in the {level} layer")
    return code, found_level


def _record_name(record: Mapping[str, Any], level: str) -> str:
    name = record.get(_NAME_KEYS[_LEVEL_DEPTH[level] - 1]) or record.get("nama_wilayah") or ""
    return " ".join(str(name).split())


class RecordCollector:
    """Reduces raw records into a SemesterData, reporting what it cannot use."""

    def __init__(
        self, known: Mapping[str, Region], families: Iterable[str] = DEFAULT_FAMILIES
    ) -> None:
        self.known = known
        self.data = SemesterData()
        # Keys of families not harvested may be absent: they count 0, unreported.
        self._required = required_keys(families)
        # Personal-data verdicts of field names: the same keys repeat per record.
        self._name_verdicts: dict[str, bool] = {}

    def add_records(self, records: Iterable[Mapping[str, Any]], level: str | None) -> None:
        for record in records:
            self.add(record, level)

    def add(self, record: Mapping[str, Any], level: str | None) -> None:
        data = self.data
        data.records_read += 1
        try:
            code, found_level = _record_code(record, level)
        except RegionCodeError as err:
            label = record.get("kode_desa_spatial") or record.get("objectid") or "?"
            data.add_issue(Issue(f"record {label}", "kode wilayah", f"dirty region code: {err}"))
            code, found_level = f"record {label}", level or "desa"
            known_code = False
        else:
            known_code = code in self.known
            if not known_code:
                data.add_issue(
                    Issue(code, "kode wilayah", "region code not in the region reference list")
                )
        self._guard_personal_data(code, record)

        values: list[int] = []
        for key in VALUE_KEYS:
            raw = record.get(key)
            count = _as_count(raw)
            if count is None and key not in self._required:
                count = 0
            elif count is None:
                data.add_issue(
                    Issue(code, key, "not an integer count", "an integer", repr(raw)[:40])
                )
                count = 0
            elif count < 0:
                data.add_issue(Issue(code, key, "negative count", ">= 0", str(count)))
            values.append(count)
        if not known_code:
            return
        region = self.known[code]
        row = RegionRow(
            code, region.name or _record_name(record, found_level), found_level, tuple(values)
        )
        existing = data.rows[found_level].get(code)
        if existing is None:
            data.rows[found_level][code] = row
        elif existing.values == row.values:
            # Dukcapil quirk: exact duplicates differing only in objectid.
            data.duplicates_collapsed += 1
        else:
            data.add_issue(
                Issue(code, "record", "two records for this region with different figures")
            )

    def _guard_personal_data(self, code: str, record: Mapping[str, Any]) -> None:
        verdicts = self._name_verdicts
        for key, value in record.items():
            name_hit = verdicts.get(key)
            if name_hit is None:
                name_hit = verdicts[key] = _personal_data_issue(code, key, None) is not None
            if name_hit:
                self.data.add_issue(Issue(code, str(key), _PERSONAL_FIELD))
                continue
            value_type = type(value)
            # Fast path: small ints and short strings cannot be 16-digit identifiers.
            if (value_type is int and -(10**15) < value < 10**15) or value is None:
                continue
            if value_type is str and len(value) < 15 and "+" not in value:
                continue
            issue = _personal_data_issue(code, key, value)
            if issue is not None:
                self.data.add_issue(issue)


def _fmt(number: int) -> str:
    return f"{number:,}"


def check(
    data: SemesterData,
    known: Mapping[str, Region],
    root: str,
    levels: Iterable[str] = ("kabupaten", "kecamatan", "desa"),
    families: Iterable[str] = tuple(FAMILIES),
) -> SemesterData:
    """Consistency checks on collected rows; adds issues to ``data`` and returns it.

    - laki-laki + perempuan = jumlah on every row; each family's breakdown sums to jumlah;
    - desa sums = kecamatan totals and kecamatan sums = the kabupaten total, every count;
    - every known region below ``root`` at a checked level is present.
    """
    levels = [level for level in LEVELS if level in set(levels)]
    total = VALUE_INDEX[TOTAL_KEY]
    male, female = VALUE_INDEX["pria"], VALUE_INDEX["wanita"]
    family_list: list[Family] = [FAMILIES[key] for key in families]
    family_indexes = [(f, [VALUE_INDEX[k] for k in f.source_keys]) for f in family_list]
    # Breakdowns by sex (laki_laki_* columns) must also sum to that sex's total.
    sex_indexes = [
        (
            family,
            prefix,
            VALUE_INDEX[total_key],
            [VALUE_INDEX[k] for c, k in family.columns if c.startswith(prefix)],
        )
        for family in family_list
        if family.key != "jenis_kelamin"
        for prefix, total_key in SEX_TOTAL_KEYS.items()
        if any(c.startswith(prefix) for c, _ in family.columns)
    ]

    for level in levels:
        for row in data.rows[level].values():
            values = row.values
            if values[male] + values[female] != values[total]:
                data.add_issue(
                    Issue(
                        row.code,
                        "jumlah",
                        "laki_laki + perempuan differs from jumlah",
                        _fmt(values[male] + values[female]),
                        _fmt(values[total]),
                    )
                )
            for family, indexes in family_indexes:
                if family.key == "jenis_kelamin":
                    continue
                breakdown = sum(values[i] for i in indexes)
                if breakdown != values[total]:
                    data.add_issue(
                        Issue(
                            row.code,
                            "jumlah",
                            f"sum of the {family.key} columns differs from jumlah",
                            _fmt(breakdown),
                            _fmt(values[total]),
                            family=family.key,
                        )
                    )
            for family, prefix, sex_total, indexes in sex_indexes:
                breakdown = sum(values[i] for i in indexes)
                if breakdown != values[sex_total]:
                    data.add_issue(
                        Issue(
                            row.code,
                            prefix.rstrip("_"),
                            f"sum of the {family.key} {prefix}* columns differs from "
                            f"{VALUE_KEYS[sex_total]}",
                            _fmt(breakdown),
                            _fmt(values[sex_total]),
                            family=family.key,
                        )
                    )

    # Presence of every known region at each checked level.
    prefix = root + "." if root else ""  # no root: a national feed
    for level in levels:
        depth = _LEVEL_DEPTH[level]
        expected = [
            c for c in known if (c == root or c.startswith(prefix)) and c.count(".") + 1 == depth
        ]
        present = data.rows[level]
        for code in expected:
            if code not in present:
                data.add_issue(
                    Issue(
                        code,
                        "kode wilayah",
                        f"region missing from the {level} data",
                        "a record",
                        "none",
                    )
                )

    # Children sum to their parent, for every count.
    width = len(VALUE_KEYS)
    for parent_level, child_level in itertools.pairwise(levels):
        if _LEVEL_DEPTH[child_level] != _LEVEL_DEPTH[parent_level] + 1:
            continue
        sums: dict[str, list[int]] = {}
        counts: dict[str, int] = {}
        for row in data.rows[child_level].values():
            parent = row.code.rsplit(".", 1)[0]
            acc = sums.get(parent)
            if acc is None:
                acc = sums[parent] = [0] * width
                counts[parent] = 0
            counts[parent] += 1
            for index, value in enumerate(row.values):
                acc[index] += value
        for code, parent_row in data.rows[parent_level].items():
            acc = sums.get(code)
            if acc is None:
                continue  # no children at all: reported as missing above
            for index, key in enumerate(VALUE_KEYS):
                if acc[index] != parent_row.values[index]:
                    family = None if key in (TOTAL_KEY, "pria", "wanita") else _family_of(key)
                    data.add_issue(
                        Issue(
                            code,
                            key,
                            f"{parent_level} total differs from the sum of its "
                            f"{counts[code]} {child_level}",
                            _fmt(acc[index]),
                            _fmt(parent_row.values[index]),
                            family=family,
                        )
                    )
    return data


def _family_of(key: str) -> str | None:
    for family in FAMILIES.values():
        if key in family.source_keys:
            return family.key
    return None
