"""The scheduler runs every task once and survives a failing one; the watchdog
command reports; a backup's configuration keeps no secret."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from ckan.cli.cli import ckan as ckan_cli

from ckanext.satudata.ops import backup, scheduler

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def scheduler_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The scheduler's records (test.ini's ckanext logger does not propagate
    to the root logger caplog listens on)."""
    logger = logging.getLogger("ckanext.satudata.ops.scheduler")
    logger.addHandler(caplog.handler)
    logger.disabled = False  # logging.config.fileConfig may have disabled it
    level = logger.level
    logger.setLevel(logging.INFO)
    yield caplog
    logger.setLevel(level)
    logger.removeHandler(caplog.handler)


def test_every_task_runs_once(scheduler_log: pytest.LogCaptureFixture) -> None:
    runner = scheduler.Scheduler(interval=300)

    runner.run(once=True)

    done = list(
        dict.fromkeys(r.getMessage() for r in scheduler_log.records if r.levelname == "INFO")
    )
    assert [line.split(":")[1].strip() for line in done] == [
        "harvest jobs run",
        "validation and DataStore watchdog",
        "harvest log clean-up",
        "freshness refresh",
        "index check",
    ]
    assert "0 dataset(s) checked: 0 missing from the index" in done[-1]


def test_a_failing_task_does_not_stop_the_others(
    scheduler_log: pytest.LogCaptureFixture,
) -> None:
    runner = scheduler.Scheduler(interval=300)
    runner.tasks[0].run = lambda: 1 / 0  # a bug in one task

    runner.run_due()

    assert "scheduler: harvest jobs run failed" in scheduler_log.text
    assert all(task.due > 0 for task in runner.tasks)


def test_watchdog_command(cli: Any) -> None:
    result = cli.invoke(ckan_cli, ["satudata", "watchdog"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 finding(s)")


def test_backup_configuration_keeps_no_secret() -> None:
    text = """[app:main]
SECRET_KEY = s3cret-value
beaker.session.secret = another
api_token.jwt.encode.secret = string:jwt-secret
sqlalchemy.url = postgresql://ckan_default:db-pass@db/ckan
ckan.datastore.read_url = postgresql://ro:ro-pass@db/datastore
smtp.password = mail-pass
ckan.site_url = https://data.paserkab.go.id
"""
    masked = backup.redacted(text)
    for secret in ("s3cret-value", "another", "jwt-secret", "db-pass", "ro-pass", "mail-pass"):
        assert secret not in masked
    assert "sqlalchemy.url = postgresql://ckan_default:***@db/ckan" in masked
    assert "ckan.site_url = https://data.paserkab.go.id" in masked
