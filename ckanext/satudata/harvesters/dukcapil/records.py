"""Feed records -> region rows, with the checks that must pass before anything
is published.

Why one module: a record is read, checked and reduced in one pass (a national
feed never sits in memory as dicts), so its reading and its own checks share
the collector; the checks across records are consistency.py.

Records arrive page by page (ArcGIS layers) or as one sheet (Disdukcapil
spreadsheet). Each record is reduced at once to a compact ``RegionRow`` (code,
name, the integer counts the families need) so a national feed of ~83,000
records x ~120 fields never sits in memory as dicts. The personal-data guard
runs on the whole raw record before it is reduced.

Only the counts of the families the source asks for are read: a feed without
the fields of another family is no problem; a requested family whose field
is absent is reported once per field (and that family alone is rejected).

A record's own checks (its region code, its counts, laki-laki + perempuan =
jumlah, each family's breakdown = jumlah, no second record with other
figures) fail it. What happens then is the source's ``RecordPolicy``:

- ``reject`` (default): the issue rejects the semester (a family's breakdown:
  that family), published data left untouched;
- ``quarantine``: the record is left out of every table and listed as
  quarantined (consistency.py computes the cross-level checks on what is
  published); personal data still rejects the semester, whatever the policy,
  and so does a share of quarantined records above the policy's limit.

Issue texts are harvest report messages (harvesters/messages.py): English
msgids with their parameters, never a quoted NIK. Pure Python: no CKAN import.
"""

from __future__ import annotations

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
)
from ckanext.satudata.harvesters.messages import N_, Message, message
from ckanext.satudata.reference import hierarchy
from ckanext.satudata.reference.regions import Region, RegionCodeError, normalize_code
from ckanext.satudata.validation import guard

# The levels and the number of dotted segments of a code at each (one place).
LEVELS = hierarchy.LEVELS
LEVEL_DEPTH = hierarchy.LEVEL_DEPTH
_CODE_KEYS = ("no_prop", "no_kab", "no_kec", "no_kel")
_CODE_WIDTHS = (2, 2, 2, 4)
_NAME_KEYS = ("nama_prop", "nama_kab", "nama_kec", "nama_kel")
# Keys that identify a record, not a count; never published, never summed.
IDENTITY_KEYS = frozenset(
    {"objectid", "kode_desa_spatial", "kode_wilayah", *_CODE_KEYS, *_NAME_KEYS}
)
TOTAL_KEYS = (TOTAL_KEY, "pria", "wanita")

MAX_REPORTED_ISSUES = 50
REJECT, QUARANTINE = "reject", "quarantine"
POLICIES = (REJECT, QUARANTINE)


@dataclass(frozen=True)
class RecordPolicy:
    """What a record failing its own checks does (see the module docstring)."""

    mode: str = REJECT
    # Quarantine: above this share of the records read, the semester is rejected.
    max_share: float = 0.01

    @property
    def quarantines(self) -> bool:
        return self.mode == QUARANTINE


@dataclass(frozen=True)
class Issue:
    """One failed check; ``family`` None means the whole semester is rejected.
    ``code`` is the region code, or a message naming a record without one."""

    code: str | Message
    field: str
    problem: Message
    expected: str = ""
    found: str = ""
    family: str | None = None

    @property
    def message(self) -> str:
        """The problem in English."""
        return self.problem.render()

    def as_message(self) -> Message:
        return message(N_("{code} {detail}"), code=self.code, detail=self.detail())

    def detail(self) -> Message:
        """The issue without its region code: field, problem, expected/found."""
        if self.expected or self.found:
            return message(
                N_("{field}: {problem} (expected {expected}, found {found})"),
                field=self.field, problem=self.problem,
                expected=self.expected, found=self.found,
            )  # fmt: skip
        return message(N_("{field}: {problem}"), field=self.field, problem=self.problem)

    def __str__(self) -> str:
        return self.as_message().render()


