"""The planning pages in Indonesian (the default) and English (/en): the
public Jadwal Rilis and Daftar Data with their filters, an item, the boards
and the import form."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from ckan.tests.helpers import call_action
from plan_support import ROWS, Plan, xlsx

pytestmark = pytest.mark.usefixtures("with_plugins")


def text(response: Any) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def token(user: str | None) -> dict[str, str]:
    if not user:
        return {}
    found = call_action("api_token_create", context={"user": user}, user=user, name="uji")
    return {"Authorization": found["token"]}


def test_jadwal_rilis_in_both_languages(app: Any, plan: Plan) -> None:
    assert (
        app.get("/jadwal-rilis", follow_redirects=False)
        .headers["Location"]
        .endswith("/jadwal-rilis/2025")
    )
    page = text(app.get("/jadwal-rilis/2025"))
    assert "Jadwal Rilis 2025" in page
    for month in ("Maret 2025", "Mei 2025", "Juni 2025", "September 2025"):
        assert month in page
    assert "31 Maret 2025" in page and "Belum dijadwalkan" in page
    assert "Jumlah Puskesmas menurut Kecamatan di Kabupaten Paser" in page
    assert "Terlambat" in page and "Prioritas" in page
    assert "Release schedule" not in page

    english = text(app.get("/en/jadwal-rilis/2025"))
    assert "Release schedule 2025" in english and "March 2025" in english
    assert "31 March 2025" in english and "Overdue" in english
    assert "Jadwal Rilis 2025" not in english and "Terlambat" not in english


def test_daftar_data_with_filters(app: Any, plan: Plan) -> None:
    assert (
        app.get("/daftar-data", follow_redirects=False)
        .headers["Location"]
        .endswith("/daftar-data/2025")
    )
    page = text(app.get("/daftar-data/2025"))
    assert "Daftar Data 2025" in page and "Item direncanakan" in page
    assert all(row[1] in page for row in ROWS)

    def names(query: str) -> list[str]:
        found = text(app.get(f"/daftar-data/2025?{query}"))
        return [row[0] for row in ROWS if row[0] in found]

    assert names("opd=distan-paser") == ["DDD-6401-DISTAN-001", "DDD-6401-DISTAN-002"]
    assert names("prioritas=ya") == [
        "DDD-6401-DINKES-001",
        "DDD-6401-DINKES-003",
        "DDD-6401-DISTAN-001",
    ]
    assert names("prioritas=tidak&opd=dinkes-paser") == ["DDD-6401-DINKES-002"]
    assert names("topik=ekonomi-industri") == ["DDD-6401-DISTAN-001", "DDD-6401-DISTAN-002"]
    assert names("status=planned") == ["DDD-6401-DISTAN-002"]  # the one without a date
    assert len(names("status=overdue")) == 4
    assert "Tidak ada item yang sesuai" in text(app.get("/daftar-data/2025?status=published"))

    english = text(app.get("/en/daftar-data/2025"))
    assert "Daftar Data 2025" in english and "Planned items" in english
    assert "Item direncanakan" not in english
    app.get("/daftar-data/2019", status=404)


def test_an_item_page_with_its_forms(app: Any, plan: Plan) -> None:
    item = plan.item_id("DDD-6401-DINKES-001")
    dataset = plan.roles.dataset(name="jumlah-puskesmas", title="Jumlah Puskesmas 2024")
    public = text(app.get(f"/daftar-data/item/{item}"))
    assert (
        "DDD-6401-DINKES-001" in public and "Standar Pelayanan Minimal bidang kesehatan" in public
    )
    assert "Belum ada dataset yang ditautkan" in public
    assert "Tautkan dataset" not in public and "Ubah rencana" not in public

    producer = token(plan.roles.name("producer"))
    own = text(app.get(f"/daftar-data/item/{item}", headers=producer))
    assert (
        "Tautkan dataset Dinas Kesehatan Kabupaten Paser" in own and "Jumlah Puskesmas 2024" in own
    )
    assert "Ubah rencana" not in own
    response = app.post(
        f"/daftar-data/item/{item}/tautan", data={"package_id": dataset["id"]}, headers=producer
    )
    linked = text(response)
    assert "Dataset ditautkan ke item ini" in linked and "ditautkan secara manual" in linked
    assert "Dipublikasikan" in linked

    walidata = token(plan.roles.name("walidata"))
    assert "Ubah rencana" in text(app.get(f"/daftar-data/item/{item}", headers=walidata))
    saved = text(
        app.post(
            f"/daftar-data/item/{item}/ubah",
            data={"jadwal_rilis": "April 2025", "kriteria_prioritas": "SPM"},
            headers=walidata,
        )
    )
    assert "Item disimpan" in saved and "30 April 2025" in saved
    refused = text(
        app.post(
            f"/daftar-data/item/{item}/ubah", data={"jadwal_rilis": "kemarin"}, headers=walidata
        )
    )
    assert "Harus berupa tanggal seperti 31/03/2025 atau Maret 2025" in refused


def test_the_boards(app: Any, plan: Plan) -> None:
    walidata = token(plan.roles.name("walidata"))
    board = text(app.get("/daftar-data/2025/papan", headers=walidata))
    assert "Papan Walidata: Daftar Data 2025" in board
    assert "Kemajuan per perangkat daerah" in board
    assert "Dinas Kesehatan Kabupaten Paser" in board and "Dinas Pertanian Kabupaten Paser" in board
    assert "Impor Daftar Data" in board
    pendukung = text(
        app.get("/daftar-data/2025/papan", headers=token(plan.roles.name("walidata_pendukung")))
    )
    assert "Kemajuan per perangkat daerah" in pendukung and "Impor Daftar Data" not in pendukung

    producer = token(plan.roles.name("producer"))
    opd = text(app.get(f"/daftar-data/2025/papan/{plan.roles.owner['name']}", headers=producer))
    assert "Dinas Kesehatan Kabupaten Paser" in opd and "Semua item" in opd
    assert "DDD-6401-DINKES-003" in opd and "DDD-6401-DISTAN-001" not in opd
    assert "Papan: Dinas Kesehatan Kabupaten Paser" in opd  # the producer's own board tab
    english = text(
        app.get(f"/en/daftar-data/2025/papan/{plan.roles.owner['name']}", headers=producer)
    )
    assert "All items" in english and "Semua item" not in english


def test_importing_through_the_walidata_board(app: Any, plan: Plan) -> None:
    walidata = token(plan.roles.name("walidata"))
    bad = [list(row) for row in ROWS]
    bad[0][2] = "Dinas Perikanan"
    refused = text(
        app.post(
            "/daftar-data/impor",
            data={"tahun": "2025", "upload": (io.BytesIO(xlsx(bad)), "daftar_data_2025.xlsx")},
            headers=walidata,
        )
    )
    assert "Berkas tidak diimpor; tidak ada yang diubah" in refused
    assert "Baris 3, kolom C: Produsen Data 'Dinas Perikanan' bukan OPD di portal ini" in refused
    imported = text(
        app.post(
            "/daftar-data/impor",
            data={"tahun": "2025", "upload": (io.BytesIO(xlsx(ROWS[:3])), "daftar_data_2025.xlsx")},
            headers=walidata,
        )
    )
    assert "Daftar Data 2025 diimpor: 3 item (0 baru, 3 diperbarui, 2 dihapus)" in imported
    missing = text(app.post("/daftar-data/impor", data={"tahun": "2025"}, headers=walidata))
    assert "Pilih berkas Daftar Data yang akan diimpor" in missing


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_pages_without_any_plan(app: Any) -> None:
    page = text(app.get("/daftar-data"))
    assert "Belum ada Daftar Data yang diimpor" in page
    assert "Belum ada Daftar Data yang diimpor" in text(app.get("/jadwal-rilis"))
    assert "Daftar Data" in text(app.get("/"))  # the main navigation
