"""The region hierarchy rule of population counts: a region's figure is the
sum of its children's (the kecamatan of a kabupaten add up to the kabupaten,
the desa of a kecamatan to the kecamatan), count by count. Written once:
the Dukcapil harvester checks a semester's feed with it
(harvesters/dukcapil/consistency.py), the quality score a published table
(quality/evidence.py, the consistency dimension).

Codes are dotted Kemendagri codes; a code's depth is its number of segments
(kabupaten 2, kecamatan 3, desa 4). Pure Python: no CKAN import.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

# Number of dotted segments of a code at each level.
LEVEL_DEPTH = {"provinsi": 1, "kabupaten": 2, "kecamatan": 3, "desa": 4}
LEVELS = tuple(LEVEL_DEPTH)


def depth(code: str) -> int:
    return code.count(".") + 1


def parent_of(code: str) -> str:
    return code.rsplit(".", 1)[0]


@dataclass
class ChildSums:
    """The children's figures added per parent code (column by column), and
    how many children each parent has."""

    sums: dict[str, list[int]]
    counts: dict[str, int]

    def add(
        self,
        parent: str,
        values: Sequence[int | None],
        indexes: Iterable[int],
        counted: bool = True,
    ) -> set[int]:
        """Add one child's figures at ``indexes`` (``counted``: it counts as one
        of the parent's children); returns the indexes it does not carry as
        numbers (its parent's sums there cannot be compared)."""
        acc = self.sums.get(parent)
        if acc is None:
            acc = self.sums[parent] = [0] * len(values)
            self.counts[parent] = 0
        elif len(acc) < len(values):
            acc.extend([0] * (len(values) - len(acc)))
        if counted:
            self.counts[parent] += 1
        missing = set()
        for index in indexes:
            value = values[index]
            if value is None:
                missing.add(index)
            else:
                acc[index] += value
        return missing


def sum_children(
    children: Iterable[tuple[str, Sequence[int | None]]], indexes: Sequence[int]
) -> ChildSums:
    """Add up ``children`` ((code, figures) pairs) per parent code."""
    found = ChildSums({}, {})
    for code, values in children:
        found.add(parent_of(code), values, indexes)
    return found


@dataclass(frozen=True)
class Disagreement:
    """A parent's figure at ``index`` that is not the sum of its children's."""

    parent: str
    index: int
    children: int  # how many children were added
    summed: int
    total: int


def disagreements(
    parents: Mapping[str, Sequence[int | None]],
    children: ChildSums,
    indexes: Sequence[int],
    unchecked: Mapping[str, set[int]] | None = None,
) -> Iterator[Disagreement]:
    """Each parent figure that differs from its children's sum, parents in
    ``parents``' order, then by index. A parent without children is not
    compared (it is reported as missing children elsewhere); an index in
    ``unchecked[parent]`` (a child did not carry it) neither."""
    for code, values in parents.items():
        summed = children.sums.get(code)
        if summed is None:
            continue
        skipped = (unchecked or {}).get(code, set())
        for index in indexes:
            total = values[index]
            if index in skipped or total is None or summed[index] == total:
                continue
            yield Disagreement(code, index, children.counts[code], summed[index], total)


def level_pairs(levels: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(parent level, child level) of the levels given that are one step
    apart (kabupaten/kecamatan, kecamatan/desa), top down."""
    ordered = [level for level in LEVELS if level in set(levels)]
    for parent, child in itertools.pairwise(ordered):
        if LEVEL_DEPTH[child] == LEVEL_DEPTH[parent] + 1:
            yield parent, child
