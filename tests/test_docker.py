"""The production deployment in docker/ validates and is complete.

No Docker engine runs here: `docker-compose config` (Debian's docker-compose,
installed by scripts/bootstrap.sh) parses, interpolates and validates the
compose file, and the Dockerfiles are checked as text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from ckanext.satudata.harvesters.settings import SECRET_ENV_PREFIX, secret_env_owner_key

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
COMPOSE = DOCKER / "docker-compose.yml"
SCALED = DOCKER / "docker-compose.scaled.yml"
ENV_EXAMPLE = DOCKER / ".env.example"

SERVICES = {
    "ckan",
    "harvest_gather",
    "harvest_fetch",
    "harvest_scheduler",
    "jobs_worker",
    "db",
    "solr",
    "redis",
}
CKAN_SERVICES = {"ckan", "harvest_gather", "harvest_fetch", "harvest_scheduler", "jobs_worker"}
VAR_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")


def _mounts(service: dict) -> dict[str, str]:
    """target -> source of a service's volumes, in the short syntax that
    docker-compose v1 prints or the long one of `docker compose` v2."""
    mounts = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume.get("source", ""), volume["target"]
        mounts[target] = source
    return mounts


def _port_targets(service: dict) -> set[int]:
    targets = set()
    for port in service.get("ports", []):
        if isinstance(port, dict):
            targets.add(int(port["target"]))
        else:
            targets.add(int(str(port).split("/")[0].rsplit(":", 1)[-1]))
    return targets


def _documented() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value
    return values


def _compose(env_file: Path, *overlays: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.fail(
            "docker-compose is not installed; run scripts/bootstrap.sh "
            "(Debian: apt-get install docker-compose)"
        )
    # Variables of the caller's shell would override the env file: drop them.
    env = {k: v for k, v in os.environ.items() if k not in _documented()}
    return subprocess.run(
        [
            exe,
            "-f",
            str(COMPOSE),
            *(f for o in overlays for f in ("-f", str(o))),
            "--env-file",
            str(env_file),
            "config",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def config() -> dict:
    result = _compose(ENV_EXAMPLE)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_all_services(config: dict) -> None:
    assert set(config["services"]) == SERVICES


def test_ckan_image_builds_from_our_dockerfiles(config: dict) -> None:
    for name in CKAN_SERVICES:
        build = config["services"][name]["build"]
        assert Path(build["context"]).resolve() == ROOT
        assert build["dockerfile"] == "docker/Dockerfile"
    solr = config["services"]["solr"]["build"]
    assert Path(solr["context"]).resolve() == ROOT
    assert solr["dockerfile"] == "docker/solr/Dockerfile"
    assert config["services"]["db"]["image"] == "postgres:15"
    assert config["services"]["redis"]["image"] == "redis:7"


def test_commands(config: dict) -> None:
    commands = {name: config["services"][name]["command"] for name in CKAN_SERVICES}
    assert commands == {
        "ckan": ["web"],
        "harvest_gather": ["harvest-gather"],
        "harvest_fetch": ["harvest-fetch"],
        "harvest_scheduler": ["harvest-scheduler"],
        "jobs_worker": ["jobs-worker"],
    }
    entrypoint = (DOCKER / "ckan" / "entrypoint.sh").read_text()
    for wanted in (
        "ckan satudata harvest gather-consumer",
        "ckan satudata harvest fetch-consumer",
        "ckan satudata scheduler",
        "ckan satudata jobs worker",
        "gunicorn",
        "ckan generate config",
        "ckan config-tool",
        "ckan db upgrade",
        "datastore set-permissions",
        "sysadmin add",
    ):
        assert wanted in entrypoint, wanted
    for plugin in ("activity", "harvest", "satudata"):
        assert plugin in re.search(r"for plugin in ([a-z ]+); do", entrypoint).group(1)


def test_workers_are_restarted_when_they_exit(config: dict) -> None:
    """The consumers exit when their services stay down (ops/consumers.py):
    the restart policy is their supervisor."""
    for name in CKAN_SERVICES:
        assert config["services"][name]["restart"] == "unless-stopped", name


def test_healthchecks_and_startup_order(config: dict) -> None:
    services = config["services"]
    for name in ("ckan", "db", "solr", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert "/api/3/action/status_show" in " ".join(services["ckan"]["healthcheck"]["test"])
    assert _port_targets(services["ckan"]) == {5000}
    for dep in ("db", "solr", "redis"):
        assert services["ckan"]["depends_on"][dep]["condition"] == "service_healthy"
    for name in CKAN_SERVICES - {"ckan"}:
        assert services[name]["depends_on"]["ckan"]["condition"] == "service_healthy"
    for name in SERVICES:
        assert services[name]["restart"] == "unless-stopped", name


def test_volumes(config: dict) -> None:
    assert {"db_data", "solr_data", "ckan_storage"} <= set(config["volumes"])
    services = config["services"]
    for name in CKAN_SERVICES:
        assert _mounts(services[name])["/var/lib/ckan"] == "ckan_storage", name
    db = _mounts(services["db"])
    assert db["/var/lib/postgresql/data"] == "db_data"
    init = db["/docker-entrypoint-initdb.d/10-ckan-databases.sh"]
    assert Path(init).resolve() == DOCKER / "postgres" / "init-ckan-databases.sh"
    assert _mounts(services["solr"])["/var/solr"] == "solr_data"


def test_ckan_environment(config: dict) -> None:
    for name in CKAN_SERVICES:
        env = config["services"][name]["environment"]
        plugins = env["CKAN_PLUGINS"].split()
        for plugin in (
            "satudata",
            "satudata_chart",
            "scheming_datasets",
            "harvest",
            "dcat",
            "satudata_spreadsheet_harvester",
            "satudata_dukcapil_harvester",
            "datastore",
        ):
            assert plugin in plugins, (name, plugin)
        assert env["SCHEMING_DATASET_SCHEMAS"] == "ckanext.satudata:schemas/dataset.yaml"
        assert env["CKANEXT_DCAT_RDF_PROFILES"] == "euro_dcat_ap_3 satudata_sdi"


def test_harvest_secrets_reach_only_the_gather_container(config: dict) -> None:
    """Named by the owner rule (harvesters/settings.py), given to the one
    container that reads the feeds."""
    documented = [name for name in _documented() if name.startswith(SECRET_ENV_PREFIX)]
    assert documented
    assert all(secret_env_owner_key(name) for name in documented)
    for name, service in config["services"].items():
        secrets = {k for k in service.get("environment", {}) if k.startswith(SECRET_ENV_PREFIX)}
        assert secrets == (set(documented) if name == "harvest_gather" else set()), name


def test_every_variable_is_documented() -> None:
    lines = COMPOSE.read_text().splitlines()
    used = set(VAR_RE.findall("\n".join(x for x in lines if not x.lstrip().startswith("#"))))
    documented = _documented()
    assert used, "no ${...} in docker-compose.yml?"
    assert used <= set(documented), sorted(used - set(documented))
    # Each documented variable has a comment just above it (or in its block).
    text = ENV_EXAMPLE.read_text()
    for name in documented:
        before = text[: text.index(f"\n{name}=")]
        assert "#" in before.rsplit("\n\n", 1)[-1], f"{name} has no comment"


def test_secrets_are_placeholders_and_required(tmp_path: Path) -> None:
    documented = _documented()
    for name in (
        "CKAN_SECRET_KEY",
        "POSTGRES_PASSWORD",
        "CKAN_DB_PASSWORD",
        "DATASTORE_READONLY_PASSWORD",
        "CKAN_SYSADMIN_PASSWORD",
    ):
        assert "CHANGE_ME" in documented[name], name
        # Without the secret, compose refuses to start and names it.
        env_file = tmp_path / f"{name}.env"
        env_file.write_text("".join(f"{k}={v}\n" for k, v in documented.items() if k != name))
        result = _compose(env_file)
        assert result.returncode != 0, name
        assert name in result.stderr


def test_entrypoint_refuses_placeholders() -> None:
    env = {**_documented(), "PATH": os.environ["PATH"], "CKAN_INI": "/nonexistent/ckan.ini"}
    env.update(
        CKAN_SOLR_URL="http://solr:8983/solr/ckan",
        CKAN_REDIS_URL="redis://redis:6379/0",
        POSTGRES_HOST="db",
        CKAN_PLUGINS="satudata",
        CKAN_SITE_URL="https://data.example.go.id",
    )
    result = subprocess.run(
        ["bash", str(DOCKER / "ckan" / "entrypoint.sh"), "web"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "CKAN_SECRET_KEY still holds the placeholder" in result.stderr


def test_ckan_dockerfile() -> None:
    text = (DOCKER / "Dockerfile").read_text()
    froms = re.findall(r"^FROM\s+(\S+)", text, re.M)
    assert froms and all(f in ("${PYTHON_IMAGE}",) for f in froms)
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in text
    assert re.search(r"pip install -r \S*requirements", text)
    assert re.search(r"^RUN pip install /src/app\b", text, re.M), "non-editable `pip install .`"
    assert "pip install -e" not in text
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0"), "the image must run as a non-root user"
    assert 'ENTRYPOINT ["ckan-entrypoint"]' in text
    assert "COPY docker/ckan/entrypoint.sh" in text
    # BuildKit's per-Dockerfile ignore file keeps .venv/.stack out of the context.
    assert (DOCKER / "Dockerfile.dockerignore").exists()


def test_solr_dockerfile() -> None:
    text = (DOCKER / "solr" / "Dockerfile").read_text()
    assert "ARG SOLR_IMAGE=solr:9.10" in text
    assert "ckan/config/solr/schema.xml" in text
    assert "COPY --chown=solr:solr solr/configsets/ckan/conf/" in text
    assert re.findall(r"^USER\s+(\S+)", text, re.M)[-1] == "solr"
    # The ckan version comes from requirements.txt, not from the Dockerfile.
    assert "requirements.txt" in text
    assert not re.search(r"ckan==\d", text)


@pytest.mark.parametrize(
    "script",
    ["ckan/entrypoint.sh", "solr/start-ckan-core.sh", "postgres/init-ckan-databases.sh"],
)
def test_scripts_parse_and_are_executable(script: str) -> None:
    path = DOCKER / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def scaled() -> dict:
    result = _compose(ENV_EXAMPLE, SCALED)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_scaled_layout_adds_proxy_solrcloud_and_a_read_replica(scaled: dict) -> None:
    """docker-compose.scaled.yml over the release file (docs/scaling.md)."""
    services = scaled["services"]
    assert set(services) == SERVICES | {
        "proxy", "db_replica", "zookeeper", "solr1", "solr2", "solr_init",
    }  # fmt: skip
    for name in CKAN_SERVICES:
        environment = services[name]["environment"]
        # The overlay's values, on top of the release's whole environment.
        assert environment["CKAN_SOLR_URL"] == "http://solr1:8983/solr/ckan", name
        assert environment["DATASTORE_READ_HOST"] == "db_replica", name
        assert environment["CKAN_SITE_URL"] == _documented()["CKAN_SITE_URL"], name
    assert set(services["ckan"]["depends_on"]) >= {"solr_init", "db_replica", "db", "redis"}
    assert 8080 in _port_targets(services["proxy"])
    assert "ckan" in services["proxy"]["depends_on"]
    for node in ("solr1", "solr2"):
        assert services[node]["environment"]["ZK_HOST"] == "zookeeper:2181"
    assert _mounts(services["solr1"])["/var/solr"] != _mounts(services["solr2"])["/var/solr"]
    assert set(services["solr_init"]["depends_on"]) == {"solr1", "solr2"}
    # Every file the overlay mounts is in docker/ and shell scripts parse.
    mounted = [
        (name, source) for name, service in services.items()
        for source in _mounts(service).values() if source.startswith(("/", "."))
    ]  # fmt: skip
    assert {name for name, _ in mounted} >= {"proxy", "db", "db_replica", "solr_init"}
    for name, source in mounted:
        path = (DOCKER / source).resolve() if source.startswith(".") else Path(source)
        assert path.is_file(), (name, source)
        if path.suffix == ".sh":
            assert os.access(path, os.X_OK), path
            assert subprocess.run(["bash", "-n", str(path)]).returncode == 0, path
    entrypoint = (DOCKER / "ckan" / "entrypoint.sh").read_text()
    assert "DATASTORE_READ_HOST" in entrypoint
