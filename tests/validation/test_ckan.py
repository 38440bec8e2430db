"""Validation through CKAN's action API with real uploads, real PostgreSQL,
Solr and Redis."""

from __future__ import annotations

import io
import os

import pytest
from ckan.lib import uploader
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from jobs_support import run_jobs
from validation_files import (
    corrupt_xlsx,
    csv_bytes,
    good_rows,
    with_error,
    xlsx_bytes,
    zip_bomb_xlsx,
)
from werkzeug.datastructures import FileStorage

STANDARD = "penduduk_jenis_kelamin"
pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def upload(content: bytes, filename: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=filename)


@pytest.fixture
def dataset(sysadmin, sdi_dataset) -> dict:
    return call_action(
        "package_create", context={"user": sysadmin["name"]}, **sdi_dataset(standar_data=STANDARD)
    )


def create(sysadmin, dataset, content: bytes, filename: str, **extra) -> dict:
    return call_action(
        "resource_create",
        context={"user": sysadmin["name"]},
        package_id=dataset["id"],
        name=filename,
        upload=upload(content, filename),
        **extra,
    )


def stored_path(resource: dict) -> str:
    return uploader.get_resource_uploader(resource).get_path(resource["id"])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_valid_upload_passes_and_report_is_shown(sysadmin, dataset, fmt) -> None:
    rows = good_rows()
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    resource = create(sysadmin, dataset, content, f"penduduk.{fmt}")

    shown = call_action("resource_show", id=resource["id"])
    assert shown["validation_status"] == "success"
    assert shown["validation_timestamp"]
    report = call_action("satudata_validation_show", resource_id=resource["id"])
    assert (report["status"], report["row_count"], report["error_count"]) == (
        "success",
        len(rows),
        0,
    )
    assert report["data_standard"] == STANDARD
    with open(stored_path(shown), "rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    "kind", ["missing-column", "wrong-type", "bad-region-code", "duplicate-key", "blank-required"]
)
def test_invalid_upload_is_refused_naming_row_and_column(sysadmin, dataset, kind) -> None:
    header, rows, row_number, column = with_error(kind)
    with pytest.raises(tk.ValidationError) as refused:
        create(sysadmin, dataset, csv_bytes(rows, header), "salah.csv")
    message = refused.value.error_dict["upload"][0]
    assert f"Baris {row_number}" in message and column in message
    assert call_action("package_show", id=dataset["id"])["resources"] == []


@pytest.mark.ckan_config("ckanext.satudata.validation.on_failure", "store")
@pytest.mark.parametrize(
    "kind", ["wrong-type", "bad-region-code", "duplicate-key", "blank-required"]
)
def test_store_mode_keeps_invalid_upload_marked_invalid(sysadmin, dataset, kind) -> None:
    header, rows, row_number, column = with_error(kind)
    resource = create(sysadmin, dataset, xlsx_bytes(rows, header), "salah.xlsx")
    assert call_action("resource_show", id=resource["id"])["validation_status"] == "failure"
    report = call_action("satudata_validation_show", resource_id=resource["id"])
    assert [(e["row"], column in e["column"]) for e in report["summary"]] == [(row_number, True)]
    assert os.path.exists(stored_path(resource))


@pytest.mark.ckan_config("ckanext.satudata.validation.on_failure", "store")
def test_nik_upload_refused_even_in_store_mode_and_not_stored(
    sysadmin, dataset, ckan_config
) -> None:
    rows = [
        [*row, f"64010{index % 9 + 1}4501900{index + 1:03d}"]
        for index, row in enumerate(good_rows())
    ]
    content = csv_bytes(
        rows,
        [
            *[
                "kode_wilayah",
                "nama_wilayah",
                "tahun",
                "semester",
                "laki_laki",
                "perempuan",
                "jumlah",
            ],
            "nomor",
        ],
    )
    storage = os.path.join(ckan_config["ckan.storage_path"], "resources")
    before = sum(len(files) for _, _, files in os.walk(storage)) if os.path.isdir(storage) else 0
    with pytest.raises(tk.ValidationError) as refused:
        create(sysadmin, dataset, content, "penduduk-nik.csv")
    message = refused.value.error_dict["upload"][0]
    assert '"nomor"' in message and "baris 2, 3, 4, 5, 6" in message
    assert "6401014501900001" not in message
    after = sum(len(files) for _, _, files in os.walk(storage)) if os.path.isdir(storage) else 0
    assert after == before
    assert call_action("package_show", id=dataset["id"])["resources"] == []


def test_refused_update_keeps_the_old_file_and_metadata(sysadmin, dataset) -> None:
    original = csv_bytes(good_rows())
    resource = create(sysadmin, dataset, original, "penduduk.csv", description="asli")
    header, rows, _, _ = with_error("wrong-type")
    with pytest.raises(tk.ValidationError):
        call_action(
            "resource_update",
            context={"user": sysadmin["name"]},
            id=resource["id"],
            package_id=dataset["id"],
            description="baru",
            upload=upload(csv_bytes(rows, header), "penduduk.csv"),
        )
    kept = call_action("resource_show", id=resource["id"])
    assert kept["description"] == "asli"
    assert kept["validation_status"] == "success"
    with open(stored_path(kept), "rb") as handle:
        assert handle.read() == original


