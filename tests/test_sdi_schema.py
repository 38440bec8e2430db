"""SDI metadata through the action API on the real stack (CKAN + Solr)."""

from __future__ import annotations

import pytest
from ckan.logic import ValidationError
from ckan.tests.helpers import call_action

from ckanext.satudata.reference import vocabularies

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _create(sysadmin: dict, data: dict) -> dict:
    return call_action("package_create", context={"user": sysadmin["name"]}, **data)


def _errors(sysadmin: dict, data: dict, action: str = "package_create") -> dict:
    with pytest.raises(ValidationError) as caught:
        call_action(action, context={"user": sysadmin["name"]}, **data)
    return caught.value.error_dict


def test_complete_dataset_round_trip(sysadmin, opd, sdi_dataset) -> None:
    created = _create(
        sysadmin, sdi_dataset(kode_wilayah="6401040000".replace("0000", "") + ",64.01.05")
    )
    shown = call_action("package_show", id=created["id"])

    assert shown["kode_wilayah"] == ["64.01.04", "64.01.05"]  # undotted input normalised
    assert shown["tahun_mulai"] == 2023 or shown["tahun_mulai"] == "2023"
    assert shown["author"] == opd["title"]  # Produsen Data defaults to the OPD
    assert shown["maintainer"].startswith("Dinas Komunikasi")  # configured Walidata
    assert shown["publisher_type"] == "daerah-kabupaten"
    for field in (
        "theme",
        "subtopik",
        "jenis",
        "accessRights",
        "accrualPeriodicity",
        "periode",
        "tingkat_wilayah",
        "satuan",
        "ukuran",
        "sumber",
        "klasifikasi",
        "id_sds",
    ):
        assert shown[field] == sdi_dataset()[field], field
    assert shown["private"] is False


@pytest.mark.parametrize(
    ("fq", "facet_field", "expected_display"),
    [
        ('theme:"pemerintahan-umum"', "theme", "Pemerintahan Umum"),
        ('accrualPeriodicity:"semesteran"', "accrualPeriodicity", "Semesteran"),
        ('vocab_kode_wilayah:"64.01.04"', "vocab_kode_wilayah", "Tanah Grogot (64.01.04)"),
        ('vocab_tahun:"2024"', "vocab_tahun", "2024"),
        ('accessRights:"terbuka"', "accessRights", "Terbuka"),
        ('jenis:"statistik"', "jenis", "Statistik"),
        ('organization:"diskominfo-paser"', "organization", None),
    ],
)
def test_found_by_each_facet(
    sysadmin, opd, make_opd, sdi_dataset, fq, facet_field, expected_display
) -> None:
    wanted = _create(sysadmin, sdi_dataset())
    _create(
        sysadmin,
        sdi_dataset(
            name="produksi-padi-2019",
            title="Produksi Padi 2019",
            theme="ekonomi-industri",
            subtopik="pertanian",
            accrualPeriodicity="tahunan",
            periode="tahun",
            tahun_mulai=2019,
            tahun_akhir=2019,
            accessRights="terbatas",
            jenis="keuangan",
            tingkat_wilayah="desa",
            kode_wilayah=["64.01.01.2009"],
            satuan="ton",
            owner_org=make_opd("distan-paser", "Dinas Pertanian Kabupaten Paser")["id"],
        ),
    )

    result = call_action(
        "package_search",
        context={"user": sysadmin["name"]},
        include_private=True,
        fq=fq,
        **{"facet.field": f'["{facet_field}"]'},
    )

    assert [d["name"] for d in result["results"]] == [wanted["name"]]
    items = result["search_facets"][facet_field]["items"]
    if expected_display:
        assert {"name": items[0]["name"], "display_name": expected_display} == {
            k: items[0][k] for k in ("name", "display_name")
        }


def test_region_facet_includes_ancestors(sysadmin, sdi_dataset) -> None:
    """A dataset about kecamatan or desa is also found under Kabupaten Paser."""
    kecamatan = _create(sysadmin, sdi_dataset())
    desa = _create(
        sysadmin,
        sdi_dataset(name="desa-samurangau", tingkat_wilayah="desa", kode_wilayah=["6401012009"]),
    )
    result = call_action(
        "package_search",
        fq='vocab_kode_wilayah:"64.01"',
        **{"facet.field": '["vocab_kode_wilayah"]'},
    )
    assert {d["id"] for d in result["results"]} == {kecamatan["id"], desa["id"]}
    names = {
        i["name"]: i["display_name"] for i in result["search_facets"]["vocab_kode_wilayah"]["items"]
    }
    assert names["64.01"] == "Kabupaten Paser (64.01)"
    assert names["64.01.01.2009"] == "Samurangau (64.01.01.2009)"
    assert "64" not in names  # provinces are indexed only when a dataset names one


