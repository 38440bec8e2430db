"""Kemendagri region codes (kode wilayah).

Codes are written dotted, ``PP.KK.CC.DDDD`` (64.01.04.1001); Dukcapil and BIG
use the undotted 10-digit form. The tenant's own regions ship with the package
(``reference/data/regions/``); a national list can be loaded into the database with
``ckan satudata regions load``. BPS codes are a different scheme and are never
accepted here. Pure Python: no CKAN import.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

# Segment lengths of PP.KK.CC.DDDD.
_SEGMENTS = (2, 2, 2, 4)
DOTTED_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
UNDOTTED_LENGTHS = (2, 4, 6, 10)
TENANT_FILE = "reference/data/regions/wilayah_paser_6401.csv"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str

    @property
    def parent(self) -> str | None:
        return parent_code(self.code)


class RegionCodeError(ValueError):
    """A value that is not a Kemendagri region code."""


def normalize_code(value: object) -> str:
    """Return the dotted form of a Kemendagri code given dotted or undotted.

    Raises RegionCodeError naming what is wrong.
    """
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise RegionCodeError(f"region code must be text, got {type(value).__name__}")
    text = value.strip()
    if DOTTED_RE.match(text):
        return text
    if text.isdigit() and len(text) in UNDOTTED_LENGTHS:
        parts, pos = [], 0
        for size in _SEGMENTS:
            if pos >= len(text):
                break
            parts.append(text[pos : pos + size])
            pos += size
        return ".".join(parts)
    raise RegionCodeError(
        f"{text!r} is not a Kemendagri region code (expected PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD)"
    )


def code_list(value: object) -> list[object]:
    """The items of a region-code field as given: a list, a JSON list, or
    text separated by commas, semicolons or spaces (a form's single value)."""
    if isinstance(value, list):
        return list(value)
    if value is None:
        return []
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list):
            return parsed
    return [part for part in re.split(r"[,;\s]+", text) if part]


def undotted(code: str) -> str:
    return normalize_code(code).replace(".", "")


def code_level(code: str) -> str:
    """Level implied by the code's shape: provinsi, kabupaten/kota, kecamatan, desa/kelurahan."""
    parts = normalize_code(code).split(".")
    if len(parts) == 1:
        return "provinsi"
    if len(parts) == 2:
        return "kota" if int(parts[1]) >= 71 else "kabupaten"
    if len(parts) == 3:
        return "kecamatan"
    return "kelurahan" if parts[3].startswith("1") else "desa"


def parent_code(code: str) -> str | None:
    parts = normalize_code(code).split(".")
    return ".".join(parts[:-1]) if len(parts) > 1 else None


def read_csv(lines: Iterable[str], source: str = "<csv>") -> Iterator[Region]:
    """Parse a region list with columns kode, nama, tingkat.

    Raises RegionCodeError naming the source, line and problem.
    """
    reader = csv.DictReader(lines)
    missing = {"kode", "nama", "tingkat"} - set(reader.fieldnames or ())
    if missing:
        raise RegionCodeError(f"{source}: missing column(s) {', '.join(sorted(missing))}")
    for row in reader:
        line = reader.line_num
        try:
            code = normalize_code(row["kode"] or "")
        except RegionCodeError as err:
            raise RegionCodeError(f"{source}, line {line}: {err}") from None
        name = (row["nama"] or "").strip()
        if not name:
            raise RegionCodeError(f"{source}, line {line}: empty nama for {code}")
        level = (row["tingkat"] or "").strip().lower()
        implied = code_level(code)
        if level != implied and {level, implied} != {"kabupaten", "kota"}:
            raise RegionCodeError(
                f"{source}, line {line}: tingkat {level!r} does not match code {code} ({implied})"
            )
        yield Region(code, name, level)


@functools.cache
def tenant_regions() -> dict[str, Region]:
    """The tenant's regions shipped with the package, by dotted code."""
    text = resources.files("ckanext.satudata").joinpath(TENANT_FILE).read_text("utf-8")
    return {r.code: r for r in read_csv(text.splitlines(), TENANT_FILE)}


@functools.cache
def tenant_root() -> str:
    """The tenant's top region (the kabupaten/kota), e.g. 64.01."""
    return min(tenant_regions(), key=len)


def in_tenant(code: str) -> bool:
    root = tenant_root()
    return code == root or code.startswith(root + ".")


def children(code: str, regions: dict[str, Region] | None = None) -> list[Region]:
    regions = tenant_regions() if regions is None else regions
    return [r for r in regions.values() if r.parent == code]


# Province codes in use since the 2022 Papua split, plus the older Papua codes
# that NIKs issued before it still carry. Used to judge whether 16 digits can
# be a NIK/KK (whose first six digits are a kecamatan code), not membership.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53}
    | {61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97}
)


def plausible_kecamatan_prefix(digits: str) -> bool:
    """Whether six digits can be an undotted kecamatan code (PPKKCC): a known
    province, a kabupaten (01-69) or kota (71-99), and a non-zero kecamatan."""
    if len(digits) != 6 or not digits.isdigit():
        return False
    province, regency, district = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    return province in PROVINCE_CODES and regency != 0 and regency != 70 and district != 0


def check_tenant_code(value: object) -> str | None:
    """Why ``value`` is not an acceptable region code in a data table, or None.

    Tables use the dotted form; codes under the tenant's root must be in the
    shipped list (codes elsewhere are only checked for their format).
    """
    text = value.strip() if isinstance(value, str) else value
    try:
        code = normalize_code(text)
    except RegionCodeError:
        return "format"
    if code != text:
        return "undotted"
    if in_tenant(code) and code not in tenant_regions():
        return "unknown"
    return None
