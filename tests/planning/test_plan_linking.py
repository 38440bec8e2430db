"""Linking datasets to Daftar Data items by hand, and the states computed
from what the linked datasets are (review status, visibility)."""

from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from plan_support import DINKES, DISTAN, Plan, import_plan, items_by_id_ddd, xlsx
from sdi_data import sdi_dataset_dict

from ckanext.satudata.planning import progress, service

pytestmark = pytest.mark.usefixtures("with_plugins")


def link(plan: Plan, role: str, id_ddd: str, package_id: str) -> dict:
    return call_action(
        "satudata_daftar_data_link",
        context=plan.roles.context(role),
        id=plan.item_id(id_ddd),
        package_id=package_id,
    )


def set_status(plan: Plan, package_id: str, status: str) -> None:
    call_action(
        "package_patch",
        context={"user": plan.roles.name("sysadmin") or ""},
        id=package_id,
        status_data=status,
    )


def test_a_producer_links_its_own_opds_datasets_to_its_items(plan: Plan) -> None:
    dataset = plan.roles.dataset(name="jumlah-puskesmas")
    item = link(plan, "producer", "DDD-6401-DINKES-001", dataset["name"])
    assert [(d["name"], d["link_source"]) for d in item["datasets"]] == [
        ("jumlah-puskesmas", "manual")
    ]
    assert item["progress"]["stage"] == progress.PUBLISHED  # public, no review status
    # Linking twice changes nothing.
    again = link(plan, "producer", "DDD-6401-DINKES-001", dataset["id"])
    assert len(again["datasets"]) == 1


def test_a_producer_cannot_link_another_opds_dataset(plan: Plan) -> None:
    theirs = other_opds_dataset(plan, "produksi-padi")
    with pytest.raises(tk.ValidationError) as raised:
        link(plan, "producer", "DDD-6401-DINKES-001", theirs["id"])
    assert "package_id" in raised.value.error_dict
    # The walidata links any dataset (e.g. one it publishes on an OPD's behalf).
    item = link(plan, "walidata", "DDD-6401-DINKES-001", theirs["id"])
    assert [d["name"] for d in item["datasets"]] == ["produksi-padi"]


def other_opds_dataset(plan: Plan, name: str) -> dict:
    """A public dataset of the other producer's OPD (Distan)."""
    return call_action(
        "package_create",
        context={"user": plan.roles.name("sysadmin") or ""},
        **sdi_dataset_dict(owner_org=plan.roles.other["id"], name=name),
    )


def test_unlinking_by_hand(plan: Plan) -> None:
    dataset = plan.roles.dataset(name="tenaga-kesehatan")
    link(plan, "producer", "DDD-6401-DINKES-002", dataset["id"])
    item = call_action(
        "satudata_daftar_data_unlink",
        context=plan.roles.context("producer"),
        id=plan.item_id("DDD-6401-DINKES-002"),
        package_id=dataset["name"],
    )
    assert item["datasets"] == [] and item["progress"]["stage"] == progress.PLANNED
    with pytest.raises(tk.ObjectNotFound):
        call_action(
            "satudata_daftar_data_unlink",
            context=plan.roles.context("producer"),
            id=plan.item_id("DDD-6401-DINKES-002"),
            package_id=dataset["id"],
        )


def test_the_stage_follows_the_review_status(plan: Plan) -> None:
    dataset = plan.roles.dataset(name="stunting")
    link(plan, "producer", "DDD-6401-DINKES-003", dataset["id"])
    for status, stage in (
        ("draft", progress.COLLECTED),
        ("menunggu_persetujuan", progress.COLLECTED),
        ("disetujui", progress.VERIFIED),
        ("ditayangkan", progress.PUBLISHED),
        ("tidak_ditayangkan", progress.COLLECTED),  # withdrawn by its harvest
    ):
        set_status(plan, dataset["id"], status)
        item = items_by_id_ddd()["DDD-6401-DINKES-003"]
        assert item["progress"]["stage"] == stage, status
        assert item["datasets"][0]["status_data"] == status


