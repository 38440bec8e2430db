"""The fast path (validation/fastpath.py) finds exactly what frictionless
finds: on a corpus of files with errors of every kind the engine meets —
types, constraints, duplicate and blank keys, region codes, personal data,
in CSV and XLSX — the whole report and the summary are the same whether the
fast path or frictionless validates, and the fast path really ran."""

from __future__ import annotations

import datetime
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from frictionless import Schema
from frictionless.resources import TableResource
from gate_files import NIK
from validation_files import HEADER, csv_bytes, good_rows, xlsx_bytes

from ckanext.satudata.validation import engine, fastpath, guard
from ckanext.satudata.validation.inspection import inspect_file

STANDARD = "penduduk_jenis_kelamin"


def _corpus() -> dict[str, list[list[Any]]]:
    base = good_rows()

    def edited(*changes: tuple[int, int, Any]) -> list[list[Any]]:
        rows = [list(row) for row in base]
        for row, column, value in changes:
            rows[row][column] = value
        return rows

    return {
        "type errors": edited((1, 4, "banyak"), (3, 6, "12,5x")),
        "constraints": edited((2, 4, -5), (4, 1, ""), (5, 2, 1800)),
        "duplicate key": [*base, list(base[2])],
        "blank key cells": edited((3, 0, ""), (3, 2, ""), (3, 3, "")),
        "region codes": edited((1, 0, "64.01.99"), (2, 0, "6401"), (4, 0, "64.1")),
        "personal data": edited(
            (2, 1, NIK), (5, 1, f"NIK {NIK[:4]} {NIK[4:8]} {NIK[8:12]} {NIK[12:]}")
        ),
        "many kinds in one row": edited((2, 0, "64.01.99"), (2, 4, "x"), (2, 6, -1)),
        "clean": base,
    }


CORPUS = _corpus()


def _report(path: str, fmt: str) -> dict[str, Any]:
    result = inspect_file(path, fmt, STANDARD)
    return {
        "status": result.status,
        "errors": result.report["tasks"][0]["errors"] if result.report.get("tasks") else None,
        "summary": result.summary,
        "personal": result.personal_data,
        "rows": result.row_count,
    }


@pytest.mark.parametrize("chunk_rows", [fastpath.CHUNK_ROWS, 3])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", sorted(CORPUS))
def test_the_fast_path_finds_what_frictionless_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, fmt: str, chunk_rows: int
) -> None:
    """Also in chunks of 3 rows: what a value was found to be in one chunk
    (failing, suspect, a key already seen) holds in the next."""
    monkeypatch.setattr(fastpath, "CHUNK_ROWS", chunk_rows)
    rows = CORPUS[case]
    path = tmp_path / f"data.{fmt}"
    path.write_bytes(csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows))

    ran: list[bool] = []
    real: Callable[..., Any] = fastpath.validate

    def spy(*args: Any, **kwargs: Any) -> Any:
        outcome = real(*args, **kwargs)
        ran.append(outcome is not None)
        return outcome

    monkeypatch.setattr(fastpath, "validate", spy)
    fast = _report(str(path), fmt)
    assert ran == [True], "the fast path fell back"

    monkeypatch.setattr(fastpath, "supports", lambda schema: False)
    slow = _report(str(path), fmt)
    assert fast == slow
    if case != "clean":
        assert fast["status"] == "failure"


def test_what_the_fast_path_leaves_to_frictionless(tmp_path: Path) -> None:
    """A ragged row and a header other than the schema's fall back."""
    ragged = tmp_path / "ragged.csv"
    ragged.write_bytes(csv_bytes(good_rows()) + b"64.01.04,Tanah Grogot,2024\n")
    reordered = tmp_path / "reordered.csv"
    reordered.write_bytes(csv_bytes([row[::-1] for row in good_rows()], HEADER[::-1]))
    for path in (ragged, reordered):
        source = engine.table_source(str(path), "csv", engine.Limits())
        schema = engine.resolve_schema(STANDARD)
        assert schema is not None
        assert fastpath.validate(source, schema, [], None, 1000, typed=False) is None


