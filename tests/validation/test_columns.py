"""validation/columns.py: polars installed beside CKAN 2.12's pinned
requirements, and every vectorised test conservative — what it passes,
frictionless's cell reader passes; what guard.classify_cell looks at, it
flags — on a corpus of awkward cells."""

from __future__ import annotations

import importlib.metadata
import itertools
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from frictionless import Schema
from gate_files import NIK, NIK_DASHED, NIK_SPACED

from ckanext.satudata.reference import regions
from ckanext.satudata.validation import columns, guard

ROOT = Path(__file__).resolve().parents[2]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", line)
        if match:
            pins[match[1].split("[")[0].lower()] = match[2]
    return pins


def test_polars_is_pinned_and_installed_beside_ckan() -> None:
    """The pinned polars is what runs beside CKAN 2.12, and pip finds no
    requirement of CKAN or of any other installed package broken by it."""
    pins = _pins()
    assert importlib.metadata.version("ckan").startswith("2.12.")
    assert importlib.metadata.version("polars") == pl.__version__ == pins["polars"]
    runtime = next(
        name for name in pins if name.startswith("polars-runtime-")
    )  # the compiled part, pinned as resolved
    assert importlib.metadata.version(runtime) == pins[runtime]
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"polars>=' in pyproject
    check = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_polars_judges_a_column_inside_ckan(ckan_config: Any) -> None:
    """Imported and used in a CKAN process (the plugin loaded), with no
    optional dependency (numpy, pyarrow) needed."""
    schema = Schema.from_descriptor(
        {"fields": [{"name": "tahun", "type": "integer", "constraints": {"minimum": 1945}}]}
    )
    test = columns.FieldTest(schema.fields[0], False, frozenset({""}))
    good, target = test.judge(columns.split(["2024", "1800", "x", "", "02024"], typed=False))
    assert good.to_list() == [True, False, False, True, True]
    assert target is not None and target.to_list() == [2024, 1800, None, None, 2024]


# Awkward cells: what each vectorised test must not pass when frictionless
# fails it, or miss when the guard would look at it.
_TOKENS: list[Any] = [
    "", " ", "-", "NA", "0", "00", "-0", "+1", "1_000", "1 000", " 12 ", "12\n", "\u0662\u0660\u0662\u0664",
    "1945", "1944", "2100", "2101", "99999999999999999999", "-9223372036854775809",
    "1.5", "1,5", "1e3", "inf", "nan", "NaN", "2.50", ".5", "5.", "0x10", "True",
    "64", "64.01", "64.01.04", "64.01.04.1001", "64.01.99", "6401", "64.1", " 64.01",
    "64.01 ", "63.01.01.2000", "\u0666\u0664.\u0660\u0661", "64.01.04.", "64.01\n", "a", "b", "c", "3",
    "Éé", "ab", "x" * 13, "x" * 12, NIK, NIK_SPACED, NIK_DASHED, f"NIK {NIK}",
    "3.20101E+15", "3,20101E15", f"'{NIK}", f'="{NIK}"', f"{NIK}.0", "1234567890123456",
    "12345678901", "+15 is not a NIK", 2024, 2024.0, 2024.5, -1.0, 0.0, float("nan"),
    float("inf"), 1e15, 6.401044512900001e15, float(NIK), int(NIK), 2**60, True, False,
    None,
]  # fmt: skip
_FIELDS = [
    {"name": "teks", "type": "string"},
    {"name": "wajib", "type": "string", "constraints": {"required": True}},
    {"name": "kode", "type": "string", "regionCode": True},
    {"name": "panjang", "type": "string", "constraints": {"minLength": 2, "maxLength": 12}},
    {"name": "pilihan", "type": "string", "constraints": {"enum": ["a", "b", 3]}},
    {"name": "pola", "type": "string", "constraints": {"pattern": r"\d{2}(\.\d{2})?"}},
    {"name": "bulat", "type": "integer"},
    {
        "name": "tahun",
        "type": "integer",
        "constraints": {"required": True, "minimum": 1945, "maximum": 2100},
    },
    {"name": "kelas", "type": "integer", "constraints": {"enum": [1, 2, "3", 1945]}},
    {"name": "angka", "type": "number"},
]


