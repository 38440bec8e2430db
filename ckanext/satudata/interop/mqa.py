"""data.europa.eu's Metadata Quality Assessment (MQA), computed on our own
DCAT-AP output: the points a national or European harvester would give a
dataset's record, with the rules written once (``INDICATORS``).

Five dimensions, 405 points: findability (100), accessibility (100),
interoperability (110), reusability (75), contextuality (20); rating
Excellent 351-405, Good 221-350, Sufficient 121-220, Bad 0-120.

Indicators on distributions earn their points in proportion to the share of
the dataset's distributions that meet them (a dataset without distributions
earns none of them). "DCAT-AP compliance" is the mandatory-property and class
check of DCAT-AP 3.0.0 for the properties we use (``compliance_problems``);
tests/interop/test_mqa.py holds it against the official SHACL shapes.
Accessibility is asked of a caller-given function (``Reachable``): the CKAN
side knows which URLs are our own stored files.

Pure Python: no CKAN import (rdflib, the reference vocabularies and concepts).
The quality-score work (issue 16) builds on ``assess``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ckanext.satudata.interop import concepts

DCAT = Namespace("http://www.w3.org/ns/dcat#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")

# Whether a URL answers (True), does not (False) or was not checked (None).
Reachable = Callable[[str], bool | None]

FINDABILITY = "findability"
ACCESSIBILITY = "accessibility"
INTEROPERABILITY = "interoperability"
REUSABILITY = "reusability"
CONTEXTUALITY = "contextuality"
DIMENSIONS = (FINDABILITY, ACCESSIBILITY, INTEROPERABILITY, REUSABILITY, CONTEXTUALITY)
RATINGS = ((351, "excellent"), (221, "good"), (121, "sufficient"), (0, "bad"))


@dataclass(frozen=True)
class Subject:
    """What an indicator looks at: the dataset or one of its distributions."""

    graph: Graph
    node: Node
    reachable: Reachable

    def values(self, predicate: URIRef) -> list[Node]:
        return list(self.graph.objects(self.node, predicate))

    def has(self, predicate: URIRef) -> bool:
        return (self.node, predicate, None) in self.graph


@dataclass(frozen=True)
class Indicator:
    key: str
    dimension: str
    prop: str  # the DCAT property, as the MQA names it
    weight: int
    on_distributions: bool
    test: Callable[[Subject], bool]


def _present(predicate: URIRef) -> Callable[[Subject], bool]:
    return lambda s: s.has(predicate)


def _in_namespace(predicate: URIRef, namespace: str) -> Callable[[Subject], bool]:
    return lambda s: any(str(v).startswith(namespace) for v in s.values(predicate))


def _urls_answer(predicate: URIRef) -> Callable[[Subject], bool]:
    def test(s: Subject) -> bool:
        urls = [str(v) for v in s.values(predicate) if isinstance(v, URIRef)]
        return bool(urls) and all(s.reachable(url) is True for url in urls)

    return test


def _file_format_flag(flag: str) -> Callable[[Subject], bool]:
    """The distribution's EU file type is one the MQA lists as ``flag``."""

    def test(s: Subject) -> bool:
        for fmt in s.values(DCTERMS["format"]):
            term = concepts.file_format_of_file_type(str(fmt))
            if term is not None and term.extra.get(flag):
                return True
        return False

    return test


def _vocabulary_format(s: Subject) -> bool:
    return _in_namespace(DCTERMS["format"], str(concepts.EU_FILE_TYPE))(s) or _in_namespace(
        DCAT.mediaType, concepts.IANA_MEDIA_TYPE
    )(s)


