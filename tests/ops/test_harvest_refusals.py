"""ckanext-harvest's own exceptions through the Action API: clear refusals
(409, a message in the user's language) instead of internal errors; and the
same exceptions for ckanext-harvest's pages and commands, which catch them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ckan.tests.helpers import call_action
from ckanext.harvest.logic import HarvestJobExists, HarvestSourceInactiveError

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def source(sysadmin: dict, make_opd: Any) -> dict:
    org = make_opd("disdukcapil-paser", "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Paser")
    config = {"organization": org["name"], "semester": "2024-S2", "allow_private_addresses": True}
    return call_action(
        "harvest_source_create",
        context={"user": sysadmin["name"]},
        name="dukcapil-paser",
        title="Dukcapil DKB Kabupaten Paser",
        url="http://127.0.0.1:9/arcgis/rest/services/DKB_2024_S2/MapServer",
        source_type="satudata_dukcapil",
        owner_org=org["id"],
        config=json.dumps(config),
    )


def _create_job(app: Any, sysadmin: dict, source_id: str, prefix: str = "") -> Any:
    return app.post(
        f"{prefix}/api/3/action/harvest_job_create",
        json={"source_id": source_id, "run": False},
        headers={"Authorization": sysadmin["token"]},
    )


def test_second_job_of_a_source_is_a_409_in_the_users_language(
    app: Any, sysadmin: dict, source: dict
) -> None:
    assert _create_job(app, sysadmin, source["id"]).status_code == 200

    refused = _create_job(app, sysadmin, source["id"])
    assert refused.status_code == 409
    error = refused.json["error"]
    assert error["__type"] == "Validation Error"
    assert error["source_id"] == [
        "Sumber panen ini sudah memiliki pekerjaan yang menunggu atau berjalan; tunggu "
        "sampai selesai, atau hentikan, sebelum memulai yang lain."
    ]

    english = _create_job(app, sysadmin, source["id"], prefix="/en")
    assert english.status_code == 409
    assert english.json["error"]["source_id"][0].startswith(
        "This harvest source already has a job waiting or running"
    )


def test_the_refusal_is_still_ckanext_harvests_exception(sysadmin: dict, source: dict) -> None:
    """Its refresh page and `ckan harvester run-test` catch HarvestJobExists."""
    call_action(
        "harvest_job_create", context={"user": sysadmin["name"]}, source_id=source["id"], run=False
    )
    with pytest.raises(HarvestJobExists):
        call_action(
            "harvest_job_create",
            context={"user": sysadmin["name"]},
            source_id=source["id"],
            run=False,
        )


def test_inactive_source(app: Any, sysadmin: dict, source: dict) -> None:
    from ckanext.harvest.model import HarvestSource

    harvest_source = HarvestSource.get(source["id"])
    harvest_source.active = False
    harvest_source.save()

    refused = _create_job(app, sysadmin, source["id"])
    assert refused.status_code == 409
    assert "tidak aktif" in refused.json["error"]["source_id"][0]
    with pytest.raises(HarvestSourceInactiveError):
        call_action(
            "harvest_job_create", context={"user": sysadmin["name"]}, source_id=source["id"]
        )

    reimport = app.post(
        "/en/api/3/action/harvest_objects_import",
        json={"source_id": source["id"]},
        headers={"Authorization": sysadmin["token"]},
    )
    assert reimport.status_code == 409
    assert reimport.json["error"]["source_id"] == [
        "This harvest source is inactive; activate it before harvesting."
    ]


def test_abort_failed_jobs_needs_a_life_span(app: Any, sysadmin: dict) -> None:
    refused = app.post(
        "/api/3/action/harvest_abort_failed_jobs",
        json={},
        headers={"Authorization": sysadmin["token"]},
    )
    assert refused.status_code == 409
    assert refused.json["error"]["life_span"]


def test_abort_failed_jobs_is_for_sysadmins(app: Any) -> None:
    """ckanext-harvest checks no one: anonymous could abort every job."""
    refused = app.post("/api/3/action/harvest_abort_failed_jobs", json={"life_span": 0})
    assert refused.status_code == 403
