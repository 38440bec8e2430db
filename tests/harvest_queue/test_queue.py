"""Both harvesters through ckanext-harvest's real Redis queue: the gather and
fetch consumers run as separate `ckan satudata harvest …-consumer` processes
(ops/consumers.py), jobs are queued and finished by `harvest_jobs_run` (what
the scheduler calls), exactly as `make demo` and production run them. Also
the one-shot `ckan harvester run-test`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests.helpers import call_action
from file_server import FileServer
from harvest_support import consumer_processes

from ckanext.satudata.demo import dukcapil_feed
from ckanext.satudata.demo import loader as demo
from ckanext.satudata.demo.dukcapil_feed import FeedServer

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


DEMO_TOKEN = "token-demo-disdukcapil"


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FileServer, FeedServer]]:
    """The sample servers as `make demo` runs them: the Dukcapil feed asks for
    its token, which the workers read from Disdukcapil's own variable."""
    monkeypatch.setenv(dukcapil_feed.demo_token_env(), DEMO_TOKEN)
    files, feed = FileServer(port=0).start(), FeedServer(port=0).start()
    feed.state.token = DEMO_TOKEN
    yield files, feed
    files.stop()
    feed.shutdown()


@pytest.fixture
def consumers(request: pytest.FixtureRequest, servers: object) -> Iterator[None]:
    """Real consumer processes on the test configuration (its Redis database),
    with the environment of the servers fixture (the demo feed's token)."""
    with consumer_processes(str(request.config.getoption("--ckan-ini"))):
        yield


@pytest.fixture
def demo_sources(make_opd, servers) -> list[str]:
    """The demo OPDs and harvest sources (the same code `make demo` runs); their names."""
    files, feed = servers
    for org in demo.demo_organizations():
        if org["name"] in {"dinkes-paser", "disdikbud-paser", "distan-paser", "disdukcapil-paser"}:
            make_opd(org["name"], org["title"])
    demo.ensure_harvest_user()
    return sorted(demo.load_harvest_sources(feed.base_url, files.base_url))


def _dataset_names(org: str) -> set[str]:
    result = call_action(
        "package_search",
        fq=f'organization:"{org}"',
        rows=100,
        include_private=True,
        context={"ignore_auth": True},
    )
    return {d["name"] for d in result["results"]}


def _read_from_one_service_with_layers(feed: FeedServer) -> None:
    """The demo's Dukcapil source reads one service per region level (Dukcapil's
    layout); switch it to the same releases as one service with a layer per level."""
    config = dukcapil_feed.demo_source_config(feed.base_url)
    config["releases"] = [
        {"semester": release["semester"], "url": feed.service_url(release["semester"])}
        for release in config["releases"]
    ]
    demo.upsert_harvest_source(
        demo.DUKCAPIL_SOURCE,
        "Dukcapil: Data Kependudukan Bersih Kabupaten Paser",
        f"{feed.base_url}/arcgis/rest/services",
        "satudata_dukcapil",
        "disdukcapil-paser",
        config,
    )


@pytest.mark.usefixtures("consumers")
def test_harvest_through_the_redis_queue_then_rerun_unchanged(demo_sources, servers) -> None:
    first = {name: demo.run_harvest(name, timeout=300) for name in demo_sources}
    queries = [r for r in servers[1].state.requests if "/query?" in r]
    assert queries and all(f"token={DEMO_TOKEN}" in r for r in queries)

    for name, job in first.items():
        assert job["status"] == "Finished", name
        assert job["stats"]["added"] > 0 and job["stats"]["errored"] == 0, (name, job["stats"])
    assert len(_dataset_names("disdukcapil-paser")) == first["dukcapil-paser"]["stats"]["added"]
    assert _dataset_names("dinkes-paser")
    modified = {
        p.name: p.metadata_modified
        for p in model.Session.query(model.Package).filter(model.Package.type == "dataset")
    }

    # Both layouts of a Dukcapil release through the queue: read the other way,
    # the same tables, so nothing is written.
    assert {path.split("?")[0].split("/")[4] for path in servers[1].state.requests} == {
        f"DKB_{level}_2024_S{half}" for level in ("KAB", "KEC", "DESA") for half in "12"
    }
    _read_from_one_service_with_layers(servers[1])
    servers[1].state.requests.clear()

    second = {name: demo.run_harvest(name, timeout=300) for name in demo_sources}

    for name, job in second.items():
        stats = job["stats"]
        assert job["status"] == "Finished", name
        assert (stats["added"], stats["updated"], stats["errored"]) == (0, 0, 0), (name, stats)
        # Spreadsheet rows confirmed in gather are counted like any other.
        assert stats["not modified"] == first[name]["stats"]["added"], (name, stats)
    assert {path.split("?")[0].split("/")[4] for path in servers[1].state.requests} == {
        "DKB_2024_S1",
        "DKB_2024_S2",
    }
    model.Session.expire_all()
    assert {
        p.name: p.metadata_modified
        for p in model.Session.query(model.Package).filter(model.Package.type == "dataset")
    } == modified


def test_one_shot_run_test_command(cli, demo_sources) -> None:
    result = cli.invoke(ckan_cli, ["harvester", "run-test", "daftar-data-dinkes-paser"])

    assert result.exit_code == 0, result.output
    assert _dataset_names("dinkes-paser")
