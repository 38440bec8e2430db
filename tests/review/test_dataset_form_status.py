"""The dataset form under the walidata's review: the status (and the
visibility that follows it) is not the producer's to set in the form, and no
form post, however it is crafted, moves a dataset to another state."""

from __future__ import annotations

import re
from typing import Any

import pytest
from auth_matrix import AuthRoles
from ckan.plugins import toolkit as tk
from sdi_data import sdi_dataset_dict

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_index")


def headers(roles: AuthRoles, role: str) -> dict[str, str]:
    """A fresh API token of ``role``'s user: CKAN's views accept it too."""
    token = tk.get_action("api_token_create")(
        {"ignore_auth": True, "user": roles.name(role) or ""},
        {"user": roles.name(role), "name": "form"},
    )
    return {"Authorization": token["token"]}


def draft(roles: AuthRoles) -> dict[str, Any]:
    data = sdi_dataset_dict(owner_org=roles.owner["id"], name="posyandu-aktif")
    return tk.get_action("package_create")(roles.context("producer"), data)  # pyright: ignore[reportArgumentType]


def shown(dataset_id: str) -> dict[str, Any]:
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset_id})


def test_producer_form_has_no_status_or_visibility(app: Any, auth_roles: AuthRoles) -> None:
    dataset = draft(auth_roles)
    producer = headers(auth_roles, "producer")
    pages = [app.get("/dataset/new", headers=producer).get_data(as_text=True)]
    pages += [
        app.get(f"/dataset/edit/{dataset['name']}/{page}", headers=producer).get_data(as_text=True)
        for page in (1, 2, 3, 4)
    ]
    for page in pages:
        assert 'name="status_data"' not in page
        assert 'name="private"' not in page
    for page in (pages[0], pages[1]):  # the owner_org page says what decides visibility
        assert "setelah walidata memeriksa dan menayangkannya" in page
    assert re.search(r'<select id="field-accessRights"', pages[1])


def test_a_form_post_cannot_change_the_state(app: Any, auth_roles: AuthRoles) -> None:
    dataset = draft(auth_roles)
    assert dataset["status_data"] == "draft" and dataset["private"] is True
    producer = headers(auth_roles, "producer")
    crafted = {"status_data": "ditayangkan", "private": "False", "save": ""}

    # An edit page of the draft, and a page of the create flow.
    for url, extra in (
        (f"/dataset/edit/{dataset['name']}/1", {"title": "Judul baru"}),
        (f"/dataset/new/{dataset['name']}/2", {"_ckan_phase": "2"}),
    ):
        response = app.post(url, headers=producer, data={**crafted, **extra},
                            follow_redirects=False)  # fmt: skip
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert "Status data hanya berubah melalui pemeriksaan walidata" in page, url
        after = shown(dataset["id"])
        assert after["status_data"] == "draft" and after["private"] is True, url
        assert after["title"] == dataset["title"]

    # A new dataset posted as already published.
    form = {
        **{k: v for k, v in sdi_dataset_dict(owner_org=auth_roles.owner["id"]).items()
           if isinstance(v, str)},
        **crafted,
        "name": "sudah-tayang",
        "_ckan_phase": "1",
    }  # fmt: skip
    response = app.post("/dataset/new", headers=producer, data=form, follow_redirects=False)
    assert response.status_code == 200
    assert "Dataset baru dimulai sebagai draft" in response.get_data(as_text=True)
    with pytest.raises(tk.ObjectNotFound):
        shown("sudah-tayang")
