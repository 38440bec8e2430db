"""``ckan satudata …`` commands."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["satudata"]


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
def demo() -> None:
    """Demo content."""


@demo.command("load")
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where the demo sysadmin's password is kept between runs.",
)
def demo_load(password_file: Path) -> None:
    """Create (or update) the sysadmin, the OPDs and the topic groups."""
    from ckanext.satudata import demo as demo_content

    name, password = demo_content.ensure_sysadmin(password_file)
    organizations = demo_content.load_organizations()
    groups = demo_content.load_topic_groups()
    click.echo(f"OPDs: {_counts(organizations)}; topic groups: {_counts(groups)}")
    click.secho(f"Sysadmin: {name} / {password}", fg="green", bold=True)


def _counts(results: dict[str, str]) -> str:
    created = sum(1 for r in results.values() if r == "created")
    return f"{created} created, {len(results) - created} updated"
