"""Files uploaded without a data standard (validation/inference.py's rules):
what is not a table is refused with the rule's name; a file whose columns are
a published standard is validated against it; region codes and mostly
numeric columns are checked in an inferred schema."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from auth_matrix import ROLES, AuthRoles
from ckan.tests import factories
from ckan.tests.helpers import call_action
from gate_files import html_page

from ckanext.satudata.validation.inspection import inspect_file

# The columns of penduduk_jenis_kelamin as a steward types them.
STANDARD_LABELS = [
    "Kode Wilayah", "Nama Wilayah", "Tahun", "Semester", "Laki-Laki", "Perempuan", "Jumlah",
]  # fmt: skip
ROWS = [
    ["64.01.01", "Batu Sopang", 2024, 2, 11210, 10463, 21673],
    ["64.01.04", "Tanah Grogot", 2024, 2, 35020, 32757, 67777],
    ["64.01.05", "Kuaro", 2024, 2, 12135, 11377, 23512],
]


def write(tmp_path: Path, rows: list[list[Any]], name: str = "data.csv") -> str:
    path = tmp_path / name
    path.write_text("".join(",".join(map(str, row)) + "\n" for row in rows), encoding="utf-8")
    return str(path)


def types(result: Any) -> list[str]:
    return [entry["type"] for entry in result.summary]


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (html_page("<form>Masuk</form>"), "not-a-table"),
        (b"kode_wilayah,nama_wilayah,jumlah\n", "no-data-rows"),
        (
            b"Data ini berisi jumlah penduduk menurut kecamatan di Kabupaten Paser\nlalu\n",
            "one-long-line",
        ),
    ],
)
def test_what_is_not_a_table_is_refused_naming_the_rule(
    tmp_path: Path, content: bytes, rule: str
) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    result = inspect_file(str(path), "csv", None)
    assert (result.status, result.rejection) == ("error", rule)
    message = result.summary[0]["message_en"]
    assert "not a table" in message.lower() and result.always_refused
    if rule != "not-a-table":
        assert f"rule {rule}" in message


def test_a_standard_shaped_file_is_validated_against_the_standard(tmp_path: Path) -> None:
    bad = [*ROWS, ["64.01.99", "Entah", 2024, 2, "banyak", 10, 10]]
    result = inspect_file(write(tmp_path, [STANDARD_LABELS, *bad]), "csv", None)
    assert result.standard == "penduduk_jenis_kelamin"
    assert [note["type"] for note in result.notes] == ["standard-detected"]
    assert "dikenali sebagai standar data penduduk_jenis_kelamin" in result.notes[0]["message_id"]
    assert {"type-error", "region-code"} <= set(types(result))
    clean = inspect_file(write(tmp_path, [STANDARD_LABELS, *ROWS], "ok.csv"), "csv", None)
    assert (clean.status, clean.standard) == ("success", "penduduk_jenis_kelamin")


def test_a_close_header_is_a_suggestion_only(tmp_path: Path) -> None:
    reordered = [STANDARD_LABELS[1], STANDARD_LABELS[0], *STANDARD_LABELS[2:]]
    rows = [[row[1], row[0], *row[2:]] for row in ROWS]
    result = inspect_file(write(tmp_path, [reordered, *rows]), "csv", None)
    assert result.standard is None and result.status == "success"
    assert [(n["type"], n["standard"]) for n in result.notes] == [
        ("standard-suggested", "penduduk_jenis_kelamin")
    ]


@pytest.mark.parametrize("label", ["kode_kecamatan", "wilayah"])
def test_region_codes_are_checked_in_an_inferred_schema(tmp_path: Path, label: str) -> None:
    """By the column's name, or by its values (mostly Kemendagri codes)."""
    rows = [
        [label, "puskesmas"],
        ["64.01.04", 3],
        ["64.01.05", 2],
        ["64.01.77", 1],
        ["64.01.01", 2],
    ]
    result = inspect_file(write(tmp_path, rows), "csv", None)
    assert types(result) == ["region-code"] and result.summary[0]["row"] == 4
    assert result.table_schema is not None
    assert result.table_schema["fields"][0]["type"] == "string"


def test_text_in_a_column_of_numbers_is_reported_over_the_whole_file(tmp_path: Path) -> None:
    rows = [["desa", "jumlah_kk"], *([f"Desa {n}", n * 10] for n in range(1, 40))]
    rows[5][1] = "banyak"  # inside frictionless's sample: it would infer text
    rows[12][1] = "-"  # a blank marker, not an error
    result = inspect_file(write(tmp_path, rows), "csv", None)
    assert types(result) == ["mostly-numeric"]
    entry = result.summary[0]
    assert (entry["column"], entry["rows"]) == ("jumlah_kk", [6])
    assert "1 sel teks" in entry["message_id"]


# The editor's adoption of a recognised standard, on the real stack ------------------------


@pytest.fixture
def recognised(auth_roles: AuthRoles) -> dict[str, Any]:
    dataset = auth_roles.dataset()
    content = "".join(",".join(map(str, row)) + "\n" for row in [STANDARD_LABELS, *ROWS])
    resource = call_action(
        "resource_create",
        {"user": auth_roles.name("sysadmin")},
        package_id=dataset["id"],
        name="Penduduk",
        upload=_upload(content.encode(), "penduduk.csv"),
    )
    return {"dataset": dataset, "resource": resource}


def _upload(content: bytes, name: str) -> Any:
    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(content), filename=name)


@pytest.mark.usefixtures("with_plugins", "clean_index")
def test_the_report_offers_the_recognised_standard_to_editors_only(
    app: Any, auth_roles: AuthRoles, recognised: dict[str, Any]
) -> None:
    dataset, resource = recognised["dataset"], recognised["resource"]
    url = f"/dataset/{dataset['name']}/resource/{resource['id']}/validation"
    offered = {}
    for role in ROLES:
        name = auth_roles.name(role)
        headers = {"Authorization": factories.APIToken(user=name)["token"]} if name else {}
        page = app.get(url, headers=headers).body
        assert "dikenali sebagai standar data penduduk_jenis_kelamin" in page
        offered[role] = "Tetapkan standar data penduduk_jenis_kelamin" in page
    assert offered == {
        "anonymous": False, "producer": True, "other_producer": False,
        "walidata": False, "walidata_pendukung": False, "sysadmin": True,
    }  # fmt: skip

    # Another OPD's producer may not set it; the producer may.
    other = {"Authorization": factories.APIToken(user=auth_roles.name("other_producer"))["token"]}
    app.post(
        f"{url}/standard", data={"standard": "penduduk_jenis_kelamin"}, headers=other, status=403
    )
    producer = {"Authorization": factories.APIToken(user=auth_roles.name("producer"))["token"]}
    app.post(f"{url}/standard", data={"standard": "penduduk_jenis_kelamin"}, headers=producer)
    shown = call_action("resource_show", id=resource["id"])
    assert shown["standar_data"] == "penduduk_jenis_kelamin"
    report = call_action("satudata_validation_show", resource_id=resource["id"])
    assert report["data_standard"] == "penduduk_jenis_kelamin" and report["status"] == "success"
