"""The review on the real stack: a producer's dataset stays invisible to the
public (package_show, search, DCAT, DataStore, downloads) until the walidata
publishes it; reject -> revise -> approve -> publish keeps the walidata's
comments; an edit of a published dataset keeps the public version until the
walidata publishes it; the status changes only through the review."""

from __future__ import annotations

import pytest
from auth_matrix import AuthRoles
from ckan import model
from ckan.plugins import toolkit as tk
from review_support import (
    act,
    anonymous_finds,
    anonymous_sees,
    good_rows,
    headers,
    producer_dataset,
    publish,
    table_upload,
)

from ckanext.satudata.model import pending_change

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_index")


def _datastore_rows(roles: AuthRoles, role: str, resource_id: str) -> int | None:
    context = roles.context(role)
    try:
        return tk.get_action("datastore_search")(context, {"resource_id": resource_id})["total"]
    except tk.NotAuthorized:
        return None


def test_unpublished_dataset_is_invisible_to_the_public(app, auth_roles: AuthRoles) -> None:
    dataset = producer_dataset(auth_roles)
    resource = dataset["resources"][0]
    assert dataset["status_data"] == "draft" and dataset["private"] is True
    assert resource["datastore_active"]

    assert not anonymous_sees(dataset["id"])
    assert not anonymous_finds(dataset["name"])
    assert _datastore_rows(auth_roles, "anonymous", resource["id"]) is None
    assert app.get(f"/dataset/{dataset['id']}.rdf", status=None).status_code in (403, 404)
    assert dataset["id"] not in app.get("/catalog.ttl").get_data(as_text=True)
    download = f"/dataset/{dataset['id']}/resource/{resource['id']}/download/penduduk.csv"
    assert app.get(download, status=None).status_code in (403, 404)
    assert app.get(f"/datastore/dump/{resource['id']}", status=None).status_code in (403, 404)
    assert dataset["name"] not in tk.get_action("package_list")({"user": ""}, {})

    # The producer, the walidata and the walidata pendukung still see it.
    for role in ("producer", "walidata", "walidata_pendukung"):
        assert act(auth_roles, role, "package_show", id=dataset["id"])["id"] == dataset["id"]
        found = act(auth_roles, role, "package_search", q=f"name:{dataset['name']}",
                    include_private=True)  # fmt: skip
        assert found["count"] == 1, role
        assert _datastore_rows(auth_roles, role, resource["id"]) == len(good_rows())
    assert (
        app.get(
            f"/dataset/{dataset['id']}.rdf", headers=headers(auth_roles, "walidata")
        ).status_code
        == 200
    )
    with pytest.raises(tk.NotAuthorized):
        act(auth_roles, "other_producer", "package_show", id=dataset["id"])

    # Submitted and approved: still not public. Published: public everywhere.
    act(auth_roles, "producer", "satudata_review_submit", id=dataset["id"])
    act(auth_roles, "walidata", "satudata_review_approve", id=dataset["id"])
    assert not anonymous_sees(dataset["id"])
    act(auth_roles, "walidata", "satudata_review_publish", id=dataset["id"])
    assert anonymous_sees(dataset["id"]) and anonymous_finds(dataset["name"])
    assert _datastore_rows(auth_roles, "anonymous", resource["id"]) == len(good_rows())
    assert app.get(f"/dataset/{dataset['id']}.rdf").status_code == 200
    assert dataset["id"] in app.get("/catalog.ttl").get_data(as_text=True)
    assert app.get(download).status_code == 200

    act(auth_roles, "walidata", "satudata_review_unpublish", id=dataset["id"], comment="Revisi")
    assert not anonymous_sees(dataset["id"]) and not anonymous_finds(dataset["name"])


def test_restricted_data_stays_private_when_published(auth_roles: AuthRoles) -> None:
    dataset = producer_dataset(auth_roles, accessRights="terbatas")
    publish(auth_roles, dataset["id"])
    shown = act(auth_roles, "walidata", "package_show", id=dataset["id"])
    assert shown["status_data"] == "ditayangkan" and shown["private"] is True
    assert not anonymous_sees(dataset["id"])


