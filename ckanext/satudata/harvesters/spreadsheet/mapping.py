"""The SDI dataset of an inventory row and its two resources: the clean CSV
(normalised by sheet.py, validated against its data standard) and the OPD's
original file."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from ckan import model
from ckan.lib.munge import munge_title_to_name
from werkzeug.datastructures import FileStorage

from ckanext.satudata.harvesters.base import WITHDRAWN_STATUS
from ckanext.satudata.harvesters.spreadsheet import sheet as sheets
from ckanext.satudata.harvesters.spreadsheet.settings import DEFAULTABLE, SpreadsheetSettings
from ckanext.satudata.reference import regions, vocabularies, years
from ckanext.satudata.review import workflow

ROLE_KEY = "satudata_role"  # resource extra telling the clean CSV from the original
ROLE_CLEAN, ROLE_ORIGINAL = "normalised", "original"
HARVESTER_ROLES = (ROLE_CLEAN, ROLE_ORIGINAL)
PUBLISHED_STATUS = "ditayangkan"
# Columns of a data file that name the regions it covers.
REGION_CODE_COLUMNS = ("kode_wilayah", "kode_kecamatan", "kode_desa", "kode_kelurahan")
REGION_NAME_COLUMNS = (
    "kecamatan",
    "nama_kecamatan",
    "nama_wilayah",
    "wilayah",
    "desa",
    "nama_desa",
)


def resolve_link(inventory_url: str, link: str) -> tuple[str, str | None]:
    """Absolute data file URL of a Link Portal Daerah cell, and the sheet its
    ``#sheet=NAME`` fragment names."""
    absolute = urljoin(inventory_url, link.strip())
    parts = urlsplit(absolute)
    sheet_name = None
    if parts.fragment.lower().startswith("sheet="):
        sheet_name = unquote(parts.fragment.split("=", 1)[1]) or None
    return urlunsplit(parts._replace(fragment="")), sheet_name


def filename_of(url: str) -> str:
    name = unquote(os.path.basename(urlsplit(url).path)) or "data"
    return name


