"""The spreadsheet harvester through ckanext-harvest's real stages against the
real stack (PostgreSQL, Solr, Redis), with spreadsheets served over real HTTP
on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from ckan.lib import uploader
from ckan.tests.helpers import call_action
from spreadsheet_support import Harvests

from ckanext.satudata.demo import build_opd

HEADER = [
    "No", "ID DDD", "Nama Data", "Jenis Data", "Produsen Data", "Klasifikasi Data", "Definisi",
    "Satuan", "Klasifikasi Penyajian", "Jadwal Pemutakhiran", "Link Portal Daerah", "Topik",
    "Subtopik", "Tahun Mulai", "Standar Data",
]  # fmt: skip


def dataset_name(title: str) -> str:
    """The harvester names a dataset after its title (80 characters at most)."""
    from ckan.lib.munge import munge_title_to_name

    return munge_title_to_name(title)[:80].strip("-")


PUSKESMAS = dataset_name("Jumlah Puskesmas menurut Kecamatan di Kabupaten Paser")
STAFF = dataset_name(
    "Jumlah Tenaga Kesehatan menurut Kecamatan dan Jenis Tenaga di Kabupaten Paser"
)
RICE = dataset_name(
    "Luas Panen, Produksi dan Produktivitas Padi Sawah menurut Kecamatan di Kabupaten Paser"
)


def row(
    ddd: str, title: str, link: str, *, unit: str = "Unit", year: str = "", standard: str = ""
) -> dict[str, str]:
    return {
        "ID DDD": ddd, "Nama Data": title, "Jenis Data": "Statistik",
        "Produsen Data": "Dinas Kesehatan Kabupaten Paser", "Klasifikasi Data": "Terbuka",
        "Definisi": f"{title}: definisi menurut standar data.", "Satuan": unit,
        "Klasifikasi Penyajian": "per kecamatan", "Jadwal Pemutakhiran": "Tahunan",
        "Link Portal Daerah": link, "Topik": "Perlindungan Sosial & Kesehatan",
        "Subtopik": "Kesehatan", "Tahun Mulai": year, "Standar Data": standard,
    }  # fmt: skip


def inventory(*rows: dict[str, str]) -> bytes:
    """An inventory CSV with a title row above the header, as OPDs write them."""
    lines: list[list[object]] = [["Daftar Data Daerah Dinas Kesehatan Kabupaten Paser"], HEADER]
    for number, cells in enumerate(rows, start=1):
        lines.append([str(number), *(cells.get(h, "") for h in HEADER[1:])])
    return build_opd._csv(lines)


SAMPLE_ROWS = (
    row("DDD-001", "Jumlah Puskesmas menurut Kecamatan di Kabupaten Paser", "puskesmas.csv",
        standard="indikator_wilayah_tahun"),
    row("DDD-002", "Jumlah Tenaga Kesehatan menurut Kecamatan dan Jenis Tenaga di Kabupaten Paser",
        "tenaga.xlsx", unit="Orang", year="2024"),
    row("DDD-003", "Luas Panen, Produksi dan Produktivitas Padi Sawah menurut Kecamatan di Kabupaten Paser",
        "padi.xlsx#sheet=Padi%20Sawah", unit="Ton"),
)  # fmt: skip


def publish_sample(harvests: Harvests, *rows: dict[str, str]) -> None:
    server = harvests.server
    server.put("opd/daftar_data.csv", inventory(*(rows or SAMPLE_ROWS)))
    server.put("opd/puskesmas.csv", build_opd.dinkes()["dinkes/jumlah_puskesmas.csv"])
    server.put("opd/tenaga.xlsx", build_opd.dinkes()["dinkes/tenaga_kesehatan_2024.xlsx"])
    server.put("opd/padi.xlsx", build_opd.distan()["distan/produksi_padi_2024.xlsx"])


def show(name: str) -> dict[str, Any]:
    return call_action("package_show", id=name)


def stored(resource: dict[str, Any]) -> bytes:
    path = uploader.get_resource_uploader(resource).get_path(resource["id"])
    with open(path, "rb") as handle:
        return handle.read()


def table(resource: dict[str, Any]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stored(resource).decode("utf-8"))))


def dataset_count() -> int:
    return call_action("package_search", q="*:*", include_private=True, rows=0)["count"]


def first_harvest(harvests: Harvests, **config: Any) -> dict[str, dict[str, Any]]:
    publish_sample(harvests)
    harvests.configure(**config)
    result = harvests.run()
    assert result.gather_errors == [] and result.object_errors == []
    assert result.statuses() == ["added"] * 3
    return {name: show(name) for name in (PUSKESMAS, STAFF, RICE)}


def test_first_harvest_creates_sdi_datasets_with_clean_and_original_resources(
    harvests: Harvests,
) -> None:
    datasets = first_harvest(harvests)

    puskesmas = datasets[PUSKESMAS]
    expected = {
        "title": "Jumlah Puskesmas menurut Kecamatan di Kabupaten Paser",
        "author": "Dinas Kesehatan Kabupaten Paser",
        "id_dds": "DDD-001",
        "jenis": "statistik",
        "accessRights": "terbuka",
        "accrualPeriodicity": "tahunan",
        "periode": "tahun",
        "satuan": "unit",
        "theme": "perlindungan-sosial-kesehatan",
        "subtopik": "kesehatan",
        "klasifikasi": "per kecamatan",
        "tingkat_wilayah": "kecamatan",
        "kode_wilayah": [f"64.01.{n:02d}" for n in range(1, 11)],
        "tahun_mulai": "2023",
        "tahun_akhir": "2024",
    }
    assert {key: puskesmas[key] for key in expected} == expected
    assert puskesmas["organization"]["name"] == "dinkes-paser"
    clean, original = puskesmas["resources"]
    assert clean["format"] == "CSV" and clean["url_type"] == "upload"
    assert clean["standar_data"] == "indikator_wilayah_tahun"
    assert clean["validation_status"] == "success"
    assert original["format"] == "CSV" and original["name"] == "Berkas asli: puskesmas.csv"
    assert len(table(clean)) == 20

    # Names of kecamatan in a wide table give the coverage codes.
    staff = datasets[STAFF]
    assert staff["tahun_mulai"] == "2024" and staff["tingkat_wilayah"] == "kecamatan"
    assert len(staff["kode_wilayah"]) == 10
    clean, original = staff["resources"]
    assert [r["kecamatan"] for r in table(clean)][:2] == ["Batu Sopang", "Tanjung Harapan"]
    assert original["format"] == "XLSX"
    assert stored(original) == harvests.server.files["opd/tenaga.xlsx"]
    assert clean["validation_status"] == "success"


def test_messy_sheet_is_normalised_and_the_description_says_how(harvests: Harvests) -> None:
    rice = first_harvest(harvests)[RICE]

    clean, original = rice["resources"]
    rows = table(clean)
    assert len(rows) == 10
    assert rows[3]["kecamatan"] == "Tanah Grogot"
    assert rows[3]["padi_sawah_produksi_ton"] == "13612.6"
    assert rows[3]["padi_sawah_luas_panen_ha"] == "3102"
    for said in (
        "baris judul",
        "jumlah/total",
        "titik pemisah ribuan, koma desimal",
        "dua tingkat",
    ):
        assert said in clean["description"]
    assert original["format"] == "XLSX"
    assert rice["tahun_mulai"] == "2024" and rice["satuan"] == "ton"


DATA_FILES = ("opd/puskesmas.csv", "opd/tenaga.xlsx", "opd/padi.xlsx")


def data_file_answers(harvests: Harvests) -> list[int]:
    """HTTP statuses the file server gave for the data files, in order."""
    return [status for path, status in harvests.server.responses if path in DATA_FILES]


def assert_untouched(before: dict[str, dict[str, Any]]) -> None:
    for name, dataset in before.items():
        now = show(name)
        assert now["metadata_modified"] == dataset["metadata_modified"], name
        assert [r["id"] for r in now["resources"]] == [r["id"] for r in dataset["resources"]]


def test_unchanged_rerun_writes_nothing(harvests: Harvests) -> None:
    """Gather asks the file server with the validators of the last download:
    every data file answers 304, no object is queued, nothing is written, and
    the job report counts the three rows as not modified."""
    before = first_harvest(harvests)
    harvests.server.responses.clear()

    result = harvests.run()

    assert result.gather_errors == [] and result.object_errors == []
    assert result.statuses() == ["not modified"] * 3
    assert result.queued == 0
    assert result.job["status"] == "Finished"
    assert result.job["stats"]["not modified"] == 3
    assert data_file_answers(harvests) == [304, 304, 304]
    assert_untouched(before)


def test_unchanged_rerun_on_a_server_without_validators_compares_hashes(
    harvests: Harvests,
) -> None:
    """A file server that sends neither ETag nor Last-Modified: gather
    downloads each file and compares its hash; still nothing is written."""
    harvests.server.send_validators = False
    before = first_harvest(harvests)
    harvests.server.responses.clear()

    result = harvests.run()

    assert result.statuses() == ["not modified"] * 3 and result.queued == 0
    assert data_file_answers(harvests) == [200, 200, 200]
    assert_untouched(before)


def test_rows_without_a_file_hash_go_through_the_fetch_stage_once(harvests: Harvests) -> None:
    """Datasets harvested before gather checked files (their objects carry
    only the content hash): the fetch stage finds them unchanged and teaches
    their current objects the file hash and validators, so the next gather
    confirms them itself."""
    from ckan import model
    from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

    before = first_harvest(harvests)
    current = model.Session.query(HarvestObject.id).filter(HarvestObject.current == True)  # noqa: E712
    model.Session.query(HarvestObjectExtra).filter(
        HarvestObjectExtra.harvest_object_id.in_(current.scalar_subquery()),
        HarvestObjectExtra.key.in_(("file_hash", "etag", "last_modified")),
    ).delete(synchronize_session=False)
    model.Session.commit()
    model.Session.expire_all()  # the bulk delete bypassed the loaded objects

    through_fetch = harvests.run()
    assert through_fetch.statuses() == ["not modified"] * 3 and through_fetch.queued == 3

    in_gather = harvests.run()
    assert in_gather.statuses() == ["not modified"] * 3 and in_gather.queued == 0
    assert_untouched(before)


def test_a_check_that_fails_leaves_the_row_to_the_fetch_stage(harvests: Harvests) -> None:
    """A data file that does not answer gather's check in time is not taken
    as unchanged: the fetch stage tries again and reports the failure on that
    row alone; the dataset is left as it was."""
    before = first_harvest(harvests, timeout=1)
    harvests.server.delays["opd/tenaga.xlsx"] = 3

    result = harvests.run()

    assert result.statuses() == ["errored", "not modified", "not modified"]
    assert result.queued == 1
    [error] = result.object_errors
    assert "inventory row 4: data file not downloaded" in error
    assert "no answer within 1 s" in error or "stalled" in error
    assert_untouched(before)


def test_a_redirect_met_by_the_check_is_refused_like_any_other(harvests: Harvests) -> None:
    """A file that now redirects to an internal service: the check follows
    no redirect to a blocked address, and the fetch stage reports it."""
    port = harvests.server.server_address[1]
    before = first_harvest(harvests, allow_private_addresses=[f"127.0.0.1:{port}"])
    harvests.server.redirects["opd/puskesmas.csv"] = "http://127.0.0.1:8983/solr/admin/cores"

    result = harvests.run()

    assert result.statuses() == ["errored", "not modified", "not modified"]
    [error] = result.object_errors
    assert "127.0.0.1:8983" in error and "non-public address" in error
    assert_untouched(before)


def test_changed_file_updates_the_dataset_in_place(harvests: Harvests) -> None:
    before = first_harvest(harvests)
    changed = build_opd.dinkes()["dinkes/jumlah_puskesmas.csv"].replace(
        b"64.01.04,Tanah Grogot,2024,Jumlah Puskesmas,3",
        b"64.01.04,Tanah Grogot,2024,Jumlah Puskesmas,4",
    )
    harvests.server.put("opd/puskesmas.csv", changed)

    result = harvests.run()

    assert result.object_errors == []
    assert result.statuses() == ["not modified", "not modified", "updated"]
    assert result.queued == 1  # gather confirmed the other two
    after = show(PUSKESMAS)
    assert after["id"] == before[PUSKESMAS]["id"]
    assert [r["id"] for r in after["resources"]] == [
        r["id"] for r in before[PUSKESMAS]["resources"]
    ]
    grogot = [r for r in table(after["resources"][0]) if r["kode_wilayah"] == "64.01.04"]
    assert [r["nilai"] for r in grogot] == ["3", "4"]
    assert stored(after["resources"][1]) == changed
    assert dataset_count() == 3
    assert show(STAFF)["metadata_modified"] == before[STAFF]["metadata_modified"]


def test_changed_inventory_row_updates_metadata(harvests: Harvests) -> None:
    first_harvest(harvests)
    first, *others = SAMPLE_ROWS
    renamed = {**first, "Definisi": "Definisi yang diperbaiki."}
    harvests.server.put("opd/daftar_data.csv", inventory(renamed, *others))

    result = harvests.run()

    assert result.statuses() == ["not modified", "not modified", "updated"]
    assert show(PUSKESMAS)["notes"] == "Definisi yang diperbaiki."
    assert dataset_count() == 3


def test_removed_row_is_flagged_then_left_alone_then_published_again(harvests: Harvests) -> None:
    first_harvest(harvests)
    harvests.server.put("opd/daftar_data.csv", inventory(*SAMPLE_ROWS[:2]))

    result = harvests.run()

    assert result.gather_errors == [] and result.object_errors == []
    assert result.statuses() == ["deleted", "not modified", "not modified"]
    rice = show(RICE)
    assert rice["state"] == "active" and rice["status_data"] == "tidak_ditayangkan"

    again = harvests.run()
    assert again.statuses() == ["not modified", "not modified"]
    assert show(RICE)["metadata_modified"] == rice["metadata_modified"]

    harvests.server.put("opd/daftar_data.csv", inventory(*SAMPLE_ROWS))
    back = harvests.run()
    assert back.object_errors == []
    assert show(RICE)["status_data"] == "ditayangkan"
    assert show(RICE)["id"] == rice["id"] and dataset_count() == 3


def test_removed_row_deleted_when_configured(harvests: Harvests) -> None:
    first_harvest(harvests, removed_rows="delete")
    harvests.server.put("opd/daftar_data.csv", inventory(*SAMPLE_ROWS[1:]))

    result = harvests.run()

    assert result.statuses() == ["deleted", "not modified", "not modified"]
    assert show(PUSKESMAS)["state"] == "deleted"


@pytest.mark.parametrize(
    ("inventory_content", "reason"),
    [
        (inventory(), "lists no datasets"),
        (b"PK\x03\x04 broken zip", "could not be read"),
        (b"Judul,Keterangan\nx,y\n", "no inventory header"),
        (None, "HTTP 404"),
    ],
)
def test_empty_or_broken_inventory_changes_nothing(
    harvests: Harvests, inventory_content: bytes | None, reason: str
) -> None:
    before = first_harvest(harvests)
    if inventory_content is None:
        harvests.server.remove("opd/daftar_data.csv")
    else:
        harvests.server.put("opd/daftar_data.csv", inventory_content)

    result = harvests.run()

    assert result.objects == []
    assert len(result.gather_errors) == 1 and reason in result.gather_errors[0]
    for name, dataset in before.items():
        now = show(name)
        assert now["state"] == "active" and now["metadata_modified"] == dataset["metadata_modified"]


def test_reports_speak_indonesian_and_english_under_en(harvests: Harvests, app: Any) -> None:
    """The harvester's own report texts go through the catalog (harvesters/messages.py)."""
    harvests.configure()
    harvests.server.put("opd/daftar_data.csv", inventory())
    job_id = harvests.run().job["id"]
    token = {"Authorization": harvests.sysadmin["token"]}

    report = app.get(f"/api/action/harvest_job_report?id={job_id}", headers=token).json
    assert report["result"]["gather_errors"][0]["message"] == (
        "daftar data tidak mencantumkan dataset; tidak ada yang diubah"
    )
    page = app.get(f"/en/harvest/{harvests.source_name}/job/{job_id}", headers=token).body
    assert "the inventory lists no datasets; nothing was changed" in page


