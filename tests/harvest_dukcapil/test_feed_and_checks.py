"""Feed client, record checks and tables without CKAN: the sample server over
real HTTP on 127.0.0.1 and hand-made records for the edge cases."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from ckanext.satudata import net
from ckanext.satudata.demo import dukcapil_feed as sample
from ckanext.satudata.demo.dukcapil_feed import FeedServer
from ckanext.satudata.harvesters.dukcapil import feed, pipeline, transform
from ckanext.satudata.harvesters.dukcapil.consistency import check
from ckanext.satudata.harvesters.dukcapil.records import QUARANTINE as QUARANTINE_MODE
from ckanext.satudata.harvesters.dukcapil.records import RecordCollector, RecordPolicy
from ckanext.satudata.harvesters.dukcapil.standard import (
    DEFAULT_FAMILIES,
    FAMILIES,
    Semester,
    SemesterError,
)
from ckanext.satudata.reference import regions

ROOT = "64.01"


def settings(**overrides: Any) -> feed.FeedSettings:
    values: dict[str, Any] = {
        "where": feed.where_for_root(ROOT),
        "page_size": 50,
        "fetch": net.FetchPolicy(timeout=5, retries=2, backoff=0.01, allow_private=True),
    }
    values.update(overrides)
    return feed.FeedSettings(**values)


def run(server: FeedServer, semester: str = "2024-S2", **overrides: Any) -> pipeline.ReleaseResult:
    return pipeline.process_release(
        Semester.parse(semester),
        pipeline.arcgis_pages(
            feed.single_service(server.service_url(semester), feed.DEFAULT_LAYERS),
            settings(**overrides),
        ),
        regions.tenant_regions(),
        ROOT,
        DEFAULT_FAMILIES,
        ["kecamatan", "desa"],
    )


@pytest.mark.parametrize(
    ("text", "label", "date"),
    [("2024-S1", "2024 Semester I", "2024-06-30"), ("2024-S2", "2024 Semester II", "2024-12-31")],
)
def test_semester_labels(text: str, label: str, date: str) -> None:
    semester = Semester.parse(text)
    assert (semester.key, semester.label, semester.reference_date) == (text, label, date)


@pytest.mark.parametrize("text", ["2024", "2024-S3", "S2-2024", None, "24-S1"])
def test_semester_label_refused(text: object) -> None:
    with pytest.raises(SemesterError):
        Semester.parse(text)


def test_sample_release_matches_the_published_total() -> None:
    release = sample.generate("2024-S2")
    paser = release.counts[ROOT]
    assert (paser["jumlah_penduduk"], paser["pria"], paser["wanita"]) == (309_667, 160_276, 149_391)
    assert sample.generate("2024-S2").counts == release.counts  # deterministic


def test_clean_release_pages_checks_and_tables(feed_server: FeedServer) -> None:
    feed_server.state.faults.reset()
    result = run(feed_server)

    assert result.data.issue_count == 0, result.data.report()
    assert result.data.duplicates_collapsed == 1
    assert len(result.data.rows["desa"]) == 144 and len(result.data.rows["kecamatan"]) == 10
    rows = list(csv.DictReader(io.StringIO(result.tables[("jenis_kelamin", "desa")].decode())))
    assert len(rows) == 144
    assert rows[0]["kode_wilayah"] == "64.01.01.2009" and rows[0]["nama_wilayah"] == "Samurangau"
    assert all(int(r["laki_laki"]) + int(r["perempuan"]) == int(r["jumlah"]) for r in rows)
    ages = list(csv.DictReader(io.StringIO(result.tables[("kelompok_umur", "kecamatan")].decode())))
    assert list(ages[0])[-2:] == ["umur_75_keatas", "jumlah"]


def test_same_figures_give_the_same_bytes(feed_server: FeedServer) -> None:
    feed_server.state.faults.reset()
    first, second = run(feed_server), run(feed_server, page_size=7)
    assert first.tables == second.tables


def test_page_cap(feed_server: FeedServer) -> None:
    feed_server.state.faults.reset()
    with pytest.raises(feed.FeedError, match="more than 2 pages"):
        run(feed_server, max_pages=2)


def test_byte_cap(feed_server: FeedServer) -> None:
    feed_server.state.faults.reset()
    with pytest.raises(feed.FeedError, match="exceeds the limit"):
        run(feed_server, max_bytes=100_000)


def test_token_is_sent_but_never_in_errors(feed_server: FeedServer) -> None:
    feed_server.state.faults.reset()
    feed_server.state.requests.clear()
    feed_server.state.faults.empty = True
    try:
        with pytest.raises(feed.FeedError) as raised:
            run(feed_server, auth=feed.FeedAuth(token="s3cret"))
    finally:
        feed_server.state.faults.reset()
    assert "token=s3cret" in feed_server.state.requests[0]
    assert "s3cret" not in str(raised.value)


def test_auth_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SATUDATA_HARVEST_DISDUKCAPIL_PASER_PASSWORD", "rahasia")
    auth = feed.FeedAuth.from_config(
        {
            "auth": {
                "username": "paser",
                "password_env": "SATUDATA_HARVEST_DISDUKCAPIL_PASER_PASSWORD",
            }
        },
        owner="disdukcapil-paser",
    )
    assert auth.basic == ("paser", "rahasia")


@pytest.mark.parametrize(
    ("auth", "named"),
    [
        ({"token_env": "CKAN_SECRET_KEY"}, "auth.token_env"),
        ({"username": "paser", "password_env": "PGPASSWORD"}, "auth.password_env"),
        ({"username_env": "HOME"}, "auth.username_env"),
        ({"token": "s3cret"}, "auth.token"),
        ({"username": "paser", "password": "rahasia"}, "auth.password"),
    ],
)
def test_auth_only_from_satudata_harvest_variables(
    monkeypatch: pytest.MonkeyPatch, auth: dict[str, str], named: str
) -> None:
    """A source config (editable by org editors, readable through
    harvest_source_show) can neither hold a secret nor read any other variable
    of the worker's environment."""
    monkeypatch.setenv("CKAN_SECRET_KEY", "not-for-feeds")
    with pytest.raises(ValueError, match=named.replace(".", r"\.")) as raised:
        feed.FeedAuth.from_config({"auth": auth}, owner="disdukcapil-paser")
    assert "not-for-feeds" not in str(raised.value)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty response"),
        (b'{"features": [{"attributes": {"a": 1}}', "truncated JSON"),
        (b'{"error": {"code": 498, "message": "Invalid token"}}', "ArcGIS error 498"),
        (b"[]", "not a JSON object"),
        (b'{"featurez": []}', "no 'features' list"),
    ],
)
def test_malformed_pages(content: bytes, reason: str) -> None:
    with pytest.raises(feed.FeedError, match=reason):
        feed.parse_page(content, "page")


