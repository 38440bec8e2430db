"""The SKOS concept schemes the portal serves: every theme and region IRI of
the DCAT export resolves to its concept, in Indonesian and English."""

from __future__ import annotations

import rdflib
from rdflib.namespace import DCTERMS, RDF, SKOS

from ckanext.satudata.reference import regions, vocabularies
from interop.interop_support import get, shapes_graph, validate

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def _graph(url: str, accept: str | None = None, fmt: str = "turtle") -> rdflib.Graph:
    answer = get(url, {"Accept": accept} if accept else None)
    assert answer.status == 200, (url, answer.status, answer.body[:300])
    return rdflib.Graph().parse(data=answer.body, format=fmt)


def test_topic_scheme_lists_topics_and_subtopics_in_two_languages(portal_url: str) -> None:
    graph = _graph(f"{portal_url}/skema/topik.ttl")
    scheme = rdflib.URIRef(f"{portal_url}/skema/topik")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    tops = set(graph.objects(scheme, SKOS.hasTopConcept))
    assert {str(t).rsplit("/", 1)[-1] for t in tops} == set(vocabularies.values("topic"))
    kependudukan = rdflib.URIRef(f"{portal_url}/skema/topik/kependudukan")
    assert graph.value(kependudukan, SKOS.broader) == rdflib.URIRef(
        f"{portal_url}/skema/topik/pemerintahan-umum"
    )
    labels = {(str(v), v.language) for v in graph.objects(kependudukan, SKOS.prefLabel)}
    assert labels == {("Kependudukan", "id"), ("Population", "en")}
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == len(vocabularies.terms("topic")) + len(vocabularies.subtopics())
    findings = validate(graph, shapes_graph("releases/3.0.0/shacl/dcat-ap-SHACL.ttl"))
    assert findings.total("Violation") == 0, findings.describe("Violation")


def test_schemes_in_every_rdf_format(portal_url: str) -> None:
    as_json = _graph(f"{portal_url}/skema/wilayah", "application/ld+json", "json-ld")
    as_xml = _graph(f"{portal_url}/skema/wilayah.rdf", fmt="xml")
    assert len(as_json) == len(as_xml) > 0
    tenant = regions.tenant_regions()
    codes = {str(v) for v in as_xml.objects(None, SKOS.notation)}
    assert codes == set(tenant)
    tanah_grogot = rdflib.URIRef(f"{portal_url}/skema/wilayah/64.01.04")
    assert as_xml.value(tanah_grogot, SKOS.broader) == rdflib.URIRef(
        f"{portal_url}/skema/wilayah/64.01"
    )


def test_every_concept_the_catalogue_uses_resolves(portal_url: str) -> None:
    catalog = _graph(f"{portal_url}/catalog.ttl")
    used = {
        str(o)
        for p in (DCAT.theme, DCTERMS.spatial)
        for o in catalog.objects(None, p)
        if str(o).startswith(portal_url)
    }
    assert any("/skema/topik/" in iri for iri in used)
    assert any("/skema/wilayah/" in iri for iri in used)
    for iri in sorted(used):
        concept = _graph(iri)
        ref = rdflib.URIRef(iri)
        assert (ref, RDF.type, SKOS.Concept) in concept, iri
        assert concept.value(ref, SKOS.prefLabel) is not None, iri


def test_unknown_concepts_are_not_found(portal_url: str) -> None:
    for path in ("/skema/topik/bukan-topik", "/skema/wilayah/64.99.99", "/skema/lain"):
        answer = get(portal_url + path)
        assert answer.status == 404, path
        assert answer.body.strip()
