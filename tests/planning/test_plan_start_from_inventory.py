"""A steward uploads their OPD's inventory file (/daftar-data/dataset-baru),
sees its rows, and starts a dataset from one: the link opens the dataset form
filled in (the same importing.item_values and starting.dataset_fields as a
Daftar Data item). Nothing is stored. On the real stack, through the auth
matrix (tests/auth_matrix.py)."""

from __future__ import annotations

import html
import io
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from auth_matrix import ROLES, AuthRoles
from plan_support import DINKES, HEADER, ROWS, Plan, csv_file, xlsx
from test_plan_auth import tokens
from test_plan_pages import text
from test_plan_start_dataset import selected, value_of

PAGE = "/daftar-data/dataset-baru"
# The rows of ROWS by OPD (auth_matrix: the producer is of Dinkes, the other of Distan).
DINKES_ROWS = {3, 4, 5}
DISTAN_ROWS = {6, 7}


@pytest.fixture
def roles(with_plugins: None, clean_index: None, auth_roles: AuthRoles) -> Plan:
    """The auth-matrix roles; no Daftar Data is imported (none is needed)."""
    return Plan(auth_roles, {})


def post(app: Any, content: bytes, headers: dict[str, str], name: str = "inventaris.xlsx",
         path: str = PAGE) -> Any:  # fmt: skip
    return app.post(path, data={"upload": (io.BytesIO(content), name)}, headers=headers)


def start_links(page: str) -> dict[int, str]:
    """Row number -> the address of its "create a dataset" button."""
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        number = re.search(r"<td>(\d+)</td>", row)
        link = re.search(r'class="btn btn-primary btn-sm satudata-start-row" href="([^"]+)"', row)
        if number and link:
            found[int(number.group(1))] = html.unescape(link.group(1))
    return found


def test_who_may_start_from_an_inventory(app: Any, roles: Plan) -> None:
    """Anyone who may create a dataset opens the page and reads a file; each
    sees a button only on the rows of an OPD they may create datasets for."""
    headers = tokens(roles)
    may = {"producer", "other_producer", "sysadmin"}
    buttons = {"producer": DINKES_ROWS, "other_producer": DISTAN_ROWS,
               "sysadmin": DINKES_ROWS | DISTAN_ROWS}  # fmt: skip
    content = xlsx(ROWS)
    for role in ROLES:
        shown = app.get(PAGE, headers=headers[role])
        read = post(app, content, headers[role])
        expected = 200 if role in may else 403
        assert (shown.status_code, read.status_code) == (expected, expected), role
        if role in may:
            assert set(start_links(read.get_data(as_text=True))) == buttons[role], role
    other = text(post(app, content, headers["other_producer"]))
    assert "Hanya produsen data OPD ini yang membuat datasetnya" in other
    # Offered on the first page of the dataset form, beside the standards.
    new = app.get("/dataset/new", headers=headers["producer"]).get_data(as_text=True)
    assert PAGE in new and "Mulai dari inventaris" in new


def test_a_row_starts_the_dataset_form_filled_in(app: Any, roles: Plan) -> None:
    producer = tokens(roles)["producer"]
    response = post(app, xlsx(ROWS), producer)
    page = text(response)
    assert "Baris-baris inventaris.xlsx, lembar Daftar Data" in page
    assert "Jumlah Puskesmas menurut Kecamatan di Kabupaten Paser" in page
    assert DINKES in page and "DDD-6401-DINKES-001" in page
    assert "Buat dataset dari baris ini" in page
    link = start_links(response.get_data(as_text=True))[3]
    target = urlsplit(link)
    assert target.path == "/dataset/new"
    form = app.get(link, headers=producer).get_data(as_text=True)
    assert value_of(form, "title") == "Jumlah Puskesmas menurut Kecamatan di Kabupaten Paser"
    assert value_of(form, "notes").startswith("Jumlah puskesmas rawat inap")
    # The ID DDD goes with the form (its field is on a later step).
    assert "id_dds=DDD-6401-DINKES-001" in target.query
    assert selected(form, "organizations") == [roles.roles.owner["id"]]
    assert selected(form, "theme") == ["perlindungan-sosial-kesehatan"]
    assert selected(form, "subtopik") == ["kesehatan"]
    assert selected(form, "accessRights") == ["terbuka"]
    # Nothing was stored: no dataset, no Daftar Data.
    from ckan.tests.helpers import call_action

    from ckanext.satudata.model import daftar_data

    assert call_action("package_search", include_private=True)["count"] == 0
    assert daftar_data.years() == []


def test_a_csv_without_id_or_opd_columns(app: Any, roles: Plan) -> None:
    """A row needs only its Nama Data; with no OPD named the form offers the
    steward's own OPDs (no owner_org in the link)."""
    producer = tokens(roles)["producer"]
    header = ["Nama Data", "Definisi", "Satuan", "Tahun Mulai", "Tahun Akhir"]
    rows = [["Jumlah Posyandu Aktif", "Posyandu yang melapor tiap bulan.", "Unit", "2020", "2024"]]
    response = post(app, csv_file(rows, header), producer, name="inventaris.csv")
    assert "2020\u20132024" in text(response)
    link = start_links(response.get_data(as_text=True))[2]
    assert "owner_org" not in urlsplit(link).query
    form = app.get(link, headers=producer).get_data(as_text=True)
    assert value_of(form, "title") == "Jumlah Posyandu Aktif"
    assert value_of(form, "notes") == "Posyandu yang melapor tiap bulan."


def test_bad_files_say_what_is_wrong(app: Any, roles: Plan) -> None:
    producer = tokens(roles)["producer"]
    missing = text(app.post(PAGE, data={}, headers=producer))
    assert "Pilih berkas inventaris Anda (XLSX atau CSV)" in missing
    no_header = text(post(app, xlsx([["a", "b"]], header=["Kolom", "Lain"]), producer))
    assert "Berkas inventaris.xlsx tidak dapat digunakan" in no_header
    assert "tidak ditemukan judul kolom daftar data" in no_header and "Nama Data" in no_header
    not_a_table = text(post(app, b"\x00\x01\x02 not a spreadsheet \xff" * 50, producer))
    assert "berkas tidak dapat dibaca" in not_a_table
    # A wrong row names its row and column; it gets no button, the others do.
    bad = [list(row) for row in ROWS]
    bad[0][4] = "Rahasia Sekali"  # Klasifikasi Data, column E
    bad[1][2] = "Dinas Perikanan"  # Produsen Data, column C
    response = post(app, xlsx(bad), producer)
    page = text(response)
    assert "Baris 3, kolom E: Klasifikasi Data 'Rahasia Sekali' tidak ada dalam kosakata" in page
    assert "Baris 4, kolom C: Produsen Data 'Dinas Perikanan' bukan OPD di portal ini" in page
    assert set(start_links(response.get_data(as_text=True))) == {5}
    # English under /en.
    english = text(post(app, xlsx(bad), producer, path=f"/en{PAGE}"))
    assert "Row 3, column E: Klasifikasi Data 'Rahasia Sekali' is not in the vocabulary" in english
    assert "Create a dataset from this row" in english


def test_header_only_file(app: Any, roles: Plan) -> None:
    producer = tokens(roles)["producer"]
    page = text(post(app, xlsx([], header=HEADER), producer))
    assert "Berkas inventaris.xlsx tidak dapat digunakan" in page
    assert "Berkas tidak memuat item di bawah baris judul kolomnya" in page