def test_a_refused_stored_config_is_reported_in_the_readers_language(
    harvests: Harvests, app: Any
) -> None:
    """A config stored before a check existed (written straight into the
    source): the gather error carries the setting's refusal as a message, so
    the report says it in Indonesian, and in English under /en."""
    from ckan import model
    from ckanext.harvest.model import HarvestSource

    source = harvests.configure()
    stored = HarvestSource.get(source["id"])
    stored.config = json.dumps({**json.loads(stored.config), "max_shrink": 2})
    model.Session.commit()
    result = harvests.run()
    assert result.objects == []
    token = {"Authorization": harvests.sysadmin["token"]}

    job_id = result.job["id"]
    report = app.get(f"/api/action/harvest_job_report?id={job_id}", headers=token).json
    assert report["result"]["gather_errors"][0]["message"] == (
        "konfigurasi: max_shrink harus berupa proporsi antara 0 dan 1 (mis. 0.5)"
    )
    page = app.get(f"/en/harvest/{harvests.source_name}/job/{job_id}", headers=token).body
    assert "configuration: max_shrink must be a share between 0 and 1 (e.g. 0.5)" in page


def test_inventory_shrinking_too_much_changes_nothing(harvests: Harvests) -> None:
    before = first_harvest(harvests, max_shrink=0.5)
    harvests.server.put("opd/daftar_data.csv", inventory(SAMPLE_ROWS[0]))

    result = harvests.run()

    assert result.objects == []
    assert "67% fewer" in result.gather_errors[0]
    assert show(RICE)["metadata_modified"] == before[RICE]["metadata_modified"]


