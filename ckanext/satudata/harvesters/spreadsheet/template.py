"""The downloadable Excel template of the OPD data inventory.

Generated from the inventory columns (inventory.COLUMNS) and the controlled
vocabularies (vocabularies.py), so it always matches what the harvester
accepts: one header row, a dropdown (data validation) on every vocabulary
column fed from a hidden "Kosakata" sheet, an example row, and a sheet of
instructions. Pure Python: no CKAN import (openpyxl only).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ckanext.satudata.harvesters.spreadsheet.inventory import COLUMNS, REQUIRED_COLUMNS
from ckanext.satudata.reference import vocabularies

DATA_SHEET = "Daftar Data"
VOCAB_SHEET = "Kosakata"
HELP_SHEET = "Petunjuk"
# Rows that carry dropdowns (an inventory of one OPD is far smaller).
VALIDATED_ROWS = 1000

EXAMPLE = {
    "id_ddd": "DDD-6401-DINKES-001",
    "nama_data": "Jumlah Puskesmas menurut Kecamatan di Kabupaten Paser",
    "jenis_data": "Statistik",
    "kode_standar_data": "N/A",
    "produsen_data": "Dinas Kesehatan Kabupaten Paser",
    "klasifikasi_data": "Terbuka",
    "definisi": "Jumlah pusat kesehatan masyarakat (rawat inap dan non rawat inap) per kecamatan.",
    "satuan": "Unit",
    "klasifikasi_penyajian": "per kecamatan",
    "jadwal_pemutakhiran": "Tahunan",
    "link_portal_daerah": "jumlah_puskesmas.xlsx",
    "topik": "Perlindungan Sosial & Kesehatan",
    "subtopik": "Kesehatan",
    "tahun_mulai": "2024",
    "tingkat_wilayah": "Kecamatan",
    "kata_kunci": "puskesmas, kesehatan",
    "data_prioritas": "Ya",
    "kriteria_prioritas": "Indikator RPJMD (Standar Pelayanan Minimal kesehatan)",
    "jadwal_rilis": "31/03/2025",
}

HELP = (
    "Satu baris untuk satu dataset. Judul kolom boleh bernomor (mis. '1. ID DDD').",
    "Kolom wajib: Nama Data dan Link Portal Daerah (alamat berkas data CSV/XLSX; nama berkas "
    "saja berarti berkas di folder yang sama dengan daftar data ini).",
    "ID DDD adalah identitas tetap baris: jangan diubah, agar dataset diperbarui dan tidak "
    "digandakan. Tanpa ID DDD, Nama Data yang menjadi identitas.",
    "Kolom dengan daftar pilihan hanya menerima nilai dari lembar Kosakata.",
    "Berkas data dengan beberapa lembar: tambahkan #sheet=NAMA pada Link Portal Daerah.",
    "Baris yang dihapus dari daftar ini menarik datasetnya dari portal.",
    "Daftar Data tahunan (perencanaan, diimpor walidata): ID DDD, Nama Data dan Produsen Data "
    "wajib, Link Portal Daerah boleh kosong. Data Prioritas: Ya atau Tidak. Jadwal Rilis: "
    "tanggal rencana rilis (31/03/2025) atau bulannya (Maret 2025).",
)
YES_NO = ("Ya", "Tidak")


def _vocabulary_labels(vocabulary: str) -> list[str]:
    terms = vocabularies.subtopics() if vocabulary == "subtopic" else vocabularies.terms(vocabulary)
    return [term.label() for term in terms]


def build_template() -> bytes:
    workbook = Workbook()
    data = workbook.active
    assert data is not None
    data.title = DATA_SHEET
    vocab = workbook.create_sheet(VOCAB_SHEET)
    help_sheet = workbook.create_sheet(HELP_SHEET)

    header_fill = PatternFill("solid", fgColor="1F4E78")
    required_fill = PatternFill("solid", fgColor="C00000")
    for index, column in enumerate(COLUMNS, start=1):
        cell = data.cell(row=1, column=index, value=column.label)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = required_fill if column.key in REQUIRED_COLUMNS else header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        data.column_dimensions[get_column_letter(index)].width = max(14, len(column.label) + 4)
        data.cell(row=2, column=index, value=EXAMPLE.get(column.key, ""))
    data.freeze_panes = "A2"

    for index, column in enumerate(COLUMNS, start=1):
        if column.key == "data_prioritas":
            choice = DataValidation(
                type="list",
                formula1=f'"{",".join(YES_NO)}"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.label,
                error=f"{column.label}: {' atau '.join(YES_NO)}.",
            )
            target = get_column_letter(index)
            choice.add(f"{target}2:{target}{VALIDATED_ROWS + 1}")
            data.add_data_validation(choice)

    vocab_column = 0
    for index, column in enumerate(COLUMNS, start=1):
        if column.vocabulary is None:
            continue
        vocab_column += 1
        labels = _vocabulary_labels(column.vocabulary)
        letter = get_column_letter(vocab_column)
        vocab.cell(row=1, column=vocab_column, value=column.label).font = Font(bold=True)
        for row, label in enumerate(labels, start=2):
            vocab.cell(row=row, column=vocab_column, value=label)
        source = f"'{VOCAB_SHEET}'!${letter}$2:${letter}${len(labels) + 1}"
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=column.label,
            error=f"Pilih {column.label} dari daftar (lembar {VOCAB_SHEET}).",
        )
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}{VALIDATED_ROWS + 1}")
        data.add_data_validation(validation)

    help_sheet.column_dimensions["A"].width = 110
    help_sheet.cell(row=1, column=1, value="Petunjuk pengisian Daftar Data Daerah").font = Font(
        bold=True
    )
    for row, text in enumerate(HELP, start=3):
        help_sheet.cell(row=row, column=1, value=f"{row - 2}. {text}")
    workbook.properties.title = "Daftar Data Daerah"
    workbook.properties.creator = "ckanext-satudata"

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
