"""Kemendagri's Portal Pelita v1.3 contract, called over HTTP on the demo
portal as Kemendagri would: the list (filters, pages of 25), the detail (the
columns and rows of the DataStore table), errors, the optional Bearer token,
and every answer valid against the OpenAPI description the portal serves.
One request and its answer are written to test-output/pelita-example.json."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from ckanext.satudata.interop import pelita
from interop.interop_support import LIVE_LOGS, DemoPortal, get

BASE = "/api/pelita/v1.3"
AGAMA = "jumlah-penduduk-menurut-agama-per-kecamatan-kabupaten-paser"


@pytest.fixture(scope="module")
def openapi(portal_url: str) -> dict[str, Any]:
    answer = get(f"{portal_url}{BASE}/openapi.json")
    assert answer.status == 200
    document = answer.json()
    validate_openapi(document)  # a valid OpenAPI 3.1 document
    assert document["servers"] == [{"url": f"{portal_url}{BASE}"}]
    return document


def conforms(openapi: dict[str, Any], schema_name: str, body: Any) -> None:
    """``body`` is valid against components/schemas/``schema_name``."""
    registry = Registry().with_resource("urn:pelita", DRAFT202012.create_resource(openapi))
    schema = {"$ref": f"urn:pelita#/components/schemas/{schema_name}"}
    jsonschema.Draft202012Validator(schema, registry=registry).validate(body)


def listing(portal_url: str, query: str = "") -> dict[str, Any]:
    answer = get(f"{portal_url}{BASE}/dataset{query}")
    assert answer.status == 200, answer.body[:500]
    return answer.json()


def test_list_has_every_public_dataset_with_the_contract_fields(
    portal_url: str, demo_portal: DemoPortal, openapi: dict[str, Any]
) -> None:
    body = listing(portal_url)
    conforms(openapi, "DaftarDataset", body)
    public = [d for d in demo_portal.datasets if not d["private"]]
    assert body["meta"] == {"page": 1, "per_page": 25, "total": len(public), "total_pages": 1}
    assert sorted(e["id"] for e in body["data"]) == sorted(d["id"] for d in public)
    for entry in body["data"]:
        assert list(entry)[: len(pelita.LIST_FIELDS)] == list(pelita.LIST_FIELDS)
        assert (entry["kode_provinsi"], entry["kode_kab_kota"]) == ("64", "64.01")
    agama = next(e for e in body["data"] if e["nama"] == AGAMA)
    dataset = demo_portal.by_name(AGAMA)
    assert agama["nama_data"] == dataset["title"]
    assert agama["produsen_data"] == dataset["author"]
    assert (agama["kode_urusan"], agama["kode_bidang_urusan"]) == ("2", "2.12")
    assert (agama["jadwal_pemutakhiran"], agama["jenis_data"]) == ("Semesteran", "Statistik")
    assert (agama["klasifikasi_data"], agama["satuan"]) == ("Terbuka", "Jiwa")
    assert agama["definisi"] == dataset["notes"]
    assert agama["tahun"] == 2024


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kode_bidang_urusan=2.12", lambda d: d.get("subtopik") == "kependudukan"),
        ("?kode_urusan=1", lambda d: d.get("subtopik") in ("pendidikan", "kesehatan")),
        ("?kode_urusan=3", lambda d: d.get("subtopik") == "pertanian"),
        ("?tahun=2023", lambda d: int(d["tahun_mulai"]) <= 2023),
        (
            "?tahun=2023&kode_urusan=3",
            lambda d: int(d["tahun_mulai"]) <= 2023 and d.get("subtopik") == "pertanian",
        ),
        ("?kode_provinsi=64&kode_kab_kota=6401", lambda d: True),
        ("?kode_kab_kota=64.02", lambda d: False),
        ("?kode_provinsi=63", lambda d: False),
        ("?tahun=2019", lambda d: False),
    ],
)
def test_list_filters(portal_url: str, demo_portal: DemoPortal, query: str, expected: Any) -> None:
    body = listing(portal_url, query)
    wanted = sorted(d["id"] for d in demo_portal.datasets if not d["private"] and expected(d))
    assert sorted(e["id"] for e in body["data"]) == wanted
    assert body["meta"]["total"] == len(wanted)
    if "tahun=2023" in query:
        assert all(e["tahun"] == 2023 for e in body["data"])


def test_list_pages_of_25(portal_url: str) -> None:
    second = listing(portal_url, "?page=2")
    assert second["data"] == []
    assert second["meta"]["page"] == 2 and second["meta"]["total_pages"] == 1


def test_detail_has_columns_and_rows_from_the_datastore(
    portal_url: str, demo_portal: DemoPortal, openapi: dict[str, Any]
) -> None:
    dataset = demo_portal.by_name(AGAMA)
    request = f"{BASE}/dataset/{AGAMA}?tahun=2024"
    answer = get(portal_url + request)
    assert answer.status == 200, answer.body[:500]
    body = answer.json()
    conforms(openapi, "RincianDataset", body)
    detail = body["data"]
    table = next(r for r in dataset["resources"] if r["id"] == detail["resource_id"])
    assert table["datastore_active"]
    columns = {c["nama"]: c for c in detail["kolom"]}
    assert {"kode_wilayah", "nama_wilayah", "tahun", "semester", "islam"} <= set(columns)
    assert columns["kode_wilayah"]["label"] == "Kode Wilayah"
    assert columns["islam"]["tipe"] == "int4"
    # The table of every semester, its rows of 2024: both semesters.
    assert not table.get("tahun")
    rows = detail["baris"]
    assert 0 < len(rows) <= 25
    assert {row["tahun"] for row in rows} == {2024}
    assert {row["semester"] for row in rows} == {1, 2}
    assert body["meta"]["total"] == 20  # 10 kecamatan x 2 semesters
    assert all(row["kode_wilayah"].startswith("64.01.") for row in rows)
    assert body["meta"]["total"] >= len(rows)
    LIVE_LOGS.mkdir(exist_ok=True)
    example = {"request": f"GET {request}", "status": answer.status, "response": body}
    (LIVE_LOGS / "pelita-example.json").write_text(
        json.dumps(example, indent=2, ensure_ascii=False)
    )

    # Every page of rows, then nothing.
    total, seen, page = body["meta"]["total"], 0, 1
    while True:
        page_body = get(f"{portal_url}{request}&page={page}").json()
        if not page_body["data"]["baris"]:
            break
        seen += len(page_body["data"]["baris"])
        page += 1
    assert seen == total and page == body["meta"]["total_pages"] + 1


@pytest.mark.parametrize(
    ("path", "status", "named"),
    [
        ("/dataset?tahun=duaribu", 400, "tahun"),
        ("/dataset?kode_kab_kota=Paser", 400, "kode_kab_kota"),
        ("/dataset?kode_kab_kota=64", 400, "kode_kab_kota"),
        ("/dataset?page=0", 400, "page"),
        ("/dataset?kota=paser", 400, "kota"),
        (f"/dataset/{AGAMA}?page=x", 400, "page"),
        ("/dataset/tidak-ada", 404, None),
    ],
)
def test_errors_name_the_problem(
    portal_url: str, openapi: dict[str, Any], path: str, status: int, named: str | None
) -> None:
    answer = get(portal_url + BASE + path)
    assert answer.status == status
    body = answer.json()
    conforms(openapi, "Galat", body)
    if named:
        assert named in body["message"]
        assert named in body["errors"]


def test_error_messages_in_indonesian(portal_url: str) -> None:
    body = get(f"{portal_url}{BASE}/dataset?tahun=duaribu").json()
    assert "bilangan bulat" in body["message"]


@pytest.mark.ckan_config("ckanext.satudata.pelita.token", "rahasia-pelita-2025")
def test_bearer_token_when_configured(app: Any, demo_portal: DemoPortal) -> None:
    assert app.get(f"{BASE}/dataset", status=401).json["status"] == "error"
    wrong = {"Authorization": "Bearer salah"}
    assert app.get(f"{BASE}/dataset", headers=wrong, status=401)
    right = {"Authorization": "Bearer rahasia-pelita-2025"}
    assert app.get(f"{BASE}/dataset", headers=right, status=200).json["status"] == "success"
    assert app.get(f"{BASE}/dataset/{AGAMA}", headers=right, status=200)
