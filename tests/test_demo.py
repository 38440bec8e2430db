"""`ckan satudata demo load`, `demo review` and `demo plan` (run by `make demo`) are idempotent."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests.helpers import call_action
from sdi_data import sdi_dataset_dict

from ckanext.satudata import contexts
from ckanext.satudata.demo import build_opd, build_plan, opd_files
from ckanext.satudata.demo import loader as demo
from ckanext.satudata.demo import review as review_demo
from ckanext.satudata.harvesters.dukcapil.standard import FAMILIES
from ckanext.satudata.harvesters.spreadsheet import inventory
from ckanext.satudata.model import review_event
from ckanext.satudata.planning import progress, service
from ckanext.satudata.reference import vocabularies
from ckanext.satudata.review import workflow

REVIEW_ENABLED = "ckanext.satudata.review.enabled"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_demo_load_twice_creates_nothing_twice(cli, tmp_path: Path) -> None:
    password_file = tmp_path / "admin-password"
    args = ["satudata", "demo", "load", "--password-file", str(password_file)]

    first = cli.invoke(ckan_cli, args)
    assert first.exit_code == 0, first.output
    password = password_file.read_text().strip()
    second = cli.invoke(ckan_cli, args)
    assert second.exit_code == 0, second.output

    assert f"Sysadmin: admin / {password}" in first.output
    assert f"Sysadmin: admin / {password}" in second.output  # same credentials again
    assert "0 created" in second.output
    admin = model.User.get("admin")
    assert admin is not None and admin.sysadmin and admin.validate_password(password)
    assert model.Session.query(model.User).filter(model.User.name == "admin").count() == 1
    assert sorted(call_action("organization_list")) == sorted(
        o["name"] for o in demo.demo_organizations()
    )
    assert sorted(call_action("group_list")) == sorted(vocabularies.values("topic"))
    opd = call_action("organization_show", id="disdukcapil-paser")
    assert (opd["peran"], opd["urusan"]) == ("produsen_data", ["2.12"])


def test_demo_serves_dcat_ap_3_and_names_the_pelita_api() -> None:
    """`make demo` configures DCAT-AP 3 and says where the catalogue and the
    Pelita API are (tests/interop serves and checks both on the demo content)."""
    script = (Path(__file__).parents[1] / "scripts" / "demo.sh").read_text()
    assert '"ckanext.dcat.rdf.profiles=euro_dcat_ap_3 satudata_sdi"' in script
    assert "/catalog.ttl" in script and "/api/pelita/v1.3/dataset" in script


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize(
    "review",
    [False, pytest.param(True, marks=pytest.mark.ckan_config(REVIEW_ENABLED, True))],
    ids=["status-field", "review-workflow"],
)
def test_demo_plan_loads_the_daftar_data_2025_and_links_what_the_harvest_delivered(
    cli, review: bool
) -> None:
    """`ckan satudata demo plan` (after the demo harvest): a realistic 2025 plan
    of the five demo OPDs, some priority, some delivered, some late. With the
    walidata's review on, the statuses are reached through its transitions."""
    assert workflow.enabled() == review
    demo.load_organizations()
    sysadmin = {"user": contexts.site()["user"]}
    # What the demo harvest publishes: the OPD inventories' datasets carry their
    # row's ID DDD (the harvester's id_dds); the Dukcapil datasets are named
    # by family and level.
    inventories = {**build_opd.dinkes(), **build_opd.disdikbud(), **build_opd.distan()}
    for organization, _title, path in opd_files.SAMPLE_SOURCES:
        owner = call_action("organization_show", id=organization)["id"]
        for row in inventory.read_inventory(inventories[path]).rows:
            call_action(
                "package_create",
                context=dict(sysadmin),
                **sdi_dataset_dict(
                    owner, name=inventory.comparable(row.cells["nama_data"]).replace(" ", "-")[:90],
                    title=row.cells["nama_data"], id_dds=row.cells["id_ddd"],
                ),
            )  # fmt: skip
    dukcapil = call_action("organization_show", id=demo.DUKCAPIL_ORG)["id"]
    for family, level, _status in demo.DUKCAPIL_DELIVERIES.values():
        call_action(
            "package_create",
            context=dict(sysadmin),
            **sdi_dataset_dict(
                dukcapil, name=f"{FAMILIES[family].slug}-per-{level}-kabupaten-paser"
            ),
        )

    if review:  # the CLI reads test.ini (review off): the loader in this process
        first_result = demo.load_plan()
        assert (first_result["items"], first_result["created"]) == (31, 31)
        assert (first_result["linked"], first_result["linked_by_hand"]) == (5, 5)
        second_result = demo.load_plan()
        assert (second_result["created"], second_result["linked"]) == (0, 0)
    else:
        first = cli.invoke(ckan_cli, ["satudata", "demo", "plan"])
        assert first.exit_code == 0, first.output
        assert "Daftar Data 2025: 31 items (31 created, 0 updated, 0 removed)" in first.output
        assert "5 datasets linked by their ID DDD, 5 Dukcapil datasets linked" in first.output
        second = cli.invoke(ckan_cli, ["satudata", "demo", "plan"])
        assert second.exit_code == 0, second.output
        assert "31 items (0 created, 31 updated, 0 removed); 0 datasets linked" in second.output

    # As the walidata sees the plan (the public sees published datasets only).
    items = call_action("satudata_daftar_data_list", context=dict(sysadmin), tahun=2025)["items"]
    assert len(items) == len(build_plan.ITEMS) == 31
    assert {item["organization"]["name"] for item in items} == {
        o["name"] for o in demo.demo_organizations()
    }
    assert sum(item["prioritas"] for item in items) == 14
    assert sum(len(item["datasets"]) for item in items) == 10
    # Against a fixed clock: mid-January 2026, the 2025 plan's dates have passed
    # but for one release planned in March 2026.
    views = service.year_views(2025, sysadmin["user"], datetime.date(2026, 1, 15))
    tally = progress.tally((view.progress, view.item.prioritas) for view in views).as_dict()
    assert tally["stages"] == {"planned": 21, "collected": 1, "verified": 1, "published": 8}
    assert tally["overdue"] == 18
    unscheduled = [view for view in views if view.progress.deadline == progress.UNSCHEDULED]
    assert len(unscheduled) == 4


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config(REVIEW_ENABLED, True)
def test_demo_review_makes_a_realistic_queue(app, tmp_path: Path) -> None:
    """`ckan satudata demo review` (after the demo harvest): most of the OPD
    spreadsheets' datasets published, one approved, two waiting (one past the
    SLA), one returned to Dinas Kesehatan with comments; run twice, the same."""
    demo.load_organizations()
    users = review_demo.ensure_users(tmp_path / "demo-users")
    assert review_demo.ensure_users(tmp_path / "demo-users") == users  # same passwords
    for name, password, _fullname in users:
        user = model.User.get(name)
        assert user is not None and user.validate_password(password)
    # What the OPD spreadsheets' harvest submits (an untrusted source's writes).
    harvest = workflow.harvest_context(
        contexts.site(), workflow.HarvestWrite(trusted=False, source="Daftar Data OPD")
    )
    for organization, _title, _path in opd_files.SAMPLE_SOURCES:
        owner = call_action("organization_show", id=organization)["id"]
        for number in range(3):
            call_action("package_create", context=dict(harvest),
                        **sdi_dataset_dict(owner, name=f"{organization}-data-{number}"))  # fmt: skip

    # (The CLI would read test.ini, where the review is off: the loader itself.)
    expected = {"disetujui": 1, "ditolak": 1, "ditayangkan": 5, "menunggu_persetujuan": 2}
    assert review_demo.load_queue() == expected
    events = sum(len(review_event.history(p.id)) for p in model.Session.query(model.Package))
    assert review_demo.load_queue() == expected
    assert events == sum(
        len(review_event.history(p.id)) for p in model.Session.query(model.Package)
    )

    walidata = {"user": review_demo.WALIDATA_USER}
    queue = call_action("satudata_review_queue", context=dict(walidata))
    assert [e["state"] for e in queue["results"]] == [
        "menunggu_persetujuan", "menunggu_persetujuan", "disetujui"
    ]  # fmt: skip
    assert [e["overdue"] for e in queue["results"]][:2] == [True, False]
    mine = call_action("satudata_review_mine", context={"user": "produsen-dinkes"})
    [rejected] = next(s for s in mine["states"] if s["state"] == "ditolak")["datasets"]
    comments = [i["comment"] for i in rejected["last_decision"]["items"] if not i["accepted"]]
    assert len(comments) == 2 and rejected["name"] == "dinkes-paser-data-0"
    anonymous = call_action("package_search", context={"user": ""}, q="*:*")
    assert anonymous["count"] == 5

    token = call_action("api_token_create", context={"user": review_demo.WALIDATA_USER},
                        user=review_demo.WALIDATA_USER, name="demo")["token"]  # fmt: skip
    page = app.get("/pemeriksaan", headers={"Authorization": token})
    assert page.status_code == 200
    assert "disdikbud-paser-data-2" in page.get_data(as_text=True)
    token = call_action("api_token_create", context={"user": "produsen-dinkes"},
                        user="produsen-dinkes", name="demo")["token"]  # fmt: skip
    page = app.get("/pemeriksaan/saya", headers={"Authorization": token})
    assert comments[0] in page.get_data(as_text=True)  # the walidata's comments, listed


def test_demo_supervises_its_workers_and_runs_the_scheduler() -> None:
    """`make demo` runs what production runs (docker/): the harvest consumers
    that survive their services, the jobs worker, and the scheduler (harvest
    jobs run and watchdog, daily maintenance), each restarted when it exits."""
    script = (Path(__file__).resolve().parents[1] / "scripts" / "demo.sh").read_text()
    for command in (
        'supervised jobs-worker "$CKAN" -c "$INI" satudata jobs worker',
        'supervised harvest-gather "$CKAN" -c "$INI" satudata harvest gather-consumer',
        'supervised harvest-fetch "$CKAN" -c "$INI" satudata harvest fetch-consumer',
        'supervised scheduler "$CKAN" -c "$INI" satudata scheduler --interval 60',
    ):
        assert command in script, command
    assert "scripts/supervise.sh" in script
    assert "harvester gather-consumer" not in script
