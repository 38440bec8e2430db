"""No write path can forget the gate: every action CKAN has registered (core,
extensions and ours, enumerated at run time) is either side-effect free, chained
through the gate (logic/action/gate.py, dataset.py), routed through an action
that is, or listed below with the reason it stores no content. A new action —
an extension upgrade, a new feature of ours — fails this test until someone
decides which it is."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from ckan import logic

from ckanext.satudata.logic.action.gate import GATE_MARK

# Actions that store content only by calling a gated action with it.
ROUTED_VIA = {
    "package_patch": "package_update",
    "package_revise": "package_update",
    "resource_create": "package_update",  # and the resource hooks
    "resource_update": "package_update",  # and the resource hooks
    "resource_patch": "package_update",  # through resource_update
    "group_patch": "group_update",
    "organization_patch": "organization_update",
    "user_patch": "user_update",
    "harvest_source_patch": "package_update",  # through package_patch
}

# Actions that store no file, DataStore rows or text people read.
STORES_NO_CONTENT = {
    "InactiveSource": "not an action: ckanext-harvest exports an exception class from its actions",
    "auth_allow_anonymous_access": "not an action: a decorator exported from an action module",
    "activity_create": "records what a gated action stored (sysadmins only through the API)",
    "activity_delete": "deletes", "activity_delete_all": "deletes",
    "activity_delete_counts": "deletes",
    "api_token_create": "a token's name is shown to its owner only, never published",
    "api_token_revoke": "deletes",
    "bulk_update_delete": "changes states", "bulk_update_private": "changes visibility",
    "bulk_update_public": "changes visibility (classification checked in dataset.py)",
    "dashboard_mark_activities_old": "a timestamp",
    "dataset_purge": "deletes", "datastore_delete": "deletes",
    "datastore_records_delete": "deletes",
    "datastore_function_create": "sysadmin-only PL/pgSQL trigger code, not published",
    "datastore_function_delete": "deletes",
    "datastore_run_triggers": "reruns sysadmin-defined triggers over rows already stored",
    "dcat_dataset_show": "reads (ckanext-dcat does not mark it side-effect free)",
    "file_delete": "deletes", "file_pin": "a flag", "file_unpin": "a flag",
    "file_ownership_transfer": "changes an owner",
    "file_register": "registers a file already in storage (file managers only); its "
    "content was stored by file_create, which is gated",
    "follow_dataset": "a relation", "follow_group": "a relation", "follow_user": "a relation",
    "unfollow_dataset": "deletes", "unfollow_group": "deletes", "unfollow_user": "deletes",
    "get_mail_extra_vars": "builds a mail, stores nothing",
    "prepare_error_mail": "builds a mail", "prepare_summary_mail": "builds a mail",
    "send_email_notifications": "sends mail", "send_error_email": "sends mail",
    "send_mail": "sends mail", "send_summary_email": "sends mail",
    "group_delete": "deletes", "group_purge": "deletes",
    "group_member_create": "a relation", "group_member_delete": "deletes",
    "organization_delete": "deletes", "organization_purge": "deletes",
    "organization_member_create": "a relation", "organization_member_delete": "deletes",
    "member_create": "a relation", "member_delete": "deletes",
    "package_collaborator_create": "a relation", "package_collaborator_delete": "deletes",
    "package_delete": "deletes", "package_owner_org_update": "changes an owner",
    "package_relationship_delete": "deletes", "package_resource_reorder": "an order",
    "package_create_default_resource_views": "views with the site's default titles",
    "resource_create_default_resource_views": "views with the site's default titles",
    "resource_delete": "deletes", "resource_view_delete": "deletes",
    "resource_view_clear": "deletes", "resource_view_reorder": "an order",
    "harvest_abort_failed_jobs": "job states", "harvest_get_notifications_recipients": "reads",
    "harvest_job_abort": "job states", "harvest_job_create": "queues a job",
    "harvest_job_create_all": "queues jobs", "harvest_jobs_run": "job states",
    "harvest_send_job_to_gather_queue": "queues a job",
    "harvest_object_create": "a harvest object's content is never published; the "
    "harvester's import puts it through the gate",
    "harvest_objects_import": "re-runs the harvesters' import, which goes through the gate",
    "harvest_source_clear": "deletes", "harvest_source_delete": "deletes",
    "harvest_source_index_clear": "deletes",
    "harvest_source_job_history_clear": "deletes", "harvest_sources_job_history_clear": "deletes",
    "harvest_sources_clear": "deletes",
    "job_cancel": "deletes", "job_clear": "deletes",
    "satudata_validation_run": "re-inspects stored content through the gate",
    "satudata_daftar_data_link": "a relation", "satudata_daftar_data_unlink": "deletes",
    "tag_delete": "deletes", "task_status_delete": "deletes",
    "user_delete": "deletes", "vocabulary_delete": "deletes",
}  # fmt: skip


def _functions_of(action: Any) -> list[Any]:
    """The functions of an action's chain, outermost first."""
    found = []
    while action is not None:
        if isinstance(action, functools.partial):
            found.append(action.func)
            action = action.args[0] if action.args else None
        else:
            found.append(action)
            action = None
    return found


def _is_gated(name: str) -> bool:
    return any(getattr(f, GATE_MARK, False) for f in _functions_of(logic._actions[name]))


@pytest.fixture
def registered(with_plugins: None) -> dict[str, Any]:
    logic.get_action("package_show")  # CKAN builds its action table on first use
    return dict(logic._actions)


def test_every_action_that_can_store_content_goes_through_the_gate(
    registered: dict[str, Any],
) -> None:
    unaccounted = []
    for name, action in sorted(registered.items()):
        if getattr(action, "side_effect_free", False) or _is_gated(name):
            continue
        if name in ROUTED_VIA or name in STORES_NO_CONTENT:
            continue
        unaccounted.append(name)
    assert not unaccounted, (
        "actions neither gated nor listed (logic/action/gate.py, or "
        f"tests/logic/test_gate_coverage.py with a reason): {unaccounted}"
    )


def test_routes_lead_to_gated_actions(registered: dict[str, Any]) -> None:
    for name, target in ROUTED_VIA.items():
        assert name in registered, name
        assert not _is_gated(name), f"{name} is gated itself: drop it from ROUTED_VIA"
        assert _is_gated(target), f"{name} is routed via {target}, which is not gated"


def test_no_gated_action_is_listed_as_storing_nothing(registered: dict[str, Any]) -> None:
    # (A listed name may be missing: some modules export helpers that CKAN
    # registers as actions only in some import orders.)
    stale = [name for name in STORES_NO_CONTENT if name in registered and _is_gated(name)]
    assert not stale, f"listed as storing no content but gated: {stale}"
