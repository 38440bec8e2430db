"""The catalogue national harvesters read, judged by the official DCAT-AP
SHACL shapes through pyshacl: /catalog.ttl of the demo portal (served by a
real CKAN) must have no violation of DCAT-AP 3.0.0 (mandatory, ranges,
recommended, controlled vocabularies) and its 2.x form none of DCAT-AP 2.1.1.
The figures (violations and warnings per shape file) are written to
test-output/dcat-ap-conformance.json."""

from __future__ import annotations

import json
from typing import Any

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF, SKOS

from ckanext.satudata.reference import regions, vocabularies
from interop.interop_support import LIVE_LOGS, DemoPortal, Findings, get, shapes_graph, validate

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")

DCAT_AP_3 = "releases/3.0.0/shacl/dcat-ap-SHACL.ttl"
DCAT_AP_3_RECOMMENDED = "releases/3.0.0/html/shacl/shapes_recommended.ttl"
DCAT_AP_3_VOCABULARIES = "releases/3.0.0/html/shacl/mdr-vocabularies.shape.ttl"
DCAT_AP_2 = "releases/2.1.1/dcat-ap_2.1.1_shacl_shapes.ttl"
DCAT_AP_2_RANGE = "releases/2.1.1/dcat-ap_2.1.1_shacl_range.ttl"
DCAT_AP_2_RECOMMENDED = "releases/2.1.1/dcat-ap_2.1.1_shacl_shapes_recommended.ttl"
DCAT_AP_2_VOCABULARIES = "releases/2.1.1/dcat-ap_2.1.1_shacl_mdr-vocabularies.shape.ttl"
FIGURES: dict[str, Any] = {}


def catalog(portal_url: str, query: str = "") -> rdflib.Graph:
    """Every page of /catalog.ttl, as a harvester follows the hydra paging."""
    graph = rdflib.Graph()
    url: str | None = f"{portal_url}/catalog.ttl{query}"
    while url:
        answer = get(url)
        assert answer.status == 200, (url, answer.body[:500])
        page = rdflib.Graph().parse(data=answer.body, format="turtle")
        graph += page
        hydra = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
        following = page.value(None, hydra.nextPage)
        url = str(following) if following else None
    return graph


def record(name: str, findings: Findings) -> None:
    FIGURES[name] = {
        "violations": findings.total("Violation"),
        "warnings": findings.total("Warning"),
        "warnings_by_path": {f"{p} {c}": n for (p, c), n in findings.of("Warning").items()},
    }
    LIVE_LOGS.mkdir(exist_ok=True)
    (LIVE_LOGS / "dcat-ap-conformance.json").write_text(json.dumps(FIGURES, indent=2))


@pytest.fixture(scope="module")
def catalog_3(portal_url: str) -> rdflib.Graph:
    return catalog(portal_url)


