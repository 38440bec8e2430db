"""Small generated test files for the validation tests."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from typing import Any

import openpyxl

HEADER = ["kode_wilayah", "nama_wilayah", "tahun", "semester", "laki_laki", "perempuan", "jumlah"]


def good_rows() -> list[list[Any]]:
    """Paser kecamatan rows (codes from the shipped reference list)."""
    from ckanext.satudata.reference import regions

    kecamatan = sorted(
        (r for r in regions.tenant_regions().values() if r.level == "kecamatan"),
        key=lambda r: r.code,
    )
    rows = []
    for index, region in enumerate(kecamatan):
        male, female = 1000 + index * 37, 900 + index * 41
        rows.append([region.code, region.name, 2024, 2, male, female, male + female])
    return rows


def csv_bytes(
    rows: Sequence[Sequence[Any]],
    header: Sequence[str] = HEADER,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb_xlsx(uncompressed_mb: int = 300) -> bytes:
    """A workbook-shaped archive whose sheet inflates to ``uncompressed_mb``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"<row/>" * (1024 * 1024 // 6)
            for _ in range(uncompressed_mb):
                sheet.write(block)
    return buffer.getvalue()


def entity_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><Types>&b;</Types>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def corrupt_xlsx() -> bytes:
    good = xlsx_bytes(good_rows())
    return good[: len(good) // 2]  # truncated: the central directory is gone


def with_error(kind: str) -> tuple[list[str], list[list[Any]], int, str]:
    """A table with one error of ``kind``; returns header, rows, the row number
    (header = row 1) and the column the error is expected in."""
    header = list(HEADER)
    rows = good_rows()
    if kind == "missing-column":
        header.remove("perempuan")
        rows = [[c for i, c in enumerate(r) if i != HEADER.index("perempuan")] for r in rows]
        return header, rows, 1, "perempuan"
    if kind == "wrong-type":
        rows[2][HEADER.index("laki_laki")] = "seribu"
        return header, rows, 4, "laki_laki"
    if kind == "bad-region-code":
        rows[3][0] = "64.01.99"
        return header, rows, 5, "kode_wilayah"
    if kind == "duplicate-key":
        rows.append(list(rows[1]))
        return header, rows, len(rows) + 1, "kode_wilayah"
    if kind == "blank-required":
        rows[5][HEADER.index("nama_wilayah")] = ""
        return header, rows, 7, "nama_wilayah"
    raise ValueError(kind)


ERROR_KINDS = {
    "missing-column": "missing-label",
    "wrong-type": "type-error",
    "bad-region-code": "region-code",
    "duplicate-key": "primary-key",
    "blank-required": "constraint-error",
}
