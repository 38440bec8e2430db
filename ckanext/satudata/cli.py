"""``ckan satudata …`` commands."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["satudata"]

DUKCAPIL_DEMO_SOURCE = "dukcapil-paser"


@click.group(short_help="Satu Data portal commands")
def satudata() -> None:
    """Satu Data portal commands."""


@satudata.group()
def regions() -> None:
    """Kemendagri region reference list."""


@regions.command("load")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def regions_load(csv_file: Path) -> None:
    """Load a national region list (CSV with columns kode, nama, tingkat).

    All or nothing: a bad line names its number and nothing is stored.
    """
    from ckanext.satudata import region_store
    from ckanext.satudata import regions as region_codes

    with csv_file.open(encoding="utf-8-sig", newline="") as handle:
        try:
            count = region_store.load(region_codes.read_csv(handle, str(csv_file)))
        except region_codes.RegionCodeError as err:
            raise click.ClickException(str(err)) from None
    click.secho(f"Loaded {count} regions from {csv_file}", fg="green")


@satudata.group()
def freshness() -> None:
    """Freshness of datasets (current / due soon / overdue)."""


@freshness.command("refresh")
def freshness_refresh() -> None:
    """Re-index the datasets whose freshness changed since they were indexed
    (run daily: the state depends on today's date)."""
    from ckanext.satudata import freshness_index

    changed = freshness_index.refresh()
    click.echo(f"Re-indexed {len(changed)} dataset(s) whose freshness changed")
    for name in changed:
        click.echo(f"  {name}")


@satudata.group()
def demo() -> None:
    """Demo content."""


@demo.command("load")
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where the demo sysadmin's password is kept between runs.",
)
@click.option("--dukcapil-feed", help="Base URL of the running sample Dukcapil feed server.")
@click.option("--opd-files", help="Base URL of the running sample OPD file server.")
def demo_load(password_file: Path, dukcapil_feed: str | None, opd_files: str | None) -> None:
    """Create (or update) the sysadmin, the OPDs, the topic groups and the
    demo harvest sources."""
    from ckanext.satudata import demo as demo_content

    name, password = demo_content.ensure_sysadmin(password_file)
    demo_content.ensure_harvest_user()
    organizations = demo_content.load_organizations()
    groups = demo_content.load_topic_groups()
    click.echo(f"OPDs: {_counts(organizations)}; topic groups: {_counts(groups)}")
    sources: dict[str, str] = {}
    if dukcapil_feed:
        from ckanext.satudata.harvesters.dukcapil.harvester import SOURCE_TYPE
        from ckanext.satudata.sample_feeds import dukcapil

        config = dukcapil.demo_source_config(dukcapil_feed.rstrip("/"))
        sources[DUKCAPIL_DEMO_SOURCE] = demo_content.upsert_harvest_source(
            DUKCAPIL_DEMO_SOURCE,
            "Dukcapil: Data Kependudukan Bersih Kabupaten Paser",
            config["releases"][-1]["url"],
            SOURCE_TYPE,
            "disdukcapil-paser",
            config,
        )
    if opd_files:
        from ckanext.satudata.harvesters.spreadsheet.harvester import (
            SOURCE_TYPE as SPREADSHEET_SOURCE_TYPE,
        )
        from ckanext.satudata.sample_data import serve

        for source in serve.demo_source_configs(opd_files):
            sources[source["name"]] = demo_content.upsert_harvest_source(
                source["name"],
                source["title"],
                source["url"],
                SPREADSHEET_SOURCE_TYPE,
                source["owner_org"],
                source["config"],
            )
    if sources:
        click.echo(f"Harvest sources: {_counts(sources)}")
    click.secho(f"Sysadmin: {name} / {password}", fg="green", bold=True)


@demo.command("harvest")
@click.argument("sources", nargs=-1)
@click.option("--timeout", default=900.0, show_default=True, help="Seconds to wait per source.")
def demo_harvest(sources: tuple[str, ...], timeout: float) -> None:
    """Harvest SOURCES (default: every harvest source) through the queue; the
    gather and fetch consumers must run."""
    from ckanext.satudata import demo as demo_content

    for source in sources or demo_content.harvest_source_names():
        job = demo_content.run_harvest(source, timeout)
        stats = job.get("stats") or {}
        summary = ", ".join(f"{count} {kind}" for kind, count in sorted(stats.items()) if count)
        click.echo(f"{source}: {summary or 'nothing to do'}")


def _counts(results: dict[str, str]) -> str:
    created = sum(1 for r in results.values() if r == "created")
    return f"{created} created, {len(results) - created} updated"
