"""National catalogues harvesting the portal, end to end on the real stack: a
second CKAN site (its own databases and Solr core, our schema and plugins)
harvests the demo portal served by a real CKAN, once with ckanext-dcat's
``dcat_rdf`` harvester (DCAT-AP 3 /catalog.ttl) and once with ckanext-harvest's
``ckan`` harvester (the CKAN API). Every SDI field, every resource with its
fields and validation status, the topic groups (and, through the API, the
OPDs) must survive."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ckanext.satudata.catalog.dcat import _sdi_fields, _sdi_resource_fields
from interop.interop_support import REPO, DemoPortal

HERE = Path(__file__).resolve().parent
# Compared on every dataset besides the sdi: fields.
DATASET_FIELDS = (
    "title",
    "notes",
    "theme",
    "accrualPeriodicity",
    "accessRights",
    "standar_data",
    "tahun_mulai",
    "tahun_akhir",
    "license_id",
    "url",
)
RESOURCE_FIELDS = ("name", "description", "format")


def _env_name(ini: Path) -> tuple[str, str]:
    """(name, redis db) of the second site's environment, from the first's."""
    from ckan.plugins import toolkit as tk

    database = tk.config.get("sqlalchemy.url").rsplit("/", 1)[-1]
    base = database.removeprefix("ckan_test").lstrip("_") or "main"
    redis_db = tk.config.get("ckan.redis.url").rsplit("/", 1)[-1] or "0"
    return f"{base}_harvester", redis_db


@pytest.fixture(scope="module")
def second_site_ini(
    request: pytest.FixtureRequest, demo_portal: DemoPortal, tmp_path_factory: Any
) -> Path:
    """The second site's configuration: databases and Solr core of its own
    (scripts/test-env.sh), another site id, the two harvesters, and URL
    resources fetched from loopback (the portal under test runs there)."""
    from ckan.plugins import toolkit as tk

    name, redis_db = _env_name(Path(request.config.getoption("ckan_ini")))
    made = subprocess.run(
        ["bash", str(REPO / "scripts" / "test-env.sh"), name, redis_db],
        check=True,
        capture_output=True,
        text=True,
    )
    env_ini = made.stdout.strip().splitlines()[-1]
    plugins = tk.config.get("ckan.plugins")
    plugins = " ".join([*plugins, "dcat_rdf_harvester", "ckan_harvester"])
    ini = tmp_path_factory.mktemp("second-site") / "second.ini"
    ini.write_text(
        "\n".join(
            [
                "[app:main]",
                f"use = config:{env_ini}",
                "ckan.site_id = satudata_second_site",
                "ckan.site_url = http://127.0.0.1:5999",
                f"ckan.plugins = {plugins}",
                "ckanext.satudata.validation.url_allow_private = true",
                # A harvesting catalogue records a bad linked file, it does not
                # drop the dataset (docs/harvesting.md).
                "ckanext.satudata.validation.on_failure = store",
                "ckanext.harvest.user_name = harvest",
                # Indexed without a commit per dataset; second_site.py commits.
                "ckan.search.solr_commit = false",
                "",
            ]
        )
    )
    return ini


@pytest.fixture(scope="module")
def harvested(second_site_ini: Path, portal_url: str, tmp_path_factory: Any) -> dict[str, Any]:
    """Both harvests, one after the other, in one process of the second site."""
    out = tmp_path_factory.mktemp("harvested") / "results.json"
    done = subprocess.run(
        [sys.executable, str(HERE / "second_site.py"), "--ini", str(second_site_ini),
         "--out", str(out), f"dcat_rdf={portal_url}/catalog.ttl", f"ckan={portal_url}"],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(out.read_text())


def _normal(value: Any) -> Any:
    """Compared as stored: text, lists of text, JSON lists as lists."""
    if isinstance(value, str) and value.startswith("["):
        value = json.loads(value)
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    return "" if value is None else str(value)


def assert_round_trip(source: DemoPortal, harvested: dict[str, Any], keeps_opd: bool) -> None:
    assert not harvested["gather_errors"], harvested["gather_errors"]
    assert not harvested["object_errors"], "\n".join(harvested["object_errors"][:2])
    public = [d for d in source.datasets if not d["private"]]
    copies = {d["title"]: d for d in harvested["datasets"]}
    assert sorted(copies) == sorted(d["title"] for d in public)
    for original in public:
        copy = copies[original["title"]]
        for field in (*DATASET_FIELDS, *_sdi_fields()):
            assert _normal(copy.get(field)) == _normal(original.get(field)), (
                original["name"],
                field,
            )
        assert _normal(copy["kode_wilayah"]) == _normal(original["kode_wilayah"])
        assert sorted(t["name"] for t in copy["tags"]) == sorted(
            t["name"] for t in original["tags"]
        )
        assert [g["name"] for g in copy["groups"]] == [g["name"] for g in original["groups"]]
        if keeps_opd:
            assert copy["organization"]["name"] == original["organization"]["name"]
            assert copy["organization"]["title"] == original["organization"]["title"]
        resources = {r["name"]: r for r in copy["resources"]}
        assert sorted(resources) == sorted(r["name"] for r in original["resources"])
        for resource in original["resources"]:
            copied = resources[resource["name"]]
            for field in (*RESOURCE_FIELDS, *_sdi_resource_fields()):
                assert _normal(copied.get(field)) == _normal(resource.get(field)), (
                    original["name"],
                    resource["name"],
                    field,
                    harvested["reports"].get(copied["url"]),
                )
            # What the portal validated has the same status there; a file the
            # portal keeps as published, unvalidated (an OPD's original
            # spreadsheet), gets the harvesting site's own verdict.
            if resource.get("validation_status"):
                assert copied["validation_status"] == resource["validation_status"], (
                    original["name"],
                    resource["name"],
                    harvested["reports"].get(copied["url"]),
                )
            else:
                assert copied["validation_status"] in ("success", "failure"), resource["name"]
            # The copy links the portal's own file (served by the portal).
            assert re.sub(r"^https?://[^/]+", "", copied["url"]) == re.sub(
                r"^https?://[^/]+", "", resource["url"]
            )


def test_dcat_rdf_harvester_keeps_every_sdi_field(
    harvested: dict[str, Any], demo_portal: DemoPortal
) -> None:
    assert_round_trip(demo_portal, harvested["dcat_rdf"], keeps_opd=False)


def test_ckan_harvester_keeps_every_sdi_field(
    harvested: dict[str, Any], demo_portal: DemoPortal
) -> None:
    assert_round_trip(demo_portal, harvested["ckan"], keeps_opd=True)
