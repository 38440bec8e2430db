"""The anonymous traffic of the portal benchmark, for locust (headless).

A visitor opens the home page, searches (free text, facet filters, a second
page), opens datasets, their resources and the DataStore preview; API
clients call package_search with facets, package_show and datastore_search;
harvesters of the national portal read DCAT. Each request is named by its
page, so the benchmark reports per page.

Run by bench/bench_portal.py, which sets (environment):
  BENCH_SAMPLE        JSON file of dataset names, resource and view ids, facet values (load.sample)
  BENCH_RESULTS       where to write every request's (page, milliseconds, ok)
  BENCH_DCAT          "1": the mix includes the DCAT endpoints (this portal's
                      own round; the rounds compared with plain CKAN leave
                      them out, so that both servers carry the same mix)
  BENCH_MAX_REQUESTS  stop after this many requests (the run time bounds it too)
  BENCH_SEED          the visitors' random choices, the same for both targets
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

SAMPLE: dict[str, Any] = json.loads(Path(os.environ["BENCH_SAMPLE"]).read_text("utf-8"))
DCAT = os.environ.get("BENCH_DCAT") == "1"
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "100000"))
RNG = random.Random(int(os.environ.get("BENCH_SEED", "6401")))
FACETS = '["organization","groups","theme","vocab_kode_wilayah","vocab_tahun","res_format"]'

_records: list[tuple[str, float, bool]] = []
_window: dict[str, float] = {}


@events.request.add_listener
def _record(name: str, response_time: float, exception: Exception | None, **_: Any) -> None:
    _records.append((name, response_time, exception is None))
    _window["last"] = time.time()
    if len(_records) >= MAX_REQUESTS and _runner is not None:
        _runner.quit()


_runner: Any = None


@events.test_start.add_listener
def _started(environment: Any, **_: Any) -> None:
    global _runner
    _runner = environment.runner
    _window["first"] = time.time()


@events.quitting.add_listener
def _write(environment: Any, **_: Any) -> None:
    with open(os.environ["BENCH_RESULTS"], "w", encoding="utf-8") as handle:
        json.dump(
            {
                "seconds": _window.get("last", time.time()) - _window.get("first", time.time()),
                "requests": _records,
            },
            handle,
        )


class Visitor(HttpUser):
    # Think time between pages: 20 visitors offer the load of a busy portal,
    # not a flood of 20 back-to-back clients.
    wait_time = between(1, 3)

    def _get(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(10)
    def home(self) -> None:
        self._get("/", "home")

    @task(15)
    def search(self) -> None:
        draw = RNG.random()
        if draw < 0.3:
            url = f"/dataset/?q={RNG.choice(SAMPLE['queries'])}"
        elif draw < 0.6:
            url = f"/dataset/?theme={RNG.choice(SAMPLE['themes'])}"
        elif draw < 0.85:
            url = (
                f"/dataset/?organization={RNG.choice(SAMPLE['organizations'])}"
                f"&vocab_tahun={RNG.choice(SAMPLE['years'])}"
            )
        else:
            url = f"/dataset/?q={RNG.choice(SAMPLE['queries'])}&page=2"
        self._get(url, "search")

    @task(20)
    def dataset(self) -> None:
        self._get(f"/dataset/{RNG.choice(SAMPLE['datasets'])}", "dataset")

    @task(8)
    def resource(self) -> None:
        name, resource_id = RNG.choice(SAMPLE["resources"])
        self._get(f"/dataset/{name}/resource/{resource_id}", "resource")

    @task(6)
    def preview(self) -> None:
        """A previewed resource's page and its DataStore view (the iframe)."""
        name, resource_id, view_id = RNG.choice(SAMPLE["previews"])
        self._get(f"/dataset/{name}/resource/{resource_id}", "resource (preview)")
        self._get(f"/dataset/{name}/resource/{resource_id}/view/{view_id}", "preview frame")

    @task(8)
    def api_package_search(self) -> None:
        self._get(
            f"/api/3/action/package_search?q={RNG.choice(SAMPLE['queries'])}"
            f"&facet.field={FACETS}&rows=10",
            "api package_search",
        )

    @task(8)
    def api_package_show(self) -> None:
        self._get(
            f"/api/3/action/package_show?id={RNG.choice(SAMPLE['datasets'])}", "api package_show"
        )

    @task(5)
    def api_datastore_search(self) -> None:
        _, resource_id, _ = RNG.choice(SAMPLE["previews"])
        self._get(
            f"/api/3/action/datastore_search?resource_id={resource_id}&limit=20",
            "api datastore_search",
        )

    @task(4)
    def dcat(self) -> None:
        if not DCAT:  # plain CKAN has no DCAT endpoints: not in the compared mix
            return
        if RNG.random() < 0.8:
            self._get(f"/dataset/{RNG.choice(SAMPLE['datasets'])}.rdf", "dcat dataset")
        else:
            self._get(f"/catalog.ttl?page={RNG.randint(1, 5)}", "dcat catalog page")
