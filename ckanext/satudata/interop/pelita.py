"""Kemendagri's "Portal Pelita" contract (v1.3) for regional sectoral
statistics, mapped from our schema: the fields of a listed dataset, the
column definitions of its table, paging (25 a page) and the query
parameters, with the error a bad one gets.

Codes are Kemendagri's: ``kode_provinsi`` "64", ``kode_kab_kota`` "64.01"
(dotted, as the region codes of the portal); ``kode_urusan`` "2" and
``kode_bidang_urusan`` "2.12" (Permendagri 90/2019). A dataset's bidang
urusan is its sub-topic's (vocabulary ``topic``, key ``urusan``), else the
first of its OPD's. Labels (schedule, data type, classification, unit) are
Indonesian, as the contract is.

No CKAN call: the CKAN side (logic/action/interop.py) passes in the dataset
dicts and the OPD's urusan. Messages are English msgids (N_) the caller
translates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ckanext.satudata.i18n import N_
from ckanext.satudata.reference import regions, vocabularies

VERSION = "1.3"
PAGE_SIZE = 25
LANG = "id"

# The contract's fields of a listed dataset, in its order.
LIST_FIELDS = (
    "tahun",
    "kode_provinsi",
    "kode_kab_kota",
    "kode_urusan",
    "kode_bidang_urusan",
    "nama_data",
    "nama_indikator",
    "produsen_data",
    "jadwal_pemutakhiran",
    "jenis_data",
    "kode_standard_data",
    "klasifikasi_data",
    "definisi",
    "klasifikasi_penyajian",
    "satuan",
)


class PelitaError(ValueError):
    """A query parameter the contract does not allow: ``msgid`` (English, to
    translate) with placeholders filled from ``values`` (``name``, ``value`` …)."""

    def __init__(self, msgid: str, **values: object) -> None:
        super().__init__(msgid.format(**values))
        self.msgid, self.values = msgid, values

    def translated(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.msgid).format(**self.values)


@dataclass(frozen=True)
class ListQuery:
    tahun: int | None = None
    kode_provinsi: str | None = None
    kode_kab_kota: str | None = None
    kode_urusan: str | None = None
    kode_bidang_urusan: str | None = None
    page: int = 1


def _int(name: str, value: object, minimum: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise PelitaError(
            N_("{name} must be a whole number, not {value!r}"), name=name, value=value
        ) from None
    if number < minimum:
        raise PelitaError(
            N_("{name} must be at least {minimum}, not {value}"),
            name=name,
            value=value,
            minimum=minimum,
        )
    return number


def _region(name: str, value: object, level: int) -> str:
    """A dotted code with ``level`` segments (1: province, 2: kabupaten/kota);
    the undotted form is accepted."""
    try:
        code = regions.normalize_code(str(value))
    except regions.RegionCodeError:
        raise PelitaError(
            N_("{name} is not a Kemendagri region code: {value!r}"), name=name, value=value
        ) from None
    if len(code.split(".")) != level:
        raise PelitaError(
            N_("{name} has the wrong level of region code: {value!r}"), name=name, value=value
        )
    return code


def _urusan(name: str, value: object, segments: int) -> str:
    text = str(value).strip()
    parts = text.split(".")
    if len(parts) != segments or not all(p.isdigit() for p in parts):
        raise PelitaError(
            N_("{name} is not a government affairs code: {value!r}"), name=name, value=value
        )
    return text


def parse_list_query(params: Mapping[str, Any]) -> ListQuery:
    """The query of the list call; raises PelitaError naming the parameter."""
    known = {"tahun", "kode_provinsi", "kode_kab_kota", "kode_urusan", "kode_bidang_urusan", "page"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise PelitaError(N_("Unknown parameter {name}"), name=unknown[0])

    def given(key: str) -> Any:
        value = params.get(key)
        return None if value in (None, "") else value

    return ListQuery(
        tahun=_int("tahun", given("tahun"), 1945) if given("tahun") else None,
        kode_provinsi=_region("kode_provinsi", given("kode_provinsi"), 1)
        if given("kode_provinsi")
        else None,
        kode_kab_kota=_region("kode_kab_kota", given("kode_kab_kota"), 2)
        if given("kode_kab_kota")
        else None,
        kode_urusan=_urusan("kode_urusan", given("kode_urusan"), 1)
        if given("kode_urusan")
        else None,
        kode_bidang_urusan=_urusan("kode_bidang_urusan", given("kode_bidang_urusan"), 2)
        if given("kode_bidang_urusan")
        else None,
        page=_int("page", given("page"), 1) if given("page") else 1,
    )


def parse_detail_query(params: Mapping[str, Any]) -> tuple[int | None, int]:
    """(tahun, page) of the detail call."""
    unknown = sorted(set(params) - {"tahun", "page"})
    if unknown:
        raise PelitaError(N_("Unknown parameter {name}"), name=unknown[0])
    tahun = params.get("tahun")
    page = params.get("page")
    return (
        _int("tahun", tahun, 1945) if tahun not in (None, "") else None,
        _int("page", page, 1) if page not in (None, "") else 1,
    )


def bidang_urusan(subtopik: str | None, opd_urusan: Sequence[str]) -> str | None:
    """The bidang urusan of a dataset: its sub-topic's, else its OPD's first."""
    for sub in vocabularies.subtopics():
        if sub.value == subtopik and sub.extra.get("urusan"):
            return str(sub.extra["urusan"])
    return opd_urusan[0] if opd_urusan else None


def _region_codes(dataset: Mapping[str, Any]) -> tuple[str | None, str | None]:
    codes = dataset.get("kode_wilayah") or []
    if isinstance(codes, str):
        codes = [codes]
    parts = [c.split(".") for c in codes if isinstance(c, str)]
    province = next((p[0] for p in parts), None)
    kabupaten = next((".".join(p[:2]) for p in parts if len(p) >= 2), None)
    return province, kabupaten


def list_entry(
    dataset: Mapping[str, Any], opd_urusan: Sequence[str], tahun: int | None
) -> dict[str, Any]:
    """A dataset as the list call returns it (the contract's fields first)."""
    province, kabupaten = _region_codes(dataset)
    bidang = bidang_urusan(dataset.get("subtopik"), opd_urusan)
    organization = dataset.get("organization") or {}
    start, end = _year(dataset.get("tahun_mulai")), _year(dataset.get("tahun_akhir"))
    entry: dict[str, Any] = {
        "tahun": tahun if tahun is not None else end or start,
        "kode_provinsi": province,
        "kode_kab_kota": kabupaten,
        "kode_urusan": bidang.split(".")[0] if bidang else None,
        "kode_bidang_urusan": bidang,
        "nama_data": dataset.get("title"),
        # The schema has no separate indicator name: the data is its own indicator.
        "nama_indikator": dataset.get("title"),
        "produsen_data": dataset.get("author") or organization.get("title"),
        "jadwal_pemutakhiran": _label("frequency", dataset.get("accrualPeriodicity")),
        "jenis_data": _label("data_type", dataset.get("jenis")),
        "kode_standard_data": dataset.get("id_sds") or None,
        "klasifikasi_data": _label("classification", dataset.get("accessRights")),
        "definisi": dataset.get("notes"),
        "klasifikasi_penyajian": dataset.get("klasifikasi") or None,
        "satuan": _label("unit", dataset.get("satuan")),
    }
    entry.update(
        {
            "id": dataset.get("id"),
            "nama": dataset.get("name"),
            "tahun_mulai": start,
            "tahun_akhir": end,
            "kode_wilayah": list(dataset.get("kode_wilayah") or []),
            "tingkat_wilayah": dataset.get("tingkat_wilayah"),
        }
    )
    return entry


def _year(value: Any) -> int | None:
    """A year field (the API gives them as text)."""
    return int(value) if value not in (None, "") else None


def _label(vocabulary: str, value: str | None) -> str | None:
    return vocabularies.label(vocabulary, value, LANG) if value else None


def column(field: Mapping[str, Any]) -> dict[str, Any]:
    """A DataStore field as a column definition of the detail call."""
    info = field.get("info") or {}
    return {
        "nama": field["id"],
        "tipe": field.get("type"),
        "label": info.get("label") or field["id"],
        "keterangan": info.get("notes") or None,
    }


def meta(page: int, total: int) -> dict[str, Any]:
    return {
        "page": page,
        "per_page": PAGE_SIZE,
        "total": total,
        "total_pages": math.ceil(total / PAGE_SIZE) if total else 0,
    }


def offset(page: int) -> int:
    return (page - 1) * PAGE_SIZE


def envelope(data: Any, page_meta: dict[str, Any], message: str | None = None) -> dict[str, Any]:
    return {
        "status": "success",
        "versi": VERSION,
        "message": message,
        "meta": page_meta,
        "data": data,
    }


def error_body(message: str) -> dict[str, Any]:
    return {"status": "error", "versi": VERSION, "message": message, "data": None}