def _compliant(s: Subject) -> bool:
    return not compliance_problems(s.graph, s.node)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("keyword", FINDABILITY, "dcat:keyword", 30, False, _present(DCAT.keyword)),
    Indicator("theme", FINDABILITY, "dcat:theme", 30, False, _present(DCAT.theme)),
    Indicator("spatial", FINDABILITY, "dct:spatial", 20, False, _present(DCTERMS.spatial)),
    Indicator("temporal", FINDABILITY, "dct:temporal", 20, False, _present(DCTERMS.temporal)),
    Indicator(
        "access_url_status", ACCESSIBILITY, "dcat:accessURL", 50, True, _urls_answer(DCAT.accessURL)
    ),
    Indicator(
        "download_url", ACCESSIBILITY, "dcat:downloadURL", 20, True, _present(DCAT.downloadURL)
    ),
    Indicator(
        "download_url_status",
        ACCESSIBILITY,
        "dcat:downloadURL",
        30,
        True,
        _urls_answer(DCAT.downloadURL),
    ),
    Indicator("format", INTEROPERABILITY, "dct:format", 20, True, _present(DCTERMS["format"])),
    Indicator("media_type", INTEROPERABILITY, "dcat:mediaType", 10, True, _present(DCAT.mediaType)),
    Indicator(
        "format_vocabulary",
        INTEROPERABILITY,
        "dct:format, dcat:mediaType",
        10,
        True,
        _vocabulary_format,
    ),
    Indicator(
        "non_proprietary", INTEROPERABILITY, "dct:format", 20, True, _file_format_flag("open")
    ),
    Indicator(
        "machine_readable",
        INTEROPERABILITY,
        "dct:format",
        20,
        True,
        _file_format_flag("machine_readable"),
    ),
    Indicator("dcat_ap_compliance", INTEROPERABILITY, "DCAT-AP", 30, False, _compliant),
    Indicator("licence", REUSABILITY, "dct:license", 20, True, _present(DCTERMS.license)),
    Indicator(
        "licence_vocabulary",
        REUSABILITY,
        "dct:license",
        10,
        True,
        _in_namespace(DCTERMS.license, str(concepts.EU_LICENCE)),
    ),
    Indicator(
        "access_rights", REUSABILITY, "dct:accessRights", 10, False, _present(DCTERMS.accessRights)
    ),
    Indicator(
        "access_rights_vocabulary",
        REUSABILITY,
        "dct:accessRights",
        5,
        False,
        _in_namespace(DCTERMS.accessRights, str(concepts.EU_ACCESS_RIGHT)),
    ),
    Indicator(
        "contact_point", REUSABILITY, "dcat:contactPoint", 20, False, _present(DCAT.contactPoint)
    ),
    Indicator("publisher", REUSABILITY, "dct:publisher", 10, False, _present(DCTERMS.publisher)),
    Indicator("rights", CONTEXTUALITY, "dct:rights", 5, True, _present(DCTERMS.rights)),
    Indicator("byte_size", CONTEXTUALITY, "dcat:byteSize", 5, True, _present(DCAT.byteSize)),
    Indicator("issued", CONTEXTUALITY, "dct:issued", 5, True, _present(DCTERMS.issued)),
    Indicator("modified", CONTEXTUALITY, "dct:modified", 5, True, _present(DCTERMS.modified)),
)
MAX_POINTS = sum(i.weight for i in INDICATORS)


# DCAT-AP 3.0.0 compliance: mandatory properties, and the class each value of
# the properties we use must have (the sh:class constraints of dcat-ap-SHACL.ttl).
_DATASET_MANDATORY = (DCTERMS.title, DCTERMS.description)
_DISTRIBUTION_MANDATORY = (DCAT.accessURL,)
_DATASET_CLASSES = {
    DCAT.theme: SKOS.Concept,
    DCTERMS.accessRights: DCTERMS.RightsStatement,
    DCTERMS.accrualPeriodicity: DCTERMS.Frequency,
    DCAT.contactPoint: VCARD.Kind,
    DCTERMS.publisher: FOAF.Agent,
    DCTERMS.spatial: DCTERMS.Location,
    DCTERMS.temporal: DCTERMS.PeriodOfTime,
    DCTERMS.conformsTo: DCTERMS.Standard,
    DCTERMS.language: DCTERMS.LinguisticSystem,
    DCAT.landingPage: FOAF.Document,
    DCAT.distribution: DCAT.Distribution,
}
_DISTRIBUTION_CLASSES = {
    DCTERMS["format"]: DCTERMS.MediaTypeOrExtent,
    DCAT.mediaType: DCTERMS.MediaType,
    DCTERMS.license: DCTERMS.LicenseDocument,
    DCAT.accessURL: RDFS.Resource,
    DCAT.downloadURL: RDFS.Resource,
    DCTERMS.conformsTo: DCTERMS.Standard,
    SPDX.checksum: SPDX.Checksum,
}
# Classes whose instances the shapes require a label of.
_LABELLED = {SKOS.Concept: SKOS.prefLabel, FOAF.Agent: FOAF.name}


