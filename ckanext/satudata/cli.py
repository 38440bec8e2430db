"""``ckan satudata …`` commands."""

from __future__ import annotations

from pathlib import Path

import click

from ckanext.satudata.catalog import search
from ckanext.satudata.demo import loader
from ckanext.satudata.demo import review as review_demo
from ckanext.satudata.harvesters import docs
from ckanext.satudata.model import region
from ckanext.satudata.reference import regions

__all__ = ["satudata"]


@click.group(short_help="Satu Data portal commands")
def satudata() -> None:
    """Satu Data portal commands."""


@satudata.group("regions")
def regions_group() -> None:
    """Kemendagri region reference list."""


@regions_group.command("load")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def regions_load(csv_file: Path) -> None:
    """Load a national region list (CSV with columns kode, nama, tingkat).

    All or nothing: a bad line names its number and nothing is stored.
    """
    with csv_file.open(encoding="utf-8-sig", newline="") as handle:
        try:
            count = region.load(regions.read_csv(handle, str(csv_file)))
        except regions.RegionCodeError as err:
            raise click.ClickException(str(err)) from None
    click.secho(f"Loaded {count} regions from {csv_file}", fg="green")


@satudata.group("freshness")
def freshness_group() -> None:
    """Freshness of datasets (current / due soon / overdue)."""


@freshness_group.command("refresh")
def freshness_refresh() -> None:
    """Re-index the datasets whose freshness changed since they were indexed
    (run daily: the state depends on today's date)."""
    changed = search.refresh_freshness()
    click.echo(f"Re-indexed {len(changed)} dataset(s) whose freshness changed")
    for name in changed:
        click.echo(f"  {name}")


@satudata.group("harvest")
def harvest_group() -> None:
    """Harvest sources."""


@harvest_group.command("settings")
def harvest_settings() -> None:
    """Print the reference of every harvest source setting (Markdown)."""
    click.echo(docs.reference(), nl=False)


@satudata.group("demo")
def demo_group() -> None:
    """Demo content."""


@demo_group.command("load")
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
    name, password = loader.ensure_sysadmin(password_file)
    loader.ensure_harvest_user()
    organizations = loader.load_organizations()
    groups = loader.load_topic_groups()
    click.echo(f"OPDs: {_counts(organizations)}; topic groups: {_counts(groups)}")
    sources = loader.load_harvest_sources(dukcapil_feed, opd_files)
    if sources:
        click.echo(f"Harvest sources: {_counts(sources)}")
    click.secho(f"Sysadmin: {name} / {password}", fg="green", bold=True)
    for user, user_password, fullname in review_demo.ensure_users(
        password_file.with_name(DEMO_USERS_FILE)
    ):
        click.secho(f"{fullname}: {user} / {user_password}", fg="green")


# Beside the sysadmin's password file: the demo walidata's and producer's.
DEMO_USERS_FILE = "demo-users"


@demo_group.command("review")
def demo_review() -> None:
    """Put the harvested OPD datasets in a realistic review queue (run after
    `ckan satudata demo harvest`)."""
    counts = review_demo.load_queue()
    shown = ", ".join(f"{count} {state}" for state, count in sorted(counts.items()))
    click.echo(f"Review: {shown or 'no harvested OPD datasets'}")


@demo_group.command("harvest")
@click.argument("sources", nargs=-1)
@click.option("--timeout", default=900.0, show_default=True, help="Seconds to wait per source.")
def demo_harvest(sources: tuple[str, ...], timeout: float) -> None:
    """Harvest SOURCES (default: every harvest source) through the queue; the
    gather and fetch consumers must run."""
    for source in sources or loader.harvest_source_names():
        job = loader.run_harvest(source, timeout)
        stats = job.get("stats") or {}
        summary = ", ".join(f"{count} {kind}" for kind, count in sorted(stats.items()) if count)
        click.echo(f"{source}: {summary or 'nothing to do'}")


@demo_group.command("plan")
def demo_plan() -> None:
    """Load the demo Daftar Data 2025 and link what the demo harvest delivered
    (run after `ckan satudata demo harvest`)."""
    result = loader.load_plan()
    click.echo(
        f"Daftar Data {result['tahun']}: {result['items']} items ({result['created']} created, "
        f"{result['updated']} updated, {result['removed']} removed); "
        f"{result['linked']} datasets linked by their ID DDD, "
        f"{result['linked_by_hand']} Dukcapil datasets linked by hand"
    )


def _counts(results: dict[str, str]) -> str:
    created = sum(1 for r in results.values() if r == "created")
    return f"{created} created, {len(results) - created} updated"
