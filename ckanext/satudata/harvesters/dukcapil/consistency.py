"""The checks across records of a semester, computed on what is published.

Run after every record is collected (records.py has made each record's own
checks):

- every known region below the root at a checked level is present (a region
  whose record is quarantined is reported as quarantined, not as missing);
- children sum to their parent, for every count read: the parent's figure
  against its published children plus the figures its quarantined children
  carry. So a parent is confirmed whatever was quarantined under it, and the
  gap between the published tables is exactly the quarantined records (listed
  in the report and on the dataset page). A count a quarantined child does
  not carry as a number cannot be compared: that parent's count is left
  unchecked and the report says so;
- with the quarantine policy, more quarantined records than its limit (a
  share of the records read) reject the semester.

Pure Python: no CKAN import.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

from ckanext.satudata.harvesters.dukcapil.records import (
    LEVEL_DEPTH,
    LEVELS,
    TOTAL_KEYS,
    Issue,
    SemesterData,
)
from ckanext.satudata.harvesters.dukcapil.standard import DEFAULT_FAMILIES, FAMILIES, VALUE_INDEX
from ckanext.satudata.harvesters.messages import N_, message
from ckanext.satudata.reference.regions import Region


def _fmt(number: int) -> str:
    return f"{number:,}"


def _family_of(key: str) -> str | None:
    if key in TOTAL_KEYS:
        return None
    for family in FAMILIES.values():
        if key in family.source_keys:
            return family.key
    return None


def check(
    data: SemesterData,
    known: Mapping[str, Region],
    root: str,
    levels: Iterable[str] = ("kabupaten", "kecamatan", "desa"),
    families: Iterable[str] = DEFAULT_FAMILIES,
) -> SemesterData:
    """The checks across records (see the module docstring); adds issues to
    ``data`` and returns it."""
    levels = [level for level in LEVELS if level in set(levels)]
    wanted = dict.fromkeys((*TOTAL_KEYS, *(k for f in families for k in FAMILIES[f].source_keys)))
    keys = [(key, VALUE_INDEX[key]) for key in wanted if key not in data.absent_keys]
    _check_presence(data, known, root, levels)
    _check_sums(data, levels, keys)
    _check_quarantine_limit(data)
    return data


def _check_presence(
    data: SemesterData, known: Mapping[str, Region], root: str, levels: list[str]
) -> None:
    prefix = root + "." if root else ""  # no root: a national feed
    quarantined = {
        (record.level, record.label) for record in data.quarantined if isinstance(record.label, str)
    }
    for level in levels:
        depth = LEVEL_DEPTH[level]
        present = data.rows[level]
        for code in known:
            if code.count(".") + 1 != depth or not (code == root or code.startswith(prefix)):
                continue
            if code not in present and (level, code) not in quarantined:
                data.add_issue(
                    Issue(
                        code, "kode wilayah",
                        message(N_("region missing from the {level} data"), level=level),
                        "a record", "none",
                    )
                )  # fmt: skip


def _check_sums(data: SemesterData, levels: list[str], keys: list[tuple[str, int]]) -> None:
    width = max((index for _, index in keys), default=-1) + 1
    for parent_level, child_level in itertools.pairwise(levels):
        if LEVEL_DEPTH[child_level] != LEVEL_DEPTH[parent_level] + 1:
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
            values = row.values
            for _, index in keys:
                acc[index] += values[index]
        # What the quarantined children carry: added, or the count left unchecked.
        unreadable: dict[str, set[int]] = {}
        held_back: dict[str, int] = {}
        for record in data.quarantined:
            if record.level != child_level or record.parent is None:
                continue
            acc = sums.get(record.parent)
            if acc is None:
                acc = sums[record.parent] = [0] * width
                counts[record.parent] = 0
            held_back[record.parent] = held_back.get(record.parent, 0) + 1
            for _, index in keys:
                value = record.values[index]
                if value is None:
                    unreadable.setdefault(record.parent, set()).add(index)
                else:
                    acc[index] += value
        for code, parent_row in data.rows[parent_level].items():
            acc = sums.get(code)
            if acc is None:
                continue  # no children at all: reported as missing
            skipped = unreadable.get(code, set())
            for key, index in keys:
                if index in skipped or acc[index] == parent_row.values[index]:
                    continue
                quarantined = held_back.get(code, 0)
                data.add_issue(
                    Issue(
                        code,
                        key,
                        message(
                            N_("{parent} total differs from the sum of its {count} {child}"),
                            parent=parent_level,
                            count=counts[code],
                            child=child_level,
                        )
                        if not quarantined
                        else message(
                            N_(
                                "{parent} total differs from the sum of its {count} {child} "
                                "and its {quarantined} quarantined record(s)"
                            ),
                            parent=parent_level,
                            count=counts[code],
                            child=child_level,
                            quarantined=quarantined,
                        ),
                        _fmt(acc[index]),
                        _fmt(parent_row.values[index]),
                        family=_family_of(key),
                    )
                )
            if skipped:
                data.unchecked.append(
                    message(
                        N_(
                            "{code}: {count} count(s) not compared with its {child}: a "
                            "quarantined record does not carry them as numbers"
                        ),
                        code=code,
                        count=len(skipped),
                        child=child_level,
                    )
                )


def _check_quarantine_limit(data: SemesterData) -> None:
    policy = data.policy
    count = len(data.quarantined)
    if not count or count <= policy.max_share * data.records_read:
        return
    data.add_issue(
        Issue(
            message(N_("feed")),
            "record",
            message(
                N_("more records quarantined than the policy allows ({share} of the records read)"),
                share=f"{policy.max_share:.1%}",
            ),
            f"<= {int(policy.max_share * data.records_read):,}",
            f"{count:,}",
        )
    )