# Every kind of field and constraint the fast path judges in bulk, and those it
# leaves to frictionless's cell reader (dates, booleans, bounded numbers), on a
# schema of its own: each cell below is a case of one of them.
MIXED_SCHEMA = {
    "fields": [
        {"name": "kode", "type": "string", "regionCode": True, "constraints": {"required": True}},
        {"name": "nama", "type": "string", "constraints": {"minLength": 2, "maxLength": 12}},
        {"name": "kategori", "type": "string", "constraints": {"enum": ["a", "b", 3]}},
        {"name": "pola", "type": "string", "constraints": {"pattern": r"\d{2}\.\d{2}"}},
        {
            "name": "tahun",
            "type": "integer",
            "constraints": {"required": True, "minimum": 1945, "maximum": "2100"},
        },
        {"name": "jumlah", "type": "integer", "constraints": {"minimum": 0, "maximum": 10**6}},
        {"name": "kelas", "type": "integer", "constraints": {"enum": [1, 2, "3"]}},
        {"name": "nilai", "type": "number"},
        {"name": "rasio", "type": "number", "constraints": {"maximum": 1}},
        {"name": "tanggal", "type": "date"},
        {"name": "aktif", "type": "boolean"},
    ],
    "primaryKey": ["kode", "tahun"],
    "missingValues": ["", "-", "NA"],
}
MIXED_GOOD = ["64.01.04", "Tanah Grogot", "a", "64.01", "2024", "5", "1", "2.5", "0.5", "2024-01-31", "true"]  # fmt: skip
# (column, value) per row: one case each; rows are MIXED_GOOD otherwise, the
# key (kode, tahun) made unique by the row's tahun unless the case is a key.
MIXED_CASES: list[list[tuple[int, Any]]] = [
    [],
    [(4, " 2025 ")],  # int() strips spaces
    [(4, "+2026")],  # and takes a sign
    [(4, "2_027")],  # and underscores
    [(4, "\u0662\u0660\u0662\u0668")],  # and other scripts' digits
    [(4, "02029")],  # and leading zeros
    [(4, "20x0")],  # type error in a key cell
    [(4, "1800")],  # below the minimum
    [(4, "99999999999999999")],  # above the maximum
    [(4, "-")],  # a missing value in a required cell
    [(5, "NA"), (1, "-")],  # missing values where allowed
    [(5, "-1")],  # minimum
    [(5, "1.5")],  # not an integer
    [(6, "3"), (2, "3")],  # enum: "3" read as 3; a string enum's 3 is no "3"
    [(6, "4"), (2, "c")],  # enum failures
    [(1, "X")],  # minLength
    [(1, "Kecamatan Long Ikis")],  # maxLength
    [(1, "Éé")],  # two characters, whatever the bytes
    [(3, "6401")],  # pattern
    [(3, "\u0666\u0664.\u0660\u0661")],  # Python's \d takes them: no error
    [(3, "64.01\n")],  # $ before a final newline: no error in Python
    [(0, "64.01.99")],  # unknown under the tenant
    [(0, "6401")],  # undotted
    [(0, "64.1")],  # not a code
    [(0, " 63.01 ")],  # a code outside the tenant, spaces stripped
    [(0, "\u0666\u0664.\u0660\u0661")],  # other scripts' digits: read as a code
    [(0, "")],  # blank required key cell
    [(7, "1e3"), (8, "1.5")],  # a number; above the maximum
    [(7, "12,5"), (8, "abc")],  # type errors of numbers
    [(9, "31/01/2024"), (10, "ya")],  # type errors of a date and a boolean
    [(1, NIK)],  # a NIK in a text column
    [(1, f"NIK {NIK[:4]} {NIK[4:8]} {NIK[8:12]} {NIK[12:]}")],
    [(1, "3.20101E+15")],  # a NIK mangled by a spreadsheet (weak)
    [(4, "02030")],  # duplicate key of row 2 (tahun 2030): both read as 2030
    [(4, "2025")],  # duplicate of the " 2025 " row
    [(0, "-"), (4, "NA")],  # all-blank key
]


def _mixed_rows(typed: bool) -> list[list[Any]]:
    rows = []
    for index, case in enumerate(MIXED_CASES):
        row: list[Any] = list(MIXED_GOOD)
        row[4] = str(2030 + index)
        for column, value in case:
            row[column] = value
        if typed and index % 4 == 0:  # a workbook's typed cells
            row[4], row[5], row[7] = int(row[4]), 5, 2.5
            row[9] = datetime.date(2024, 1, 31)
            row[10] = True
        rows.append(row)
    if typed:
        rows += [
            [*MIXED_GOOD[:4], 2100.0, 7, 2, 12.25, 0.5, None, False],  # whole floats
            [
                *MIXED_GOOD[:4],
                2099.5,
                True,
                2,
                "x",
                1,
                None,
                None,
            ],  # a float and a bool in integers
            [
                64.01,
                5,
                *MIXED_GOOD[2:4],
                2098,
                None,
                None,
                None,
                None,
                None,
                None,
            ],  # numbers in strings
            [*MIXED_GOOD[:4], 2097, int(NIK), 1, float(NIK), 0, None, None],  # NIKs as numbers
            [*MIXED_GOOD[:4], 2096, "", 1, 1, 2, None, None],  # an empty text cell
        ]
    return rows