def test_row_errors_and_invalid_files_are_reported_per_object(harvests: Harvests) -> None:
    bad_values = build_opd.dinkes()["dinkes/jumlah_puskesmas.csv"].replace(b",2,unit", b",dua,unit")
    rows = (
        *SAMPLE_ROWS[:2],
        row("DDD-004", "Data dengan Nilai Tidak Valid", "invalid.csv", standard="indikator_wilayah_tahun"),
        {**row("DDD-005", "Data dengan Jadwal Salah", "puskesmas.csv"), "Jadwal Pemutakhiran": "Kadang"},
        row("DDD-006", "Data yang Berkasnya Hilang", "hilang.csv"),
        row("DDD-007", "Data dengan Lembar Ambigu", "ambigu.xlsx"),
    )  # fmt: skip
    publish_sample(harvests, *rows)
    harvests.server.put("opd/invalid.csv", bad_values)
    harvests.server.put(
        "opd/ambigu.xlsx", build_opd._xlsx({"A": [["x", "y"], [1, 2]], "B": [["x", "y"], [3, 4]]})
    )
    harvests.configure()

    result = harvests.run()

    assert result.gather_errors == []
    assert result.statuses() == ["added", "added", "errored", "errored", "errored", "errored"]
    errors = "\n".join(result.object_errors)
    assert "inventory row 5: data file invalid.csv refused" in errors
    assert "inventory row 6: Jadwal Pemutakhiran 'Kadang' is not in the vocabulary" in errors
    assert "inventory row 7: data file not downloaded" in errors and "HTTP 404" in errors
    assert "inventory row 8: data file ambigu.xlsx: several sheets hold data" in errors
    assert dataset_count() == 2  # the refused file left no half-made dataset


