"""Daftar Data files for the planning tests: the inventory template's columns
(the ones a walidata fills for a year's plan), written as XLSX or CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from auth_matrix import AuthRoles
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

HEADER = [
    "ID DDD", "Nama Data", "Produsen Data", "Jenis Data", "Klasifikasi Data", "Definisi",
    "Satuan", "Klasifikasi Penyajian", "Jadwal Pemutakhiran", "Topik", "Subtopik",
    "Data Prioritas", "Kriteria Prioritas", "Jadwal Rilis",
]  # fmt: skip
DINKES = "Dinas Kesehatan Kabupaten Paser"
DISTAN = "Dinas Pertanian Kabupaten Paser"
# The test plan of 2025: three items of Dinkes (the producer's OPD in
# auth_matrix.py), two of Distan (the other producer's OPD).
ROWS = [
    ["DDD-6401-DINKES-001", "Jumlah Puskesmas menurut Kecamatan di Kabupaten Paser", DINKES,
     "Statistik", "Terbuka", "Jumlah puskesmas rawat inap dan non rawat inap per kecamatan.",
     "Unit", "per kecamatan", "Tahunan", "Perlindungan Sosial & Kesehatan", "Kesehatan",
     "Ya", "Standar Pelayanan Minimal bidang kesehatan", "31/03/2025"],
    ["DDD-6401-DINKES-002", "Jumlah Tenaga Kesehatan menurut Jenis Tenaga", DINKES,
     "Statistik", "Terbuka", "Dokter, perawat dan bidan di fasilitas kesehatan pemerintah.",
     "Orang", "per kecamatan, per jenis tenaga", "Tahunan", "Perlindungan Sosial & Kesehatan",
     "Kesehatan", "Tidak", "", "Juni 2025"],
    ["DDD-6401-DINKES-003", "Prevalensi Balita Stunting menurut Kecamatan", DINKES,
     "Statistik", "Terbuka", "Persentase balita dengan tinggi badan menurut umur di bawah -2 SD.",
     "Persen", "per kecamatan", "Tahunan", "Perlindungan Sosial & Kesehatan", "Kesehatan",
     "Ya", "Prioritas nasional percepatan penurunan stunting", "30 September 2025"],
    ["DDD-6401-DISTAN-001", "Luas Panen dan Produksi Padi Sawah menurut Kecamatan", DISTAN,
     "Statistik", "Terbuka", "Luas panen (ha) dan produksi gabah kering giling (ton).",
     "Ton", "per kecamatan", "Tahunan", "Ekonomi & Industri", "Pertanian",
     "Ya", "Ketahanan pangan daerah", "2025-05-31"],
    ["DDD-6401-DISTAN-002", "Jumlah Kelompok Tani menurut Kecamatan", "distan-paser",
     "Statistik", "Terbuka", "Kelompok tani terdaftar dalam SIMLUHTAN.",
     "Unit", "per kecamatan", "Tahunan", "Ekonomi & Industri", "Pertanian",
     "Tidak", "", ""],
]  # fmt: skip


def xlsx(rows: list[list[Any]], header: list[str] | None = None, title: bool = True) -> bytes:
    """A workbook with a title row above the header (as Forum lists have)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Daftar Data"
    if title:
        sheet.append(["DAFTAR DATA KABUPATEN PASER TAHUN 2025"])
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_file(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(content: bytes, filename: str = "daftar_data_2025.xlsx") -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=filename)


def import_plan(user: str, content: bytes, tahun: int = 2025, filename: str | None = None) -> Any:
    from ckan.tests.helpers import call_action

    name = filename or ("daftar_data.csv" if not content.startswith(b"PK") else "daftar_data.xlsx")
    return call_action(
        "satudata_daftar_data_import",
        context={"user": user},
        tahun=tahun,
        upload=upload(content, name),
    )


def items_by_id_ddd(tahun: int = 2025, **filters: Any) -> dict[str, dict[str, Any]]:
    from ckan.tests.helpers import call_action

    found = call_action("satudata_daftar_data_list", tahun=tahun, **filters)["items"]
    return {item["id_ddd"]: item for item in found}


@dataclass
class Plan:
    """The auth-matrix roles and the imported test plan's items."""

    roles: AuthRoles
    items: dict[str, dict[str, Any]]  # by ID DDD, as satudata_daftar_data_list returns them

    def item_id(self, id_ddd: str) -> str:
        return self.items[id_ddd]["id"]