def _both_paths(path: Path, fmt: str, schema: Schema) -> tuple[Any, Any]:
    """The errors (and personal-data findings) the fast path and frictionless
    report for ``path`` against ``schema``, as the engine asks each."""
    source = engine.table_source(str(path), fmt, engine.Limits())
    lean = engine.without_primary_key(schema)
    fast = fastpath.validate(
        source, lean, list(schema.primary_key), None, engine.ERROR_LIMIT, typed=fmt != "csv"
    )
    assert fast is not None, "the fast path fell back"
    scanner = guard.PersonalDataScanner()
    scanned = engine._ScannedSource(source, scanner)
    report = TableResource(data=scanned, format="inline", schema=lean).validate(
        engine.build_checks(schema, scanner), limit_errors=engine.ERROR_LIMIT
    )
    found = (
        fast.report.to_descriptor()["tasks"][0]["errors"],
        [f.as_dict() for f in fast.scanner.findings()],
        fast.rows,
    )
    expected = (
        report.to_descriptor()["tasks"][0]["errors"],
        [f.as_dict() for f in scanner.findings()],
        report.tasks[0].stats["rows"],
    )
    return found, expected


@pytest.mark.parametrize("chunk_rows", [fastpath.CHUNK_ROWS, 3])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_kind_of_cell_as_frictionless_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, chunk_rows: int
) -> None:
    monkeypatch.setattr(fastpath, "CHUNK_ROWS", chunk_rows)
    schema = Schema.from_descriptor(MIXED_SCHEMA)
    rows = _mixed_rows(typed=fmt == "xlsx")
    path = tmp_path / f"mixed.{fmt}"
    header = schema.field_names
    path.write_bytes(csv_bytes(rows, header) if fmt == "csv" else xlsx_bytes(rows, header))
    found, expected = _both_paths(path, fmt, schema)
    assert found == expected
    errors, personal, _ = found
    kinds = {error["type"] for error in errors}
    assert kinds == {
        "type-error",
        "constraint-error",
        "primary-key",
        "region-code",
        "personal-data",
    }
    assert len(errors) >= 25
    assert personal and all(NIK not in str(finding) for finding in personal)


