"""What the harvester publishes: semesters and indicator families.

A *family* is one dataset ("Jumlah Penduduk menurut Jenis Kelamin"): a tidy
table with one row per region x semester whose columns follow one of our data
standards (``standards/tables/<standard>.json``), each column read from one
Dukcapil record key. Pure Python: no CKAN import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ckanext.satudata.reference import years

# Key of the total in Dukcapil records; every family's breakdown sums to it.
TOTAL_KEY = "jumlah_penduduk"
COMMON_COLUMNS = ("kode_wilayah", "nama_wilayah", "tahun", "semester")

_SEMESTER_RE = re.compile(r"^(?P<year>\d{4})-S(?P<half>[12])$")
_ROMAN = {1: "I", 2: "II"}


class SemesterError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Semester:
    """A DKB release: Semester I (reference date 30 June) or II (31 December)."""

    year: int
    half: int

    @classmethod
    def parse(cls, text: object) -> Semester:
        match = _SEMESTER_RE.match(str(text).strip()) if text is not None else None
        if not match:
            raise SemesterError(
                f"semester {text!r} is not of the form YYYY-S1 or YYYY-S2 (e.g. 2024-S2)"
            )
        year = int(match["year"])
        if not years.is_data_year(year):
            raise SemesterError(f"semester {text!r}: year out of range")
        return cls(year, int(match["half"]))

    @property
    def key(self) -> str:
        return f"{self.year}-S{self.half}"

    @property
    def label(self) -> str:
        """Display label, also the resource's ``periode_data``: "2024 Semester II"."""
        return f"{self.year} Semester {_ROMAN[self.half]}"

    @property
    def reference_date(self) -> str:
        return f"{self.year}-06-30" if self.half == 1 else f"{self.year}-12-31"

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True)
class Family:
    key: str
    standard: str
    title: str
    slug: str
    # (standard column, Dukcapil record key), in table order; the table ends
    # with ``jumlah`` (Dukcapil ``jumlah_penduduk``).
    columns: tuple[tuple[str, str], ...]
    klasifikasi: str
    definition: str

    @property
    def source_keys(self) -> tuple[str, ...]:
        return tuple(key for _, key in self.columns)

    @property
    def table_columns(self) -> tuple[str, ...]:
        return (*COMMON_COLUMNS, *(column for column, _ in self.columns), "jumlah")


_AGE_BANDS = tuple(
    (f"umur_{low}_{low + 4}" if low < 75 else "umur_75_keatas", f"u{low}")
    for low in range(0, 80, 5)
)
# Column prefix of a breakdown by sex -> the Dukcapil total it must sum to.
SEX_TOTAL_KEYS = {"laki_laki_": "pria", "perempuan_": "wanita"}
# Age bands by sex (the population pyramid): Dukcapil keys ``u0_l`` / ``u0_p``.
_AGE_SEX_BANDS = tuple(
    (f"{sex}_{column}", f"{key}_{suffix}")
    for sex, suffix in (("laki_laki", "l"), ("perempuan", "p"))
    for column, key in _AGE_BANDS
)

