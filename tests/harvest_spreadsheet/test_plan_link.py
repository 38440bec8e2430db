"""The spreadsheet harvester links what it harvests to the year's Daftar Data
(planning/) by the row's ID DDD: the one step beyond its stages."""

from __future__ import annotations

import io

from ckan.tests.helpers import call_action
from spreadsheet_support import Harvests
from werkzeug.datastructures import FileStorage

from ckanext.satudata.demo import build_opd

INVENTORY_HEADER = [
    "ID DDD", "Nama Data", "Jenis Data", "Produsen Data", "Klasifikasi Data", "Definisi",
    "Satuan", "Klasifikasi Penyajian", "Jadwal Pemutakhiran", "Link Portal Daerah", "Topik",
    "Subtopik", "Tahun Mulai",
]  # fmt: skip
PLAN_HEADER = ["ID DDD", "Nama Data", "Produsen Data", "Jadwal Rilis"]
DINKES = "Dinas Kesehatan Kabupaten Paser"


def inventory_row(ddd: str, title: str, link: str, unit: str) -> list[str]:
    return [ddd, title, "Statistik", DINKES, "Terbuka", f"{title}.", unit, "per kecamatan",
            "Tahunan", link, "Perlindungan Sosial & Kesehatan", "Kesehatan", "2024"]  # fmt: skip


def import_plan(user: str, tahun: int, rows: list[list[str]]) -> None:
    content = build_opd._csv([PLAN_HEADER, *rows])
    call_action(
        "satudata_daftar_data_import",
        context={"user": user},
        tahun=tahun,
        upload=FileStorage(io.BytesIO(content), filename="daftar_data.csv"),
    )


def items(tahun: int) -> dict[str, dict]:
    found = call_action("satudata_daftar_data_list", tahun=tahun)["items"]
    return {item["id_ddd"]: item for item in found}


def test_harvested_datasets_fulfil_their_plan_items(harvests: Harvests, make_opd) -> None:
    admin = harvests.sysadmin["name"]
    make_opd("distan-paser", "Dinas Pertanian Kabupaten Paser", urusan=["3.27"])
    import_plan(admin, 2025, [
        ["DDD-6401-DINKES-001", "Jumlah Puskesmas menurut Kecamatan", DINKES, "31/03/2025"],
        ["DDD-6401-DINKES-002", "Jumlah Tenaga Kesehatan", DINKES, "30/06/2025"],
        # Same ID DDD, another OPD's item: a Dinkes harvest does not fulfil it.
        ["ddd-6401-dinkes-009", "Data OPD lain", "Dinas Pertanian Kabupaten Paser", ""],
    ])  # fmt: skip
    import_plan(admin, 2024, [["DDD-6401-DINKES-001", "Jumlah Puskesmas", DINKES, ""]])
    files = build_opd.dinkes()
    server = harvests.server
    server.put("opd/puskesmas.csv", files["dinkes/jumlah_puskesmas.csv"])
    server.put("opd/tenaga.xlsx", files["dinkes/tenaga_kesehatan_2024.xlsx"])
    server.put("opd/daftar_data.csv", build_opd._csv([
        INVENTORY_HEADER,
        inventory_row("DDD-6401-DINKES-001", "Jumlah Puskesmas menurut Kecamatan", "puskesmas.csv", "Unit"),
        inventory_row("DDD-6401-DINKES-009", "Jumlah Tenaga Kesehatan", "tenaga.xlsx", "Orang"),
    ]))  # fmt: skip
    harvests.configure()
    result = harvests.run()
    assert result.gather_errors == [] and result.object_errors == []

    plan = items(2025)
    [puskesmas] = plan["DDD-6401-DINKES-001"]["datasets"]
    assert puskesmas["link_source"] == "harvest"
    assert plan["DDD-6401-DINKES-001"]["progress"]["stage"] == "published"
    assert plan["DDD-6401-DINKES-002"]["datasets"] == []  # not in the inventory
    assert plan["ddd-6401-dinkes-009"]["datasets"] == []  # Distan's item
    # Every year's plan that lists the ID DDD.
    assert [d["id"] for d in items(2024)["DDD-6401-DINKES-001"]["datasets"]] == [puskesmas["id"]]

    # A second harvest that changes nothing adds no link twice.
    assert harvests.run().object_errors == []
    assert len(items(2025)["DDD-6401-DINKES-001"]["datasets"]) == 1
