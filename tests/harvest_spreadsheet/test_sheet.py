"""Normalising messy OPD spreadsheets (pure Python, no CKAN)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook

from ckanext.satudata.demo import build_opd
from ckanext.satudata.harvesters.spreadsheet import sheet


def xlsx(
    sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None
) -> bytes:
    return build_opd._xlsx(sheets, merges)


def rows_of(table: sheet.Table) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(table.to_csv().decode())))


def test_messy_rice_sheet_is_normalised_and_says_what_was_done() -> None:
    content = build_opd.distan()["distan/produksi_padi_2024.xlsx"]

    table = sheet.normalise(content, "Padi Sawah")

    assert table.columns == [
        "kecamatan", "padi_sawah_luas_panen_ha", "padi_sawah_produksi_ton",
        "padi_sawah_produktivitas_ku_ha", "tahun",
    ]  # fmt: skip
    rows = rows_of(table)
    assert len(rows) == 10  # blank rows, column numbers, totals and source note gone
    assert rows[0] == {
        "kecamatan": "Batu Sopang",
        "padi_sawah_luas_panen_ha": "1204",
        "padi_sawah_produksi_ton": "4862.3",
        "padi_sawah_produktivitas_ku_ha": "40.38",
        "tahun": "2024",
    }
    assert "Jumlah" not in {r["kecamatan"] for r in rows}
    notes = " | ".join(table.notes)
    for expected in ("baris judul", "dua tingkat", "baris kosong", "jumlah/total", "nomor urut",
                     "titik pemisah ribuan, koma desimal", "catatan/sumber", "Keterangan"):  # fmt: skip
        assert expected in notes


def test_a_clean_csv_passes_unchanged() -> None:
    content = b"kode_wilayah,nama_wilayah,tahun,nilai\n64.01.04,Tanah Grogot,2024,12\n"
    table = sheet.normalise(content)
    assert table.to_csv() == content
    assert table.notes == []


def test_semicolon_csv_with_decimal_commas() -> None:
    content = "Kecamatan;Luas (km2);Kepadatan\nKuaro;1.071,25;35,7\nLong Ikis;1.040,60;49,1\n"
    table = sheet.normalise(content.encode("cp1252"))
    assert rows_of(table)[0] == {"kecamatan": "Kuaro", "luas_km2": "1071.25", "kepadatan": "35.7"}


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ([["Kecamatan", "Jumlah"], ["Kuaro", "1.234"], ["Long Ikis", "987"]], "ambiguous"),
        ([["Kecamatan", "A", "B"], ["Kuaro", "1.234,5", "12.5"]], "two conventions"),
        ([["Kecamatan", "Jumlah"], ["Jumlah", "5"], ["Kuaro", "3"]], "totals row"),
        ([["Kecamatan", "Nilai"], ["Kuaro", "12%"]], "percentage"),
        ([["Kecamatan", "Nilai", ""], ["Kuaro", "3", "x"]], "no header"),
        ([["Kecamatan", "Nilai", "nilai"], ["Kuaro", "3", "4"]], "same header"),
        ([["Judul saja"], [1, 2]], "no header row"),
    ],
)
def test_ambiguous_or_broken_sheets_are_errors(cells: list[list[object]], message: str) -> None:
    with pytest.raises(sheet.SheetError, match=message):
        sheet.normalise(xlsx({"Data": cells}))


def test_thousands_are_read_when_the_sheet_shows_its_convention() -> None:
    cells = [
        ["Kecamatan", "Penduduk", "Luas"],
        ["Kuaro", "1.234", "1.071,25"],
        ["Muara Samu", "987", "900"],
    ]
    rows = rows_of(sheet.normalise(xlsx({"Data": cells})))
    assert [r["penduduk"] for r in rows] == ["1234", "987"]


def test_two_candidate_header_rows_without_merge_are_an_error() -> None:
    cells = [["Kecamatan", "Status"], ["Nama", "Keterangan"], ["Kuaro", "aktif"]]
    with pytest.raises(sheet.SheetError, match="two candidate header rows"):
        sheet.normalise(xlsx({"Data": cells}))


def test_several_data_sheets_need_a_name() -> None:
    content = xlsx({"2023": [["a", "b"], [1, 2]], "2024": [["a", "b"], [3, 4]]})
    with pytest.raises(sheet.SheetError, match="several sheets"):
        sheet.normalise(content)
    assert rows_of(sheet.normalise(content, sheet_name="2024")) == [{"a": "3", "b": "4"}]


def test_region_codes_are_never_read_as_numbers() -> None:
    cells = [["Kode Wilayah", "Nilai"], ["64.01", "1.234"], ["64.02", "2.345.678"]]
    rows = rows_of(sheet.normalise(xlsx({"Data": cells})))
    assert rows == [
        {"kode_wilayah": "64.01", "nilai": "1234"},
        {"kode_wilayah": "64.02", "nilai": "2345678"},
    ]


def test_year_headers_of_a_wide_table() -> None:
    cells = [["Kecamatan", 2023, 2024], ["Kuaro", 10, 11]]
    table = sheet.normalise(xlsx({"Data": cells}))
    assert table.columns == ["kecamatan", "2023", "2024"]


def test_not_a_spreadsheet() -> None:
    with pytest.raises(sheet.SheetError, match="empty"):
        sheet.normalise(b"  \n")
    with pytest.raises(sheet.SheetError):
        sheet.normalise(b"PK\x03\x04garbage")
    wb = Workbook()
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(sheet.SheetError, match="no sheet with data"):
        sheet.normalise(out.getvalue())
