"""A synthetic but plausible SDI catalogue of N datasets for the portal
benchmark: the OPDs of a kabupaten (one per government affair, plus the
demo's), datasets spread over OPDs (a few big producers, many small ones),
topics, sub-topics, Paser's kecamatan and desa, years and update schedules,
with one to three resources each and a DataStore table for a share of them.

Deterministic (seeded) and pure: no CKAN import, so the load step, the
locust mix and the tests all see the same catalogue from the same seed.
Every value comes from the vocabularies and region list the portal uses
(reference/vocabularies.py, reference/regions.py).
"""

from __future__ import annotations

import datetime
import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ckanext.satudata.reference import regions, vocabularies

SEED = 6401
# When the catalogue's data files were last replaced: spread over the last
# three years, so every freshness state shows up for every schedule.
TODAY = datetime.date(2026, 6, 30)
SPREAD_DAYS = 3 * 365
# One dataset in DATASTORE_EVERY has its first table loaded into the DataStore
# (previewed on the resource page, served by datastore_search).
DATASTORE_EVERY = 10

# Indicators an OPD publishes: (name, unit, data type). Combined with a
# disaggregation and a region they give titles like the national portal's.
INDICATORS: tuple[tuple[str, str, str], ...] = (
    ("Jumlah Penduduk", "jiwa", "statistik"),
    ("Jumlah Kepala Keluarga", "kk", "statistik"),
    ("Kepadatan Penduduk", "jiwa_per_km2", "statistik"),
    ("Jumlah Sekolah Dasar", "sekolah", "statistik"),
    ("Angka Partisipasi Kasar SMP", "persen", "statistik"),
    ("Jumlah Guru", "orang", "statistik"),
    ("Jumlah Puskesmas", "unit", "statistik"),
    ("Jumlah Kasus Demam Berdarah", "kasus", "statistik"),
    ("Cakupan Imunisasi Dasar Lengkap", "persen", "statistik"),
    ("Prevalensi Stunting Balita", "persen", "statistik"),
    ("Produksi Padi Sawah", "ton", "statistik"),
    ("Luas Panen Kelapa Sawit", "hektare", "statistik"),
    ("Produksi Perikanan Tangkap", "ton", "statistik"),
    ("Populasi Ternak Sapi", "buah", "statistik"),
    ("Panjang Jalan Kabupaten menurut Kondisi", "km", "statistik"),
    ("Jumlah Kejadian Bencana", "kejadian", "statistik"),
    ("Jumlah UMKM Binaan", "unit", "statistik"),
    ("Jumlah Kunjungan Wisatawan", "orang", "statistik"),
    ("Jumlah Pencari Kerja Terdaftar", "orang", "statistik"),
    ("Rumah Tangga Penerima Bantuan Sosial", "rumah_tangga", "statistik"),
    ("Indeks Pembangunan Manusia", "indeks", "statistik"),
    ("Rasio Elektrifikasi", "rasio", "statistik"),
    ("Realisasi Pendapatan Asli Daerah", "juta_rupiah", "keuangan"),
    ("Realisasi Belanja Daerah", "juta_rupiah", "keuangan"),
    ("Dana Desa yang Disalurkan", "rupiah", "keuangan"),
    ("Batas Administrasi Desa", "km2", "geospasial"),
    ("Sebaran Fasilitas Kesehatan", "unit", "geospasial"),
    ("Tutupan Lahan", "hektare", "geospasial"),
    ("Jaringan Irigasi", "km", "geospasial"),
    ("Volume Sampah Terangkut", "ton", "statistik"),
)
DISAGGREGATIONS = (
    "menurut Kecamatan",
    "menurut Desa/Kelurahan",
    "menurut Jenis Kelamin",
    "menurut Kelompok Umur",
    "menurut Bulan",
    "",
)
# (schedule, weight): most regional data is annual.
SCHEDULES = (
    ("tahunan", 60),
    ("semesteran", 10),
    ("triwulanan", 8),
    ("bulanan", 10),
    ("ad_hoc", 7),
    ("dua_tahunan", 3),
    ("harian", 2),
)
TAGS = (
    "penduduk", "kesehatan", "pendidikan", "pertanian", "perikanan", "jalan", "bencana",
    "umkm", "pariwisata", "tenaga-kerja", "bansos", "keuangan-daerah", "desa", "kecamatan",
    "gizi", "imunisasi", "sekolah", "guru", "padi", "sawit", "ternak", "sampah", "irigasi",
    "lahan", "listrik", "apbd", "pad", "dana-desa", "stunting", "ipm",
)  # fmt: skip


