"""SKOS concept schemes the portal publishes, and the outside concepts its
DCAT-AP export points at.

- The SDI topic scheme: the ten national topics and their sub-topics
  (``skos:narrower``), labelled in Indonesian and English, at
  ``{site}/skema/topik`` (a concept: ``{site}/skema/topik/<value>``).
- The Kemendagri region scheme: the tenant's regions (kabupaten, kecamatan,
  desa/kelurahan, with ``skos:broader``) at ``{site}/skema/wilayah`` (a
  concept: ``{site}/skema/wilayah/<dotted code>``).
- Outside concepts (EU Publications Office authorities, ADMS): their IRIs
  from the codes our vocabularies carry, and a description (type, labels,
  scheme) so a validator needs no import to check them.

Pure Python: no CKAN import (rdflib and the reference data only; the site
URL is passed in).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ckanext.satudata.reference import regions, vocabularies

LANGS = ("id", "en")
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
EU_FREQUENCY = Namespace(EU_AUTHORITY + "frequency/")
EU_ACCESS_RIGHT = Namespace(EU_AUTHORITY + "access-right/")
EU_FILE_TYPE = Namespace(EU_AUTHORITY + "file-type/")
EU_LICENCE = Namespace(EU_AUTHORITY + "licence/")
EU_DATA_THEME = Namespace(EU_AUTHORITY + "data-theme/")
EU_LANGUAGE = Namespace(EU_AUTHORITY + "language/")
EU_AVAILABILITY = Namespace(EU_AUTHORITY + "planned-availability/")
ADMS_LICENCE_TYPE = Namespace("http://purl.org/adms/licencetype/")
ADMS_PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
INDONESIAN = EU_LANGUAGE.IND
STABLE = EU_AVAILABILITY.STABLE
LOCAL_AUTHORITY = ADMS_PUBLISHER_TYPE.LocalAuthority


@dataclass(frozen=True)
class Scheme:
    iri: str
    title: str


# Outside schemes by the namespace of their concepts.
_SCHEMES: dict[str, Scheme] = {
    str(EU_FREQUENCY): Scheme(EU_AUTHORITY + "frequency", "Frequency"),
    str(EU_ACCESS_RIGHT): Scheme(EU_AUTHORITY + "access-right", "Access right"),
    str(EU_FILE_TYPE): Scheme(EU_AUTHORITY + "file-type", "File type"),
    str(EU_LICENCE): Scheme(EU_AUTHORITY + "licence", "Licence"),
    str(EU_DATA_THEME): Scheme(EU_AUTHORITY + "data-theme", "Data theme"),
    str(EU_LANGUAGE): Scheme(EU_AUTHORITY + "language", "Language"),
    str(EU_AVAILABILITY): Scheme(EU_AUTHORITY + "planned-availability", "Planned availability"),
    str(ADMS_LICENCE_TYPE): Scheme(str(ADMS_LICENCE_TYPE) + "1.0", "ADMS licence type"),
    str(ADMS_PUBLISHER_TYPE): Scheme(str(ADMS_PUBLISHER_TYPE) + "1.0", "ADMS publisher type"),
}


# Our own schemes -----------------------------------------------------------


def topic_scheme_iri(site: str) -> URIRef:
    return URIRef(f"{site}/skema/topik")


def topic_iri(site: str, value: str) -> URIRef:
    return URIRef(f"{site}/skema/topik/{value}")


def region_scheme_iri(site: str) -> URIRef:
    return URIRef(f"{site}/skema/wilayah")


def region_iri(site: str, code: str) -> URIRef:
    return URIRef(f"{site}/skema/wilayah/{code}")


def _labels(graph: Graph, subject: URIRef, labels: dict[str, str]) -> None:
    for lang in LANGS:
        if labels.get(lang):
            graph.add((subject, SKOS.prefLabel, Literal(labels[lang], lang=lang)))


def describe_topic_scheme_header(graph: Graph, site: str) -> URIRef:
    scheme = topic_scheme_iri(site)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal("Topik Satu Data Indonesia", lang="id")))
    graph.add((scheme, DCTERMS.title, Literal("Satu Data Indonesia topics", lang="en")))
    return scheme


def describe_topic(graph: Graph, site: str, value: str) -> URIRef | None:
    """A topic or sub-topic concept (with its place in the hierarchy); None
    when ``value`` is neither."""
    scheme = describe_topic_scheme_header(graph, site)
    for topic in vocabularies.terms("topic"):
        found = topic if topic.value == value else None
        parent = None
        if found is None:
            found = next((sub for sub in topic.children if sub.value == value), None)
            parent = topic if found is not None else None
        if found is None:
            continue
        concept = topic_iri(site, found.value)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.notation, Literal(found.value)))
        _labels(graph, concept, found.labels)
        if parent is None:
            graph.add((concept, SKOS.topConceptOf, scheme))
            graph.add((scheme, SKOS.hasTopConcept, concept))
            for sub in found.children:
                graph.add((concept, SKOS.narrower, topic_iri(site, sub.value)))
        else:
            graph.add((concept, SKOS.broader, topic_iri(site, parent.value)))
        return concept
    return None


def topic_scheme(site: str) -> Graph:
    """The whole SDI topic scheme."""
    graph = _graph()
    for topic in vocabularies.terms("topic"):
        describe_topic(graph, site, topic.value)
        for sub in topic.children:
            describe_topic(graph, site, sub.value)
    return graph


def topic_scheme_graph_for(site: str, value: str) -> Graph | None:
    """One topic or sub-topic concept (None when ``value`` is neither)."""
    graph = _graph()
    return graph if describe_topic(graph, site, value) is not None else None


def describe_region_scheme_header(graph: Graph, site: str) -> URIRef:
    scheme = region_scheme_iri(site)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal("Kode Wilayah Kemendagri", lang="id")))
    graph.add((scheme, DCTERMS.title, Literal("Kemendagri region codes", lang="en")))
    return scheme


def describe_region(graph: Graph, site: str, region: regions.Region) -> URIRef:
    scheme = describe_region_scheme_header(graph, site)
    concept = region_iri(site, region.code)
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, RDF.type, DCTERMS.Location))
    graph.add((concept, SKOS.inScheme, scheme))
    graph.add((concept, SKOS.notation, Literal(region.code)))
    graph.add((concept, DCTERMS.identifier, Literal(region.code)))
    graph.add((concept, SKOS.prefLabel, Literal(region.name, lang="id")))
    if region.code == regions.tenant_root():
        graph.add((concept, SKOS.topConceptOf, scheme))
        graph.add((scheme, SKOS.hasTopConcept, concept))
    elif region.parent:
        graph.add((concept, SKOS.broader, region_iri(site, region.parent)))
    return concept


def region_scheme(site: str, extra: Iterable[regions.Region] = ()) -> Graph:
    """The tenant's regions (plus ``extra`` ones, e.g. loaded from the national list)."""
    graph = _graph()
    describe_region_scheme_header(graph, site)
    for region in (*regions.tenant_regions().values(), *extra):
        describe_region(graph, site, region)
    return graph


