"""Who may call the ckanext-harvest actions our chains wrap (logic/action/
harvest.py): the chains turn exceptions into refusals and run the watchdog,
and must leave ckanext-harvest's own authorization as it was. Through the
auth matrix (tests/auth_matrix.py) on the real stack, for a source of the
producer's OPD."""

from __future__ import annotations

import json
from typing import Any

import pytest
from auth_matrix import AuthRoles, assert_matrix
from ckan.tests.helpers import call_action

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_index")

# Who may harvest a source: the editors of its OPD, and sysadmins.
SOURCE_EDITORS = {"producer", "sysadmin"}


@pytest.fixture
def source(auth_roles: AuthRoles) -> dict[str, Any]:
    config = {
        "organization": auth_roles.owner["name"],
        "semester": "2024-S2",
        "allow_private_addresses": True,
    }
    return call_action(
        "harvest_source_create",
        context={"user": auth_roles.name("sysadmin")},
        name="dukcapil-uji-hak-akses",
        title="Dukcapil (uji hak akses)",
        url="http://127.0.0.1:9/arcgis/rest/services/DKB_2024_S2/MapServer",
        source_type="satudata_dukcapil",
        owner_org=auth_roles.owner["id"],
        config=json.dumps(config),
    )


def test_harvest_actions_keep_ckanext_harvests_authorization(
    auth_roles: AuthRoles, source: dict[str, Any]
) -> None:
    of_source = {"source_id": source["id"]}
    assert_matrix(auth_roles, "harvest_job_create", of_source, allowed=SOURCE_EDITORS)
    job = call_action(
        "harvest_job_create",
        context={"user": auth_roles.name("sysadmin")},
        source_id=source["id"],
        run=False,
    )
    # ckanext-harvest checks it as harvest_job_create, on the source_id it is given.
    assert_matrix(
        auth_roles,
        "harvest_send_job_to_gather_queue",
        {"id": job["id"], **of_source},
        allowed=SOURCE_EDITORS,
    )
    # Re-importing every object, and site-wide housekeeping (the scheduler's,
    # as the site user): sysadmins only.
    assert_matrix(auth_roles, "harvest_objects_import", of_source, allowed={"sysadmin"})
    assert_matrix(auth_roles, "harvest_jobs_run", {}, allowed={"sysadmin"})
    assert_matrix(auth_roles, "harvest_abort_failed_jobs", {"life_span": 7}, allowed={"sysadmin"})
