"""Builds the demo Daftar Data 2025 of Kabupaten Paser (``demo/plan/``): the
list the Forum Satu Data agreed for the five demo OPDs, in the inventory
template's format with a title row, as the walidata would import it.

Items a kabupaten really plans (population, health, education, agriculture,
communications), some of them Data Prioritas; the ID DDD of the items the
demo OPDs' inventories harvest (demo/files/) are the same, so those items
are delivered. Names and dates are plausible, not official. The file is
committed; run ``python -m ckanext.satudata.demo.build_plan`` to rebuild it.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

PLAN_YEAR = 2025
OUT = Path(__file__).parent / "plan" / f"daftar_data_{PLAN_YEAR}.xlsx"

HEADER = [
    "ID DDD", "ID DDP", "Nama Data", "Jenis Data", "Kode Standar Data", "Produsen Data",
    "Klasifikasi Data", "Definisi", "Satuan", "Klasifikasi Penyajian", "Jadwal Pemutakhiran",
    "Topik", "Subtopik", "Data Prioritas", "Kriteria Prioritas", "Jadwal Rilis",
]  # fmt: skip

DISDUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Paser"
DINKES = "Dinas Kesehatan Kabupaten Paser"
DISDIKBUD = "Dinas Pendidikan dan Kebudayaan Kabupaten Paser"
DISTAN = "Dinas Pertanian Kabupaten Paser"
DKISP = "DKISP"  # the walidata's short name (nama_singkat) also names it

SPM = "Standar Pelayanan Minimal (PP 2/2018)"
RPJMD = "Indikator kinerja utama RPJMD 2021-2026"

# (ID DDD, nama data, produsen, satuan, penyajian, jadwal, topik, subtopik,
#  prioritas, kriteria, jadwal rilis, definisi)
ITEMS: list[tuple[str, ...]] = [
    ("DDD-6401-DISDUKCAPIL-001", "Jumlah Penduduk menurut Jenis Kelamin per Kecamatan", DISDUKCAPIL,
     "Jiwa", "per kecamatan, per jenis kelamin", "Semesteran", "Pemerintahan Umum", "Kependudukan",
     "Ya", "Data dasar seluruh perencanaan daerah", "31/03/2025",
     "Jumlah penduduk terdaftar (DKB) menurut jenis kelamin, keadaan 31 Desember 2024."),
    ("DDD-6401-DISDUKCAPIL-002", "Jumlah Penduduk menurut Kelompok Umur per Kecamatan", DISDUKCAPIL,
     "Jiwa", "per kecamatan, per kelompok umur lima tahunan", "Semesteran", "Pemerintahan Umum",
     "Kependudukan", "Ya", "Data dasar seluruh perencanaan daerah", "31/03/2025",
     "Jumlah penduduk terdaftar menurut kelompok umur lima tahunan."),
    ("DDD-6401-DISDUKCAPIL-003", "Jumlah Penduduk menurut Agama per Kecamatan", DISDUKCAPIL,
     "Jiwa", "per kecamatan, per agama", "Semesteran", "Pemerintahan Umum", "Kependudukan",
     "Tidak", "", "30/04/2025", "Jumlah penduduk terdaftar menurut agama yang dianut."),
    ("DDD-6401-DISDUKCAPIL-004", "Jumlah Penduduk menurut Pendidikan Terakhir per Desa/Kelurahan",
     DISDUKCAPIL, "Jiwa", "per desa/kelurahan, per jenjang pendidikan", "Semesteran",
     "Pemerintahan Umum", "Kependudukan", "Tidak", "", "30/04/2025",
     "Jumlah penduduk terdaftar menurut pendidikan terakhir yang ditamatkan."),
    ("DDD-6401-DISDUKCAPIL-005", "Jumlah Penduduk menurut Status Perkawinan per Kecamatan",
     DISDUKCAPIL, "Jiwa", "per kecamatan, per status perkawinan", "Semesteran", "Pemerintahan Umum",
     "Kependudukan", "Tidak", "", "31/05/2025",
     "Jumlah penduduk terdaftar menurut status perkawinan."),
    ("DDD-6401-DISDUKCAPIL-006", "Jumlah Penduduk Wajib KTP-el dan yang Telah Merekam per Kecamatan",
     DISDUKCAPIL, "Jiwa", "per kecamatan", "Semesteran", "Pemerintahan Umum", "Kependudukan",
     "Tidak", "", "31/07/2025",
     "Penduduk berumur 17 tahun ke atas atau pernah kawin, dan yang telah merekam KTP elektronik."),
    ("DDD-6401-DISDUKCAPIL-007", "Cakupan Kepemilikan Akta Kelahiran Anak Umur 0-18 Tahun",
     DISDUKCAPIL, "Persen", "per kecamatan", "Tahunan", "Pemerintahan Umum", "Kependudukan",
     "Ya", "Kabupaten Layak Anak", "Agustus 2025",
     "Persentase anak umur 0-18 tahun yang memiliki akta kelahiran."),
    ("DDD-6401-DINKES-001", "Jumlah Puskesmas menurut Kecamatan di Kabupaten Paser", DINKES, "Unit",
     "per kecamatan", "Tahunan", "Perlindungan Sosial & Kesehatan", "Kesehatan", "Tidak", "",
     "28/02/2025",
     "Jumlah pusat kesehatan masyarakat (rawat inap dan non rawat inap) yang beroperasi di setiap kecamatan."),
    ("DDD-6401-DINKES-002",
     "Jumlah Tenaga Kesehatan menurut Kecamatan dan Jenis Tenaga di Kabupaten Paser", DINKES,
     "Orang", "per kecamatan, per jenis tenaga kesehatan", "Tahunan",
     "Perlindungan Sosial & Kesehatan", "Kesehatan", "Ya", SPM, "31/03/2025",
     "Jumlah dokter, perawat dan bidan yang bertugas di fasilitas kesehatan pemerintah per kecamatan."),
    ("DDD-6401-DINKES-003", "Prevalensi Balita Stunting menurut Kecamatan", DINKES, "Persen",
     "per kecamatan", "Tahunan", "Perlindungan Sosial & Kesehatan", "Kesehatan", "Ya",
     "Percepatan penurunan stunting (Perpres 72/2021)", "30/06/2025",
     "Persentase balita dengan tinggi badan menurut umur kurang dari -2 standar deviasi (e-PPGBM)."),
    ("DDD-6401-DINKES-004", "Cakupan Imunisasi Dasar Lengkap pada Bayi menurut Puskesmas", DINKES,
     "Persen", "per puskesmas", "Tahunan", "Perlindungan Sosial & Kesehatan", "Kesehatan", "Ya",
     SPM, "31/03/2025", "Persentase bayi umur 0-11 bulan yang mendapat imunisasi dasar lengkap."),
    ("DDD-6401-DINKES-005", "Jumlah Kasus Demam Berdarah Dengue menurut Kecamatan", DINKES, "Kasus",
     "per kecamatan, per bulan", "Bulanan", "Perlindungan Sosial & Kesehatan", "Kesehatan",
     "Tidak", "", "31/01/2025", "Jumlah kasus DBD yang dilaporkan fasilitas kesehatan."),
    ("DDD-6401-DINKES-006", "Jumlah Kematian Ibu dan Bayi", DINKES, "Kasus", "per kecamatan",
     "Tahunan", "Perlindungan Sosial & Kesehatan", "Kesehatan", "Ya", RPJMD, "31/03/2026",
     "Jumlah kematian ibu pada masa kehamilan, persalinan dan nifas, dan kematian bayi umur 0-11 bulan."),
    ("DDD-6401-DINKES-007", "Jumlah Posyandu Aktif menurut Kecamatan", DINKES, "Unit",
     "per kecamatan", "Tahunan", "Perlindungan Sosial & Kesehatan", "Kesehatan", "Tidak", "", "",
     "Jumlah posyandu yang menyelenggarakan kegiatan sedikitnya delapan kali setahun."),
    ("DDD-6401-DISDIKBUD-001", "Jumlah Sekolah Dasar menurut Kecamatan dan Status di Kabupaten Paser",
     DISDIKBUD, "Sekolah", "per kecamatan, per status sekolah", "Tahunan",
     "Pendidikan & Tenaga Kerja", "Pendidikan", "Tidak", "", "31/08/2025",
     "Jumlah sekolah dasar negeri dan swasta per kecamatan pada awal tahun ajaran."),
    ("DDD-6401-DISDIKBUD-002", "Jumlah Murid Kelas 1 SD menurut Kecamatan di Kabupaten Paser",
     DISDIKBUD, "Orang", "per kecamatan", "Tahunan", "Pendidikan & Tenaga Kerja", "Pendidikan",
     "Ya", SPM, "31/08/2025",
     "Jumlah murid baru kelas 1 sekolah dasar negeri dan swasta per kecamatan."),
    ("DDD-6401-DISDIKBUD-003", "Jumlah Guru SD dan SMP menurut Status Kepegawaian", DISDIKBUD,
     "Orang", "per kecamatan, per jenjang, per status kepegawaian", "Tahunan",
     "Pendidikan & Tenaga Kerja", "Pendidikan", "Tidak", "", "30/09/2025",
     "Jumlah guru PNS, PPPK dan honorer di SD dan SMP."),
    ("DDD-6401-DISDIKBUD-004", "Angka Partisipasi Murni SD dan SMP", DISDIKBUD, "Persen",
     "per jenjang", "Tahunan", "Pendidikan & Tenaga Kerja", "Pendidikan", "Ya", RPJMD,
     "31/10/2025", "Persentase murid umur sekolah terhadap penduduk kelompok umur yang sama."),
    ("DDD-6401-DISDIKBUD-005", "Jumlah Sekolah Menengah Pertama menurut Kecamatan dan Status",
     DISDIKBUD, "Sekolah", "per kecamatan, per status sekolah", "Tahunan",
     "Pendidikan & Tenaga Kerja", "Pendidikan", "Tidak", "", "31/08/2025",
     "Jumlah SMP negeri dan swasta per kecamatan pada awal tahun ajaran."),
    ("DDD-6401-DISDIKBUD-006", "Jumlah Cagar Budaya dan Objek Diduga Cagar Budaya", DISDIKBUD,
     "Buah", "per kecamatan, per jenis", "Ad-hoc", "Budaya & Agama", "Kebudayaan", "Tidak", "", "",
     "Benda, bangunan, struktur dan situs cagar budaya yang tercatat."),
    ("DDD-6401-DISTAN-001",
     "Luas Panen, Produksi dan Produktivitas Padi Sawah menurut Kecamatan di Kabupaten Paser", DISTAN,
     "Ton", "per kecamatan", "Tahunan", "Ekonomi & Industri", "Pertanian", "Ya",
     "Ketahanan pangan daerah", "31/03/2025",
     "Luas panen (ha), produksi gabah kering giling (ton) dan produktivitas (ku/ha) padi sawah."),
    ("DDD-6401-DISTAN-002", "Luas Panen dan Produksi Jagung menurut Kecamatan", DISTAN, "Ton",
     "per kecamatan", "Tahunan", "Ekonomi & Industri", "Pertanian", "Tidak", "", "30/04/2025",
     "Luas panen (ha) dan produksi jagung pipilan kering (ton)."),
    ("DDD-6401-DISTAN-003", "Luas Areal dan Produksi Kelapa Sawit Perkebunan Rakyat", DISTAN, "Ton",
     "per kecamatan", "Tahunan", "Ekonomi & Industri", "Pertanian", "Ya", RPJMD, "30/06/2025",
     "Luas areal tanaman menghasilkan (ha) dan produksi tandan buah segar (ton) perkebunan rakyat."),
    ("DDD-6401-DISTAN-004", "Luas Lahan Sawah menurut Kecamatan", DISTAN, "Hektare",
     "per kecamatan, per jenis irigasi", "Tahunan", "Ekonomi & Industri", "Pertanian", "Ya",
     "Lahan pertanian pangan berkelanjutan", "31/07/2025",
     "Luas lahan sawah irigasi dan non irigasi (tadah hujan, pasang surut)."),
    ("DDD-6401-DISTAN-005", "Jumlah Kelompok Tani menurut Kecamatan dan Kelas", DISTAN, "Unit",
     "per kecamatan, per kelas kelompok", "Tahunan", "Ekonomi & Industri", "Pertanian", "Tidak",
     "", "30/09/2025", "Kelompok tani terdaftar dalam SIMLUHTAN menurut kelas kemampuan."),
    ("DDD-6401-DISTAN-006", "Jumlah Ternak Sapi Potong menurut Kecamatan", DISTAN, "Lainnya",
     "per kecamatan", "Tahunan", "Ekonomi & Industri", "Pertanian", "Tidak", "", "",
     "Populasi sapi potong (ekor) pada akhir tahun."),
    ("DDD-6401-DKISP-001", "Jumlah Menara Telekomunikasi menurut Kecamatan", DKISP, "Unit",
     "per kecamatan, per operator", "Tahunan", "Pendukung Umum", "Komunikasi dan Informatika",
     "Tidak", "", "30/06/2025", "Menara base transceiver station (BTS) yang beroperasi."),
    ("DDD-6401-DKISP-002", "Jumlah Desa Terjangkau Sinyal 4G", DKISP, "Unit", "per kecamatan",
     "Tahunan", "Pendukung Umum", "Komunikasi dan Informatika", "Ya", RPJMD, "30/06/2025",
     "Desa dan kelurahan yang seluruh permukimannya terjangkau layanan seluler 4G."),
    ("DDD-6401-DKISP-003", "Indeks Sistem Pemerintahan Berbasis Elektronik (SPBE)", DKISP, "Indeks",
     "kabupaten", "Tahunan", "Pendukung Umum", "Komunikasi dan Informatika", "Ya",
     "Evaluasi SPBE (Perpres 95/2018)", "31/12/2025", "Indeks hasil evaluasi SPBE Kabupaten Paser."),
    ("DDD-6401-DKISP-004", "Jumlah Titik Akses Internet Publik menurut Kecamatan", DKISP, "Unit",
     "per kecamatan", "Tahunan", "Pendukung Umum", "Komunikasi dan Informatika", "Tidak", "",
     "31/10/2025", "Titik layanan internet gratis (wi-fi publik) milik pemerintah daerah."),
    ("DDD-6401-DKISP-005", "Jumlah Dataset pada Portal Satu Data Kabupaten Paser", DKISP, "Buah",
     "per perangkat daerah", "Triwulanan", "Pendukung Umum", "Statistik", "Tidak", "", "",
     "Dataset yang ditayangkan pada portal Satu Data menurut produsen data."),
]  # fmt: skip


def rows() -> list[list[str]]:
    """The plan's rows in HEADER order."""
    out = []
    for number, item in enumerate(ITEMS, start=1):
        (ddd, name, producer, unit, presentation, schedule, topic, subtopic, priority, criteria,
         release, definition) = item  # fmt: skip
        out.append([
            ddd, f"DDP-{PLAN_YEAR}-{number:03d}" if priority == "Ya" else "", name, "Statistik",
            "N/A", producer, "Terbuka", definition, unit, presentation, schedule, topic, subtopic,
            priority, criteria, release,
        ])  # fmt: skip
    return out


def build() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Daftar Data"
    sheet.append([f"DAFTAR DATA KABUPATEN PASER TAHUN {PLAN_YEAR}"])
    sheet.append(["Disepakati Forum Satu Data Kabupaten Paser, 15 Januari 2025"])
    sheet.append([f"{n}. {label}" for n, label in enumerate(HEADER, start=1)])
    sheet["A1"].font = Font(bold=True, size=13)
    for row in rows():
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(OUT)