@dataclass(frozen=True)
class Opd:
    name: str
    title: str
    kode_opd: str
    urusan: str
    peran: str = "produsen_data"

    def as_dict(self) -> dict[str, Any]:
        """What organization_create takes (the OPD schema's required fields)."""
        return {
            "name": self.name,
            "title": self.title,
            "kode_opd": self.kode_opd,
            "peran": self.peran,
            "urusan": [self.urusan],
            "email": f"{self.name.removesuffix('-paser')}@paserkab.go.id",
        }


@dataclass
class Resource:
    id: str
    name: str
    format: str
    url: str
    created: datetime.datetime
    tahun: int
    periode_data: str
    datastore_rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def view_id(self) -> str:
        """Id of the resource's DataStore preview (a datatables_view)."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"preview:{self.id}"))


@dataclass
class Dataset:
    id: str
    name: str
    title: str
    notes: str
    opd: Opd
    fields: dict[str, Any]  # the SDI fields, as package_create takes them
    tags: list[str]
    resources: list[Resource]
    private: bool
    created: datetime.datetime

    @property
    def theme(self) -> str:
        return str(self.fields["theme"])

    def as_create_dict(self) -> dict[str, Any]:
        """The same dataset as package_create would take it."""
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "notes": self.notes,
            "owner_org": self.opd.name,
            "tag_string": ",".join(self.tags),
            "license_id": "cc-by",
            **self.fields,
            "resources": [
                {
                    "id": r.id,
                    "name": r.name,
                    "format": r.format,
                    "url": r.url,
                    "tahun": r.tahun,
                    "periode_data": r.periode_data,
                }
                for r in self.resources
            ],
        }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def opds() -> list[Opd]:
    """One OPD per government affair (urusan), named as Paser names them."""
    found = []
    for term in vocabularies.terms("urusan"):
        label = term.label("id")
        short = _slug(label)[:40].strip("-")
        found.append(
            Opd(
                name=f"{short}-paser",
                title=f"Dinas {label} Kabupaten Paser",
                kode_opd=f"{term.value}.0.00.0.00.01.0000",
                urusan=term.value,
                peran="walidata" if term.value == "2.16" else "produsen_data",
            )
        )
    return found


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _regions(rng: random.Random) -> tuple[str, list[str], str]:
    """(tingkat_wilayah, kode_wilayah, the region's name for the title)."""
    tenant = regions.tenant_regions()
    root = tenant[regions.tenant_root()]
    draw = rng.random()
    if draw < 0.5:
        return root.level, [root.code], root.name
    kecamatan = [r for r in tenant.values() if r.level == "kecamatan"]
    if draw < 0.8:
        chosen = rng.sample(kecamatan, rng.randint(1, 3))
        return "kecamatan", [r.code for r in chosen], f"Kecamatan {chosen[0].name}"
    village = rng.choice([r for r in tenant.values() if r.level in ("desa", "kelurahan")])
    return village.level, [village.code], f"{village.level.title()} {village.name}"


def _periods(schedule: str) -> list[str]:
    term = vocabularies.get("frequency", schedule)
    return list(term.extra.get("periods") or []) if term else []


def _datastore_rows(rng: random.Random, start: int, end: int) -> list[dict[str, Any]]:
    """Rows of the indikator_wilayah_tahun standard: each kecamatan, each year
    (the indicator's name and unit are the dataset's)."""
    tenant = regions.tenant_regions()
    codes = [r.code for r in tenant.values() if r.level == "kecamatan"]
    return [
        {
            "kode_wilayah": code,
            "nama_wilayah": tenant[code].name,
            "tahun": year,
            "nilai": rng.randint(10, 90_000),
        }
        for year in range(start, end + 1)
        for code in codes
    ]


def datasets(count: int, seed: int = SEED) -> Iterator[Dataset]:
    """``count`` datasets, the same ones for the same seed."""
    rng = random.Random(seed)
    agencies = opds()
    # A few agencies produce most data (Zipf-like weights).
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(agencies))]
    topics = vocabularies.terms("topic")
    schedules, schedule_weights = zip(*SCHEDULES, strict=True)
    for n in range(count):
        indicator, unit, kind = rng.choice(INDICATORS)
        disaggregation = rng.choice(DISAGGREGATIONS)
        level, kode, place = _regions(rng)
        start = rng.randint(2015, 2024)
        end = rng.randint(start, 2025)
        schedule = rng.choices(schedules, schedule_weights)[0]
        topic = rng.choice(topics)
        opd = rng.choices(agencies, weights)[0]
        title = " ".join(
            part for part in (indicator, disaggregation, f"di {place}", f"Tahun {start}-{end}")
            if part
        )  # fmt: skip
        access = rng.choices(("terbuka", "terbatas"), (95, 5))[0]
        fields: dict[str, Any] = {
            "theme": topic.value,
            "subtopik": rng.choice(topic.children).value if topic.children else None,
            "jenis": kind,
            "accessRights": access,
            "accrualPeriodicity": schedule,
            "periode": (rng.choice(_periods(schedule)) if _periods(schedule) else None),
            "tahun_mulai": start,
            "tahun_akhir": end,
            "tingkat_wilayah": level,
            "kode_wilayah": kode,
            "satuan": unit,
            "sumber": opd.title,
            "standar_data": "indikator_wilayah_tahun" if level == "kecamatan" else None,
        }
        # With microseconds, as CKAN stamps a dataset it writes: package_show
        # serves a dataset from the index only when the index's timestamp
        # matches the database's to 22 characters, which a whole-second stamp
        # never does (isoformat drops the fraction, Solr adds a "Z").
        created = datetime.datetime.combine(
            TODAY - datetime.timedelta(days=rng.randint(0, SPREAD_DAYS)), datetime.time(8)
        ) + datetime.timedelta(
            seconds=rng.randint(0, 9 * 3600), microseconds=rng.randint(1, 999_999)
        )
        slug = _slug(f"{indicator} {disaggregation} {place} {start} {end}")[:80].strip("-")
        resources = []
        for position in range(rng.choices((1, 2, 3), (60, 30, 10))[0]):
            year = end - position
            fmt = "CSV" if position == 0 else rng.choice(("CSV", "XLSX", "PDF"))
            resources.append(
                Resource(
                    id=_uuid(rng),
                    name=f"{indicator} {year}",
                    format=fmt,
                    url=f"https://data.paserkab.go.id/berkas/{slug}-{year}.{fmt.lower()}",
                    created=created - datetime.timedelta(days=30 * position),
                    tahun=year,
                    periode_data=str(year),
                )
            )
        if n % DATASTORE_EVERY == 0:
            resources[0].datastore_rows = _datastore_rows(rng, max(start, end - 4), end)
        yield Dataset(
            id=_uuid(rng),
            name=f"{slug}-{n:05d}",
            title=title,
            notes=(
                f"{indicator} {disaggregation} di {place} untuk tahun {start} sampai {end}, "
                f"dihasilkan oleh {opd.title} sebagai bagian dari Satu Data Kabupaten Paser."
            ),
            opd=opd,
            fields={k: v for k, v in fields.items() if v is not None},
            tags=sorted(set(rng.sample(TAGS, rng.randint(1, 4)))),
            resources=resources,
            private=access != "terbuka",
            created=created,
        )
