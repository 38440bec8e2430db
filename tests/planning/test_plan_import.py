"""Importing a year's Daftar Data from the inventory template: all or
nothing, errors naming row and column in Indonesian (English under /en)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from plan_support import HEADER, ROWS, Plan, csv_file, import_plan, items_by_id_ddd, xlsx

from ckanext.satudata.harvesters.spreadsheet import template
from ckanext.satudata.model.daftar_data import PlanItem
from ckanext.satudata.model.daftar_data_link import PlanLink

pytestmark = pytest.mark.usefixtures("with_plugins")


def refused(
    app: Any,
    plan: Plan,
    content: bytes,
    filename: str = "daftar_data.xlsx",
    tahun: int = 2025,
    prefix: str = "",
) -> list[str]:
    """The problems the import API answers (HTTP 409) in the language of ``prefix``."""
    response = app.post(
        f"{prefix}/api/3/action/satudata_daftar_data_import",
        data={"tahun": str(tahun), "upload": (io.BytesIO(content), filename)},
        headers={"Authorization": _token(plan.roles.name("walidata") or "")},
        status=409,
    )
    return response.json["error"]["upload"]


def _token(user: str) -> str:
    return call_action("api_token_create", context={"user": user}, user=user, name="uji")["token"]


def test_a_good_file_becomes_the_years_plan(plan: Plan) -> None:
    items = plan.items
    assert sorted(items) == [row[0] for row in ROWS]
    puskesmas = items["DDD-6401-DINKES-001"]
    assert puskesmas["organization"]["id"] == plan.roles.owner["id"]
    assert (puskesmas["jenis"], puskesmas["klasifikasi"], puskesmas["satuan"]) == (
        "statistik", "terbuka", "unit",
    )  # fmt: skip
    assert (puskesmas["topik"], puskesmas["subtopik"]) == (
        "perlindungan-sosial-kesehatan",
        "kesehatan",
    )
    assert puskesmas["jadwal_pemutakhiran"] == "tahunan"
    assert puskesmas["prioritas"] is True
    assert puskesmas["kriteria_prioritas"] == "Standar Pelayanan Minimal bidang kesehatan"
    assert puskesmas["jadwal_rilis"] == "2025-03-31"
    assert puskesmas["klasifikasi_penyajian"] == "per kecamatan"
    # Every way of writing a date the Forum's lists use.
    assert items["DDD-6401-DINKES-002"]["jadwal_rilis"] == "2025-06-30"  # "Juni 2025"
    assert items["DDD-6401-DINKES-003"]["jadwal_rilis"] == "2025-09-30"
    assert items["DDD-6401-DISTAN-001"]["jadwal_rilis"] == "2025-05-31"
    assert items["DDD-6401-DISTAN-002"]["jadwal_rilis"] is None
    # Produsen Data by title, or by the organization's name.
    assert items["DDD-6401-DISTAN-002"]["organization"]["id"] == plan.roles.other["id"]
    assert [item["tahun"] for item in items.values()] == [2025] * 5


def test_reimport_replaces_the_list_and_keeps_links_by_id_ddd(plan: Plan) -> None:
    walidata = plan.roles.name("walidata") or ""
    dataset = plan.roles.dataset(name="puskesmas-2025")
    call_action(
        "satudata_daftar_data_link",
        context={"user": walidata},
        id=plan.item_id("DDD-6401-DINKES-001"),
        package_id=dataset["id"],
    )
    renamed = [list(row) for row in ROWS[:4]]  # DISTAN-002 left the list
    renamed[0][1] = "Jumlah Puskesmas Rawat Inap dan Non Rawat Inap"
    renamed.append(["DDD-6401-DINKES-004", "Cakupan Imunisasi Dasar Lengkap", "Dinas Kesehatan Kabupaten Paser",
                    "Statistik", "Terbuka", "", "Persen", "per kecamatan", "Tahunan", "", "Kesehatan", "Ya", "", "Desember 2025"])  # fmt: skip
    result = import_plan(walidata, xlsx(renamed))
    assert result == {
        "tahun": 2025,
        "items": 5,
        "created": 1,
        "updated": 4,
        "removed": 1,
        "linked": 0,
    }
    items = items_by_id_ddd()
    assert sorted(items) == sorted(row[0] for row in renamed)
    kept = items["DDD-6401-DINKES-001"]
    assert kept["id"] == plan.item_id("DDD-6401-DINKES-001")
    assert kept["nama_data"] == "Jumlah Puskesmas Rawat Inap dan Non Rawat Inap"
    assert [d["name"] for d in kept["datasets"]] == ["puskesmas-2025"]
    assert (
        items["DDD-6401-DINKES-004"]["topik"] == "perlindungan-sosial-kesehatan"
    )  # from its subtopik


def test_bad_rows_refuse_the_whole_file_naming_row_and_column(app: Any, plan: Plan) -> None:
    before = {item.id: item.modified for item in model.Session.query(PlanItem)}
    bad = [list(row) for row in ROWS]
    bad[0][12 - 1] = "Mungkin"  # Data Prioritas (column L)
    bad[1][14 - 1] = "31/13/2025"  # Jadwal Rilis (column N)
    bad[2][3 - 1] = "Dinas Perikanan Kabupaten Paser"  # Produsen Data (column C): no such OPD
    bad[3][0] = "DDD-6401-DINKES-001"  # the ID DDD of row 3 again
    bad[4][1] = ""  # Nama Data (column B) empty
    bad.append(["DDD-6401-DISTAN-003", "Luas Lahan Sawah", "distan-paser", "Statistik", "Rahasia",
                "", "Hektare", "", "Tahunan", "", "", "", "", "2031-01-01"])  # fmt: skip
    problems = refused(app, plan, xlsx(bad))
    # The title row is row 1, the header row 2: the first item is on row 3.
    assert "Baris 3, kolom L: Data Prioritas 'Mungkin' bukan Ya atau Tidak" in problems
    assert any(
        p.startswith("Baris 4, kolom N: Jadwal Rilis '31/13/2025' bukan tanggal") for p in problems
    )
    assert any(
        p.startswith("Baris 5, kolom C: Produsen Data 'Dinas Perikanan Kabupaten Paser' bukan OPD")
        for p in problems
    )
    assert any(
        p.startswith("Baris 6, kolom A: ID DDD 'DDD-6401-DINKES-001' juga ada pada baris 3")
        for p in problems
    )
    assert "Baris 7, kolom B: Nama Data kosong" in problems
    assert any(
        p.startswith("Baris 8, kolom E: Klasifikasi Data 'Rahasia' tidak ada dalam kosakata")
        for p in problems
    )
    assert any(p.startswith("Baris 8, kolom N: Jadwal Rilis '2031-01-01'") for p in problems)
    # Nothing was written: the plan is as it was.
    assert {item.id: item.modified for item in model.Session.query(PlanItem)} == before
    assert sorted(items_by_id_ddd()) == [row[0] for row in ROWS]


def test_errors_in_english_under_en(app: Any, plan: Plan) -> None:
    bad = [list(ROWS[0])]
    bad[0][12 - 1] = "Mungkin"
    assert refused(app, plan, csv_file(bad), "daftar_data.csv") == [
        "Baris 2, kolom L: Data Prioritas 'Mungkin' bukan Ya atau Tidak"
    ]
    assert refused(app, plan, csv_file(bad), "daftar_data.csv", prefix="/en") == [
        "Row 2, column L: Data Prioritas 'Mungkin' is neither Ya nor Tidak"
    ]


def test_a_file_the_reader_refuses_is_refused_in_the_users_language(app: Any, plan: Plan) -> None:
    broken_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # an empty OLE file
    [problem] = refused(app, plan, broken_xls, "daftar_data.xls")
    assert problem == (
        "berkas tidak dapat dibaca: Berkas rusak: bukan buku kerja, dokumen atau arsip yang "
        "dapat dibaca."
    )


def test_a_plan_holding_personal_data_is_refused_naming_the_sheet(app: Any, plan: Plan) -> None:
    from gate_files import NIK

    bad = [list(ROWS[0])]
    bad[0][HEADER.index("Definisi")] = f"Kontak petugas NIK {NIK}"
    [problem] = refused(app, plan, csv_file(bad), "daftar_data.csv")
    assert "NIK/KK" in problem and NIK not in problem


def test_a_file_without_the_plan_columns_is_refused(app: Any, plan: Plan) -> None:
    without_producer = [h for h in HEADER if h != "Produsen Data"]
    rows = [
        [cell for h, cell in zip(HEADER, row, strict=True) if h != "Produsen Data"] for row in ROWS
    ]
    [problem] = refused(app, plan, csv_file(rows, without_producer), "daftar_data.csv")
    assert "ID DDD, Nama Data, Produsen Data" in problem
    assert problem.startswith("tidak ditemukan judul kolom daftar data")


def test_the_served_template_imports_as_a_plan(plan: Plan) -> None:
    """The template's example row is a valid plan item (its producer exists)."""
    result = import_plan(plan.roles.name("walidata") or "", template.build_template(), tahun=2025)
    # Its example is DDD-6401-DINKES-001, already in the plan: kept, the rest removed.
    assert (result["items"], result["updated"], result["removed"]) == (1, 1, len(ROWS) - 1)
    [item] = items_by_id_ddd().values()
    assert item["id"] == plan.item_id("DDD-6401-DINKES-001")
    assert item["prioritas"] is True and item["jadwal_rilis"] == "2025-03-31"