def build_package(
    content: Mapping[str, Any],
    settings: SpreadsheetSettings,
    table: sheets.Table,
    existing: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The SDI dataset of an inventory row; raises ValueError naming what is missing."""
    cells, values = content["cells"], content["values"]
    defaults = settings.defaults
    title = cells["nama_data"]
    package: dict[str, Any] = {
        "title": title,
        "notes": cells.get("definisi") or "",
        "owner_org": content["organization"],
        "author": cells.get("produsen_data") or content["organization_title"],
        "url": content["url"],
        "license_id": defaults.get("license_id", "cc-by"),
    }
    for key in DEFAULTABLE - {"license_id"}:
        if key in defaults:
            package[key] = defaults[key]
    # Inventory cells win over defaults.
    mapped = {
        "jenis_data": "jenis",
        "klasifikasi_data": "accessRights",
        "satuan": "satuan",
        "jadwal_pemutakhiran": "accrualPeriodicity",
        "topik": "theme",
        "subtopik": "subtopik",
        "tahun_mulai": "tahun_mulai",
        "tahun_akhir": "tahun_akhir",
        "tingkat_wilayah": "tingkat_wilayah",
        "kode_wilayah": "kode_wilayah",
        "id_sds": "id_sds",
    }
    for source_key, field in mapped.items():
        if values.get(source_key) not in (None, "", []):
            package[field] = values[source_key]
    if cells.get("id_ddd"):
        package["id_dds"] = cells["id_ddd"]
    if cells.get("klasifikasi_penyajian"):
        package["klasifikasi"] = cells["klasifikasi_penyajian"]
    if cells.get("kata_kunci"):
        package["tag_string"] = ",".join(
            t.strip() for t in cells["kata_kunci"].replace(";", ",").split(",") if t.strip()
        )
    if package.get("theme") is None and package.get("subtopik"):
        package["theme"] = vocabularies.topic_of_subtopic(package["subtopik"])

    # What the data file itself says about its coverage.
    covered = _column_years(table)
    if covered and "tahun_mulai" not in values:
        package["tahun_mulai"] = min(covered)
        package.setdefault("tahun_akhir", max(covered))
    if "kode_wilayah" not in values:
        codes = _coverage_codes(table)
        if codes:
            package["kode_wilayah"] = codes
            if "tingkat_wilayah" not in values:
                package["tingkat_wilayah"] = regions.code_level(codes[0])
    if "tingkat_wilayah" not in package and cells.get("klasifikasi_penyajian"):
        for term in vocabularies.terms("region_level"):
            if term.value in cells["klasifikasi_penyajian"].lower():
                package["tingkat_wilayah"] = term.value
                break
    if "kode_wilayah" not in package and package.get("tingkat_wilayah") == "kabupaten":
        # Kabupaten-level data of an OPD covers its own kabupaten.
        package["kode_wilayah"] = [regions.tenant_root()]
    if "periode" not in package and package.get("accrualPeriodicity"):
        term = vocabularies.get("frequency", package["accrualPeriodicity"])
        periods = (term.extra.get("periods") if term else None) or []
        if len(periods) == 1:
            package["periode"] = periods[0]

    required = {
        "notes": "Definisi",
        "theme": "Topik (or defaults.theme)",
        "jenis": "Jenis Data",
        "accessRights": "Klasifikasi Data",
        "accrualPeriodicity": "Jadwal Pemutakhiran",
        "satuan": "Satuan",
        "tahun_mulai": "Tahun Mulai (or a tahun column in the data file)",
        "tingkat_wilayah": "Tingkat Wilayah (or Klasifikasi Penyajian)",
        "kode_wilayah": "Kode Wilayah (or a kode_wilayah / kecamatan column in the data file)",
    }
    missing = [label for key, label in required.items() if package.get(key) in (None, "", [])]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")

    if existing is None:
        package["name"] = _dataset_name(title, content)
    elif existing.get("status_data") == WITHDRAWN_STATUS and not workflow.enabled():
        # The row is back in the inventory: the dataset is published again.
        # (With the walidata's review on, the workflow owns status_data: it
        # submits the dataset again, or publishes it from a trusted source.)
        package["status_data"] = PUBLISHED_STATUS
    return package


def _column_years(table: sheets.Table) -> list[int]:
    if "tahun" not in table.columns:
        return []
    index = table.columns.index("tahun")
    found = []
    for row in table.rows:
        text = row[index]
        if text.isdigit() and years.is_data_year(int(text)):
            found.append(int(text))
    return found


def _coverage_codes(table: sheets.Table) -> list[str]:
    """Region codes the data file covers: a code column, or tenant region names."""
    for column in REGION_CODE_COLUMNS:
        if column in table.columns:
            index = table.columns.index(column)
            codes = []
            for row in table.rows:
                try:
                    codes.append(regions.normalize_code(row[index]))
                except regions.RegionCodeError:
                    return []
            return sorted(set(codes))
    for column in REGION_NAME_COLUMNS:
        if column not in table.columns:
            continue
        index = table.columns.index(column)
        names = {row[index].strip().lower() for row in table.rows}
        # Names are matched within one level (a desa may share its kecamatan's name).
        for level in ("kecamatan", "desa", "kelurahan"):
            by_name: dict[str, list[str]] = {}
            for region in regions.tenant_regions().values():
                if region.level == level:
                    by_name.setdefault(region.name.lower(), []).append(region.code)
            if all(len(by_name.get(name, [])) == 1 for name in names):
                return sorted(by_name[name][0] for name in names)
    return []


def _dataset_name(title: str, content: Mapping[str, Any]) -> str:
    """A URL name from the title; the row identity's hash keeps it unique."""
    base = munge_title_to_name(title)[:80].strip("-")
    if model.Package.get(base) is None:
        return base
    suffix = hashlib.sha1(
        f"{content['organization']}:{content['row']}:{title}".encode()
    ).hexdigest()
    return f"{base}-{suffix[:8]}"


def resources(
    content: Mapping[str, Any],
    table: sheets.Table,
    clean: bytes,
    original: bytes,
    filename: str,
    standard: str | None,
    existing: Mapping[str, Any] | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The clean CSV and the original file, replacing those of an earlier harvest."""
    published = {r.get(ROLE_KEY): r for r in (existing or {}).get("resources", [])}
    stem = os.path.splitext(filename)[0]
    clean_name = f"{stem}.csv"
    normalised = "; ".join(table.notes) if table.notes else "tidak ada yang perlu diubah"
    description = (
        f"Tabel bersih (CSV, UTF-8, koma) dari berkas {filename}, lembar {table.sheet!r}, "
        f"{len(table.rows)} baris. Normalisasi: {normalised}."
    )
    if standard:
        description += f" Divalidasi terhadap standar data {standard}."
    clean_resource: dict[str, Any] = {
        "name": content["cells"]["nama_data"],
        "description": description,
        "format": "CSV",
        "url": clean_name,
        "upload": FileStorage(io.BytesIO(clean), filename=clean_name, content_type="text/csv"),
        "hash": hashlib.sha256(clean).hexdigest(),
        ROLE_KEY: ROLE_CLEAN,
    }
    if standard:
        clean_resource["standar_data"] = standard
    xlsx = sheets.is_xlsx(original)
    original_resource: dict[str, Any] = {
        "name": f"Berkas asli: {filename}",
        "description": (
            f"Berkas sebagaimana diterbitkan OPD ({content['url']}), tanpa perubahan. "
            "Gunakan tabel bersih untuk analisis."
        ),
        "format": "XLSX" if xlsx else "CSV",
        "url": filename,
        "upload": FileStorage(
            io.BytesIO(original),
            filename=filename,
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                if xlsx
                else "text/csv"
            ),
        ),
        "hash": hashlib.sha256(original).hexdigest(),
        ROLE_KEY: ROLE_ORIGINAL,
    }
    for resource, role in ((clean_resource, ROLE_CLEAN), (original_resource, ROLE_ORIGINAL)):
        previous = published.get(role)
        if previous and previous.get("id"):
            resource["id"] = previous["id"]
    return clean_resource, original_resource
