"""DCAT export of SDI datasets: produce, parse with rdflib, compare."""

from __future__ import annotations

import json

import pytest
import rdflib
from ckan.tests.helpers import call_action
from ckanext.dcat.processors import RDFParser
from rdflib.namespace import DCTERMS, RDF, SKOS

from ckanext.satudata.catalog.dcat import EU_ACCESS_RIGHT, EU_FREQUENCY, SDI, _sdi_fields

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


@pytest.fixture
def dataset(sysadmin, sdi_dataset) -> dict:
    data = sdi_dataset(
        author_email="data@disdukcapil.paserkab.go.id",
        konsep="Penduduk adalah WNI dan WNA yang berdomisili di wilayah Indonesia.",
        metode_perhitungan="Penjumlahan penduduk terdaftar per kecamatan.",
        indikator_komposit="tidak",
        prioritas_tahun=2024,
    )
    return call_action("package_create", context={"user": sysadmin["name"]}, **data)


def _graph(body: str, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=fmt)


def test_dataset_rdf_carries_every_sdi_field(app, dataset) -> None:
    graph = _graph(app.get(f"/dataset/{dataset['id']}.rdf").body, "xml")
    (ref,) = graph.subjects(RDF.type, DCAT.Dataset)

    assert (ref, DCTERMS.accrualPeriodicity, EU_FREQUENCY.ANNUAL_2) in graph
    assert (ref, DCTERMS.accessRights, EU_ACCESS_RIGHT.PUBLIC) in graph
    spatial = {
        str(graph.value(loc, DCTERMS.identifier)) for loc in graph.objects(ref, DCTERMS.spatial)
    }
    assert spatial == {"64.01.04", "64.01.05"}
    labels = {str(graph.value(loc, SKOS.prefLabel)) for loc in graph.objects(ref, DCTERMS.spatial)}
    assert labels == {"Tanah Grogot", "Kuaro"}
    assert {str(loc) for loc in graph.objects(ref, DCTERMS.spatial)} == {
        "http://test.ckan.net/skema/wilayah/64.01.04",
        "http://test.ckan.net/skema/wilayah/64.01.05",
    }
    (period,) = graph.objects(ref, DCTERMS.temporal)
    assert (str(graph.value(period, DCAT.startDate)), str(graph.value(period, DCAT.endDate))) == (
        "2023",
        "2024",
    )
    assert set(graph.objects(ref, DCAT.theme)) == {
        rdflib.URIRef("http://test.ckan.net/skema/topik/pemerintahan-umum"),
        rdflib.URIRef("http://test.ckan.net/skema/topik/kependudukan"),
        rdflib.URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE"),
    }
    topic = rdflib.URIRef("http://test.ckan.net/skema/topik/pemerintahan-umum")
    assert (topic, RDF.type, SKOS.Concept) in graph
    assert {str(label) for label in graph.objects(topic, SKOS.prefLabel)} == {
        "Pemerintahan Umum",
        "General Government",
    }
    licence = graph.value(ref, DCTERMS.license)
    assert licence == rdflib.URIRef(
        "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    )
    assert (licence, RDF.type, DCTERMS.LicenseDocument) in graph

    sdi_values = {
        str(p).removeprefix(str(SDI)): str(o)
        for p, o in graph.predicate_objects(ref)
        if str(p).startswith(str(SDI))
    }
    for field in _sdi_fields():
        if dataset.get(field) not in (None, "", []):
            assert sdi_values.get(field) == str(dataset[field]), field


def test_round_trip_through_the_dcat_parser(app, sysadmin, dataset) -> None:
    resource = call_action(
        "resource_create",
        context={"user": sysadmin["name"]},
        package_id=dataset["id"],
        url="https://example.org/penduduk-2024.csv",
        format="CSV",
        name="Penduduk 2024 Semester II",
        standar_data="penduduk_jenis_kelamin",
        periode_data="2024 Semester II",
        tahun=2024,
    )
    body = app.get(f"/dataset/{dataset['id']}.ttl").body
    parser = RDFParser(profiles=["euro_dcat_ap_3", "satudata_sdi"])
    parser.parse(body, _format="turtle")
    (parsed,) = list(parser.datasets())

    assert parsed["title"] == dataset["title"]
    assert parsed["kode_wilayah"] == sorted(dataset["kode_wilayah"])
    assert (parsed["tahun_mulai"], parsed["tahun_akhir"]) == (2023, 2024)
    for field in ("accrualPeriodicity", "accessRights", "theme", *_sdi_fields()):
        if dataset.get(field) not in (None, "", []):
            assert parsed[field] == str(dataset[field]), field
    assert parsed["license_id"] == "cc-by"
    (parsed_resource,) = parsed["resources"]
    for field in ("standar_data", "periode_data", "tahun", "format", "name"):
        assert parsed_resource[field] == resource[field], field


def test_a_plain_dcat_ap_3_parser_keeps_the_licence(app, sysadmin, dataset) -> None:
    """A CKAN without our profile matches a distribution's licence by its title."""
    call_action(
        "resource_create",
        context={"user": sysadmin["name"]},
        package_id=dataset["id"],
        url="https://example.org/penduduk-2024.csv",
        format="CSV",
    )
    parser = RDFParser(profiles=["euro_dcat_ap_3"])
    parser.parse(app.get(f"/dataset/{dataset['id']}.ttl").body, _format="turtle")
    (parsed,) = list(parser.datasets())
    assert parsed["license_id"] == "cc-by"


def test_dcat_ap_2_profiles_stay_available(app, dataset) -> None:
    body = app.get(f"/dataset/{dataset['id']}.ttl?profiles=euro_dcat_ap_2,satudata_sdi_2").body
    graph = _graph(body, "turtle")
    (ref,) = graph.subjects(RDF.type, DCAT.Dataset)
    assert (ref, DCTERMS.accrualPeriodicity, EU_FREQUENCY.ANNUAL_2) in graph
    parser = RDFParser(profiles=["euro_dcat_ap_2", "satudata_sdi_2"])
    parser.parse(body, _format="turtle")
    (parsed,) = list(parser.datasets())
    assert parsed["kode_wilayah"] == sorted(dataset["kode_wilayah"])


def test_catalog_jsonld_lists_the_dataset(app, dataset) -> None:
    body = app.get("/catalog.jsonld").body
    graph = _graph(body, "json-ld")
    titles = {
        str(t)
        for ref in graph.subjects(RDF.type, DCAT.Dataset)
        for t in graph.objects(ref, DCTERMS.title)
    }
    assert dataset["title"] in titles
    assert json.loads(body)  # valid JSON, not only valid RDF