# Outside concepts --------------------------------------------------------------


@functools.cache
def _outside_labels() -> dict[str, dict[str, str]]:
    """Labels of every outside concept our vocabularies point at, by IRI."""
    found: dict[str, dict[str, str]] = {}
    for vocabulary, namespace, key in (
        ("frequency", EU_FREQUENCY, "dcat"),
        ("classification", EU_ACCESS_RIGHT, "dcat"),
        ("file_format", EU_FILE_TYPE, "eu"),
        ("licence", EU_LICENCE, "eu"),
    ):
        for term in vocabularies.terms(vocabulary):
            if term.extra.get(key):
                found[str(namespace[term.extra[key]])] = term.labels
    for term in vocabularies.terms("external_concept"):
        found[str(term.extra["iri"])] = term.labels
    return found


def describe_outside(graph: Graph, iri: URIRef) -> URIRef:
    """Type, label and scheme of an outside concept (the scheme typed and
    titled too: the shapes check the scheme of controlled vocabularies)."""
    graph.add((iri, RDF.type, SKOS.Concept))
    _labels(graph, iri, _outside_labels().get(str(iri), {}))
    namespace = str(iri)[: str(iri).rstrip("/").rfind("/") + 1]
    scheme = _SCHEMES.get(namespace)
    if scheme is not None:
        scheme_ref = URIRef(scheme.iri)
        graph.add((iri, SKOS.inScheme, scheme_ref))
        graph.add((scheme_ref, RDF.type, SKOS.ConceptScheme))
        graph.add((scheme_ref, DCTERMS.title, Literal(scheme.title, lang="en")))
    return iri


def frequency_iri(value: str | None) -> URIRef | None:
    term = vocabularies.get("frequency", value)
    return EU_FREQUENCY[term.extra["dcat"]] if term is not None else None


def access_right_iri(value: str | None) -> URIRef | None:
    term = vocabularies.get("classification", value)
    return EU_ACCESS_RIGHT[term.extra["dcat"]] if term is not None else None


def eu_theme_iri(topic: str | None) -> URIRef | None:
    term = vocabularies.get("topic", topic)
    code = term.extra.get("eu_theme") if term is not None else None
    return EU_DATA_THEME[code] if code else None


def file_format(fmt: str | None) -> vocabularies.Term | None:
    """The file_format term of a resource format (case-insensitive, leading dot ignored)."""
    return vocabularies.get("file_format", (fmt or "").strip().lower().lstrip(".") or None)


def file_format_of_file_type(iri: str) -> vocabularies.Term | None:
    """The file_format term of an EU file-type IRI (the MQA reads formats so)."""
    code = iri.removeprefix(str(EU_FILE_TYPE))
    return next((t for t in vocabularies.terms("file_format") if t.extra.get("eu") == code), None)


def file_type_iri(fmt: str | None) -> URIRef | None:
    term = file_format(fmt)
    return EU_FILE_TYPE[term.extra["eu"]] if term is not None and term.extra.get("eu") else None


def media_type_iri(fmt: str | None) -> URIRef | None:
    term = file_format(fmt)
    media_type = term.extra.get("media_type") if term is not None else None
    return URIRef(IANA_MEDIA_TYPE + media_type) if media_type else None


def licence_iri(licence_id: str | None, register_url: str | None = None) -> URIRef | None:
    """The EU licence authority IRI of a CKAN licence, else its register URL."""
    term = vocabularies.get("licence", licence_id)
    if term is not None and term.extra.get("eu"):
        return EU_LICENCE[term.extra["eu"]]
    return URIRef(register_url) if register_url else None


def licence_type_iri(licence_id: str | None) -> URIRef:
    term = vocabularies.get("licence", licence_id)
    return ADMS_LICENCE_TYPE[term.extra.get("adms", "UnknownIPR") if term else "UnknownIPR"]


def licence_of_iri(iri: str) -> str | None:
    """The CKAN licence id of an EU licence IRI (the parse direction)."""
    for term in vocabularies.terms("licence"):
        if term.extra.get("eu") and str(EU_LICENCE[term.extra["eu"]]) == iri:
            return term.value
    return None


def _graph() -> Graph:
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    return graph