def test_search_page_offers_sdi_facets(app, sysadmin, sdi_dataset) -> None:
    _create(sysadmin, sdi_dataset())
    page = app.get("/dataset/").body
    for title in ("Topik", "Jadwal Pemutakhiran", "Kode Wilayah (Kemendagri)", "Klasifikasi Data"):
        assert title in page
    assert "Tanah Grogot (64.01.04)" in page


def test_search_page_facet_links_keep_the_query_and_drop_the_page(
    app, sysadmin, sdi_dataset
) -> None:
    """Facet links are built from the page's URL looked up once
    (package/snippets/search_facets.html): CKAN's links, the query kept, the
    page number dropped, the active item's link removing it."""
    _create(sysadmin, sdi_dataset())
    page = app.get("/dataset/?theme=pemerintahan-umum&q=penduduk&page=1").body
    assert (
        'href="/dataset/?theme=pemerintahan-umum&amp;q=penduduk&amp;accessRights=terbuka"' in page
    )
    assert 'href="/dataset/?q=penduduk"' in page  # the active topic's "remove" link

    organization_page = app.get("/organization/diskominfo-paser?theme=pemerintahan-umum").body
    assert (
        'href="/organization/diskominfo-paser?theme=pemerintahan-umum&amp;accessRights=terbuka"'
        in organization_page
    )


REQUIRED = [
    "title",
    "notes",
    "theme",
    "jenis",
    "accessRights",
    "accrualPeriodicity",
    "tahun_mulai",
    "tingkat_wilayah",
    "kode_wilayah",
    "satuan",
    "owner_org",
]


@pytest.mark.parametrize("field", REQUIRED)
def test_required_field_missing(sysadmin, sdi_dataset, field) -> None:
    errors = _errors(sysadmin, sdi_dataset(**{field: None}))
    assert field in errors, errors


@pytest.mark.parametrize(
    ("overrides", "field", "message_part"),
    [
        ({"kode_wilayah": ["64-01-04"]}, "kode_wilayah", "is not a Kemendagri region code"),
        (
            {"kode_wilayah": ["64.01.99"]},
            "kode_wilayah",
            "64.01.99 is not in the region reference list",
        ),
        (
            {"kode_wilayah": ["64.01"]},
            "kode_wilayah",
            "is a kabupaten code, but the region level is kecamatan",
        ),
        ({"tahun_mulai": 1800}, "tahun_mulai", "Year must be between 1945"),
        ({"tahun_mulai": "dua ribu"}, "tahun_mulai", "Must be a year"),
        ({"tahun_mulai": 2024, "tahun_akhir": 2020}, "tahun_akhir", "before the first year 2024"),
        ({"periode": "bulan"}, "periode", "does not fit the update schedule 'semesteran'"),
        ({"subtopik": "pertanian"}, "subtopik", "belongs to topic 'ekonomi-industri'"),
        ({"accrualPeriodicity": "kadang-kadang"}, "accrualPeriodicity", "unexpected choice"),
        ({"satuan": "ekor gajah"}, "satuan", "unexpected choice"),
    ],
)
def test_validators_reject_bad_input(sysadmin, sdi_dataset, overrides, field, message_part) -> None:
    errors = _errors(sysadmin, sdi_dataset(**overrides))
    assert any(message_part in message for message in errors.get(field, [])), errors


@pytest.mark.parametrize("classification", ["terbatas", "tertutup"])
def test_restricted_dataset_is_forced_private(sysadmin, sdi_dataset, classification) -> None:
    created = _create(sysadmin, sdi_dataset(accessRights=classification))
    assert created["private"] is True

    errors = _errors(sysadmin, {"id": created["id"], "private": False}, action="package_patch")
    assert "must stay private" in errors["accessRights"][0]
    assert call_action("package_show", id=created["id"])["private"] is True


def test_restricted_dataset_cannot_be_created_public(sysadmin, sdi_dataset) -> None:
    errors = _errors(sysadmin, sdi_dataset(accessRights="terbatas", private=False))
    assert "cannot be made public" in errors["accessRights"][0]