def test_ssrf_links_are_refused_without_the_allowance(harvests: Harvests) -> None:
    port = harvests.server.server_address[1]
    rows = (
        SAMPLE_ROWS[0],
        row("DDD-010", "Tautan ke Metadata Awan", "http://169.254.169.254/latest/meta-data/"),
        row("DDD-011", "Tautan ke Layanan Lokal", "http://127.0.0.1:8983/solr/admin/cores"),
        row("DDD-012", "Tautan yang Dialihkan", "redirect.csv"),
    )
    publish_sample(harvests, *rows)
    harvests.server.redirects["opd/redirect.csv"] = "http://127.0.0.1:8983/solr/admin/cores"
    # Only the OPD's file server is allowed, not loopback as a whole.
    harvests.configure(allow_private_addresses=[f"127.0.0.1:{port}"])

    result = harvests.run()

    assert result.statuses() == ["added", "errored", "errored", "errored"]
    errors = "\n".join(result.object_errors)
    assert "169.254.169.254" in errors and "non-public address" in errors
    assert errors.count("127.0.0.1:8983") == 2
    assert not any(r.startswith("solr") for r in harvests.server.requests)


def test_the_inventory_itself_is_refused_on_loopback_by_default(harvests: Harvests) -> None:
    publish_sample(harvests)
    harvests.configure(allow_private_addresses=None)

    result = harvests.run()

    assert result.objects == [] and "non-public address" in result.gather_errors[0]