@dataclass(slots=True)
class RegionRow:
    code: str
    name: str
    level: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class QuarantinedRecord:
    """A record left out of every table, why, and what it carried."""

    label: str | Message  # its region code, or a message naming the record
    level: str
    parent: str | None  # the region its code places it under, when it says
    reasons: tuple[Issue, ...]
    values: tuple[int | None, ...]  # its counts (None: not a usable count)

    def as_message(self) -> Message:
        return message(
            N_("{level} {label}: {reasons}"),
            level=self.level,
            label=self.label,
            reasons=message(
                N_("{first}{more}"),
                first=self.reasons[0].detail(),
                more=message(N_(" (and {count} more problem(s))"), count=len(self.reasons) - 1)
                if len(self.reasons) > 1
                else "",
            ),
        )


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
    quarantined: list[QuarantinedRecord] = field(default_factory=list)
    policy: RecordPolicy = field(default_factory=RecordPolicy)
    # Requested fields no record carried (each reported once).
    absent_keys: set[str] = field(default_factory=set)
    # Cross-level comparisons a quarantined record left undone (consistency.py).
    unchecked: list[Message] = field(default_factory=list)

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

    def report_lines(self) -> list[Message]:
        lines = [issue.as_message() for issue in self.issues]
        if self.issue_count > len(self.issues):
            lines.append(
                message(
                    N_("... and {count} more problem(s)"),
                    count=self.issue_count - len(self.issues),
                )
            )
        return lines

    def report(self) -> str:
        """The issues in English, one per line."""
        return "\n".join(line.render() for line in self.report_lines())

    def quarantine_lines(self) -> list[Message]:
        shown = self.quarantined[:MAX_REPORTED_ISSUES]
        lines = [record.as_message() for record in shown]
        if len(self.quarantined) > len(shown):
            lines.append(
                message(
                    N_("... and {count} more record(s)"),
                    count=len(self.quarantined) - len(shown),
                )
            )
        return lines


_PERSONAL_FIELD = N_("individual-level field (NIK/KK/KTP) in an aggregate feed")
_PERSONAL_VALUE = N_("16-digit identifier (NIK/KK-like) in an aggregate feed")


def _personal_data_issue(code: str | Message, key: str, value: Any) -> Issue | None:
    """An issue when ``key``/``value`` looks like individual-level data.

    Never echoes the value: the report itself must not leak a NIK.
    The rules are the validation guard's (header names; a NIK/KK number's
    kecamatan prefix and birth date). A record is one row, so one match of
    either kind, strong or weak, is enough (a number inside a text value too:
    "NIK 6401 0412 …").
    """
    if guard.header_is_personal(key):
        return Issue(code, str(key), message(_PERSONAL_FIELD))
    if value is not None and guard.classify_cell(value) is not None:
        return Issue(code, str(key), message(_PERSONAL_VALUE))
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


class _CodeProblem(Exception):
    """A record's region code that cannot be used; ``problem`` says why and
    ``parent`` is the region it still places the record under, if any."""

    def __init__(self, problem: Message, parent: str | None = None) -> None:
        super().__init__(problem.render())
        self.problem = problem
        self.parent = parent


def _code_from_parts(record: Mapping[str, Any], level: str | None) -> tuple[str, str]:
    """(dotted code, level) from no_prop..no_kel; raises _CodeProblem."""
    parts: list[str] = []
    depth = LEVEL_DEPTH[level] if level else 4
    for key, width in zip(_CODE_KEYS[:depth], _CODE_WIDTHS, strict=False):
        raw = record.get(key)
        parent = ".".join(parts) or None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if level is None and parts:
                break  # spreadsheet row of a higher level
            raise _CodeProblem(message(N_("{key} is empty"), key=key), parent)
        number = _as_count(raw)
        if number is None or number < 0 or len(str(number)) > width:
            raise _CodeProblem(
                message(
                    N_("{key} {value} is not a {width}-digit code part"),
                    key=key, value=repr(raw), width=width,
                ),
                parent,
            )  # fmt: skip
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
                raise _CodeProblem(
                    message(
                        N_("kode_desa_spatial {value} does not match no_prop..no_kel ({code})"),
                        value=repr(spatial_text),
                        code=code,
                    ),
                    code.rsplit(".", 1)[0],
                )
        return code, found_level
    raw = record.get("kode_wilayah", record.get("kode_desa_spatial"))
    if raw in (None, ""):
        raise _CodeProblem(
            message(N_("no region code (no_prop..no_kel, kode_wilayah or kode_desa_spatial)"))
        )
    try:
        code = normalize_code(str(raw))
    except RegionCodeError:
        raise _CodeProblem(
            message(N_("{value} is not a Kemendagri region code"), value=repr(str(raw)))
        ) from None
    found_level = LEVELS[code.count(".")]
    if level and found_level != level:
        raise _CodeProblem(
            message(
                N_("{code} is a {found} code in the {level} layer"),
                code=code,
                found=found_level,
                level=level,
            ),
            code.rsplit(".", 1)[0] if "." in code else None,
        )
    return code, found_level