@pytest.mark.parametrize(
    "filename, content, expected",
    [
        ("bom.xlsx", zip_bomb_xlsx(), "zip bomb"),
        ("rusak.xlsx", corrupt_xlsx(), "rusak"),
        ("kosong.csv", b"", "kosong"),
    ],
)
def test_dangerous_or_broken_files_are_refused(
    sysadmin, dataset, filename, content, expected
) -> None:
    with pytest.raises(tk.ValidationError) as refused:
        create(sysadmin, dataset, content, filename)
    assert expected in refused.value.error_dict["upload"][0].lower()
    assert call_action("package_show", id=dataset["id"])["resources"] == []


def test_users_cannot_set_the_validation_fields(sysadmin, dataset) -> None:
    resource = call_action(
        "resource_create",
        context={"user": sysadmin["name"]},
        package_id=dataset["id"],
        url="",
        name="catatan",
        validation_status="success",
        validation_timestamp="2020-01-01T00:00:00",
    )
    shown = call_action("resource_show", id=resource["id"])
    assert "validation_status" not in shown and "validation_timestamp" not in shown


def test_run_action_revalidates_for_editors_only(sysadmin, dataset) -> None:
    from ckan.tests import factories

    resource = create(sysadmin, dataset, csv_bytes(good_rows()), "penduduk.csv")
    report = call_action(
        "satudata_validation_run", context={"user": sysadmin["name"]}, resource_id=resource["id"]
    )
    assert report["status"] == "success"
    outsider = factories.User()
    with pytest.raises(tk.NotAuthorized):
        call_action(
            "satudata_validation_run",
            context={"user": outsider["name"], "ignore_auth": False},
            resource_id=resource["id"],
        )
    # Public dataset: anyone may read the report.
    shown = call_action(
        "satudata_validation_show",
        context={"user": "", "ignore_auth": False},
        resource_id=resource["id"],
    )
    assert shown["status"] == "success"


@pytest.mark.usefixtures("clean_redis")
@pytest.mark.ckan_config("ckanext.satudata.validation.mode", "async")
def test_async_mode_validates_in_a_job_worker(sysadmin, dataset) -> None:

    header, rows, row_number, _ = with_error("wrong-type")
    resource = create(sysadmin, dataset, csv_bytes(rows, header), "penduduk.csv")
    assert call_action("resource_show", id=resource["id"])["validation_status"] == "pending"

    run_jobs()

    assert call_action("resource_show", id=resource["id"])["validation_status"] == "failure"
    report = call_action("satudata_validation_show", resource_id=resource["id"])
    assert report["summary"][0]["row"] == row_number


def test_badge_and_report_page_render(app, sysadmin, dataset) -> None:
    header, rows, row_number, column = with_error("wrong-type")
    good = create(sysadmin, dataset, csv_bytes(good_rows()), "baik.csv")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(tk.config, "ckanext.satudata.validation.on_failure", "store")
        bad = create(sysadmin, dataset, csv_bytes(rows, header), "buruk.csv")

    page = app.get(f"/dataset/{dataset['name']}").body
    assert "satudata-validation-success" in page and "satudata-validation-failure" in page

    resource_page = app.get(f"/dataset/{dataset['name']}/resource/{good['id']}").body
    assert "satudata-validation-success" in resource_page

    report_page = app.get(f"/dataset/{dataset['name']}/resource/{bad['id']}/validation").body
    assert "satudata-validation-findings" in report_page
    assert f"<td>{row_number}</td>" in report_page and f"<td>{column}</td>" in report_page


def test_headerless_nik_file_never_echoes_the_numbers(sysadmin, dataset) -> None:
    """No header row: row 1 holds NIKs and would become the column names."""
    niks = [f"64010{index % 9 + 1}4501900{index + 1:03d}" for index in range(6)]
    rows = [[row[0], row[1], nik] for row, nik in zip(good_rows(), niks, strict=False)]
    content = csv_bytes(rows[1:], header=rows[0])
    with pytest.raises(tk.ValidationError) as refused:
        create(sysadmin, dataset, content, "tanpa-judul.csv")
    message = str(refused.value.error_dict)
    assert "kolom 3" in message
    assert not any(nik in message or nik[:12] in message for nik in niks)

    from ckanext.satudata.validation import engine, jobs, service

    result = service.inspect_upload(upload(content, "x.csv"), "csv", STANDARD)
    assert result.personal_data and result.personal_data[0]["column"] == "kolom 3"
    stored = str(result.as_dict()) + str(result.report) + str(result.summary)
    assert not any(nik[:12] in stored for nik in niks)

    # Stored in store mode would be refused too; store the result as the
    # hooks would and read it back through the API.
    resource = call_action(
        "resource_create", context={"user": sysadmin["name"]}, package_id=dataset["id"], url=""
    )
    jobs.after_validation(resource, result, "upload")
    shown = call_action("satudata_validation_show", resource_id=resource["id"])
    assert shown["status"] == engine.FAILURE
    assert not any(nik[:12] in str(shown) for nik in niks)
