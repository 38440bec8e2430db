"""validation/reader.py is the one reader of CSV and XLSX files: the
validation engine streams rows from it, the harvesters read whole grids
(read_grids) by the same encoding, delimiter and container rules."""

from __future__ import annotations

import pytest

from ckanext.satudata.demo import build_opd
from ckanext.satudata.validation import messages, reader


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("kode_wilayah,nama_wilayah,nilai\n64.01.04,Tanah Grogot,3\n", ","),
        # Indonesian Excel: ";" between fields, "," in decimals.
        ("kecamatan;tahun;luas\nKuaro;2024;12,5\nLong Ikis;2024;7,25\n", ";"),
        # A title row above the header, as OPDs write them.
        (
            "Daftar Data Dinas Kesehatan\nNo;Nama Data;Satuan\n1;Puskesmas;Unit\n2;Posyandu;Unit\n",
            ";",
        ),
        # Commas inside quoted fields are not delimiters.
        ('nama,keterangan\n"Luas Panen, Produksi",ton\n"Jumlah, Total",unit\n', ","),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("hanya satu kolom\nbaris\n", ","),
    ],
)
def test_one_delimiter_rule(text: str, delimiter: str) -> None:
    assert reader.detect_delimiter(text) == delimiter


def test_grids_of_a_csv_by_the_encoding_rule() -> None:
    content = "kecamatan;jumlah\nPaser Belengkong;1.234\nBatu Engau;56\n".encode("cp1252")
    [grid] = reader.read_grids(content)
    assert grid.name == "csv"
    assert grid.rows == [
        ["kecamatan", "jumlah"],
        ["Paser Belengkong", "1.234"],
        ["Batu Engau", "56"],
    ]


def test_a_non_utf8_byte_after_the_sample_is_still_decoded() -> None:
    body = "a,b\n" + "x,1\n" * (reader.SAMPLE_BYTES // 4) + "Kecamatan Kuaro\u00e9,2\n"
    [grid] = reader.read_grids(body.encode("cp1252"))
    assert grid.rows[-1] == ["Kecamatan Kuaro\u00e9", "2"]


def test_grids_of_every_sheet_with_merged_ranges() -> None:
    content = build_opd._xlsx({"Data": [["Judul"], ["a", "b"], [1, 2]], "Catatan": [["x"]]})
    grids = reader.read_grids(content)
    assert [grid.name for grid in grids] == ["Data", "Catatan"]
    assert grids[0].rows[2] == [1.0, 2.0]


@pytest.mark.parametrize(
    ("content", "code", "english"),
    [
        (b"  \r\n", "empty", "The file is empty."),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "corrupt", "corrupt: not a readable"),
        (b"\x7fELF\x00\x00\x01", "not-a-table", "not a table (detected content: binary"),
        (b"PK\x03\x04 broken", "corrupt", "corrupt: not a readable"),
    ],
)
def test_files_that_are_no_table_are_refused_with_a_reason(
    content: bytes, code: str, english: str
) -> None:
    with pytest.raises(reader.FileRejected) as refused:
        reader.read_grids(content)
    assert refused.value.code == code
    assert english in messages.rejection_text(refused.value)


def test_grid_limits_are_the_validation_limits() -> None:
    content = b"a\n" + b"1\n" * 20
    with pytest.raises(reader.FileRejected) as refused:
        reader.read_grids(content, reader.Limits(max_rows=10))
    assert refused.value.code == "too-many-rows"
    with pytest.raises(reader.FileRejected) as refused:
        reader.read_grids(content, reader.Limits(max_bytes=10))
    assert refused.value.code == "too-large"