def desa_record(**overrides: Any) -> dict[str, Any]:
    release = sample.generate("2024-S2")
    record = dict(sample.records(release, "desa")[0])
    record.update(overrides)
    return record


def collect(*records: dict[str, Any]) -> RecordCollector:
    collector = RecordCollector(regions.tenant_regions())
    collector.add_records(records, "desa")
    return collector


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nik", "6401044512900001"),
        ("NO_KK", 1),
        ("Nomor Induk Kependudukan", "x"),
        ("keterangan", "ibu 6401044512900001"),
        ("catatan", 6401044512900001),
        ("catatan", "6.40104E+15"),  # Excel's rendering of a 16-digit number
        ("catatan", 6.401044512900001e15),
        ("catatan", "6.40104e+15"),
    ],
)
def test_personal_data_is_a_hard_error(field: str, value: object) -> None:
    data = collect(desa_record(**{field: value})).data
    assert data.semester_rejected
    assert data.issues[0].field == field
    assert str(value) not in data.report() or field.lower() in ("no_kk", "nomor induk kependudukan")


def test_personal_data_rule_is_the_validation_guards() -> None:
    """16 digits that cannot be a NIK (no kecamatan prefix, no birth date) are
    not personal data: records.py asks validation/guard.py."""
    data = collect(desa_record(catatan="9999999999999999")).data
    assert not data.semester_rejected


