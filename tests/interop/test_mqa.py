"""The MQA-style self-check (interop/mqa.py) on the demo portal's own DCAT-AP
records: the points per dimension, what each indicator looks at, and the
DCAT-AP compliance rule held against the official SHACL shapes."""

from __future__ import annotations

import json
from typing import Any

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF, SKOS

from ckanext.satudata.interop import mqa
from interop.interop_support import LIVE_LOGS, DemoPortal, get, shapes_graph, validate

DCAT_AP_3 = "releases/3.0.0/shacl/dcat-ap-SHACL.ttl"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def record(portal_url: str, dataset: dict[str, Any]) -> rdflib.Graph:
    answer = get(f"{portal_url}/dataset/{dataset['id']}.ttl")
    assert answer.status == 200
    return rdflib.Graph().parse(data=answer.body, format="turtle")


def everything_answers(url: str) -> bool:
    return True


def test_dimensions_add_up_to_405() -> None:
    maxima = {d: sum(i.weight for i in mqa.INDICATORS if i.dimension == d) for d in mqa.DIMENSIONS}
    assert maxima == {
        "findability": 100,
        "accessibility": 100,
        "interoperability": 110,
        "reusability": 75,
        "contextuality": 20,
    }
    assert mqa.MAX_POINTS == 405


def test_every_demo_dataset_through_the_action(portal_url: str, demo_portal: DemoPortal) -> None:
    scores = {}
    for dataset in demo_portal.datasets:
        answer = get(f"{portal_url}/api/3/action/satudata_mqa_show?id={dataset['name']}")
        assert answer.status == 200, answer.body[:300]
        result = answer.json()["result"]
        assert result["max"] == 405
        assert result["dcat_ap_problems"] == [], (dataset["name"], result["dcat_ap_problems"])
        points = {i["key"]: i["points"] for i in result["indicators"]}
        assert result["score"] == sum(points.values())
        # Our uploads are in storage: every access and download URL answers.
        assert (points["access_url_status"], points["download_url_status"]) == (50, 30)
        assert points["dcat_ap_compliance"] == 30
        assert points["keyword"] == (30 if dataset["tags"] else 0)
        assert points["licence_vocabulary"] == 10 and points["access_rights_vocabulary"] == 5
        assert points["rights"] == 0  # no dct:rights statement in the SDI metadata
        assert result["rating"] in ("good", "excellent")
        scores[dataset["name"]] = {
            "score": result["score"],
            "rating": result["rating"],
            **{d["dimension"]: d["points"] for d in result["dimensions"]},
        }
    LIVE_LOGS.mkdir(exist_ok=True)
    (LIVE_LOGS / "mqa-scores.json").write_text(json.dumps(scores, indent=2))


def test_compliance_rule_agrees_with_the_official_shapes(
    portal_url: str, demo_portal: DemoPortal
) -> None:
    shapes = shapes_graph(DCAT_AP_3)
    dataset = demo_portal.datasets[0]
    graph = record(portal_url, dataset)
    node = mqa.dataset_node(graph)
    assert mqa.compliance_problems(graph, node) == []
    assert validate(graph, shapes).total("Violation") == 0

    def broken(change: Any) -> rdflib.Graph:
        copy = rdflib.Graph()
        copy += graph
        change(copy)
        return copy

    breakages = {
        "theme not typed": lambda g: [
            g.remove((theme, RDF.type, SKOS.Concept)) for theme in list(g.objects(node, DCAT.theme))
        ],
        "no description": lambda g: g.remove((node, DCTERMS.description, None)),
        "format as text": lambda g: [
            (
                g.remove((d, DCTERMS["format"], None)),
                g.add((d, DCTERMS["format"], rdflib.Literal("CSV"))),
            )
            for d in list(g.objects(node, DCAT.distribution))
        ],
        "licence not typed": lambda g: g.remove((None, RDF.type, DCTERMS.LicenseDocument)),
    }
    for name, change in breakages.items():
        graph_broken = broken(change)
        assert mqa.compliance_problems(graph_broken, node), name
        assert validate(graph_broken, shapes).total("Violation") > 0, name
        assessed = mqa.assess(graph_broken, everything_answers, node)
        assert (
            next(r for r in assessed.results if r.indicator.key == "dcat_ap_compliance").points == 0
        )


def test_distribution_indicators_count_the_share_that_meets_them(
    portal_url: str, demo_portal: DemoPortal
) -> None:
    dataset = next(d for d in demo_portal.datasets if len(d["resources"]) == 3)
    graph = record(portal_url, dataset)
    first = dataset["resources"][0]["url"]
    assessed = mqa.assess(graph, lambda url: url != first)
    by_key = {r.indicator.key: r for r in assessed.results}
    access = by_key["access_url_status"]
    assert (access.met, access.of, access.points) == (2, 3, round(50 * 2 / 3))
    before = mqa.assess(graph, everything_answers)
    assert before.score - assessed.score == (50 - 33) + (30 - 20)
    assert before.dimension("accessibility") == (100, 100)


@pytest.mark.parametrize(
    ("score", "rating"),
    [(405, "excellent"), (351, "excellent"), (350, "good"), (121, "sufficient"), (120, "bad")],
)
def test_ratings(score: int, rating: str) -> None:
    assert next(label for floor, label in mqa.RATINGS if score >= floor) == rating
