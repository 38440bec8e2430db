"""package_create / package_update / package_patch store resource uploads and
URLs without CKAN's resource hooks: the same validation and personal-data
guard apply to them (real uploads, PostgreSQL, Solr and Redis)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from file_server import FileServer
from jobs_support import run_jobs
from validation_files import HEADER, csv_bytes, good_rows, with_error
from werkzeug.datastructures import FileStorage

STANDARD = "penduduk_jenis_kelamin"
pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def upload(content: bytes, filename: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=filename)


def nik_csv() -> bytes:
    rows = [
        [*row, f"64010{index % 9 + 1}4501900{index + 1:03d}"]
        for index, row in enumerate(good_rows())
    ]
    return csv_bytes(rows, [*HEADER, "nomor"])


def stored_files(ckan_config) -> int:
    storage = os.path.join(ckan_config["ckan.storage_path"], "resources")
    return sum(len(files) for _, _, files in os.walk(storage)) if os.path.isdir(storage) else 0


@pytest.fixture
def dataset(sysadmin, sdi_dataset) -> dict:
    return call_action(
        "package_create", context={"user": sysadmin["name"]}, **sdi_dataset(standar_data=STANDARD)
    )


def test_package_update_with_a_nik_upload_is_refused_and_nothing_stored(
    sysadmin, dataset, ckan_config
) -> None:
    before = stored_files(ckan_config)
    changed = {
        **dataset,
        "notes": "diubah",
        "resources": [{"name": "penduduk-nik.csv", "upload": upload(nik_csv(), "nik.csv")}],
    }
    with pytest.raises(tk.ValidationError) as refused:
        call_action("package_update", context={"user": sysadmin["name"]}, **changed)
    (entry,) = refused.value.error_dict["resources"]
    message = entry["upload"][0]
    assert "penduduk-nik.csv" in message and '"nomor"' in message
    assert "6401014501900001" not in message
    assert stored_files(ckan_config) == before
    kept = call_action("package_show", id=dataset["id"])
    assert kept["resources"] == [] and kept["notes"] == dataset["notes"]


def test_package_patch_with_a_nik_upload_is_refused(sysadmin, dataset) -> None:
    with pytest.raises(tk.ValidationError):
        call_action(
            "package_patch",
            context={"user": sysadmin["name"]},
            id=dataset["id"],
            resources=[{"name": "nik", "upload": upload(nik_csv(), "nik.csv")}],
        )
    assert call_action("package_show", id=dataset["id"])["resources"] == []


@pytest.fixture
def files() -> Iterator[FileServer]:
    server = FileServer(port=0, root=None).start()
    yield server
    server.stop()


# CKAN 2.12's package_create stores no uploads (an upload field fails its JSON
# extras check), but it stores URL resources: those are validated.
@pytest.mark.ckan_config("ckanext.satudata.validation.url_allow_private", "true")
def test_package_create_with_a_valid_csv_stores_a_success_report(
    sysadmin, sdi_dataset, files
) -> None:
    files.put("penduduk.csv", csv_bytes(good_rows()))
    created = call_action(
        "package_create",
        context={"user": sysadmin["name"]},
        **sdi_dataset(
            standar_data=STANDARD,
            resources=[{"name": "penduduk", "url": files.url("penduduk.csv"), "format": "CSV"}],
        ),
    )
    (resource,) = call_action("package_show", id=created["id"])["resources"]
    assert resource["validation_status"] == "success"
    report = call_action("satudata_validation_show", resource_id=resource["id"])
    assert (report["data_standard"], report["row_count"]) == (STANDARD, len(good_rows()))


@pytest.mark.ckan_config("ckanext.satudata.validation.url_allow_private", "true")
def test_package_create_with_a_nik_csv_url_is_refused(sysadmin, sdi_dataset, files) -> None:
    files.put("nik.csv", nik_csv())
    data = sdi_dataset(resources=[{"name": "nik", "url": files.url("nik.csv"), "format": "CSV"}])
    with pytest.raises(tk.ValidationError) as refused:
        call_action("package_create", context={"user": sysadmin["name"]}, **data)
    assert "nik" in refused.value.error_dict["resources"][0]["url"][0]
    assert call_action("package_search", q="*:*")["count"] == 0


@pytest.mark.ckan_config("ckanext.satudata.validation.url_allow_private", "true")
def test_harvesters_flag_skips_the_wrapper(sysadmin, sdi_dataset, files) -> None:
    files.put("nik.csv", nik_csv())
    data = sdi_dataset(resources=[{"name": "nik", "url": files.url("nik.csv"), "format": "CSV"}])
    context = {"user": sysadmin["name"], "satudata_validation_done": True}
    created = call_action("package_create", context=context, **data)
    (resource,) = call_action("package_show", id=created["id"])["resources"]
    assert "validation_status" not in resource


def test_package_update_with_an_invalid_upload_is_refused_naming_row_and_column(
    sysadmin, dataset
) -> None:
    header, rows, row_number, column = with_error("wrong-type")
    changed = {
        **dataset,
        "resources": [{"name": "salah", "upload": upload(csv_bytes(rows, header), "s.csv")}],
    }
    with pytest.raises(tk.ValidationError) as refused:
        call_action("package_update", context={"user": sysadmin["name"]}, **changed)
    message = refused.value.error_dict["resources"][0]["upload"][0]
    assert f"Baris {row_number}" in message and column in message
    assert call_action("package_show", id=dataset["id"])["resources"] == []


def test_metadata_only_package_update_does_not_validate_again(sysadmin, dataset) -> None:
    from ckanext.satudata.model import validation_report as store

    call_action(
        "resource_create",
        context={"user": sysadmin["name"]},
        package_id=dataset["id"],
        name="penduduk",
        upload=upload(csv_bytes(good_rows()), "p.csv"),
    )
    shown = call_action("package_show", id=dataset["id"])
    (resource,) = shown["resources"]
    stamp = store.get(resource["id"]).timestamp
    call_action("package_update", context={"user": sysadmin["name"]}, **{**shown, "notes": "baru"})
    call_action("package_patch", context={"user": sysadmin["name"]}, id=dataset["id"], notes="x")
    assert store.get(resource["id"]).timestamp == stamp
    assert call_action("package_show", id=dataset["id"])["notes"] == "x"


def test_resource_actions_validate_once(sysadmin, dataset, monkeypatch) -> None:
    from ckanext.satudata.validation import service

    calls = []
    real = service.inspect_upload
    monkeypatch.setattr(service, "inspect_upload", lambda *a: calls.append(1) or real(*a))
    call_action(
        "resource_create",
        context={"user": sysadmin["name"]},
        package_id=dataset["id"],
        name="penduduk",
        upload=upload(csv_bytes(good_rows()), "p.csv"),
    )
    assert len(calls) == 1


@pytest.mark.usefixtures("clean_redis")
@pytest.mark.ckan_config("ckanext.satudata.validation.mode", "async")
@pytest.mark.ckan_config("ckanext.satudata.validation.url_allow_private", "true")
def test_async_mode_queues_the_resources_of_package_create(sysadmin, sdi_dataset, files) -> None:

    files.put("nik.csv", nik_csv())
    data = sdi_dataset(resources=[{"name": "nik", "url": files.url("nik.csv"), "format": "CSV"}])
    created = call_action("package_create", context={"user": sysadmin["name"]}, **data)
    (resource,) = call_action("package_show", id=created["id"])["resources"]
    assert resource["validation_status"] == "pending"

    run_jobs()
    assert call_action("resource_show", id=resource["id"])["validation_status"] == "failure"