def _column(typed: bool, size: int = 400) -> list[Any]:
    rng = random.Random(18)
    tokens = _TOKENS if typed else [t for t in _TOKENS if type(t) is str]
    return [*tokens, *(rng.choice(tokens) for _ in range(size))]


@pytest.mark.parametrize("typed", [False, True])
@pytest.mark.parametrize("missing", [("", "-", "NA"), ("", "0")])
def test_what_passes_in_bulk_passes_frictionless(typed: bool, missing: tuple[str, ...]) -> None:
    values = _column(typed)
    schema = Schema.from_descriptor({"fields": _FIELDS, "missingValues": list(missing)})
    judged = 0
    for field in schema.fields:
        region = field.name == "kode"
        read_cell = field.create_cell_reader()
        test = columns.FieldTest(field, region, frozenset(missing))
        good, target = test.judge(columns.split(values, typed))
        targets = target.to_list() if target is not None else [None] * len(values)
        for value, passes, read in zip(values, good.to_list(), targets, strict=True):
            expected, notes = read_cell(_as_read(value, typed))
            if region and expected not in (None, ""):
                notes = notes or regions.check_tenant_code(expected)
            if passes:
                judged += 1
                assert not notes, (field.name, value)
                if test.key_type:
                    assert read == expected and type(read) is type(expected), (field.name, value)
    assert judged > 1000  # the tests do judge most cells in bulk


def _as_read(value: Any, typed: bool) -> Any:
    """A cell as the row source gives it (reader.xlsx_cell for a workbook);
    frictionless compares ``str(cell)`` with the missing values."""
    if not typed:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    return None if value == "" else value


@pytest.mark.parametrize("typed", [False, True])
def test_the_guard_sees_every_cell_it_would_look_at(typed: bool) -> None:
    """may_hold_nik flags a superset of the cells guard.classify_cell finds
    a NIK/KK shape in; the "other" cells (dates, booleans, huge ints) are
    left to classify_cell itself by the fast path."""
    rng = random.Random(95)
    digits = [*NIK, " ", "-", ".", "+", "E", "1", "5"]
    generated = [
        "".join(rng.choice(digits) for _ in range(rng.randint(11, 24))) for _ in range(3000)
    ]
    values = [*_column(typed), *generated]
    cells = columns.split(values, typed)
    flagged = columns.may_hold_nik(cells).to_list()
    other = cells.other.to_list()
    seen = 0
    for value, flag, is_other in zip(values, flagged, other, strict=True):
        if guard.classify_cell(_as_read(value, typed)) is not None:
            seen += 1
            assert flag or is_other, value
    assert seen > 50


def test_cells_split_by_kind() -> None:
    cells = columns.split(["a", "", 1.0, 2, True, None, 2**60], typed=True)
    assert cells.text.to_list() == ["a", None, None, None, None, None, None]
    assert cells.number is not None and cells.number.to_list() == [None, None, 1.0, 2.0, None, None, None]  # fmt: skip
    assert cells.blank is not None and cells.blank.to_list() == [False, True, False, False, False, True, False]  # fmt: skip
    assert cells.other.to_list() == [False, False, False, False, True, False, True]
    text = columns.split(["a", "", "-"], typed=False)
    assert text.text.to_list() == ["a", "", "-"] and text.blank is None
    sheet_text = columns.split(["a", ""], typed=True)
    assert sheet_text.text.to_list() == ["a", None]
    assert sheet_text.blank is not None
    assert list(itertools.compress(["a", ""], sheet_text.blank.to_list())) == [""]
    numbers = columns.split([1.0, 2.5], typed=True)
    assert numbers.text.null_count() == 2 and numbers.other.to_list() == [False, False]
    assert numbers.number is not None and numbers.number.to_list() == [1.0, 2.5]
