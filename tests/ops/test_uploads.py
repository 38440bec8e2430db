"""uploads.py: a package write that fails after CKAN stored its upload (here
Solr refusing the document, as when it is down) leaves storage as it was: no
orphaned new file, the replaced file back in place; the API answers with a
clear refusal."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from ckan.lib import uploader
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from ckanext.satudata import uploads

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CSV = b"kode_wilayah,tahun,jumlah\n64.01.01,2024,10\n"


def _files() -> set[Path]:
    root = Path(uploader.get_storage_path()) / "resources"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _upload(content: bytes, name: str = "data.csv") -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name, content_type="text/csv")


def test_the_uploader_is_ours() -> None:
    assert isinstance(uploader.get_resource_uploader({}), uploads.GuardedResourceUpload)


def _resource(sysadmin: dict, sdi_dataset: Any) -> dict:
    context = {"user": sysadmin["name"]}
    package = call_action("package_create", context=context, **sdi_dataset())
    return call_action(
        "resource_create", context=dict(context), package_id=package["id"], name="r",
        upload=_upload(CSV),
    )  # fmt: skip


def test_a_failed_block_undoes_new_and_replaced_files(sysadmin: dict, sdi_dataset: Any) -> None:
    resource = _resource(sysadmin, sdi_dataset)
    path = Path(uploader.get_resource_uploader(resource).get_path(resource["id"]))
    assert path.read_bytes() == CSV
    before = _files()

    with pytest.raises(RuntimeError), uploads.transaction():
        upload = uploader.get_resource_uploader({"upload": _upload(b"replaced\n")})
        upload.upload(resource["id"], 10)
        fresh = uploader.get_resource_uploader({"upload": _upload(b"new\n")})
        fresh.upload("0123456789abcdef-new-resource", 10)
        assert path.read_bytes() == b"replaced\n"
        raise RuntimeError("the database commit failed")

    assert path.read_bytes() == CSV
    assert _files() == before


def test_kept_when_the_block_succeeds() -> None:
    with uploads.transaction():
        upload = uploader.get_resource_uploader({"upload": _upload(b"kept\n")})
        upload.upload("fedcba9876543210-kept", 10)
    path = Path(uploader.get_resource_uploader({}).get_path("fedcba9876543210-kept"))
    assert path.read_bytes() == b"kept\n"
    assert not Path(str(path) + uploads.BACKUP_SUFFIX).exists()


def test_resource_update_refused_by_solr_keeps_the_published_file(
    app: Any, sysadmin: dict, sdi_dataset: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    resource = _resource(sysadmin, sdi_dataset)
    path = Path(uploader.get_resource_uploader(resource).get_path(resource["id"]))
    before = _files()
    # Solr gone: nothing listens on the port any more.
    monkeypatch.setitem(tk.config, "solr_url", "http://127.0.0.1:9/solr/gone")

    response = app.post(
        "/api/3/action/resource_update",
        data={
            "id": resource["id"],
            "name": "r",
            "upload": (io.BytesIO(CSV.replace(b"10", b"12")), "new.csv"),
        },
        headers={"Authorization": sysadmin["token"]},
        status=409,
    )
    monkeypatch.undo()

    assert response.json["error"]["service"] == [
        "Indeks pencarian sedang tidak dapat dihubungi, jadi tidak ada yang disimpan. "
        "Silakan coba lagi beberapa menit lagi."
    ]
    assert path.read_bytes() == CSV
    assert _files() == before
    assert call_action("resource_show", id=resource["id"])["url"].endswith("data.csv")