def test_slow_and_oversize_files_fail_alone(harvests: Harvests) -> None:
    publish_sample(harvests)
    harvests.server.delays["opd/tenaga.xlsx"] = 3
    harvests.server.put("opd/padi.xlsx", b"x" * 200_000)
    harvests.configure(timeout=1, max_file_size=100_000)

    result = harvests.run()

    assert result.statuses() == ["added", "errored", "errored"]
    errors = "\n".join(result.object_errors)
    assert "no answer within 1 s" in errors or "stalled" in errors
    assert "exceeds the limit of 100000" in errors


def test_config_errors_name_the_setting(harvests: Harvests) -> None:
    from ckanext.harvest import queue

    harvester = queue.get_harvester("satudata_spreadsheet")
    cases = {
        '{"removed_rows": "purge"}': "removed_rows",
        '{"max_shrink": 2}': "max_shrink",
        '{"timeout": "soon"}': "timeout",
        '{"standar_data": "tidak_ada"}': "standar_data",
        '{"column_mapping": {"Berkas": "file"}}': "column_mapping",
        '{"defaults": {"title": "x"}}': "defaults",
        '{"alow_private_addresses": true}': "alow_private_addresses",
        '{"allow_private_addresses": ["localhost"]}': "host:port",
        "[1]": "JSON object",
        "{": "not valid JSON",
    }
    for text, named in cases.items():
        with pytest.raises(ValueError, match=named):
            harvester.validate_config(text)
    assert harvester.validate_config('{"removed_rows": "delete", "max_shrink": 0.2}')


