"""Complete SDI datasets and OPDs for tests: the one place test data fills in
every field the dataset and organization schemas require."""

from __future__ import annotations

from typing import Any


def sdi_dataset_dict(owner_org: str | None = None, **overrides: Any) -> dict[str, Any]:
    """Keyword overrides win; an override of None drops the field."""
    data: dict[str, Any] = {
        "name": "jumlah-penduduk-menurut-kecamatan",
        "title": "Jumlah Penduduk menurut Kecamatan di Kabupaten Paser",
        "notes": "Jumlah penduduk terdaftar menurut kecamatan, Data Kependudukan Bersih.",
        "owner_org": owner_org,
        "theme": "pemerintahan-umum",
        "subtopik": "kependudukan",
        "jenis": "statistik",
        "accessRights": "terbuka",
        "accrualPeriodicity": "semesteran",
        "periode": "semester",
        "tahun_mulai": 2023,
        "tahun_akhir": 2024,
        "tingkat_wilayah": "kecamatan",
        "kode_wilayah": ["64.01.04", "64.01.05"],
        "satuan": "jiwa",
        "ukuran": "Jumlah",
        "id_sds": "N/A",
        "sumber": "Dukcapil Kemendagri (DKB)",
        "license_id": "cc-by",
        "klasifikasi": "per kecamatan, per jenis kelamin",
        "tags": [{"name": "kependudukan"}],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def opd_fields(name: str, title: str, **overrides: Any) -> dict[str, Any]:
    """The fields the OPD organization schema requires, with plausible values."""
    return {
        "name": name,
        "title": title,
        "kode_opd": "2.16.2.20.2.21.01.0000",
        "peran": "produsen_data",
        "urusan": ["2.16"],
        "email": f"{name}@paserkab.go.id",
        **overrides,
    }
