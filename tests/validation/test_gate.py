"""The one gate, tried as an OPD editor would: through the HTTP Action API with
an API token, every write path that stores a file, DataStore rows or text.
A synthetic NIK never reaches the portal (refused with an error naming where,
never the number), whatever the file's name or declared format, wherever the
number stands and however it is written; nothing is stored half; and an
anonymous visitor finds it nowhere (package_show, downloads, DataStore)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from auth_matrix import AuthRoles
from ckan.tests import factories
from file_server import FileServer
from gate_files import (
    NIK,
    NIK_DASHED,
    NIK_SPACED,
    PNG,
    html_page,
    ods_bytes,
    pdf_bytes,
    xls_with_sheets,
    xlsx_with_sheets,
    zip_bytes,
)
from validation_files import csv_bytes, good_rows

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_index")

CLEAN_TABLE = [["kecamatan", "jumlah"], ["Tanah Grogot", 67777], ["Kuaro", 23512]]


class Editor:
    """The producer of the dataset's OPD, calling the Action API with a token."""

    def __init__(self, app: Any, roles: AuthRoles) -> None:
        self.app = app
        self.roles = roles
        self.token = factories.APIToken(user=roles.name("producer"))["token"]
        self.dataset = roles.dataset()

    def post(self, action: str, status: int = 200, lang: str = "", **data: Any) -> dict:
        files = {k: v for k, v in data.items() if isinstance(v, tuple)}
        prefix = f"/{lang}" if lang else ""
        if files:
            response = self.app.post(
                f"{prefix}/api/action/{action}",
                data=data,
                headers={"Authorization": self.token},
                status=status,
            )
        else:
            response = self.app.post(
                f"{prefix}/api/action/{action}",
                json=data,
                headers={"Authorization": self.token},
                status=status,
            )
        return dict(response.json)

    def upload(self, content: bytes, filename: str, status: int = 200, **extra: Any) -> dict:
        return self.post(
            "resource_create",
            status,
            package_id=self.dataset["id"],
            name=filename or "berkas",
            upload=(io.BytesIO(content), filename or "berkas"),
            **extra,
        )


@pytest.fixture
def editor(app: Any, auth_roles: AuthRoles) -> Editor:
    return Editor(app, auth_roles)


def _messages(error: Any) -> list[str]:
    if isinstance(error, str):
        return [error]
    if isinstance(error, dict):
        return [m for key, value in error.items() if key != "__type" for m in _messages(value)]
    if isinstance(error, list):
        return [m for value in error for m in _messages(value)]
    return []


def refusal(answer: dict) -> str:
    """The refusal's messages, checked never to carry the number."""
    assert answer["success"] is False, answer
    text = "\n".join(_messages(answer["error"]))
    assert text, answer
    for written in (NIK, NIK[:12], NIK_SPACED, NIK_DASHED):
        assert written not in text
    return text


def table(rows: list[list[Any]]) -> bytes:
    return "".join(",".join(map(str, row)) + "\n" for row in rows).encode()


def public_view(app: Any, editor: Editor) -> str:
    """Everything an anonymous visitor gets of the dataset: package_show and
    every stored file."""
    shown = app.get(f"/api/action/package_show?id={editor.dataset['id']}").json["result"]
    seen = [json.dumps(shown)]
    for resource in shown["resources"]:
        if resource.get("url_type") == "upload":
            seen.append(app.get(resource["url"], status=(200, 404, 410)).data.decode("latin-1"))
    return "\n".join(seen)


def assert_nothing_published(app: Any, editor: Editor) -> None:
    seen = public_view(app, editor)
    for written in (NIK, NIK_SPACED, NIK_DASHED):
        assert written not in seen


