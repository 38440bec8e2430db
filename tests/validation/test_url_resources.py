"""URL resources are fetched through the guarded client and validated like
uploads; the files are served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from file_server import FileServer
from validation_files import csv_bytes, good_rows, with_error

STANDARD = "penduduk_jenis_kelamin"
pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def files() -> Iterator[FileServer]:
    server = FileServer(port=0, root=None).start()
    yield server
    server.stop()


@pytest.fixture
def dataset(sysadmin, sdi_dataset) -> dict:
    return call_action(
        "package_create", context={"user": sysadmin["name"]}, **sdi_dataset(standar_data=STANDARD)
    )


def _create_url_resource(sysadmin: dict, dataset: dict, url: str) -> dict:
    return call_action(
        "resource_create", context={"user": sysadmin["name"]},
        package_id=dataset["id"], name="Penduduk (tautan)", url=url, format="CSV",
    )  # fmt: skip


@pytest.mark.ckan_config("ckanext.satudata.validation.url_allow_private", "true")
def test_valid_url_resource_is_validated(sysadmin, dataset, files) -> None:
    files.put("penduduk.csv", csv_bytes(good_rows()))

    resource = _create_url_resource(sysadmin, dataset, files.url("penduduk.csv"))

    assert call_action("resource_show", id=resource["id"])["validation_status"] == "success"
    report = call_action("satudata_validation_show", resource_id=resource["id"])
    assert (report["source"], report["row_count"], report["error_count"]) == (
        "url",
        len(good_rows()),
        0,
    )


@pytest.mark.ckan_config("ckanext.satudata.validation.url_allow_private", "true")
def test_invalid_url_resource_is_refused_naming_row_and_column(sysadmin, dataset, files) -> None:
    header, rows, row_number, column = with_error("wrong-type")
    files.put("penduduk.csv", csv_bytes(rows, header))

    with pytest.raises(tk.ValidationError) as caught:
        _create_url_resource(sysadmin, dataset, files.url("penduduk.csv"))

    message = " ".join(caught.value.error_dict["url"])
    assert str(row_number) in message and column in message
    assert call_action("package_show", id=dataset["id"])["resources"] == []


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8983/solr/admin/info/system", "http://169.254.169.254/latest/meta-data/"],
)
def test_private_address_is_never_fetched_without_the_allowance(sysadmin, dataset, url) -> None:
    resource = _create_url_resource(sysadmin, dataset, url)

    report = call_action("satudata_validation_show", resource_id=resource["id"])
    assert report["status"] == "error"
    assert "non-public address" in str(report["summary"])