def test_bulk_make_public_refuses_restricted(sysadmin, opd, sdi_dataset) -> None:
    closed = _create(sysadmin, sdi_dataset(accessRights="tertutup"))
    with pytest.raises(ValidationError, match="cannot be made public"):
        call_action(
            "bulk_update_public",
            context={"user": sysadmin["name"]},
            datasets=[closed["id"]],
            org_id=opd["id"],
        )
    assert call_action("package_show", id=closed["id"])["private"] is True


OPD = {
    "name": "dinkes-paser",
    "title": "Dinas Kesehatan Kabupaten Paser",
    "kode_opd": "1.02.0.00.0.00.01.0000",
    "peran": "produsen_data",
    "urusan": ["1.02"],
    "email": "dinkes@paserkab.go.id",
    "telepon": "(0543) 21430",
}


def test_organization_schema_accepts_complete_opd(sysadmin) -> None:
    org = call_action("organization_create", context={"user": sysadmin["name"]}, **OPD)
    shown = call_action("organization_show", id=org["id"])
    assert (shown["kode_opd"], shown["peran"], shown["urusan"]) == (
        OPD["kode_opd"],
        "produsen_data",
        ["1.02"],
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kode_opd": None}, "kode_opd"),
        ({"kode_opd": "DINKES-01"}, "kode_opd"),
        ({"peran": None}, "peran"),
        ({"peran": "penonton"}, "peran"),
        ({"urusan": ["9.99"]}, "urusan"),
        ({"email": None}, "email"),
        ({"telepon": "call me"}, "telepon"),
    ],
)
def test_organization_schema_enforces_opd_fields(sysadmin, overrides, field) -> None:
    data = {k: v for k, v in {**OPD, **overrides}.items() if v is not None}
    with pytest.raises(ValidationError) as caught:
        call_action("organization_create", context={"user": sysadmin["name"]}, **data)
    assert field in caught.value.error_dict


def test_topic_group_names_follow_the_vocabulary(sysadmin) -> None:
    call_action(
        "group_create",
        context={"user": sysadmin["name"]},
        name="pendidikan-tenaga-kerja",
        title="Pendidikan & Tenaga Kerja",
    )
    with pytest.raises(ValidationError) as caught:
        call_action(
            "group_create",
            context={"user": sysadmin["name"]},
            name="olahraga-ekstrem",
            title="Olahraga",
        )
    assert "national topic code" in caught.value.error_dict["name"][0]


def test_schema_show_reflects_vocabularies(app) -> None:
    schema = call_action("scheming_dataset_schema_show", type="dataset")
    fields = {f["field_name"]: f for f in schema["dataset_fields"]}
    assert set(REQUIRED) <= set(fields)
    # Choices come from the vocabulary file, resolved for API users.
    for field, vocabulary in (
        ("accrualPeriodicity", "frequency"),
        ("accessRights", "classification"),
        ("satuan", "unit"),
    ):
        assert [c["value"] for c in fields[field]["choices"]] == vocabularies.values(vocabulary)
    frequency = {c["value"]: c["label"] for c in fields["accrualPeriodicity"]["choices"]}
    assert frequency["semesteran"] == {"id": "Semesteran", "en": "Half-yearly"}
    assert {c["value"] for c in fields["subtopik"]["choices"]} == {
        t.value for t in vocabularies.subtopics()
    }
    # ... over HTTP too (a GET: the chained action stays side-effect free).
    over_http = app.get("/api/3/action/scheming_organization_schema_show?type=organization").json
    org_fields = {f["field_name"]: f for f in over_http["result"]["fields"]}
    assert [c["value"] for c in org_fields["urusan"]["choices"]] == vocabularies.values("urusan")


def test_dataset_joins_the_group_of_its_topic(sysadmin, sdi_dataset) -> None:
    def context() -> dict:  # CKAN actions write into their context: never share one
        return {"user": sysadmin["name"]}

    for topic in ("pemerintahan-umum", "ekonomi-industri"):
        call_action("group_create", context=context(), name=topic, title=topic)
    created = call_action("package_create", context=context(), **sdi_dataset())
    assert [g["name"] for g in call_action("package_show", id=created["id"])["groups"]] == [
        "pemerintahan-umum"
    ]

    call_action(
        "package_patch",
        context=context(),
        id=created["id"],
        theme="ekonomi-industri",
        subtopik="pertanian",
    )

    assert [g["name"] for g in call_action("package_show", id=created["id"])["groups"]] == [
        "ekonomi-industri"
    ]
    found = call_action("package_search", fq='groups:"ekonomi-industri"')
    assert [d["id"] for d in found["results"]] == [created["id"]]