@pytest.mark.parametrize(
    ("filename", "fmt", "content", "where"),
    [
        # Not csv/xlsx by name or format: still read by content.
        ("catatan.txt", "TXT", f"Pemohon bantuan: NIK {NIK_SPACED}, Kuaro.\n".encode(), "baris 1"),
        ("data", "", table([["nama", "keterangan"], ["Budi", f"NIK {NIK_DASHED}"]]), "Kolom"),
        ("laporan.pdf", "PDF", pdf_bytes(["Laporan penerima", f"NIK: {NIK}"]), "halaman 1"),
        ("halaman.html", "HTML", html_page(f"<p>Penerima: {NIK}</p>"), "baris 1"),
        (
            "arsip.zip",
            "ZIP",
            zip_bytes({"penerima.csv": f"nama,nik\nBudi,{NIK}\n".encode()}),
            "penerima.csv",
        ),
        ("data.ods", "ODS", ods_bytes([["nama", "nomor"], ["Budi", NIK]]), "Kolom"),
        # Every sheet, hidden ones too, and the legacy .xls format.
        (
            "tersembunyi.xlsx",
            "XLSX",
            xlsx_with_sheets(
                {"Data": CLEAN_TABLE, "Rahasia": [["nama", "nomor"], ["Budi", NIK]]},
                hidden=("Rahasia",),
            ),
            'lembar "Rahasia"',
        ),
        (
            "lama.xls",
            "XLS",
            xls_with_sheets({"Data": CLEAN_TABLE, "Lampiran": [["x"], [NIK]]}),
            'lembar "Lampiran"',
        ),
    ],
)
def test_personal_data_is_refused_whatever_the_file(
    app: Any, editor: Editor, filename: str, fmt: str, content: bytes, where: str
) -> None:
    answer = editor.upload(content, filename, status=409, format=fmt)
    text = refusal(answer)
    assert "NIK/KK" in text and where in text, text
    assert editor.roles.dataset is not None
    assert_nothing_published(app, editor)


def test_clean_files_of_other_kinds_are_stored_and_reported(app: Any, editor: Editor) -> None:
    kinds = {}
    for filename, content in [
        ("laporan.pdf", pdf_bytes(["Laporan Tahunan Dinas Kesehatan 2024", "Puskesmas: 19"])),
        ("catatan.txt", b"Catatan: data diperbarui setiap semester.\n"),
        ("lama.xls", xls_with_sheets({"Data": CLEAN_TABLE})),
        ("logo.png", PNG),
    ]:
        resource = editor.upload(content, filename)["result"]
        report = app.get(f"/api/action/satudata_validation_show?resource_id={resource['id']}").json
        kinds[filename] = (
            report["result"]["status"],
            report["result"]["report"]["result"]["checked_as"],
        )
    assert kinds == {
        "laporan.pdf": ("success", "text"),
        "catatan.txt": ("success", "text"),
        "lama.xls": ("success", "table"),
        "logo.png": ("success", "unchecked"),
    }


def test_a_kind_nothing_reads_is_refused_unless_allowed(app: Any, editor: Editor) -> None:
    answer = editor.upload(b"\x00\x01\x02 program \x00" * 50, "alat.exe", status=409)
    assert "tidak dapat diperiksa" in refusal(answer)


@pytest.mark.parametrize(
    ("cell", "case"),
    [
        (NIK_SPACED, "spaces"),
        (NIK_DASHED, "dashes"),
        (f"{NIK[:4]}.{NIK[4:8]}.{NIK[8:12]}.{NIK[12:]}", "dots"),
        (f'="{NIK}"', "Excel text formula"),
        (f"Budi Santoso (NIK {NIK}) Kel. Tanah Grogot", "inside a longer text"),
    ],
)
def test_a_nik_however_written_in_a_table_is_refused(editor: Editor, cell: str, case: str) -> None:
    rows = [["kecamatan", "keterangan"], ["Tanah Grogot", "ok"], ["Kuaro", f'"{cell}"']]
    answer = editor.upload(table(rows), "penerima.csv", status=409)
    assert 'Kolom "keterangan"' in refusal(answer), case