FAMILIES: dict[str, Family] = {
    family.key: family
    for family in (
        Family(
            key="jenis_kelamin",
            standard="penduduk_jenis_kelamin",
            title="Jumlah Penduduk menurut Jenis Kelamin",
            slug="jumlah-penduduk-menurut-jenis-kelamin",
            columns=(("laki_laki", "pria"), ("perempuan", "wanita")),
            klasifikasi="per jenis kelamin",
            definition=(
                "Jumlah penduduk terdaftar (de jure) menurut jenis kelamin, "
                "Data Kependudukan Bersih (DKB) Ditjen Dukcapil Kemendagri"
            ),
        ),
        Family(
            key="kelompok_umur",
            standard="penduduk_kelompok_umur",
            title="Jumlah Penduduk menurut Kelompok Umur",
            slug="jumlah-penduduk-menurut-kelompok-umur",
            columns=_AGE_BANDS,
            klasifikasi="per kelompok umur lima tahunan",
            definition=(
                "Jumlah penduduk terdaftar (de jure) menurut kelompok umur lima tahunan "
                "(0-4 sampai 75 tahun ke atas), Data Kependudukan Bersih (DKB) "
                "Ditjen Dukcapil Kemendagri"
            ),
        ),
        Family(
            key="kelompok_umur_jenis_kelamin",
            standard="penduduk_kelompok_umur_jenis_kelamin",
            title="Jumlah Penduduk menurut Kelompok Umur dan Jenis Kelamin",
            slug="jumlah-penduduk-menurut-kelompok-umur-dan-jenis-kelamin",
            columns=_AGE_SEX_BANDS,
            klasifikasi="per kelompok umur lima tahunan dan jenis kelamin",
            definition=(
                "Jumlah penduduk terdaftar (de jure) menurut kelompok umur lima tahunan "
                "dan jenis kelamin (piramida penduduk), Data Kependudukan Bersih (DKB) "
                "Ditjen Dukcapil Kemendagri"
            ),
        ),
        Family(
            key="agama",
            standard="penduduk_agama",
            title="Jumlah Penduduk menurut Agama",
            slug="jumlah-penduduk-menurut-agama",
            columns=(
                ("islam", "islam"),
                ("kristen", "kristen"),
                ("katolik", "katholik"),
                ("hindu", "hindu"),
                ("buddha", "budha"),
                ("konghucu", "konghucu"),
                ("kepercayaan", "kepercayaan"),
            ),
            klasifikasi="per agama",
            definition=(
                "Jumlah penduduk terdaftar (de jure) menurut agama dan kepercayaan "
                "terhadap Tuhan Yang Maha Esa, Data Kependudukan Bersih (DKB) "
                "Ditjen Dukcapil Kemendagri"
            ),
        ),
        Family(
            key="pendidikan",
            standard="penduduk_pendidikan",
            title="Jumlah Penduduk menurut Pendidikan Terakhir",
            slug="jumlah-penduduk-menurut-pendidikan-terakhir",
            columns=(
                ("tidak_belum_sekolah", "tidak_blm_sekolah"),
                ("belum_tamat_sd", "belum_tamat_sd"),
                ("tamat_sd", "tamat_sd"),
                ("sltp", "sltp"),
                ("slta", "slta"),
                ("diploma_i_ii", "d1_dan_d2"),
                ("diploma_iii", "d3"),
                ("diploma_iv_s1", "s1"),
                ("s2", "s2"),
                ("s3", "s3"),
            ),
            klasifikasi="per pendidikan terakhir",
            definition=(
                "Jumlah penduduk terdaftar (de jure) menurut pendidikan terakhir yang "
                "ditamatkan (tidak/belum sekolah sampai strata III), Data Kependudukan "
                "Bersih (DKB) Ditjen Dukcapil Kemendagri"
            ),
        ),
        Family(
            key="status_kawin",
            standard="penduduk_status_kawin",
            title="Jumlah Penduduk menurut Status Perkawinan",
            slug="jumlah-penduduk-menurut-status-perkawinan",
            columns=(
                ("belum_kawin", "belum_kawin"),
                ("kawin", "kawin"),
                ("cerai_hidup", "cerai_hidup"),
                ("cerai_mati", "cerai_mati"),
            ),
            klasifikasi="per status perkawinan",
            definition=(
                "Jumlah penduduk terdaftar (de jure) menurut status perkawinan (belum kawin, "
                "kawin, cerai hidup, cerai mati), Data Kependudukan Bersih (DKB) Ditjen "
                "Dukcapil Kemendagri"
            ),
        ),
    )
}
# Published only when a source asks for them: the age-by-sex keys are those of
# the sample feed (demo/dukcapil_feed.py) and not yet confirmed in every public
# Dukcapil service; a feed without them would otherwise fail every semester.
OPT_IN_FAMILIES = frozenset({"kelompok_umur_jenis_kelamin"})
DEFAULT_FAMILIES = tuple(key for key in FAMILIES if key not in OPT_IN_FAMILIES)

# Dukcapil record keys the harvester reads (totals first, then each family's).
VALUE_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(
        (TOTAL_KEY, "pria", "wanita", *(k for f in FAMILIES.values() for k in f.source_keys))
    )
)
VALUE_INDEX = {key: index for index, key in enumerate(VALUE_KEYS)}


def required_keys(families: Iterable[str]) -> frozenset[str]:
    """Record keys a harvest of ``families`` needs: the totals and their breakdowns."""
    keys = {TOTAL_KEY, "pria", "wanita"}
    for family in families:
        keys.update(FAMILIES[family].source_keys)
    return frozenset(keys)