def test_reject_revise_approve_publish_keeps_the_comments(auth_roles: AuthRoles) -> None:
    dataset = producer_dataset(auth_roles)
    act(auth_roles, "producer", "satudata_review_submit", id=dataset["id"])
    with pytest.raises(tk.ValidationError):  # nothing said about what to correct
        act(auth_roles, "walidata", "satudata_review_reject", id=dataset["id"])
    review = act(auth_roles, "walidata", "satudata_review_show", id=dataset["id"])
    keys = {item["key"] for item in review["items"]}
    assert {"field:title", "field:kode_wilayah", f"resource:{dataset['resources'][0]['id']}",
            f"validation:{dataset['resources'][0]['id']}"} <= keys  # fmt: skip
    assert {check["key"] for check in review["evidence"]} == {
        "validation", "standard", "regions", "freshness", "required", "recommended"
    }  # fmt: skip
    act(
        auth_roles,
        "walidata",
        "satudata_review_reject",
        id=dataset["id"],
        comment="Mohon lengkapi metadata.",
        items=[
            {"key": "field:title", "label": "Judul", "accepted": False,
             "comment": "Sebutkan tahun data pada judul."},
            {"key": "field:kode_wilayah", "label": "Kode Wilayah", "accepted": True},
        ],
    )  # fmt: skip
    shown = act(auth_roles, "producer", "package_show", id=dataset["id"])
    assert shown["status_data"] == "ditolak"

    # The producer revises and submits again: the review shows what changed.
    act(auth_roles, "producer", "package_patch", id=dataset["id"],
        title="Jumlah Penduduk menurut Kecamatan di Kabupaten Paser 2024")  # fmt: skip
    act(auth_roles, "producer", "satudata_review_submit", id=dataset["id"])
    review = act(auth_roles, "walidata", "satudata_review_show", id=dataset["id"])
    assert review["state"] == "menunggu_persetujuan"
    assert "title" in review["changes"]["fields"]
    title_item = next(item for item in review["items"] if item["key"] == "field:title")
    assert title_item["changed"] and title_item["before"].endswith("Kabupaten Paser")
    rejected = review["last_decision"]
    assert rejected["action"] == "reject"
    assert rejected["items"][0]["comment"] == "Sebutkan tahun data pada judul."

    act(auth_roles, "walidata", "satudata_review_approve", id=dataset["id"])
    act(auth_roles, "walidata", "satudata_review_publish", id=dataset["id"])
    review = act(auth_roles, "producer", "satudata_review_show", id=dataset["id"])
    assert [event["action"] for event in review["history"]] == [
        "publish", "approve", "submit", "reject", "submit", "create"
    ]  # fmt: skip
    assert review["history"][3]["comment"] == "Mohon lengkapi metadata."
    activities = tk.get_action("package_activity_list")(
        {"user": auth_roles.name("walidata")}, {"id": dataset["id"]}
    )
    reviews = [a for a in activities if a["activity_type"] == "satudata review package"]
    assert [a["data"]["review"]["action"] for a in reviews][:2] == ["publish", "approve"]
    assert all(
        "comment" not in a["data"]["review"] for a in reviews
    )  # those stay on the review page


def test_transitions_follow_the_states(auth_roles: AuthRoles) -> None:
    dataset = producer_dataset(auth_roles)
    with pytest.raises(tk.ValidationError, match="Draft"):
        act(auth_roles, "walidata", "satudata_review_publish", id=dataset["id"])
    act(auth_roles, "producer", "satudata_review_submit", id=dataset["id"])
    with pytest.raises(tk.ValidationError):  # with the walidata: locked for the producer
        act(auth_roles, "producer", "package_patch", id=dataset["id"], title="Diubah")
    act(auth_roles, "producer", "satudata_review_withdraw", id=dataset["id"])
    assert (
        act(auth_roles, "producer", "package_show", id=dataset["id"])["status_data"] == "dibatalkan"
    )
    act(auth_roles, "producer", "package_patch", id=dataset["id"], title="Diubah")


def test_status_changes_only_through_the_review(auth_roles: AuthRoles) -> None:
    dataset = producer_dataset(auth_roles)
    with pytest.raises(tk.ValidationError) as refused:
        act(auth_roles, "producer", "package_patch", id=dataset["id"], status_data="ditayangkan")
    assert "status_data" in refused.value.error_dict
    with pytest.raises(tk.ValidationError):
        act(auth_roles, "producer", "package_create",
            **{**dataset, "id": None, "name": "lain", "status_data": "ditayangkan",
               "resources": []})  # fmt: skip
    with pytest.raises(tk.ValidationError, match="not published"):
        act(auth_roles, "producer", "bulk_update_public", datasets=[dataset["id"]],
            org_id=auth_roles.owner["id"])  # fmt: skip
    assert not anonymous_sees(dataset["id"])


def test_comments_go_through_the_personal_data_gate(auth_roles: AuthRoles) -> None:
    dataset = producer_dataset(auth_roles)
    act(auth_roles, "producer", "satudata_review_submit", id=dataset["id"])
    with pytest.raises(tk.ValidationError):
        act(auth_roles, "walidata", "satudata_review_reject", id=dataset["id"],
            comment="Hapus baris NIK 6401044107900001")  # fmt: skip
    assert act(auth_roles, "walidata", "satudata_review_show", id=dataset["id"])["state"] == (
        "menunggu_persetujuan"
    )