def test_decimal_comma_and_thousands_dots(tmp_path: Path) -> None:
    """An Indonesian CSV (";" and decimal commas, cp1252): the numbers read
    through reader.py's conversion, and both paths see the same cells."""
    schema = Schema.from_descriptor(
        {
            "fields": [
                {"name": "kode", "type": "string", "regionCode": True},
                {"name": "nama", "type": "string"},
                {"name": "jumlah", "type": "integer", "constraints": {"minimum": 0}},
                {"name": "nilai", "type": "number"},
            ],
            "primaryKey": ["kode"],
        }
    )
    rows = [
        ["64.01.04", "Tanah Grogot", "1.234.567", "12,5"],
        ["64.01.05", "Kuaro", "2.345", "1.234,75"],
        ["64.01.06", "Pasir Belengkong", "-1.000", "0,25"],
        ["64.01.07", "Muara Komam", "12,5", "1,5x"],
        ["64.01.04", "Batu Sopang é", "7", "3,14"],
    ]
    path = tmp_path / "id.csv"
    path.write_bytes(csv_bytes(rows, schema.field_names, delimiter=";", encoding="cp1252"))
    found, expected = _both_paths(path, "csv", schema)
    assert found == expected
    assert [(e["type"], e["rowNumber"]) for e in found[0]] == [
        ("constraint-error", 4),
        ("type-error", 5),
        ("type-error", 5),
        ("primary-key", 6),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_what_the_fast_path_leaves_to_frictionless_gives_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Header errors, blank rows, extra and missing cells, a key beyond 64
    bits: the fast path steps aside, and the engine's report is still the
    one frictionless gives."""
    base = good_rows()
    cases: dict[str, tuple[list[list[Any]], list[str]]] = {
        "missing column": ([row[:-1] for row in base], HEADER[:-1]),
        "extra column": ([[*row, 1] for row in base], [*HEADER, "catatan"]),
        "blank row": ([*base[:2], [None] * 7, *base[2:]], HEADER),
        "extra cell": ([*base[:2], [*base[2], "x"], *base[3:]], HEADER),
        # (A workbook's rows are as wide as its sheet: a short row has blanks.)
        **(
            {"missing cell": ([*base[:2], base[2][:-1], *base[3:]], HEADER)} if fmt == "csv" else {}
        ),
        "huge key": ([*base[:2], [base[2][0], base[2][1], 10**30, *base[2][3:]]], HEADER),
    }
    for case, (rows, header) in cases.items():
        path = tmp_path / f"{case}.{fmt}"
        path.write_bytes(csv_bytes(rows, header) if fmt == "csv" else xlsx_bytes(rows, header))
        source = engine.table_source(str(path), fmt, engine.Limits())
        schema = engine.resolve_schema(STANDARD)
        assert schema is not None
        lean = engine.without_primary_key(schema)
        assert (
            fastpath.validate(source, lean, list(schema.primary_key), None, 1000, fmt != "csv")
            is None
        ), case
        fast = _report(str(path), fmt)
        with monkeypatch.context() as patched:
            patched.setattr(fastpath, "supports", lambda schema: False)
            assert _report(str(path), fmt) == fast, case
        assert fast["status"] == "failure", case


def test_more_errors_than_the_limit_fall_back(tmp_path: Path) -> None:
    """Frictionless stops at the error limit: the fast path lets it."""
    rows = [[*row[:4], "x", *row[5:]] for row in good_rows()]
    path = tmp_path / "many.csv"
    path.write_bytes(csv_bytes(rows))
    source = engine.table_source(str(path), "csv", engine.Limits())
    schema = engine.resolve_schema(STANDARD)
    assert schema is not None
    assert fastpath.validate(source, schema, [], None, len(rows) - 1, typed=False) is None
    assert fastpath.validate(source, schema, [], None, len(rows) + 1, typed=False) is not None


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_row_of_missing_values_is_blank_for_both(tmp_path: Path, fmt: str) -> None:
    """A row whose cells are all missing values ("-", "NA") is a blank row
    to frictionless, not a row of required-cell errors: the fast path steps
    aside; one missing value short of it, it judges the row itself."""
    schema = Schema.from_descriptor(MIXED_SCHEMA)
    lean = engine.without_primary_key(schema)
    rows = [list(MIXED_GOOD), ["-", "NA", *["-"] * 9], ["-", "NA", *["-"] * 8, "ya"]]
    for case, kept in (("blank", rows), ("not blank", [rows[0], rows[2]])):
        path = tmp_path / f"{case}.{fmt}"
        header = schema.field_names
        path.write_bytes(csv_bytes(kept, header) if fmt == "csv" else xlsx_bytes(kept, header))
        source = engine.table_source(str(path), fmt, engine.Limits())
        fast = fastpath.validate(source, lean, list(schema.primary_key), None, 1000, fmt != "csv")
        if case == "blank":
            assert fast is None
        else:
            found, expected = _both_paths(path, fmt, schema)
            assert found == expected
            assert "blank-row" not in {error["type"] for error in found[0]}


def test_a_fork_after_the_fast_path_ran_leaves_it_to_frictionless(tmp_path: Path) -> None:
    """polars's thread pool does not survive a fork: in the child of a
    process that has used it (as an rq work horse can be), the fast path
    steps aside instead of hanging, and the report is the same."""
    rows = CORPUS["many kinds in one row"]
    path = tmp_path / "data.csv"
    path.write_bytes(csv_bytes(rows))
    expected = _report(str(path), "csv")  # polars used in this process
    source = engine.table_source(str(path), "csv", engine.Limits())
    schema = engine.resolve_schema(STANDARD)
    assert schema is not None
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        signal.alarm(60)  # never hang the suite
        try:
            fell_back = fastpath.validate(source, schema, [], None, 1000, typed=False) is None
            same = _report(str(path), "csv") == expected
            os.write(write, b"ok" if fell_back and same else b"different")
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(child, 0)
    with os.fdopen(read, "rb") as pipe:
        assert pipe.read() == b"ok"
    assert os.waitstatus_to_exitcode(status) == 0