def _record_name(record: Mapping[str, Any], level: str) -> str:
    name = record.get(_NAME_KEYS[LEVEL_DEPTH[level] - 1]) or record.get("nama_wilayah") or ""
    return " ".join(str(name).split())


def _fmt(number: int) -> str:
    return f"{number:,}"


class RecordCollector:
    """Reduces raw records into a SemesterData, reporting what it cannot use.

    ``families``: those the source publishes (only their counts are read and
    checked); ``policy``: what a record failing its own checks does."""

    def __init__(
        self,
        known: Mapping[str, Region],
        families: Iterable[str] = DEFAULT_FAMILIES,
        policy: RecordPolicy | None = None,
    ) -> None:
        self.known = known
        self.data = SemesterData(policy=policy or RecordPolicy())
        self.families = [FAMILIES[key] for key in families]
        requested = dict.fromkeys((*TOTAL_KEYS, *(k for f in self.families for k in f.source_keys)))
        # (key, index in RegionRow.values) of every count read.
        self._keys = [(key, VALUE_INDEX[key]) for key in requested]
        self._family_indexes = [
            (family.key, family.source_keys, [VALUE_INDEX[k] for k in family.source_keys])
            for family in self.families
            if family.key != "jenis_kelamin"  # its breakdown is laki-laki + perempuan
        ]
        # Breakdowns by sex (laki_laki_* columns) must also sum to that sex's total.
        self._sex_indexes = [
            (
                family.key,
                prefix,
                total_key,
                [k for c, k in family.columns if c.startswith(prefix)],
            )
            for family in self.families
            if family.key != "jenis_kelamin"
            for prefix, total_key in SEX_TOTAL_KEYS.items()
            if any(c.startswith(prefix) for c, _ in family.columns)
        ]
        self._total, self._male, self._female = (VALUE_INDEX[k] for k in TOTAL_KEYS)
        # Personal-data verdicts of field names: the same keys repeat per record.
        self._name_verdicts: dict[str, bool] = {}
        # Codes with two records of different figures (every record of them quarantined).
        self._conflicting: set[str] = set()

    def add_records(self, records: Iterable[Mapping[str, Any]], level: str | None) -> None:
        for record in records:
            self.add(record, level)

    def add(self, record: Mapping[str, Any], level: str | None) -> None:
        data = self.data
        data.records_read += 1
        problems: list[Issue] = []
        parent: str | None = None
        try:
            code, found_level = _record_code(record, level)
        except _CodeProblem as err:
            label = record.get("kode_desa_spatial") or record.get("objectid") or "?"
            code = message(N_("record {label}"), label=str(label))
            found_level, parent = level or "desa", err.parent
            problems.append(
                Issue(
                    code,
                    "kode wilayah",
                    message(N_("dirty region code: {reason}"), reason=err.problem),
                )
            )
            known_code = False
        else:
            parent = code.rsplit(".", 1)[0] if "." in code else None
            known_code = code in self.known
            if not known_code:
                problems.append(
                    Issue(
                        code,
                        "kode wilayah",
                        message(N_("region code not in the region reference list")),
                    )
                )
        if self._guard_personal_data(code, record):
            return  # the semester is rejected: nothing of the record is kept

        values = [0] * len(VALUE_KEYS)
        readable: list[int | None] = [None] * len(VALUE_KEYS)
        for key, index in self._keys:
            raw = record.get(key)
            if raw is None and key not in record:
                self._absent(key)
                continue
            count = _as_count(raw)
            if count is None:
                problems.append(
                    Issue(
                        code, key, message(N_("not an integer count")), "an integer", repr(raw)[:40]
                    )
                )
                continue
            if count < 0:
                problems.append(Issue(code, key, message(N_("negative count")), ">= 0", str(count)))
            values[index] = readable[index] = count
        problems.extend(self._row_checks(code, values))

        if isinstance(code, str) and code in self._conflicting:
            problems.append(self._conflict_issue(code))
        elif known_code and isinstance(code, str):
            existing = data.rows[found_level].get(code)
            if existing is not None and existing.values == tuple(values):
                # Dukcapil quirk: exact duplicates differing only in objectid.
                data.duplicates_collapsed += 1
                return
            if existing is not None:
                problems.append(self._conflict_issue(code))
                if data.policy.quarantines:
                    # The first record of the region is no more trusted than this one.
                    del data.rows[found_level][code]
                    self._conflicting.add(code)
                    self._quarantine(
                        QuarantinedRecord(
                            code, found_level, parent, (problems[-1],), existing.values
                        )
                    )

        if problems and data.policy.quarantines:
            self._quarantine(
                QuarantinedRecord(code, found_level, parent, tuple(problems), tuple(readable))
            )
            return
        for problem in problems:
            data.add_issue(problem)
        if not known_code or not isinstance(code, str):
            return
        if code in data.rows[found_level]:
            return  # a conflicting second record: reported above
        region = self.known[code]
        data.rows[found_level][code] = RegionRow(
            code, region.name or _record_name(record, found_level), found_level, tuple(values)
        )

    def _row_checks(self, code: str | Message, values: list[int]) -> list[Issue]:
        """laki-laki + perempuan = jumlah; each family's breakdown = jumlah, and a
        breakdown by sex = that sex's total."""
        found: list[Issue] = []
        absent = self.data.absent_keys
        total = values[self._total]
        if not absent.intersection(TOTAL_KEYS):
            both = values[self._male] + values[self._female]
            if both != total:
                found.append(
                    Issue(
                        code, "jumlah", message(N_("laki_laki + perempuan differs from jumlah")),
                        _fmt(both), _fmt(total),
                    )
                )  # fmt: skip
            for family_key, keys, indexes in self._family_indexes:
                if absent.intersection(keys):
                    continue  # reported once per field instead
                breakdown = sum(values[i] for i in indexes)
                if breakdown != total:
                    found.append(
                        Issue(
                            code, "jumlah",
                            message(
                                N_("sum of the {family} columns differs from jumlah"),
                                family=family_key,
                            ),
                            _fmt(breakdown), _fmt(total), family=family_key,
                        )
                    )  # fmt: skip
            for family_key, prefix, total_key, keys in self._sex_indexes:
                if absent.intersection(keys):
                    continue
                breakdown = sum(values[VALUE_INDEX[k]] for k in keys)
                sex_total = values[VALUE_INDEX[total_key]]
                if breakdown != sex_total:
                    found.append(
                        Issue(
                            code, prefix.rstrip("_"),
                            message(
                                N_("sum of the {family} {prefix}* columns differs from {total}"),
                                family=family_key, prefix=prefix, total=total_key,
                            ),
                            _fmt(breakdown), _fmt(sex_total), family=family_key,
                        )
                    )  # fmt: skip
        return found

    @staticmethod
    def _conflict_issue(code: str) -> Issue:
        return Issue(
            code, "record", message(N_("two records for this region with different figures"))
        )

    def _absent(self, key: str) -> None:
        """A requested field a record lacks: reported once for the field."""
        data = self.data
        if key in data.absent_keys:
            return
        data.absent_keys.add(key)
        families = [f.key for f in self.families if key in f.source_keys]
        family = None if key in TOTAL_KEYS else families[0] if families else None
        data.add_issue(
            Issue(
                message(N_("feed")),
                key,
                message(
                    N_("field absent from the feed's records, needed by the family {family}"),
                    family=family or "jumlah",
                ),
                family=family,
            )
        )

    def _quarantine(self, record: QuarantinedRecord) -> None:
        self.data.quarantined.append(record)

    def _guard_personal_data(self, code: str | Message, record: Mapping[str, Any]) -> bool:
        """Report personal data in the record (never quarantined); True if found."""
        verdicts = self._name_verdicts
        found = False
        for key, value in record.items():
            name_hit = verdicts.get(key)
            if name_hit is None:
                name_hit = verdicts[key] = _personal_data_issue(code, key, None) is not None
            if name_hit:
                self.data.add_issue(Issue(code, str(key), message(_PERSONAL_FIELD)))
                found = True
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
                found = True
        return found