def test_a_deleted_dataset_no_longer_counts(plan: Plan) -> None:
    dataset = plan.roles.dataset(name="akan-dihapus")
    link(plan, "producer", "DDD-6401-DINKES-003", dataset["id"])
    call_action(
        "package_delete", context={"user": plan.roles.name("sysadmin") or ""}, id=dataset["id"]
    )
    item = items_by_id_ddd()["DDD-6401-DINKES-003"]
    assert item["progress"]["stage"] == progress.PLANNED and item["datasets"] == []


def test_a_private_dataset_counts_but_is_named_only_to_who_may_read_it(plan: Plan) -> None:
    restricted = plan.roles.dataset(name="tenaga-kesehatan-terbatas", accessRights="terbatas")
    assert restricted["private"] is True  # terbatas data are always private
    link(plan, "producer", "DDD-6401-DINKES-002", restricted["id"])
    item_id = plan.item_id("DDD-6401-DINKES-002")
    for role, shown, hidden in (
        ("anonymous", [], 1),
        ("other_producer", [], 1),
        ("producer", ["tenaga-kesehatan-terbatas"], 0),
        ("sysadmin", ["tenaga-kesehatan-terbatas"], 0),
    ):
        item = call_action(
            "satudata_daftar_data_show", context=plan.roles.context(role), id=item_id
        )
        assert [d["name"] for d in item["datasets"]] == shown, role
        assert item["hidden_datasets"] == hidden, role
        assert item["progress"]["stage"] == progress.COLLECTED, role  # private, no status


def test_overdue_items_against_a_fixed_clock(plan: Plan) -> None:
    """DINKES-001 is planned for 31 March 2025."""
    tahun = 2025

    def state(today: datetime.date) -> tuple[str, int | None]:
        [view] = service.year_views(
            tahun, None, today, organization_id=plan.roles.owner["id"], state=None
        )[:1]
        return view.progress.state, view.progress.days_late

    assert state(datetime.date(2025, 3, 31)) == (progress.PLANNED, None)
    assert state(datetime.date(2025, 4, 1)) == (progress.OVERDUE, 1)
    assert state(datetime.date(2025, 6, 30)) == (progress.OVERDUE, 91)
    dataset = plan.roles.dataset(name="puskesmas")
    link(plan, "producer", "DDD-6401-DINKES-001", dataset["id"])
    set_status(plan, dataset["id"], "menunggu_persetujuan")
    assert state(datetime.date(2025, 6, 30)) == (progress.OVERDUE, 91)  # collected is not enough
    set_status(plan, dataset["id"], "ditayangkan")
    assert state(datetime.date(2025, 6, 30)) == (progress.PUBLISHED, None)


def test_progress_per_opd_and_for_the_kabupaten(plan: Plan) -> None:
    """A plan of this year, dated around today: one item late, one due later."""
    today = datetime.date.today()
    tahun = (today - datetime.timedelta(days=10)).year
    late, later = today - datetime.timedelta(days=10), today + datetime.timedelta(days=120)
    rows = [
        ["DDD-A-1", "Jumlah Puskesmas", DINKES, "", "", "", "", "", "Tahunan", "", "", "Ya", "", late.isoformat()],
        ["DDD-A-2", "Jumlah Tenaga Kesehatan", DINKES, "", "", "", "", "", "Tahunan", "", "", "Tidak", "", later.isoformat()],
        ["DDD-B-1", "Produksi Padi", DISTAN, "", "", "", "", "", "Tahunan", "", "", "Ya", "", late.isoformat()],
        ["DDD-B-2", "Kelompok Tani", DISTAN, "", "", "", "", "", "Tahunan", "", "", "Tidak", "", ""],
    ]  # fmt: skip
    import_plan(plan.roles.name("walidata") or "", xlsx(rows), tahun=tahun)
    published = other_opds_dataset(plan, "padi")
    call_action(
        "satudata_daftar_data_link",
        context=plan.roles.context("other_producer"),
        id=items_by_id_ddd(tahun)["DDD-B-1"]["id"],
        package_id=published["id"],
    )
    found = call_action("satudata_daftar_data_progress", tahun=tahun)
    kabupaten = found["kabupaten"]
    assert (kabupaten["total"], kabupaten["overdue"]) == (4, 1)
    assert kabupaten["reached"]["published"] == 1 and kabupaten["percent"]["published"] == 25.0
    assert (kabupaten["priority"], kabupaten["priority_published"]) == (2, 1)
    per_opd = {row["organization"]["name"]: row for row in found["organizations"]}
    assert (
        per_opd["dinkes-paser"]["overdue"] == 1
        and per_opd["dinkes-paser"]["percent"]["published"] == 0.0
    )
    assert per_opd["distan-paser"]["percent"]["published"] == 50.0
    assert [(o["id_ddd"], o["days_late"]) for o in found["overdue"]] == [("DDD-A-1", 10)]
    # The list filters by state and by OPD.
    overdue = call_action("satudata_daftar_data_list", tahun=tahun, state="overdue")
    assert [item["id_ddd"] for item in overdue["items"]] == ["DDD-A-1"]
    distan = call_action(
        "satudata_daftar_data_list", tahun=tahun, organization="distan-paser", prioritas=True
    )
    assert [item["id_ddd"] for item in distan["items"]] == ["DDD-B-1"]
    schedule = call_action("satudata_jadwal_rilis", tahun=tahun)
    assert [m["month"] for m in schedule["months"]] == sorted(
        {late.strftime("%Y-%m"), later.strftime("%Y-%m")}
    )
    assert [i["id_ddd"] for i in schedule["unscheduled"]] == ["DDD-B-2"]
    assert schedule["overdue"] == 1


