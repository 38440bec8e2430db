"""Duplicate primary keys on digests (keys.py): the same findings as
frictionless' own primary-key check."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from frictionless import Resource, Schema
from validation_files import HEADER, csv_bytes, good_rows

from ckanext.satudata.standards import registry as standards
from ckanext.satudata.validation import keys
from ckanext.satudata.validation.engine import without_primary_key
from ckanext.satudata.validation.inspection import inspect_file

STANDARD = "penduduk_jenis_kelamin"
KEY = "kode_wilayah, tahun, semester"


def write(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def key_findings(result: Any) -> list[tuple[Any, ...]]:
    return [
        (e["type"], e["row"], e["column"]) for e in result.summary if e["type"] == "primary-key"
    ]


def test_duplicates_are_reported_with_row_and_key_columns(tmp_path: Path) -> None:
    rows = good_rows()
    rows.append(list(rows[0]))  # row len(rows) + 1 repeats row 2
    rows.append(list(rows[3]))
    result = inspect_file(write(tmp_path, "d.csv", csv_bytes(rows)), "csv", STANDARD)
    assert result.status == "failure"
    count = len(rows)
    assert key_findings(result) == [("primary-key", count, KEY), ("primary-key", count + 1, KEY)]
    entry = result.summary[0]
    assert f"Baris {count}" in entry["message_id"] and f'"{KEY}"' in entry["message_en"]
    reported = [e for e in result.report["tasks"][0]["errors"] if e["type"] == "primary-key"]
    assert [e["note"] for e in reported] == [
        "the same as in the row at position 2",
        "the same as in the row at position 5",
    ]


def test_composite_key_needs_every_part_equal(tmp_path: Path) -> None:
    rows = good_rows()[:3]
    rows.append([*rows[0][:2], 2023, *rows[0][3:]])  # other year: a different key
    rows.append([*rows[0][:3], 1, *rows[0][4:]])  # other semester: a different key
    result = inspect_file(write(tmp_path, "c.csv", csv_bytes(rows)), "csv", STANDARD)
    assert result.status == "success", result.summary
    rows.append(list(rows[3]))  # repeats the 2023 row (row 5) as row 7
    rows.append(list(rows[0]))  # row 8 repeats row 2
    result = inspect_file(write(tmp_path, "c.csv", csv_bytes(rows)), "csv", STANDARD)
    assert key_findings(result) == [("primary-key", 7, KEY), ("primary-key", 8, KEY)]
    notes = [e["note"] for e in result.report["tasks"][0]["errors"]]
    assert notes == [
        "the same as in the row at position 5",
        "the same as in the row at position 2",
    ]


def test_a_key_seen_three_times_points_to_the_previous_row(tmp_path: Path) -> None:
    rows = good_rows()[:2]
    rows += [list(rows[0]), list(rows[0])]
    result = inspect_file(write(tmp_path, "t.csv", csv_bytes(rows)), "csv", STANDARD)
    notes = [(e["rowNumber"], e["note"]) for e in result.report["tasks"][0]["errors"]]
    assert notes == [
        (4, "the same as in the row at position 2"),
        (5, "the same as in the row at position 4"),
    ]


@pytest.mark.parametrize(
    "left, right",
    [
        (1, 1.0),
        (1, Decimal("1.00")),
        (Decimal("2.50"), 2.5),
        (True, 1),
        (float("inf"), Decimal("Infinity")),
        (datetime.date(2024, 1, 2), datetime.date(2024, 1, 2)),
        (
            datetime.datetime(2024, 1, 2, 7, tzinfo=datetime.timezone(datetime.timedelta(hours=7))),
            datetime.datetime(2024, 1, 2, 0, tzinfo=datetime.UTC),
        ),
    ],
)
def test_equal_values_have_equal_digests(left: Any, right: Any) -> None:
    assert left == right
    assert keys.key_digest([left, "x"]) == keys.key_digest([right, "x"])


@pytest.mark.parametrize(
    "left, right",
    [
        (["1", 2], [1, 2]),
        (["a\x1esb", "c"], ["a", "b\x1esc"]),
        ([None, "a"], ["a", None]),
        ([Decimal("0.1")], [0.1]),
        ([datetime.date(2024, 1, 2)], [datetime.datetime(2024, 1, 2)]),
        ([float("nan")], [float("nan")]),
    ],
)
def test_different_values_have_different_digests(left: list[Any], right: list[Any]) -> None:
    assert left != right
    assert keys.key_digest(left) != keys.key_digest(right)


# Same findings as frictionless, error by error -------------------------------


def plain_errors(path: str, schema: Schema) -> list[dict[str, Any]]:
    report = Resource(
        path=Path(path).name, basepath=str(Path(path).parent), schema=schema
    ).validate(limit_errors=10_000)
    return report.to_descriptor()["tasks"][0]["errors"]


def keyed_errors(path: str, schema: Schema) -> list[dict[str, Any]]:
    """Frictionless without primaryKey plus keys.primary_key, as the engine runs them."""
    resource = Resource(
        path=Path(path).name, basepath=str(Path(path).parent), schema=without_primary_key(schema)
    )
    checklist = keys.KeyFirstChecklist(
        checks=[keys.primary_key(field_names=list(schema.primary_key))]
    )
    report = resource.validate(checklist, limit_errors=10_000)
    return report.to_descriptor()["tasks"][0]["errors"]


def messy_rows(seed: int) -> list[list[Any]]:
    rng = random.Random(seed)
    base = good_rows()[:8]
    rows: list[list[Any]] = []
    for _ in range(40):
        row = list(rng.choice(base))  # repeats: duplicate keys
        roll = rng.random()
        if roll < 0.1:
            row[2] = rng.choice(["dua ribu", "", "2024.0"])  # key cell: type error / blank
        elif roll < 0.2:
            row[0] = ""  # key cell: required constraint
        elif roll < 0.3:
            row[4] = "banyak"  # other cell: type error
        elif roll < 0.35:
            row = ["", "", "", "", "", "", ""]  # blank row
        elif roll < 0.4:
            row = ["", row[1], "", "", row[4], row[5], row[6]]  # blank key
        elif roll < 0.45:
            row = row[:5]  # short row
        elif roll < 0.5:
            row = [*row, "extra"]
        elif roll < 0.55:
            row[3] = "tiga"  # semester: type error after a key type error maybe
            row[1] = ""
        rows.append(row)
    return rows


@pytest.mark.parametrize("seed", range(12))
def test_same_errors_as_frictionless_in_the_same_order(tmp_path: Path, seed: int) -> None:
    schema = standards.load_standard(STANDARD)
    path = write(tmp_path, "m.csv", csv_bytes(messy_rows(seed)))
    expected = plain_errors(path, schema)
    assert any(e["type"] == "primary-key" for e in expected)
    assert keyed_errors(path, schema) == expected


@pytest.mark.parametrize("seed", range(4))
def test_same_errors_with_a_unique_column_and_reordered_key(tmp_path: Path, seed: int) -> None:
    descriptor = standards.standard_descriptor(STANDARD)
    descriptor["primaryKey"] = ["semester", "kode_wilayah", "tahun"]
    for field in descriptor["fields"]:
        if field["name"] in ("nama_wilayah", "tahun"):
            field.setdefault("constraints", {})["unique"] = True
    schema = Schema.from_descriptor(descriptor)
    path = write(tmp_path, "u.csv", csv_bytes(messy_rows(100 + seed)))
    expected = plain_errors(path, schema)
    assert any(e["type"] == "unique-error" for e in expected)
    assert keyed_errors(path, schema) == expected


def test_missing_key_column_skips_the_key_check_as_frictionless(tmp_path: Path) -> None:
    schema = standards.load_standard(STANDARD)
    header = [name for name in HEADER if name != "semester"]
    rows = [[c for i, c in enumerate(r) if i != 3] for r in good_rows()[:3]]
    rows.append(list(rows[0]))
    path = write(tmp_path, "h.csv", csv_bytes(rows, header))
    assert keyed_errors(path, schema) == plain_errors(path, schema)
