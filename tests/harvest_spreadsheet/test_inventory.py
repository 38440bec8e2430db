"""Reading the Daftar Data Daerah inventory, and its Excel template."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ckanext.satudata.demo import build_opd
from ckanext.satudata.harvesters.spreadsheet import inventory, template
from ckanext.satudata.reference import vocabularies, years


def csv_inventory(header: list[str], *rows: list[str]) -> bytes:
    return build_opd._csv([header, *rows])


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("1. ID DDD", "id_ddd"),
        ("(6) Nama  Data", "nama_data"),
        ("NAMA DATA", "nama_data"),
        ("Data name", "nama_data"),
        ("11) Klasifikasi Data", "klasifikasi_data"),
        ("Update schedule", "jadwal_pemutakhiran"),
        ("Link Portal Daerah (CSV/XLSX/JSON)", None),
        ("link_portal_daerah", "link_portal_daerah"),
        ("Indikator / Variabel", "indikator_variabel"),
        ("Keterangan lain", None),
    ],
)
def test_tolerant_header_matching(header: str, key: str | None) -> None:
    assert inventory.match_header(header) == key


def test_column_mapping_from_the_source_config_wins() -> None:
    assert (
        inventory.match_header("Berkas", {"berkas": "link_portal_daerah"}) == "link_portal_daerah"
    )


@pytest.mark.parametrize(
    ("vocabulary", "text", "value"),
    [
        ("frequency", "Ad-hoc", "ad_hoc"),
        ("frequency", "Empat Bulanan", "empat_bulanan"),
        ("frequency", "yearly", "tahunan"),
        ("classification", "TERBUKA", "terbuka"),
        ("classification", "Restricted", "terbatas"),
        ("data_type", "statistik", "statistik"),
        ("unit", "Kepala Keluarga", "kk"),
        ("topic", "Pendidikan & Tenaga Kerja", "pendidikan-tenaga-kerja"),
        ("subtopic", "Kesehatan", "kesehatan"),
        ("frequency", "Kadang-kadang", None),
    ],
)
def test_vocabulary_values_by_value_or_label(vocabulary: str, text: str, value: str | None) -> None:
    assert inventory.match_term(vocabulary, text) == value


def test_sample_inventories_read_without_errors() -> None:
    for files in (build_opd.dinkes(), build_opd.disdikbud(), build_opd.distan()):
        [content] = [c for name, c in files.items() if "daftar_data" in name]
        parsed = inventory.read_inventory(content)
        assert parsed.rows and all(not row.errors for row in parsed.rows)
        assert all(row.identity and row.identity.startswith("ddd:") for row in parsed.rows)


def test_rows_carry_their_spreadsheet_row_number_and_errors() -> None:
    content = csv_inventory(
        [
            "Nama Data",
            "Link Portal Daerah",
            "Klasifikasi Data",
            "Jadwal Pemutakhiran",
            "Tahun Mulai",
        ],
        ["Jumlah A", "a.csv", "Terbuka", "Tahunan", "2024"],
        ["", "", "", "", ""],
        ["Jumlah B", "", "Rahasia", "Kadang", "24"],
    )
    parsed = inventory.read_inventory(content)
    first, second = parsed.rows
    assert first.number == 2 and first.errors == []
    assert first.values["tahun_mulai"] == 2024 and first.identity == "nama:jumlah-a"
    assert second.number == 4
    assert any("Link Portal Daerah" in e for e in second.errors)
    assert any("Klasifikasi Data 'Rahasia'" in e for e in second.errors)
    assert any("Jadwal Pemutakhiran 'Kadang'" in e for e in second.errors)
    assert any("Tahun Mulai '24'" in e for e in second.errors)


def test_years_follow_the_one_year_rule() -> None:
    """The inventory accepts what the dataset schema accepts (years.py):
    1945 to next year; a year beyond is an error of its row."""
    header = ["Nama Data", "Link Portal Daerah", "Tahun Mulai"]
    next_year, too_far = years.last_year(), years.last_year() + 1
    content = csv_inventory(
        header,
        ["Data A", "a.csv", str(years.FIRST_YEAR)],
        ["Data B", "b.csv", str(next_year)],
        ["Data C", "c.csv", str(too_far)],
        ["Data D", "d.csv", str(years.FIRST_YEAR - 1)],
    )
    first, second, third, fourth = inventory.read_inventory(content).rows
    assert first.values["tahun_mulai"] == years.FIRST_YEAR and first.errors == []
    assert second.values["tahun_mulai"] == next_year and second.errors == []
    assert any(f"Tahun Mulai '{too_far}'" in e for e in third.errors)
    assert any(f"Tahun Mulai '{years.FIRST_YEAR - 1}'" in e for e in fourth.errors)


def test_an_inventory_without_the_required_columns_is_refused() -> None:
    with pytest.raises(inventory.InventoryError, match="no inventory header"):
        inventory.read_inventory(csv_inventory(["Judul", "Keterangan"], ["x", "y"]))
    with pytest.raises(inventory.InventoryError, match="two columns mean"):
        inventory.read_inventory(
            csv_inventory(["Nama Data", "Judul", "Link Portal Daerah"], ["a", "b", "c"])
        )


def test_template_has_every_column_and_vocabulary_dropdowns() -> None:
    workbook = load_workbook(io.BytesIO(template.build_template()))
    sheet = workbook[template.DATA_SHEET]
    header = [cell.value for cell in sheet[1]]
    assert header == [column.label for column in inventory.COLUMNS]
    validations = {
        str(v.sqref).split(":")[0][:-1]: v for v in sheet.data_validations.dataValidation
    }
    vocab = workbook[template.VOCAB_SHEET]
    for index, column in enumerate(inventory.COLUMNS, start=1):
        if column.vocabulary is None:
            continue
        letter = sheet.cell(row=1, column=index).column_letter
        assert validations[letter].type == "list", column.label
        assert validations[letter].formula1.startswith(f"'{template.VOCAB_SHEET}'!")
    labels = [c.value for c in vocab["B"][1:] if c.value]
    assert labels == [t.label() for t in vocabularies.terms("classification")] or labels
    # The template is itself a valid inventory (its example row parses cleanly).
    parsed = inventory.read_inventory(template.build_template())
    assert [row.errors for row in parsed.rows] == [[]]
