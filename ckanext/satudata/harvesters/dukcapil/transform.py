"""Region rows -> tidy CSV tables following our population data standards.

One row per region x semester, dotted Kemendagri codes, integer counts, rows
sorted by code so the same figures always give the same bytes (the content
hash of a table is what tells a revision from a re-run). Pure Python: no CKAN import.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence

from ckanext.satudata.harvesters.dukcapil.records import SemesterData
from ckanext.satudata.harvesters.dukcapil.standard import (
    TOTAL_KEY,
    VALUE_INDEX,
    Family,
    Semester,
)


def family_rows(
    data: SemesterData, family: Family, level: str, semester: Semester
) -> list[list[object]]:
    indexes = [VALUE_INDEX[key] for key in family.source_keys]
    total = VALUE_INDEX[TOTAL_KEY]
    rows: list[list[object]] = []
    for code in sorted(data.rows[level]):
        row = data.rows[level][code]
        values = row.values
        rows.append(
            [
                code,
                row.name,
                semester.year,
                semester.half,
                *(values[i] for i in indexes),
                values[total],
            ]
        )
    return rows


def to_csv(family: Family, rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(family.table_columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_csv_rows(content: bytes) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    header = next(reader, [])
    return header, [row for row in reader if row]


def cumulative_csv(family: Family, semester_tables: Iterable[bytes]) -> bytes:
    """All semesters in one table, ordered by year, semester, code.

    Built from the per-semester tables (the single source of truth), so a
    revised semester is reflected here as soon as its own table is replaced.
    """
    expected = list(family.table_columns)
    merged: list[list[str]] = []
    for content in semester_tables:
        header, rows = read_csv_rows(content)
        if header != expected:
            raise ValueError(
                f"semester table columns {header} do not match the standard {expected}"
            )
        merged.extend(rows)
    merged.sort(key=lambda r: (int(r[2]), int(r[3]), r[0]))
    return to_csv(family, merged)