def test_free_text_metadata_is_checked_field_by_field(app: Any, editor: Editor) -> None:
    dataset_id = editor.dataset["id"]
    answer = editor.post(
        "package_patch", 409, id=dataset_id, notes=f"Kontak petugas: NIK {NIK_SPACED}"
    )
    assert list(answer["error"]) == ["notes", "__type"], answer["error"]
    assert 'isian "notes"' in refusal(answer)

    answer = editor.post("package_patch", 409, id=dataset_id, interpretasi=f"contoh {NIK}")
    assert "interpretasi" in answer["error"]

    answer = editor.post(
        "resource_create",
        409,
        package_id=dataset_id,
        name="Tautan",
        url="https://paserkab.go.id/",
        description=f"Diunggah oleh {NIK_DASHED}",
    )
    assert "description" in answer["error"], answer["error"]

    # English under /en.
    answer = editor.post("package_patch", 409, lang="en", id=dataset_id, notes=f"x {NIK}")
    assert "The text holds NIK/KK numbers" in refusal(answer)
    assert_nothing_published(app, editor)


def test_other_texts_people_read_are_checked(
    app: Any, editor: Editor, auth_roles: AuthRoles
) -> None:
    sysadmin_token = factories.APIToken(user=auth_roles.name("sysadmin"))["token"]
    answer = app.post(
        "/api/action/organization_patch",
        json={"id": auth_roles.owner["id"], "description": f"Kepala dinas NIK {NIK}"},
        headers={"Authorization": sysadmin_token},
        status=409,
    ).json
    assert "description" in answer["error"]
    answer = editor.post("user_patch", 409, id=auth_roles.name("producer"), about=f"NIK saya {NIK}")
    assert "about" in answer["error"]


def test_direct_datastore_writes_are_checked(app: Any, editor: Editor) -> None:
    resource = editor.post(
        "resource_create",
        package_id=editor.dataset["id"],
        name="Tabel",
        url="https://paserkab.go.id/t",
    )["result"]
    # A column named after an identifier, and a NIK under an innocent name.
    answer = editor.post(
        "datastore_create",
        409,
        resource_id=resource["id"],
        fields=[{"id": "nama", "type": "text"}, {"id": "nik", "type": "text"}],
        records=[{"nama": "Budi", "nik": "-"}],
        force=True,
    )
    assert 'Kolom "nik"' in refusal(answer)
    editor.post(
        "datastore_create",
        resource_id=resource["id"],
        fields=[{"id": "nama", "type": "text"}, {"id": "catatan", "type": "text"}],
        force=True,
    )
    answer = editor.post(
        "datastore_upsert",
        409,
        resource_id=resource["id"],
        records=[{"nama": "Budi", "catatan": "ok"}, {"nama": "Sri", "catatan": NIK}],
        method="insert",
        force=True,
    )
    assert 'Kolom "catatan"' in refusal(answer) and "baris 2" in refusal(answer)
    rows = app.get(f"/api/action/datastore_search?resource_id={resource['id']}").json["result"]
    assert rows["records"] == [] and NIK not in json.dumps(rows)


@pytest.fixture
def nik_server() -> Iterator[FileServer]:
    server = FileServer(port=0, root=None).start()
    server.put("penerima.csv", f"nama,nik\nBudi,{NIK}\n".encode())
    yield server
    server.stop()


@pytest.mark.ckan_config("ckanext.satudata.validation.url_allow_private", "true")
def test_an_upper_case_url_scheme_is_fetched_and_checked(
    app: Any, editor: Editor, nik_server: FileServer
) -> None:
    url = nik_server.url("penerima.csv").replace("http://", "HTTP://")
    answer = editor.post(
        "resource_create", 409, package_id=editor.dataset["id"], name="Tautan", url=url
    )
    assert "NIK/KK" in refusal(answer)
    assert nik_server.requests == ["penerima.csv"]


def test_a_table_too_wide_is_refused_before_it_is_parsed(editor: Editor) -> None:
    header = ",".join(f"k{index}" for index in range(40_000))
    answer = editor.upload(
        f"{header}\n{','.join('1' * 40_000)}\n".encode(), "lebar.csv", status=409
    )
    assert "terlalu banyak kolom" in refusal(answer)


def test_clean_tables_still_pass(app: Any, editor: Editor) -> None:
    resource = editor.upload(csv_bytes(good_rows()), "penduduk.csv")["result"]
    shown = app.get(f"/api/action/resource_show?id={resource['id']}").json["result"]
    assert shown["validation_status"] == "success"