def compliance_problems(graph: Graph, dataset: Node) -> list[str]:
    """What keeps the dataset's record from DCAT-AP 3.0.0 compliance, e.g.
    ``"dcat:theme <…>: not a skos:Concept"``; empty when compliant."""
    problems: list[str] = []

    def name(node: Node) -> str:
        return graph.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node)

    def check(subject: Node, mandatory: Iterable[URIRef], classes: dict[URIRef, URIRef]) -> None:
        for predicate in mandatory:
            if (subject, predicate, None) not in graph:
                problems.append(f"{name(subject)}: {name(predicate)} missing")
        for predicate, cls in classes.items():
            for value in graph.objects(subject, predicate):
                if isinstance(value, Literal) or (value, RDF.type, cls) not in graph:
                    problems.append(f"{name(predicate)} {name(value)}: not a {name(cls)}")
                    continue
                label = _LABELLED.get(cls)
                if label is not None and (value, label, None) not in graph:
                    problems.append(f"{name(predicate)} {name(value)}: {name(label)} missing")

    check(dataset, _DATASET_MANDATORY, _DATASET_CLASSES)
    for distribution in graph.objects(dataset, DCAT.distribution):
        check(distribution, _DISTRIBUTION_MANDATORY, _DISTRIBUTION_CLASSES)
        for size in graph.objects(distribution, DCAT.byteSize):
            if not isinstance(size, Literal) or size.datatype != XSD.nonNegativeInteger:
                problems.append(f"dcat:byteSize {size}: not an xsd:nonNegativeInteger")
        for checksum in graph.objects(distribution, SPDX.checksum):
            if (checksum, SPDX.algorithm, None) not in graph:
                problems.append("spdx:checksum: spdx:algorithm missing")
    return problems


@dataclass(frozen=True)
class Result:
    indicator: Indicator
    points: int
    met: int  # distributions meeting it (1/0 for dataset indicators)
    of: int  # distributions looked at (1 for dataset indicators)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.indicator.key,
            "dimension": self.indicator.dimension,
            "property": self.indicator.prop,
            "points": self.points,
            "max": self.indicator.weight,
            "met": self.met,
            "of": self.of,
        }


@dataclass(frozen=True)
class Assessment:
    results: tuple[Result, ...]
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def score(self) -> int:
        return sum(r.points for r in self.results)

    @property
    def rating(self) -> str:
        return next(label for floor, label in RATINGS if self.score >= floor)

    def dimension(self, name: str) -> tuple[int, int]:
        """(points, max) of one dimension."""
        mine = [r for r in self.results if r.indicator.dimension == name]
        return sum(r.points for r in mine), sum(r.indicator.weight for r in mine)

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "max": MAX_POINTS,
            "rating": self.rating,
            "dimensions": [
                {"dimension": d, "points": self.dimension(d)[0], "max": self.dimension(d)[1]}
                for d in DIMENSIONS
            ],
            "indicators": [r.as_dict() for r in self.results],
            "dcat_ap_problems": list(self.problems),
        }


def dataset_node(graph: Graph) -> Node:
    """The one dcat:Dataset of a dataset's record."""
    (node,) = graph.subjects(RDF.type, DCAT.Dataset)
    return node


def assess(graph: Graph, reachable: Reachable, dataset: Node | None = None) -> Assessment:
    """The MQA points of ``dataset`` (default: the graph's one dataset)."""
    node = dataset if dataset is not None else dataset_node(graph)
    subject = Subject(graph, node, reachable)
    distributions = [Subject(graph, d, reachable) for d in graph.objects(node, DCAT.distribution)]
    results = []
    for indicator in INDICATORS:
        if indicator.on_distributions:
            met = sum(1 for d in distributions if indicator.test(d))
            of = len(distributions)
            points = round(indicator.weight * met / of) if of else 0
        else:
            met, of = (1 if indicator.test(subject) else 0), 1
            points = indicator.weight * met
        results.append(Result(indicator, points, met, of))
    return Assessment(tuple(results), tuple(compliance_problems(graph, node)))
