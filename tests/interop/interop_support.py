"""Helpers of the interoperability tests: the demo portal's content, HTTP
requests as a national system sends them, and validation with the official
DCAT-AP SHACL shapes (see shapes/README.md for where they come from)."""

from __future__ import annotations

import collections
import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyshacl
import rdflib
from harvest_support import forget_harvest_user, run_job
from jobs_support import run_jobs
from live_site import LOGS as LIVE_LOGS
from rdflib.namespace import SH

__all__ = ["LIVE_LOGS"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

# The official files, unmodified (SEMICeu/DCAT-AP, commit 7c531da), by path in
# that repository, with their sha256: the test refuses any other content.
OFFICIAL_SHAPES = {
    "releases/2.1.1/dcat-ap_2.1.1_shacl_shapes.ttl": (
        "467ace005196e261b9299422e921aba079c279a9e914e3a2d499e048cbc7cd0b"
    ),
    "releases/2.1.1/dcat-ap_2.1.1_shacl_shapes_recommended.ttl": (
        "1b46e232e79d1d7875146b6f9b3722b0a53131b6810387bd653175e865f71742"
    ),
    "releases/2.1.1/dcat-ap_2.1.1_shacl_range.ttl": (
        "36f01df2b8cd0f51bda7c12a64e16868430caebb39dabd998071795f99bfe353"
    ),
    "releases/2.1.1/dcat-ap_2.1.1_shacl_mdr-vocabularies.shape.ttl": (
        "510cd30b2dd410cf5c2ea11b3c9e523ef07c2bf19036d48cb2d2ca64a6dc9a3b"
    ),
    "releases/3.0.0/shacl/dcat-ap-SHACL.ttl": (
        "92f76609d78d257123e75bc6b7155df5cc0a63f14c29fbc12b0ac95c56af2059"
    ),
    "releases/3.0.0/html/shacl/shapes_recommended.ttl": (
        "9afbf23f1f56d10d6839259684934137e20506a9aedce0249b619bbc593b9abd"
    ),
    "releases/3.0.0/html/shacl/mdr-vocabularies.shape.ttl": (
        "5e9a0969bfc18e142dfd2884a61c394022dea7f26e986740cee58fc98d150467"
    ),
}
# Vendored as test data with their licence (tests/interop/shapes/README.md).
SHAPES_DIR = HERE / "shapes"


def shapes_graph(*paths: str) -> rdflib.Graph:
    """The official shapes files ``paths`` in one graph, each checked unmodified."""
    folder = SHAPES_DIR
    graph = rdflib.Graph()
    for path in paths:
        content = (folder / path).read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        assert digest == OFFICIAL_SHAPES[path], f"{path} is not the official file ({digest})"
        graph.parse(data=content, format="turtle")
    return graph


@dataclass
class Findings:
    """Top-level results of one validation, by severity and by (path, constraint)."""

    conforms: bool
    counts: collections.Counter[tuple[str, str, str]] = field(default_factory=collections.Counter)
    examples: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def total(self, severity: str) -> int:
        return sum(n for (sev, _, _), n in self.counts.items() if sev == severity)

    def of(self, severity: str) -> dict[tuple[str, str], int]:
        return {(p, c): n for (sev, p, c), n in self.counts.items() if sev == severity}

    def describe(self, severity: str) -> str:
        return "\n".join(
            f"{n} x {path} {constraint}: {self.examples[(severity, path, constraint)]}"
            for (sev, path, constraint), n in sorted(self.counts.items())
            if sev == severity
        )


def validate(data: rdflib.Graph, shapes: rdflib.Graph) -> Findings:
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    findings = Findings(bool(conforms))
    for result in report.objects(None, SH.result):  # top level: not nested sh:detail
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        path = str(report.value(result, SH.resultPath))
        constraint = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        key = (severity, path, constraint)
        findings.counts[key] += 1
        findings.examples.setdefault(
            key, f"{report.value(result, SH.focusNode)}: {report.value(result, SH.resultMessage)}"
        )
    return findings


# HTTP ------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def get(url: str, headers: dict[str, str] | None = None) -> Answer:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


# The demo portal ---------------------------------------------------------------


@dataclass
class DemoPortal:
    datasets: list[dict[str, Any]]  # package_show of every harvested dataset

    def by_name(self, name: str) -> dict[str, Any]:
        return next(d for d in self.datasets if d["name"] == name)

    def with_datastore(self) -> list[dict[str, Any]]:
        return [d for d in self.datasets if any(r.get("datastore_active") for r in d["resources"])]


def populate_demo_portal() -> DemoPortal:
    """The demo content of `make demo`: OPDs, topic groups and the demo harvest
    sources, harvested through the real harvesters from the sample servers,
    then the background jobs (DataStore loads) run."""
    from ckan.plugins import toolkit as tk
    from ckan.tests import factories

    from ckanext.satudata.demo import dukcapil_feed, loader, opd_files

    factories.Sysadmin(name=loader.HARVEST_USER)
    admin = factories.Sysadmin()
    forget_harvest_user()
    feed = dukcapil_feed.FeedServer(port=0).start()
    files = opd_files.FileServer(port=0).start()
    try:
        loader.load_organizations()
        loader.load_topic_groups()
        sources = loader.load_harvest_sources(feed.base_url, files.base_url)
        context = {"ignore_auth": True}
        for name in sources:
            source = tk.get_action("harvest_source_show")(dict(context), {"id": name})
            result = run_job(admin["name"], source["id"], source["source_type"])
            assert not result.gather_errors and not result.object_errors, (name, result)
        run_jobs()
    finally:
        feed.shutdown()
        feed.server_close()
        files.stop()
    found = tk.get_action("package_search")(
        {"ignore_auth": True}, {"rows": 1000, "include_private": True}
    )["results"]
    datasets = [
        tk.get_action("package_show")({"ignore_auth": True}, {"id": d["id"]}) for d in found
    ]
    return DemoPortal(datasets)