def test_duplicates_collapse_but_conflicting_ones_are_reported() -> None:
    record = desa_record()
    same = collect(record, {**record, "objectid": 999}).data
    assert same.duplicates_collapsed == 1 and same.issue_count == 0
    other = collect(record, {**record, "objectid": 999, "pria": record["pria"] + 1}).data
    assert "two records for this region with different figures" in other.report()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"no_kel": 9999, "kode_desa_spatial": "6401019999"},
            "64.01.01.9999 kode wilayah: region code not in the region reference list",
        ),
        ({"kode_desa_spatial": "6401012010"}, "does not match no_prop..no_kel"),
        ({"no_kec": "O1"}, "dirty region code: no_kec 'O1'"),
        ({"pria": -5}, "pria: negative count"),
        ({"wanita": "banyak"}, "wanita: not an integer count"),
    ],
)
def test_dirty_unknown_and_invalid_values_are_reported(
    overrides: dict[str, Any], message: str
) -> None:
    data = collect(desa_record(**overrides)).data
    assert message in data.report()
    assert data.semester_rejected


def test_missing_region_and_broken_breakdown_are_reported(feed_server: FeedServer) -> None:
    feed_server.state.faults.reset()
    collector = RecordCollector(regions.tenant_regions())
    release = sample.generate("2024-S2")
    desa = sample.records(release, "desa")
    desa = [r for r in desa if r["kode_desa_spatial"] != "6401041001"]
    desa[0] = {**desa[0], "u0": desa[0]["u0"] + 3}
    collector.add_records(desa, "desa")
    collector.add_records(sample.records(release, "kecamatan"), "kecamatan")
    data = check(collector.data, regions.tenant_regions(), ROOT, ["kecamatan", "desa"])
    report = data.report()
    assert "64.01.04.1001 kode wilayah: region missing from the desa data" in report
    assert "64.01.01.2009 jumlah: sum of the kelompok_umur columns differs from jumlah" in report
    # A family's own problem rejects that family only.
    assert {i.family for i in data.issues if "kelompok_umur" in i.message} == {"kelompok_umur"}


def test_spreadsheet_csv_and_xlsx_read_alike(feed_server: FeedServer) -> None:
    feed_server.state.faults.reset()
    tables = []
    for suffix in ("csv", "xlsx"):
        url = f"{feed_server.base_url}/dkb/2024-S1.{suffix}"
        result = pipeline.process_release(
            Semester.parse("2024-S1"),
            pipeline.spreadsheet_pages(url, settings()),
            regions.tenant_regions(),
            ROOT,
            DEFAULT_FAMILIES,
            ["desa"],
        )
        assert result.data.issue_count == 0, result.data.report()
        tables.append(result.tables)
    assert tables[0] == tables[1]


def test_cumulative_table_orders_semesters_and_refuses_other_columns() -> None:
    family = FAMILIES["jenis_kelamin"]
    s1 = transform.to_csv(family, [["64.01.02", "B", 2024, 1, 1, 1, 2]])
    s2 = transform.to_csv(family, [["64.01.01", "A", 2024, 2, 1, 2, 3]])
    merged = transform.cumulative_csv(family, [s2, s1])
    assert merged.decode().splitlines()[1:] == [
        "64.01.02,B,2024,1,1,1,2",
        "64.01.01,A,2024,2,1,2,3",
    ]
    with pytest.raises(ValueError, match="do not match the standard"):
        transform.cumulative_csv(family, [b"kode,jumlah\n64.01,1\n"])


@pytest.mark.parametrize("family_key", DEFAULT_FAMILIES)
def test_tables_are_valid_against_their_data_standard(
    feed_server: FeedServer, family_key: str
) -> None:
    from importlib import resources

    from frictionless import Resource, Schema

    standard = FAMILIES[family_key].standard
    path = resources.files("ckanext.satudata").joinpath(f"standards/tables/{standard}.json")
    if not path.is_file():
        pytest.skip(f"data standard {standard} not written yet")
    feed_server.state.faults.reset()
    table = run(feed_server).tables[(family_key, "desa")]
    schema = Schema.from_descriptor(json.loads(path.read_text("utf-8")))
    report = Resource(data=table, format="csv", schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]


def test_keys_of_families_not_harvested_may_be_absent() -> None:
    """A feed without the age-by-sex keys still publishes the default families;
    asking for the pyramid family then names each missing key."""
    record = {k: v for k, v in desa_record().items() if not k.endswith(("_l", "_p"))}
    assert not collect(record).data.issues
    pyramid = RecordCollector(regions.tenant_regions(), ["kelompok_umur_jenis_kelamin"])
    pyramid.add(record, "desa")
    assert {issue.field for issue in pyramid.data.issues} >= {"u0_l", "u75_p"}