def test_catalog_holds_every_public_dataset(catalog_3: rdflib.Graph, demo_portal: DemoPortal):
    public = {d["id"] for d in demo_portal.datasets if not d["private"]}
    assert len(public) >= 15
    listed = {str(ref).rsplit("/", 1)[-1] for ref in catalog_3.subjects(RDF.type, DCAT.Dataset)}
    assert listed == public
    distributions = set(catalog_3.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == sum(
        len(d["resources"]) for d in demo_portal.datasets if not d["private"]
    )


def test_dcat_ap_3_mandatory_and_ranges_no_violation(catalog_3: rdflib.Graph) -> None:
    findings = validate(catalog_3, shapes_graph(DCAT_AP_3))
    record(DCAT_AP_3, findings)
    assert findings.total("Violation") == 0, findings.describe("Violation")
    assert findings.conforms


def test_dcat_ap_3_recommended_no_violation(catalog_3: rdflib.Graph) -> None:
    findings = validate(catalog_3, shapes_graph(DCAT_AP_3_RECOMMENDED))
    record(DCAT_AP_3_RECOMMENDED, findings)
    assert findings.total("Violation") == 0, findings.describe("Violation")
    # What stays a warning is what the SDI metadata does not hold: coordinates
    # of the regions, an end year of open coverages, keywords some OPDs omit.
    allowed = {
        (str(DCAT.bbox), "MinCountConstraintComponent"),
        (str(DCAT.centroid), "MinCountConstraintComponent"),
        (str(DCAT.endDate), "MinCountConstraintComponent"),
        (str(DCAT.keyword), "MinCountConstraintComponent"),
        (str(DCTERMS.description), "MinCountConstraintComponent"),
    }
    assert set(findings.of("Warning")) <= allowed, findings.describe("Warning")


def test_dcat_ap_3_controlled_vocabularies(catalog_3: rdflib.Graph) -> None:
    """Every controlled value is from the vocabulary the shapes name (checksum
    algorithms under https://spdx.org/rdf/terms, as this file's pattern asks,
    typed with the http SPDX class dcat-ap-SHACL.ttl asks for)."""
    findings = validate(catalog_3, shapes_graph(DCAT_AP_3_VOCABULARIES))
    record(DCAT_AP_3_VOCABULARIES, findings)
    assert findings.total("Violation") == 0, findings.describe("Violation")
    # Non-EU concepts where the shapes only warn: our publishers, regions and topics.
    assert {path for path, _ in findings.of("Warning")} <= {
        str(DCTERMS.publisher),
        str(DCTERMS.spatial),
        str(DCAT.theme),
    }


def test_dcat_ap_2_1_1_no_violation(portal_url: str) -> None:
    graph = catalog(portal_url, "?profiles=euro_dcat_ap_2,satudata_sdi_2")
    for path in (DCAT_AP_2, DCAT_AP_2_RANGE, DCAT_AP_2_RECOMMENDED, DCAT_AP_2_VOCABULARIES):
        findings = validate(graph, shapes_graph(path))
        record(path, findings)
        assert findings.total("Violation") == 0, (path, findings.describe("Violation"))


def test_values_the_shapes_require(catalog_3: rdflib.Graph, demo_portal: DemoPortal) -> None:
    """The issue's list, checked on the graph itself."""
    spdx = rdflib.Namespace("http://spdx.org/rdf/terms#")
    for distribution in catalog_3.subjects(RDF.type, DCAT.Distribution):
        fmt = catalog_3.value(distribution, DCTERMS["format"])
        assert str(fmt).startswith("http://publications.europa.eu/resource/authority/file-type/")
        media_type = catalog_3.value(distribution, DCAT.mediaType)
        assert str(media_type).startswith("https://www.iana.org/assignments/media-types/")
        licence = catalog_3.value(distribution, DCTERMS.license)
        assert (licence, RDF.type, DCTERMS.LicenseDocument) in catalog_3
        size = catalog_3.value(distribution, DCAT.byteSize)
        assert size.datatype == rdflib.XSD.nonNegativeInteger
        checksum = catalog_3.value(distribution, spdx.checksum)
        algorithm = catalog_3.value(checksum, spdx.algorithm)
        assert algorithm == rdflib.URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")
        assert (algorithm, RDF.type, spdx.ChecksumAlgorithm) in catalog_3
        assert len(str(catalog_3.value(checksum, spdx.checksumValue))) == 64
    site_topics = {t.value for t in vocabularies.terms("topic")}
    for dataset in catalog_3.subjects(RDF.type, DCAT.Dataset):
        assert (dataset, DCTERMS.license, None) in catalog_3
        themes = {str(t) for t in catalog_3.objects(dataset, DCAT.theme)}
        assert any(t.rsplit("/", 1)[-1] in site_topics and "/skema/topik/" in t for t in themes)
        for location in catalog_3.objects(dataset, DCTERMS.spatial):
            assert "/skema/wilayah/" in str(location)
            assert (location, SKOS.inScheme, None) in catalog_3
    (catalog_ref,) = catalog_3.subjects(RDF.type, DCAT.Catalog)
    assert catalog_3.value(catalog_ref, DCTERMS.language) == rdflib.URIRef(
        "http://publications.europa.eu/resource/authority/language/IND"
    )
    publisher = catalog_3.value(catalog_ref, DCTERMS.publisher)
    assert str(catalog_3.value(publisher, rdflib.FOAF.name)).startswith("Dinas Komunikasi")
    root = regions.tenant_root()
    assert str(catalog_3.value(catalog_ref, DCTERMS.spatial)).endswith(f"/skema/wilayah/{root}")
