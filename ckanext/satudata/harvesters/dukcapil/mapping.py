"""The SDI datasets and resources of the Dukcapil harvester: one dataset per
indicator family and level, one resource per semester (``periode_data`` is
its label, the harvester's marker of its own resources) plus the cumulative
"Semua Semester" table."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from ckan.lib import uploader
from ckan.lib.munge import munge_title_to_name
from werkzeug.datastructures import FileStorage

from ckanext.satudata.harvesters.dukcapil import transform
from ckanext.satudata.harvesters.dukcapil.standard import Family, Semester
from ckanext.satudata.reference import regions
from ckanext.satudata.standards import registry

LEVEL_TITLES = {"kabupaten": "Kabupaten", "kecamatan": "Kecamatan", "desa": "Desa/Kelurahan"}
CUMULATIVE_PERIOD = "Semua Semester"
SOURCE_STATEMENT = "Dukcapil Kemendagri (DKB)"
REVISION_HEADING = "Riwayat revisi:"
# Resource field: the stored report (harvesters/messages.py) of the records of
# the semester the quarantine policy left out; "" when none. The dataset and
# resource pages show it in the reader's language.
QUARANTINE_FIELD = "catatan_karantina"


def dataset_name(family: Family, level: str, region_name: str) -> str:
    """Name of the dataset of ``family`` per ``level`` in a region ("... di Kabupaten Paser")."""
    return f"{family.slug}-per-{level}-{munge_title_to_name(region_name)}"[:100]


def filename(family: Family, level: str, semester: Semester | None) -> str:
    suffix = semester.key if semester else "semua-semester"
    return f"{family.slug}-per-{level}-{suffix}.csv".lower()


def semester_of_label(label: str) -> Semester | None:
    try:
        year_text, _, roman = label.partition(" Semester ")
        return Semester(int(year_text), {"I": 1, "II": 2}[roman])
    except (KeyError, ValueError):
        return None


def is_own(resource: Mapping[str, Any]) -> bool:
    """Whether the harvester wrote ``resource`` (periode_data is its marker)."""
    period = resource.get("periode_data")
    return isinstance(period, str) and (
        period == CUMULATIVE_PERIOD or semester_of_label(period) is not None
    )


def stored_upload(resource: Mapping[str, Any]) -> bytes:
    path = uploader.get_resource_uploader(dict(resource)).get_path(resource["id"])
    with open(path, "rb") as handle:
        return handle.read()


def standard_of(family: Family) -> str | None:
    """The family's data standard, when the registry ships it."""
    return family.standard if registry.is_known(family.standard) else None


def semester_description(
    semester: Semester, notes: str, previous: Mapping[str, Any] | None, revised_on: str | None
) -> str:
    """A semester resource's description; a revision keeps the history of corrections."""
    description = (
        f"Data Kependudukan Bersih {semester.label} (keadaan {semester.reference_date}). {notes}."
    )
    if revised_on is None:
        return description
    before = (previous or {}).get("description") or ""
    history = before.split(REVISION_HEADING, 1)[1].strip() if REVISION_HEADING in before else ""
    line = (
        f"- {revised_on}: angka dikoreksi oleh Dukcapil "
        f"(sha256 sebelumnya {(previous or {}).get('hash', '')[:12]})"
    )
    history = "\n".join(part for part in (history, line) if part)
    return f"{description}\n\n{REVISION_HEADING}\n{history}"


def resource(
    family: Family,
    level: str,
    semester: Semester | None,
    table: bytes,
    previous: Mapping[str, Any] | None,
    description: str,
    quarantine: str = "",
) -> dict[str, Any]:
    period = semester.label if semester else CUMULATIVE_PERIOD
    name = filename(family, level, semester)
    result: dict[str, Any] = {
        "name": f"{family.title} per {LEVEL_TITLES[level]}, {period}",
        "description": description,
        "format": "CSV",
        "url": name,
        "upload": FileStorage(io.BytesIO(table), filename=name, content_type="text/csv"),
        "periode_data": period,
        "hash": transform.sha256(table),
    }
    if semester is not None:
        result["tahun"] = semester.year
        result[QUARANTINE_FIELD] = quarantine
    standard = standard_of(family)
    if standard:
        result["standar_data"] = standard
    if previous and previous.get("id"):
        result["id"] = previous["id"]
    return result


def package(
    content: Mapping[str, Any],
    organization: Mapping[str, Any],
    family: Family,
    level: str,
    semesters: list[Semester],
    resources: list[dict[str, Any]],
    codes: list[str],
) -> dict[str, Any]:
    region = regions.tenant_regions()[content["root"]]
    latest = semesters[-1]
    result: dict[str, Any] = {
        "name": dataset_name(family, level, region.name),
        "title": f"{family.title} per {LEVEL_TITLES[level]} di {region.name}",
        "notes": (
            f"{family.definition}, per {LEVEL_TITLES[level].lower()} di {region.name}. "
            f"Satu baris per wilayah per semester (keadaan 30 Juni dan 31 Desember). "
            f"Data terakhir: {latest.label}."
        ),
        "owner_org": organization["id"],
        "author": organization.get("title") or organization["name"],
        "theme": "pemerintahan-umum",
        "subtopik": "kependudukan",
        "jenis": "statistik",
        "accessRights": "terbuka",
        "accrualPeriodicity": "semesteran",
        "periode": "semester",
        "tahun_mulai": semesters[0].year,
        "tahun_akhir": latest.year,
        "tingkat_wilayah": level,
        "kode_wilayah": codes,
        "satuan": "jiwa",
        "ukuran": "Jumlah",
        "id_sds": "N/A",
        "sumber": SOURCE_STATEMENT,
        # The service address without credentials (auth lives only in the source config).
        "url": str(content.get("source_url", "")).split("?", 1)[0],
        "license_id": "cc-by",
        "klasifikasi": f"per {LEVEL_TITLES[level].lower()}, {family.klasifikasi}",
        "tags": [{"name": "kependudukan"}, {"name": "penduduk"}, {"name": "dukcapil"}],
        "resources": resources,
    }
    standard = standard_of(family)
    if standard:
        result["standar_data"] = standard
    return result
