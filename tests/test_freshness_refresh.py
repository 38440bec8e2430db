"""`ckan satudata freshness refresh` re-indexes datasets whose freshness
changed since they were indexed (the state depends on today's date)."""

from __future__ import annotations

import datetime

import pytest
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests.helpers import call_action

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _found(state: str) -> list[str]:
    return [d["name"] for d in call_action("package_search", fq=f'freshness:"{state}"')["results"]]


def test_refresh_reindexes_only_what_changed(cli, sysadmin, sdi_dataset) -> None:
    stale = call_action(
        "package_create",
        context={"user": sysadmin["name"]},
        **sdi_dataset(name="stale", accrualPeriodicity="tahunan", periode="tahun"),
    )
    fresh = call_action(
        "package_create",
        context={"user": sysadmin["name"]},
        **sdi_dataset(name="fresh", accrualPeriodicity="tahunan", periode="tahun"),
    )
    for dataset in (stale, fresh):
        call_action(
            "resource_create",
            context={"user": sysadmin["name"]},
            package_id=dataset["id"],
            name="Laporan",
            url="https://paserkab.go.id/laporan.pdf",
            format="PDF",
        )
    assert sorted(_found("current")) == ["fresh", "stale"]
    # Time passes for one dataset: its data is now two years old, its index entry is not.
    two_years_ago = datetime.datetime.utcnow() - datetime.timedelta(days=730)
    for resource in model.Package.get("stale").resources:
        resource.created = resource.last_modified = two_years_ago
    model.Session.commit()
    assert _found("overdue") == []

    result = cli.invoke(ckan_cli, ["satudata", "freshness", "refresh"])

    assert result.exit_code == 0, result.output
    assert "Re-indexed 1 dataset(s)" in result.output and "stale" in result.output
    assert (_found("overdue"), _found("current")) == (["stale"], ["fresh"])


def test_the_refresh_computes_what_package_show_says(sysadmin, sdi_dataset) -> None:
    """The refresh reads every dataset's state in one query (catalog/search.py
    _freshness_now): the same state package_show gives, for each kind."""
    from ckanext.satudata.catalog import search

    made = {}
    for name, frequency, period, with_file, age_days in (
        ("tahunan-baru", "tahunan", "tahun", True, 0),
        ("tahunan-lama", "tahunan", "tahun", True, 800),
        ("bulanan-hampir", "bulanan", "bulan", True, 29),
        ("belum-ada-data", "tahunan", "tahun", False, 0),
        ("tidak-terjadwal", "ad_hoc", "tahun", True, 0),
    ):
        dataset = call_action(
            "package_create",
            context={"user": sysadmin["name"]},
            **sdi_dataset(name=name, accrualPeriodicity=frequency, periode=period),
        )
        if with_file:
            call_action(
                "resource_create",
                context={"user": sysadmin["name"]},
                package_id=dataset["id"],
                name="Tabel",
                url="https://paserkab.go.id/tabel.csv",
                format="CSV",
            )
        if age_days:
            then = datetime.datetime.utcnow() - datetime.timedelta(days=age_days)
            for resource in model.Package.get(name).resources:
                resource.created = resource.last_modified = then
            model.Session.commit()
        made[name] = dataset["id"]

    now = search._freshness_now()

    # From the database, as the refresh reads it (package_show may answer from the index).
    shown = {
        name: call_action("package_show", context={"use_cache": False}, id=i)["freshness"]
        for name, i in made.items()
    }
    assert {name: now[i] for name, i in made.items()} == shown
    assert len(set(shown.values())) == 5  # every state appears once