def test_age_bands_by_sex_must_sum_to_the_sex_totals() -> None:
    """Moving one man from the men's bands to the women's keeps every band and
    the total right, and is still caught: the men's bands no longer sum to pria."""
    release = sample.generate("2024-S2")
    records = [dict(r) for r in sample.records(release, "desa")]
    records[0]["u20_l"] -= 1
    records[0]["u20_p"] += 1
    families = ["kelompok_umur_jenis_kelamin"]
    collector = RecordCollector(regions.tenant_regions(), families)
    collector.add_records(records, "desa")
    data = check(collector.data, regions.tenant_regions(), ROOT, levels=["desa"], families=families)
    code = records[0]["kode_desa_spatial"]
    dotted = f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:]}"
    assert {(i.code, i.field, i.family) for i in data.issues} == {
        (dotted, "laki_laki", "kelompok_umur_jenis_kelamin"),
        (dotted, "perempuan", "kelompok_umur_jenis_kelamin"),
    }
    assert not data.semester_rejected


QUARANTINE = RecordPolicy(QUARANTINE_MODE, 0.5)


def quarantine_collect(*records: dict[str, Any]) -> RecordCollector:
    collector = RecordCollector(regions.tenant_regions(), DEFAULT_FAMILIES, QUARANTINE)
    collector.add_records(records, "desa")
    return collector


def test_quarantine_leaves_out_both_records_of_a_conflict() -> None:
    """Two records of one region with other figures: neither is trusted."""
    record = desa_record()
    data = quarantine_collect(record, {**record, "objectid": 999, "pria": record["pria"] + 1}).data
    assert data.issue_count == 0
    assert [q.label for q in data.quarantined] == ["64.01.01.2009"] * 2
    assert "64.01.01.2009" not in data.rows["desa"]
    third = quarantine_collect(record, {**record, "objectid": 998, "wanita": 0}, record).data
    assert len(third.quarantined) == 3  # a later copy of the first is no more trusted


def test_quarantine_never_covers_personal_data() -> None:
    data = quarantine_collect(desa_record(nik="6401044512900001")).data
    assert data.semester_rejected and data.quarantined == []


def test_a_quarantined_record_without_numbers_leaves_its_parent_unchecked() -> None:
    release = sample.generate("2024-S2")
    desa = [dict(r) for r in sample.records(release, "desa")]
    desa[0]["pria"] = "banyak"
    collector = RecordCollector(regions.tenant_regions(), DEFAULT_FAMILIES, QUARANTINE)
    collector.add_records(desa, "desa")
    collector.add_records(sample.records(release, "kecamatan"), "kecamatan")
    data = check(collector.data, regions.tenant_regions(), ROOT, ["kecamatan", "desa"])
    assert data.issue_count == 0, data.report()
    assert [m.render() for m in data.unchecked] == [
        "64.01.01: 1 count(s) not compared with its desa: a quarantined record does not "
        "carry them as numbers"
    ]


@pytest.mark.parametrize(
    ("services", "layers"),
    [
        (
            {
                "desa": "DKB_DESA/MapServer",
                "kecamatan": "https://x.example/s/DKB_KEC/FeatureServer/2",
            },
            [
                ("kecamatan", "https://x.example/s/DKB_KEC/FeatureServer/2"),
                ("desa", "https://x.example/arcgis/rest/services/DKB_DESA/MapServer/0"),
            ],
        ),
    ],
)
def test_per_level_services(services: dict[str, str], layers: list[tuple[str, str]]) -> None:
    source = feed.per_level_services(services, "https://x.example/arcgis/rest/services")
    assert list(source.layers) == layers
    assert source.service_url("kecamatan") == "https://x.example/s/DKB_KEC/FeatureServer"


def test_a_service_url_that_is_no_arcgis_service_is_refused() -> None:
    with pytest.raises(ValueError, match=r"services\.desa: .* is not an ArcGIS service URL"):
        feed.per_level_services({"desa": "https://x.example/dkb.json"}, "https://x.example/")


def test_arcgis_error_with_a_server_code_is_transient() -> None:
    with pytest.raises(feed.TransientFeedError):
        feed.parse_page(b'{"error": {"code": 500, "message": "Error performing query"}}', "p")
    with pytest.raises(feed.FeedError) as raised:
        feed.parse_page(b'{"error": {"code": 400, "message": "Invalid query"}}', "p")
    assert not isinstance(raised.value, feed.TransientFeedError)
