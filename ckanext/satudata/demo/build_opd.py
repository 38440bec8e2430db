"""Builds the sample OPD inventories and data files in ``demo/files/``.

Three Paser OPDs, each with a "Daftar Data Daerah" inventory whose Link
Portal Daerah cells are file names relative to the inventory (so the folder
can be served from any address). Figures are plausible, not official. The
Dinas Pertanian rice sheet is deliberately messy (title rows, merged two-level
header, blank rows, numbers typed as text in the Indonesian convention, a
totals row, a source note and a second sheet). The files are committed; run
``python -m ckanext.satudata.demo.build_opd`` to rebuild them.
Pure Python: no CKAN import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from ckanext.satudata.reference import regions

OUT = Path(__file__).parent / "files"
KECAMATAN = [r for r in regions.tenant_regions().values() if r.level == "kecamatan"]

INVENTORY_HEADER = [
    "ID DDD", "ID DDP", "Sumber Referensi", "Kode Indikator", "Nama Indikator", "Nama Data",
    "Jenis Data", "Indikator/Variabel", "Kode Standar Data", "Produsen Data", "Klasifikasi Data",
    "Definisi", "Satuan", "Klasifikasi Penyajian", "Jadwal Pemutakhiran", "Kategori RAD",
    "Kode Metadata", "Link Portal Daerah", "Link Portal SDI", "Topik", "Subtopik", "Tahun Mulai",
]  # fmt: skip


def _inventory_row(**cells: str) -> list[str]:
    keys = {h: h.lower().replace(" ", "_").replace("/", "_") for h in INVENTORY_HEADER}
    return [cells.get(keys[h], "") for h in INVENTORY_HEADER]


def _csv(rows: Sequence[Sequence[Any]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _xlsx(
    sheets: Mapping[str, list[list[Any]]], merges: dict[str, list[str]] | None = None
) -> bytes:
    workbook = Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title
        first = False
        for row in rows:
            sheet.append(row)
        for cell_range in (merges or {}).get(title, []):
            sheet.merge_cells(cell_range)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _long(indicator: str, unit: str, values: dict[int, list[int]]) -> list[list[Any]]:
    """Rows of the indikator_wilayah_tahun standard."""
    rows: list[list[Any]] = [
        ["kode_wilayah", "nama_wilayah", "tahun", "indikator", "nilai", "satuan"]
    ]
    for year, numbers in sorted(values.items()):
        for region, value in zip(KECAMATAN, numbers, strict=True):
            rows.append([region.code, region.name, year, indicator, value, unit])
    return rows


def dinkes() -> dict[str, bytes]:
    puskesmas = {2023: [2, 1, 2, 3, 2, 3, 2, 2, 1, 1], 2024: [2, 1, 2, 3, 2, 3, 2, 2, 1, 1]}
    staff = [  # dokter, perawat, bidan
        (9, 41, 38), (4, 22, 19), (8, 37, 33), (46, 212, 97), (7, 35, 30),
        (10, 58, 49), (6, 30, 27), (7, 33, 31), (3, 17, 15), (3, 14, 12),
    ]  # fmt: skip
    staff_rows: list[list[Any]] = [
        ["Jumlah Tenaga Kesehatan menurut Kecamatan, Kabupaten Paser 2024"],
        [],
        ["Kecamatan", "Dokter", "Perawat", "Bidan"],
    ]
    staff_rows += [[r.name, *s] for r, s in zip(KECAMATAN, staff, strict=True)]
    staff_rows.append(["Jumlah", *(sum(col) for col in zip(*staff, strict=True))])
    producer = "Dinas Kesehatan Kabupaten Paser"
    inventory: list[list[Any]] = [
        ["DAFTAR DATA DAERAH DINAS KESEHATAN KABUPATEN PASER TAHUN 2024"],
        [f"{n}. {h}" for n, h in enumerate(INVENTORY_HEADER, start=1)],
        _inventory_row(
            id_ddd="DDD-6401-DINKES-001", nama_data="Jumlah Puskesmas menurut Kecamatan di Kabupaten Paser",
            jenis_data="Statistik", kode_standar_data="N/A", produsen_data=producer,
            klasifikasi_data="Terbuka", satuan="Unit", klasifikasi_penyajian="per kecamatan",
            definisi="Jumlah pusat kesehatan masyarakat (rawat inap dan non rawat inap) yang beroperasi di setiap kecamatan.",
            jadwal_pemutakhiran="Tahunan", link_portal_daerah="jumlah_puskesmas.csv",
            topik="Perlindungan Sosial & Kesehatan", subtopik="Kesehatan",
        ),
        _inventory_row(
            id_ddd="DDD-6401-DINKES-002", nama_data="Jumlah Tenaga Kesehatan menurut Kecamatan dan Jenis Tenaga di Kabupaten Paser",
            jenis_data="Statistik", kode_standar_data="N/A", produsen_data=producer,
            klasifikasi_data="Terbuka", satuan="Orang", klasifikasi_penyajian="per kecamatan, per jenis tenaga kesehatan",
            definisi="Jumlah dokter, perawat dan bidan yang bertugas di fasilitas kesehatan pemerintah per kecamatan, keadaan 31 Desember 2024.",
            jadwal_pemutakhiran="Tahunan", link_portal_daerah="tenaga_kesehatan_2024.xlsx",
            topik="Perlindungan Sosial & Kesehatan", subtopik="Kesehatan", tahun_mulai="2024",
        ),
    ]  # fmt: skip
    return {
        "dinkes/daftar_data.xlsx": _xlsx({"Daftar Data": inventory}, {"Daftar Data": ["A1:F1"]}),
        "dinkes/jumlah_puskesmas.csv": _csv(_long("Jumlah Puskesmas", "unit", puskesmas)),
        "dinkes/tenaga_kesehatan_2024.xlsx": _xlsx({"Tenaga Kesehatan": staff_rows}),
    }


def disdikbud() -> dict[str, bytes]:
    schools = [  # SD negeri, SD swasta
        (24, 2), (13, 1), (22, 2), (31, 6), (19, 2), (33, 3), (21, 1), (25, 2), (12, 1), (11, 0),
    ]  # fmt: skip
    pupils = {
        2023: [2651, 1412, 2398, 6120, 2287, 4419, 1870, 2544, 1233, 902],
        2024: [2703, 1398, 2441, 6257, 2310, 4502, 1889, 2590, 1251, 917],
    }
    school_rows: list[list[Any]] = [
        ["Jumlah Sekolah Dasar menurut Kecamatan dan Status, 2024"],
        ["No", "Kecamatan", "Jumlah SD", None, "Tahun"],
        [None, None, "Negeri", "Swasta", None],
    ]
    school_rows += [
        [n, r.name, negeri, swasta, 2024]
        for n, (r, (negeri, swasta)) in enumerate(zip(KECAMATAN, schools, strict=True), start=1)
    ]
    producer = "Dinas Pendidikan dan Kebudayaan Kabupaten Paser"
    inventory = [
        [h for h in INVENTORY_HEADER],
        _inventory_row(
            id_ddd="DDD-6401-DISDIKBUD-001", nama_data="Jumlah Sekolah Dasar menurut Kecamatan dan Status di Kabupaten Paser",
            jenis_data="statistik", kode_standar_data="N/A", produsen_data=producer,
            klasifikasi_data="terbuka", satuan="Sekolah", klasifikasi_penyajian="per kecamatan, per status sekolah",
            definisi="Jumlah sekolah dasar negeri dan swasta per kecamatan pada awal tahun ajaran.",
            jadwal_pemutakhiran="Tahunan", link_portal_daerah="jumlah_sd_2024.xlsx",
            topik="Pendidikan & Tenaga Kerja", subtopik="Pendidikan",
        ),
        _inventory_row(
            id_ddd="DDD-6401-DISDIKBUD-002", nama_data="Jumlah Murid Kelas 1 SD menurut Kecamatan di Kabupaten Paser",
            jenis_data="Statistik", kode_standar_data="N/A", produsen_data=producer,
            klasifikasi_data="Terbuka", satuan="Orang", klasifikasi_penyajian="per kecamatan",
            definisi="Jumlah murid baru kelas 1 sekolah dasar negeri dan swasta per kecamatan.",
            jadwal_pemutakhiran="Tahunan", link_portal_daerah="murid_kelas1_sd.csv",
            topik="Pendidikan & Tenaga Kerja", subtopik="Pendidikan",
        ),
    ]  # fmt: skip
    return {
        "disdikbud/daftar_data.csv": _csv(inventory),
        "disdikbud/jumlah_sd_2024.xlsx": _xlsx(
            {"SD": school_rows}, {"SD": ["A1:E1", "C2:D2", "A2:A3", "B2:B3", "E2:E3"]}
        ),
        "disdikbud/murid_kelas1_sd.csv": _csv(_long("Jumlah Murid Kelas 1 SD", "orang", pupils)),
    }


def distan() -> dict[str, bytes]:
    # luas panen (ha), produksi (ton), produktivitas (ku/ha) per kecamatan, 2024
    rice = [
        (1_204, 4_862.3), (2_315, 9_881.0), (1_876, 7_540.9), (3_102, 13_612.6), (2_561, 10_903.1),
        (4_118, 18_077.4), (987, 3_712.8), (1_640, 6_757.2), (612, 2_301.1), (455, 1_680.5),
    ]  # fmt: skip

    def id_number(value: float, decimals: int) -> str:
        text = f"{value:,.{decimals}f}"  # 12,345.6 -> 12.345,6
        return text.replace(",", "_").replace(".", ",").replace("_", ".")

    rows: list[list[Any]] = [
        ["PEMERINTAH KABUPATEN PASER"],
        ["Luas Panen, Produksi dan Produktivitas Padi Sawah menurut Kecamatan, 2024"],
        [],
        ["No.", "Kecamatan", "Padi Sawah", None, None, "Tahun"],
        [None, None, "Luas Panen (ha)", "Produksi (ton)", "Produktivitas (ku/ha)", None],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
    ]
    for n, (region, (area, tonnes)) in enumerate(zip(KECAMATAN, rice, strict=True), start=1):
        rows.append(
            [str(n), region.name, id_number(area, 0), id_number(tonnes, 1),
             id_number(tonnes * 10 / area, 2), "2024"]
        )  # fmt: skip
        if n == 5:
            rows.append([])
    total_area = sum(a for a, _ in rice)
    total_tonnes = sum(t for _, t in rice)
    rows.append(["", "Jumlah", id_number(total_area, 0), id_number(total_tonnes, 1), "", ""])
    rows.append([])
    rows.append(["Sumber: Dinas Pertanian Kabupaten Paser (angka sementara)"])
    notes = [["Keterangan"], ["Produktivitas = produksi / luas panen x 10 (kuintal per hektare)."]]
    producer = "Dinas Pertanian Kabupaten Paser"
    inventory: list[list[Any]] = [
        ["Daftar Data Daerah - Dinas Pertanian"],
        [f"({n}) {h}" for n, h in enumerate(INVENTORY_HEADER, start=1)],
        [f"({n})" for n in range(1, len(INVENTORY_HEADER) + 1)],
        _inventory_row(
            id_ddd="DDD-6401-DISTAN-001", nama_data="Luas Panen, Produksi dan Produktivitas Padi Sawah menurut Kecamatan di Kabupaten Paser",
            jenis_data="Statistik", kode_standar_data="N/A", produsen_data=producer,
            klasifikasi_data="Terbuka", satuan="Ton", klasifikasi_penyajian="per kecamatan",
            definisi="Luas panen (ha), produksi gabah kering giling (ton) dan produktivitas (ku/ha) padi sawah per kecamatan.",
            jadwal_pemutakhiran="Tahunan", link_portal_daerah="produksi_padi_2024.xlsx#sheet=Padi Sawah",
            topik="Ekonomi & Industri", subtopik="Pertanian",
        ),
    ]  # fmt: skip
    return {
        "distan/daftar_data.xlsx": _xlsx({"Daftar Data": inventory}),
        "distan/produksi_padi_2024.xlsx": _xlsx(
            {"Padi Sawah": rows, "Keterangan": notes},
            {"Padi Sawah": ["A1:F1", "A2:F2", "C4:E4", "A4:A5", "B4:B5", "F4:F5"]},
        ),
    }


def build(out: Path = OUT) -> list[Path]:
    written = []
    for files in (dinkes(), disdikbud(), distan()):
        for relative, content in files.items():
            path = out / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(path)
