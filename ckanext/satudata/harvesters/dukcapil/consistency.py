"""The checks across records of a semester, computed on what is published.

Run after every record is collected (records.py has made each record's own
checks):

- every known region below the root at a checked level is present (a region
  whose record is quarantined is reported as quarantined, not as missing);
- children sum to their parent, for every count read (the rule of
  reference/hierarchy.py, which the quality score applies too): the parent's figure
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
from ckanext.satudata.reference import hierarchy
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
    indexes = [index for _, index in keys]
    key_of = {index: key for key, index in keys}
    for parent_level, child_level in hierarchy.level_pairs(levels):
        children = hierarchy.sum_children(
            ((row.code, row.values) for row in data.rows[child_level].values()), indexes
        )
        # What the quarantined children carry: added, or the count left unchecked.
        unreadable: dict[str, set[int]] = {}
        held_back: dict[str, int] = {}
        for record in data.quarantined:
            if record.level != child_level or record.parent is None:
                continue
            held_back[record.parent] = held_back.get(record.parent, 0) + 1
            missing = children.add(record.parent, record.values, indexes, counted=False)
            if missing:
                unreadable.setdefault(record.parent, set()).update(missing)
        parents = {code: row.values for code, row in data.rows[parent_level].items()}
        for found in hierarchy.disagreements(parents, children, indexes, unreadable):
            quarantined = held_back.get(found.parent, 0)
            key = key_of[found.index]
            data.add_issue(
                Issue(
                    found.parent,
                    key,
                    message(
                        N_("{parent} total differs from the sum of its {count} {child}"),
                        parent=parent_level,
                        count=found.children,
                        child=child_level,
                    )
                    if not quarantined
                    else message(
                        N_(
                            "{parent} total differs from the sum of its {count} {child} "
                            "and its {quarantined} quarantined record(s)"
                        ),
                        parent=parent_level,
                        count=found.children,
                        child=child_level,
                        quarantined=quarantined,
                    ),
                    _fmt(found.summed),
                    _fmt(found.total),
                    family=_family_of(key),
                )
            )
        for code in parents:
            skipped = unreadable.get(code)
            if skipped and code in children.sums:
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