def test_import_links_datasets_already_carrying_the_id_ddd(plan: Plan) -> None:
    """Datasets harvested before the plan was imported carry the row's ID DDD."""
    own = plan.roles.dataset(name="tenaga-kesehatan", id_dds="ddd-6401-dinkes-002")
    plan.roles.dataset(name="milik-opd-lain", id_dds="DDD-6401-DISTAN-001")  # Dinkes' dataset
    result = import_plan(plan.roles.name("walidata") or "", xlsx(ROWS))
    assert result["linked"] == 1
    items = items_by_id_ddd()
    assert [d["id"] for d in items["DDD-6401-DINKES-002"]["datasets"]] == [own["id"]]
    assert items["DDD-6401-DINKES-002"]["datasets"][0]["link_source"] == "id_ddd"
    assert items["DDD-6401-DISTAN-001"]["datasets"] == []  # another OPD's dataset: not linked
    assert model.Session.query(PlanLink).count() == 1


def test_an_item_removed_from_the_list_takes_its_links_along(plan: Plan) -> None:
    dataset = plan.roles.dataset(name="kelompok-tani")
    call_action(
        "satudata_daftar_data_link",
        context={"user": plan.roles.name("walidata") or ""},
        id=plan.item_id("DDD-6401-DISTAN-002"),
        package_id=dataset["id"],
    )
    import_plan(plan.roles.name("walidata") or "", xlsx(ROWS[:4]))
    assert model.Session.query(PlanLink).count() == 0
    assert model.Session.query(PlanItem).count() == 4


def test_the_year_must_be_a_plan_year(app: Any, plan: Plan) -> None:
    too_far = datetime.date.today().year + 5
    assert refused(app, plan, xlsx(ROWS), tahun=too_far) == [f"{too_far} bukan tahun perencanaan"]


def test_upload_is_required(plan: Plan) -> None:
    with pytest.raises(tk.ValidationError) as raised:
        call_action(
            "satudata_daftar_data_import",
            context={"user": plan.roles.name("walidata") or ""},
            tahun=2025,
        )
    assert "upload" in raised.value.error_dict