def test_the_walidata_edits_an_item(plan: Plan) -> None:
    item = call_action(
        "satudata_daftar_data_update",
        context=plan.roles.context("walidata"),
        id=plan.item_id("DDD-6401-DISTAN-002"),
        jadwal_rilis="Agustus 2025",
        prioritas=True,
        kriteria_prioritas="Program ketahanan pangan",
    )
    assert (item["jadwal_rilis"], item["prioritas"], item["kriteria_prioritas"]) == (
        "2025-08-31", True, "Program ketahanan pangan",
    )  # fmt: skip
    with pytest.raises(tk.ValidationError) as raised:
        call_action(
            "satudata_daftar_data_update",
            context=plan.roles.context("walidata"),
            id=plan.item_id("DDD-6401-DISTAN-002"),
            jadwal_rilis="2030-01-01",
        )
    assert "jadwal_rilis" in raised.value.error_dict
    cleared = call_action(
        "satudata_daftar_data_update",
        context=plan.roles.context("walidata"),
        id=plan.item_id("DDD-6401-DISTAN-002"),
        jadwal_rilis="",
    )
    assert (
        cleared["jadwal_rilis"] is None and cleared["progress"]["deadline"] == progress.UNSCHEDULED
    )


def test_reading_a_plan_takes_the_same_queries_for_5_items_or_40(plan: Plan) -> None:
    """Items, links, datasets and OPDs are read in one query each, however many."""

    def queries(tahun: int) -> int:
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        engine = model.Session.get_bind()
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            service.summary(service.year_views(tahun, None, datetime.date(2025, 7, 1)))
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    for n in range(2):
        link(
            plan,
            "producer",
            f"DDD-6401-DINKES-00{n + 1}",
            plan.roles.dataset(name=f"data-{n}")["id"],
        )
    small = queries(2025)
    rows = [[f"DDD-B-{n:03d}", f"Data {n}", DINKES if n % 2 else DISTAN, "", "", "", "", "", "Tahunan", "", "", "Tidak", "", "30/06/2024"] for n in range(40)]  # fmt: skip
    import_plan(plan.roles.name("walidata") or "", xlsx(rows), tahun=2024)
    owner = {item["id_ddd"]: item for item in items_by_id_ddd(2024).values()}
    for n in range(1, 40, 2):  # Dinkes' items (the producer's OPD)
        link_2024 = call_action(
            "satudata_daftar_data_link",
            context=plan.roles.context("producer"),
            id=owner[f"DDD-B-{n:03d}"]["id"],
            package_id=plan.roles.dataset(name=f"data-2024-{n}")["id"],
        )
        assert link_2024["progress"]["stage"] == progress.PUBLISHED
    assert queries(2024) == small
