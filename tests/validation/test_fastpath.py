"""The fast path (validation/fastpath.py) finds exactly what frictionless
finds: on a corpus of files with errors of every kind the engine meets —
types, constraints, duplicate and blank keys, region codes, personal data,
in CSV and XLSX — the whole report and the summary are the same whether the
fast path or frictionless validates, and the fast path really ran."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from gate_files import NIK
from validation_files import HEADER, csv_bytes, good_rows, xlsx_bytes

from ckanext.satudata.validation import engine, fastpath
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
