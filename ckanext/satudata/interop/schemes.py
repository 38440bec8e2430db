"""The concept schemes served by the portal (``/skema/topik``,
``/skema/wilayah`` and each concept under them), as Turtle, RDF/XML or
JSON-LD: the IRIs the DCAT export uses for themes and regions resolve."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from flask import Blueprint, Response, request
from rdflib import Graph

from ckanext.satudata.interop import concepts
from ckanext.satudata.model import region

schemes = Blueprint("satudata_schemes", __name__)

# suffix -> (rdflib format, media type)
FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}


def _site() -> str:
    return tk.config.get("ckan.site_url").rstrip("/")


def _split(name: str) -> tuple[str, str]:
    """(name, format) of ``name`` with an optional .ttl/.rdf/.jsonld suffix;
    without one the Accept header decides (Turtle by default)."""
    stem, _, suffix = name.rpartition(".")
    if stem and suffix in FORMATS:
        return stem, suffix
    accept = request.headers.get("Accept", "")
    for suffix, (_, media_type) in FORMATS.items():
        if media_type in accept:
            return name, suffix
    return name, "ttl"


def _answer(graph: Graph, suffix: str) -> Response:
    rdf_format, media_type = FORMATS[suffix]
    body = graph.serialize(format=rdf_format)
    return Response(body, mimetype=media_type, headers={"Access-Control-Allow-Origin": "*"})


def _not_found(message: str) -> Response:
    return Response(message + "\n", status=404, mimetype="text/plain")


@schemes.route("/skema/<scheme_name>")
def scheme(scheme_name: str) -> Response:
    name, suffix = _split(scheme_name)
    if name == "topik":
        return _answer(concepts.topic_scheme(_site()), suffix)
    if name == "wilayah":
        return _answer(concepts.region_scheme(_site()), suffix)
    return _not_found(tk._("Unknown concept scheme: {name}").format(name=name))


@schemes.route("/skema/topik/<value>")
def topic(value: str) -> Response:
    name, suffix = _split(value)
    graph = concepts.topic_scheme_graph_for(_site(), name)
    if graph is None:
        return _not_found(tk._("Unknown topic: {name}").format(name=name))
    return _answer(graph, suffix)


@schemes.route("/skema/wilayah/<code>")
def region_concept(code: str) -> Response:
    name, suffix = _split(code)
    found = region.find(name)
    if found is None:
        return _not_found(tk._("Unknown region code: {code}").format(code=name))
    graph = Graph()
    concepts.describe_region(graph, _site(), found)
    return _answer(graph, suffix)