def test_template_download(app: Any) -> None:
    response = app.get("/satudata/template/daftar-data.xlsx")
    assert response.status_code == 200
    assert response.data.startswith(b"PK")
    assert "spreadsheetml" in response.headers["Content-Type"]


def _validation_files() -> Any:
    """tests/validation/validation_files.py, imported by its bare name."""
    import pathlib
    import sys

    folder = str(pathlib.Path(__file__).parents[1] / "validation")
    if folder not in sys.path:
        sys.path.append(folder)
    import validation_files

    return validation_files


def test_zip_bomb_and_entity_xlsx_are_refused_before_parsing(harvests: Harvests) -> None:
    files = _validation_files()
    rows = (
        SAMPLE_ROWS[0],
        row("DDD-008", "Data Bom Zip", "bom.xlsx"),
        row("DDD-009", "Data Entitas XML", "entitas.xlsx"),
    )
    publish_sample(harvests, *rows)
    harvests.server.put("opd/bom.xlsx", files.zip_bomb_xlsx(300))
    harvests.server.put("opd/entitas.xlsx", files.entity_xlsx())
    harvests.configure(max_file_size=50 * 1024 * 1024)

    result = harvests.run()

    assert result.statuses() == ["added", "errored", "errored"]
    errors = "\n".join(result.object_errors)
    assert "inventory row 4: data file bom.xlsx: File refused" in errors
    assert "compression ratio exceeds the safe limits (zip bomb)" in errors
    assert "inventory row 5: data file entitas.xlsx: File refused: the XML contains a DTD" in errors
    assert dataset_count() == 1  # the worker went on with the other rows


