"""The validation engine on small generated files (no CKAN needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from frictionless import Resource, Schema
from validation_files import (
    ERROR_KINDS,
    HEADER,
    corrupt_xlsx,
    csv_bytes,
    entity_xlsx,
    good_rows,
    with_error,
    xlsx_bytes,
    zip_bomb_xlsx,
)

from ckanext.satudata.standards import registry as standards
from ckanext.satudata.validation import guard
from ckanext.satudata.validation.inspection import Policy, inspect_file
from ckanext.satudata.validation.reader import Limits

STANDARD = "penduduk_jenis_kelamin"


def write(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_registry_lists_the_standards_with_titles() -> None:
    listed = {name: (title_id, title_en) for name, title_id, title_en in standards.list_standards()}
    assert {"penduduk_jenis_kelamin", "indikator_wilayah_tahun"} <= set(listed)
    assert listed["penduduk_jenis_kelamin"][1] == "Population by region and sex"
    schema = standards.load_standard(STANDARD)
    assert schema.field_names == HEADER
    assert schema.primary_key == ["kode_wilayah", "tahun", "semester"]
    assert standards.region_code_fields(schema) == ["kode_wilayah"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_valid_table_passes(tmp_path: Path, fmt: str) -> None:
    rows = good_rows()
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    result = inspect_file(write(tmp_path, f"ok.{fmt}", content), fmt, STANDARD)
    assert result.status == "success", result.summary
    assert result.row_count == len(rows)
    assert result.error_count == 0
    assert result.file_hash and len(result.file_hash) == 64


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", sorted(ERROR_KINDS))
def test_each_error_class_has_row_and_column(tmp_path: Path, fmt: str, kind: str) -> None:
    header, rows, row_number, column = with_error(kind)
    content = csv_bytes(rows, header) if fmt == "csv" else xlsx_bytes(rows, header)
    result = inspect_file(write(tmp_path, f"bad.{fmt}", content), fmt, STANDARD)
    assert result.status == "failure"
    entry = result.summary[0]
    assert entry["type"] == ERROR_KINDS[kind]
    assert entry["row"] == row_number
    assert column in entry["column"]
    assert (
        f"Baris {row_number}" in entry["message_id"]
        and f'"{entry["column"]}"' in entry["message_en"]
    )


def test_indonesian_csv_semicolon_decimal_comma_and_cp1252(tmp_path: Path) -> None:
    header = ["kode_wilayah", "nama_wilayah", "tahun", "indikator", "nilai", "satuan"]
    rows = [
        ["64.01.04", "Tanah Grogot", "2024", "Luas wilayah", "1.234,5", "km²"],
        ["64.01.05", "Kuaro", "2024", "Luas wilayah", "12,25", "km²"],
        ["64.01.06", "Pasir Belengkong", "2024", "Penduduk", "1.234.567", "jiwa"],
    ]
    content = csv_bytes(rows, header, delimiter=";", encoding="cp1252")
    result = inspect_file(write(tmp_path, "id.csv", content), "csv", "indikator_wilayah_tahun")
    assert result.status == "success", result.summary
    assert result.row_count == 3


def test_inferred_schema_still_reports_structure_errors(tmp_path: Path) -> None:
    content = b"a,b,c\n1,2,3\n4,5,6,7\n8,9\n"
    result = inspect_file(write(tmp_path, "x.csv", content), "csv", None)
    assert result.status == "failure"
    assert [(e["type"], e["row"]) for e in result.summary] == [
        ("extra-cell", 3),
        ("missing-cell", 4),
    ]


def test_nik_column_is_found_with_rows_but_without_values(tmp_path: Path) -> None:
    rows = [
        ["Budi", "3201014501900001", 3],
        ["Siti", "6401045501900003", 4],
        ["Andi", "-", 5],
        ["Rina", "6401046403850002", 6],
    ]
    content = csv_bytes(rows, ["nama", "nomor", "umur"])
    result = inspect_file(write(tmp_path, "p.csv", content), "csv", None)
    assert result.status == "failure"
    assert result.personal_data == [
        {"column": "nomor", "column_number": 2, "reason": "values", "rows": [2, 3, 5], "matches": 3}
    ]
    assert result.always_refused
    text = repr(result.summary) + repr(result.report)
    assert "3201014501900001" not in text and "6401045501900003" not in text


def test_nik_typed_as_numbers_in_xlsx_is_found(tmp_path: Path) -> None:
    # As Excel keeps them: 15 significant digits (last digit lost) or scientific text.
    rows = [[1, 3201014501900000], [2, 6401045501900000], [3, "3.20101E+15"], [4, 6401046403850000]]
    content = xlsx_bytes(rows, ["no", "nomor_penduduk"])
    result = inspect_file(write(tmp_path, "p.xlsx", content), "xlsx", None)
    assert [f["column"] for f in result.personal_data] == ["nomor_penduduk"]
    assert result.personal_data[0]["rows"] == [2, 3, 4, 5]


def test_header_naming_an_identifier_is_personal_data(tmp_path: Path) -> None:
    content = csv_bytes([["Budi", ""]], ["nama", "No. KK"])
    result = inspect_file(write(tmp_path, "h.csv", content), "csv", None)
    assert [(f["column"], f["reason"]) for f in result.personal_data] == [("No. KK", "header")]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("3201014501900001", "strong"),  # woman born 5 Jan 1990 (45 = 5 + 40)
        ("3201011201900001", "strong"),
        ("3201013201900001", None),  # day 32
        ("3201011213900001", None),  # month 13
        ("0001011201900001", None),  # no such province
        ("3.20101E+15", "weak"),
        (3201014501900000, "weak"),
        ("2024", None),
        ("64.01.04.1001", None),
    ],
)
def test_cell_classification(value: object, expected: str | None) -> None:
    assert guard.classify_cell(value) == expected


def test_aggregate_count_of_families_is_not_personal() -> None:
    assert not guard.header_is_personal("jumlah_kk")
    assert guard.header_is_personal("Nomor Induk Kependudukan")


@pytest.mark.parametrize(
    "name, content, fmt, code",
    [
        ("empty.csv", b"", "csv", "empty"),
        ("blank.csv", b"\n\n  \n", "csv", "empty"),
        ("page.csv", b"<!DOCTYPE html><html><body>Login</body></html>", "csv", "not-a-table"),
        ("corrupt.xlsx", None, "xlsx", "corrupt"),
        ("bomb.xlsx", None, "xlsx", "zip-bomb"),
        ("entities.xlsx", None, "xlsx", "xml-entities"),
        ("doc.pdf", b"%PDF-1.4", "pdf", "unreadable-pdf"),
        ("photo.bin", b"\x00\x01binary\x00" * 10, "", "unreadable"),
    ],
)
def test_bad_files_get_a_clear_error(
    tmp_path: Path, name: str, content: bytes | None, fmt: str, code: str
) -> None:
    if content is None:
        content = {
            "corrupt.xlsx": corrupt_xlsx(),
            "bomb.xlsx": zip_bomb_xlsx(),
            "entities.xlsx": entity_xlsx(),
        }[name]
    result = inspect_file(write(tmp_path, name, content), fmt, None)
    assert result.status == "error"
    assert result.rejection == code
    assert result.summary[0]["message_id"] and result.summary[0]["message_en"]


@pytest.mark.parametrize(
    ("name", "fmt", "build", "kind"),
    [("wrong.xlsx", "xlsx", csv_bytes, "csv"), ("zip.csv", "csv", xlsx_bytes, "xlsx")],
)
def test_the_content_decides_not_the_name(
    tmp_path: Path, name: str, fmt: str, build: Any, kind: str
) -> None:
    result = inspect_file(write(tmp_path, name, build(good_rows())), fmt, STANDARD)
    assert (result.status, result.format, result.checked_as) == ("success", kind, "table")


def test_oversize_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", csv_bytes(good_rows()))
    result = inspect_file(path, "csv", None, policy=Policy(limits=Limits(max_bytes=100)))
    assert (result.status, result.rejection) == ("error", "too-large")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_findings_match_plain_frictionless(tmp_path: Path, fmt: str) -> None:
    rows = good_rows()
    rows[1][4] = "banyak"
    rows[4][6] = ""
    rows.append(list(rows[0]))
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    path = write(tmp_path, f"e.{fmt}", content)
    schema = standards.load_standard(STANDARD)
    plain = Resource(path=f"e.{fmt}", basepath=str(tmp_path), schema=schema).validate()
    ours = inspect_file(path, fmt, STANDARD)

    def key(errors: list[dict]) -> list[tuple]:
        return [(e["type"], e.get("rowNumber"), e.get("fieldName")) for e in errors]

    plain_errors = key(plain.to_descriptor()["tasks"][0]["errors"])
    assert plain_errors  # the file does have errors
    # Our region-code check is extra; everything frictionless finds, we find.
    ours_errors = [e for e in key(ours.report["tasks"][0]["errors"]) if e[0] != "region-code"]
    assert ours_errors == plain_errors


def test_schema_descriptors_are_valid_frictionless() -> None:
    for name, _, _ in standards.list_standards():
        assert isinstance(standards.load_standard(name), Schema)