def test_editing_a_published_dataset_keeps_the_public_version(auth_roles: AuthRoles) -> None:
    dataset = producer_dataset(auth_roles)
    publish(auth_roles, dataset["id"])
    old_title = dataset["title"]
    old_resource = dataset["resources"][0]

    act(auth_roles, "producer", "package_patch", id=dataset["id"], title="Judul baru 2025")
    rows = good_rows(2025)
    added = act(auth_roles, "producer", "resource_create", package_id=dataset["id"],
                name="Penduduk 2025", upload=table_upload(rows, "penduduk_2025.csv"))  # fmt: skip
    act(auth_roles, "producer", "resource_update", id=old_resource["id"],
        name=old_resource["name"], description="Diperbarui")  # fmt: skip

    public = tk.get_action("package_show")({"user": ""}, {"id": dataset["id"]})
    assert public["title"] == old_title and public["status_data"] == "ditayangkan"
    assert [r["id"] for r in public["resources"]] == [old_resource["id"]]
    assert public["resources"][0].get("description") != "Diperbarui"
    assert model.Resource.get(added["id"]) is None  # staged, not stored
    change = pending_change.get(dataset["id"])
    assert change is not None and change.state == "draft" and added["id"] in change.files

    # The dataset form edits the pending version.
    edit = tk.get_action("package_show")(
        {**auth_roles.context("producer"), "for_edit": True}, {"id": dataset["id"]}
    )
    assert edit["title"] == "Judul baru 2025"

    act(auth_roles, "producer", "satudata_review_submit", id=dataset["id"])
    review = act(auth_roles, "walidata", "satudata_review_show", id=dataset["id"])
    assert review["subject"] == "revision" and review["changes"]["fields"]["title"][1] == (
        "Judul baru 2025"
    )
    assert review["changes"]["resources"][added["id"]] == "added"
    validation = next(i for i in review["items"] if i["key"] == f"validation:{added['id']}")
    assert validation["report"]["status"] == "success"
    act(auth_roles, "walidata", "satudata_review_approve", id=dataset["id"])
    assert tk.get_action("package_show")({"user": ""}, {"id": dataset["id"]})["title"] == old_title

    act(auth_roles, "walidata", "satudata_review_publish", id=dataset["id"])
    public = tk.get_action("package_show")({"user": "", "use_cache": False}, {"id": dataset["id"]})
    assert public["title"] == "Judul baru 2025"
    assert {r["id"] for r in public["resources"]} == {old_resource["id"], added["id"]}
    new = next(r for r in public["resources"] if r["id"] == added["id"])
    assert new["validation_status"] == "success"
    assert pending_change.get(dataset["id"]) is None
    from jobs_support import run_jobs

    run_jobs()
    assert _datastore_rows(auth_roles, "anonymous", added["id"]) == len(rows)


def test_a_sysadmin_edits_a_published_dataset_directly(auth_roles: AuthRoles) -> None:
    dataset = producer_dataset(auth_roles)
    publish(auth_roles, dataset["id"])
    act(auth_roles, "sysadmin", "package_patch", id=dataset["id"], title="Dikoreksi walidata")
    assert tk.get_action("package_show")({"user": ""}, {"id": dataset["id"]})["title"] == (
        "Dikoreksi walidata"
    )


def test_turning_the_review_on_keeps_what_was_public(
    auth_roles: AuthRoles, ckan_config: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Datasets written while the review was off stay as they were once it is
    on (a dataset without a status is published), and new ones wait."""
    from ckan.lib.search import rebuild
    from sdi_data import sdi_dataset_dict

    monkeypatch.setitem(ckan_config, "ckanext.satudata.review.enabled", False)
    before = act(auth_roles, "producer", "package_create",
                 **sdi_dataset_dict(owner_org=auth_roles.owner["id"], name="sebelum"))  # fmt: skip
    assert anonymous_sees(before["id"]) and anonymous_finds("sebelum")
    with pytest.raises(tk.ValidationError, match="not enabled"):
        act(auth_roles, "walidata", "satudata_review_unpublish", id=before["id"])

    monkeypatch.setitem(ckan_config, "ckanext.satudata.review.enabled", True)
    rebuild()  # as `ckan search-index rebuild` after the upgrade
    assert anonymous_sees(before["id"]) and anonymous_finds("sebelum")
    after = act(auth_roles, "producer", "package_create",
                **sdi_dataset_dict(owner_org=auth_roles.owner["id"], name="sesudah"))  # fmt: skip
    assert after["status_data"] == "draft" and not anonymous_sees(after["id"])