NIK = "6401014107900003"  # kecamatan 64.01.01, a woman born 01.07.1990


def test_personal_data_is_reported_by_position_never_by_value(
    harvests: Harvests, caplog: pytest.LogCaptureFixture
) -> None:
    """A NIK in a cell the normaliser would also complain about (a value in a
    column with no header): the guard reports it first, by sheet, column and
    row, and the digits reach neither the job report nor the log."""
    cells = [
        ["Kecamatan", "Tahun", "Jumlah", None],
        ["Batu Sopang", 2024, 3, None],
        ["Tanah Grogot", 2024, 4, NIK],
    ]
    publish_sample(harvests, SAMPLE_ROWS[0], row("DDD-010", "Data Berisi NIK", "nik.xlsx"))
    harvests.server.put("opd/nik.xlsx", build_opd._xlsx({"Data": cells}))
    harvests.configure()

    with caplog.at_level("DEBUG"):
        result = harvests.run()

    assert result.statuses() == ["added", "errored"]
    [error] = result.object_errors
    assert "inventory row 4: data file nik.xlsx holds personal data" in error
    assert 'Column "kolom 4" holds NIK/KK numbers (sheet "Data"), e.g. rows 3' in error
    assert NIK not in error and NIK[:12] not in error
    assert NIK not in caplog.text


def test_normaliser_errors_never_quote_a_nik() -> None:
    from ckanext.satudata.harvesters.spreadsheet import sheet

    content = f"Kecamatan,Jumlah\nKuaro,3\nTanah Grogot,4,{NIK}\n".encode()
    with pytest.raises(sheet.SheetError) as raised:
        sheet.normalise(content)
    message = str(raised.value)
    assert "row 3" in message and "column 3" in message
    assert NIK not in message and NIK[:12] not in message
    # A value the normaliser quotes is withheld when it looks like a NIK.
    assert sheet.quote(NIK) == sheet.quote(int(NIK)) == sheet.quote(f"{NIK[:4]}.{NIK[4:]}")
    assert "looks like a NIK/KK number" in sheet.quote(float(NIK))
    assert sheet.quote("1.234") == "'1.234'"


def test_resources_added_by_hand_survive_a_changed_harvest(harvests: Harvests) -> None:
    first_harvest(harvests)
    pdf = call_action(
        "resource_create",
        context={"user": harvests.sysadmin["name"]},
        package_id=PUSKESMAS,
        name="Laporan Tahunan",
        url="https://dinkes.paserkab.go.id/laporan-2024.pdf",
        format="PDF",
    )
    changed = build_opd.dinkes()["dinkes/jumlah_puskesmas.csv"].replace(
        b"64.01.04,Tanah Grogot,2024,Jumlah Puskesmas,3",
        b"64.01.04,Tanah Grogot,2024,Jumlah Puskesmas,4",
    )
    harvests.server.put("opd/puskesmas.csv", changed)

    result = harvests.run()

    assert result.object_errors == []
    assert result.statuses() == ["not modified", "not modified", "updated"]
    resources = show(PUSKESMAS)["resources"]
    assert len(resources) == 3
    kept = next(r for r in resources if r["id"] == pdf["id"])
    assert (kept["name"], kept["url"], kept["format"]) == (
        "Laporan Tahunan", "https://dinkes.paserkab.go.id/laporan-2024.pdf", "PDF",
    )  # fmt: skip
    assert stored(resources[1]) == changed
