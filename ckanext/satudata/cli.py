"""``ckan satudata …`` commands."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from ckan.plugins import toolkit as tk

from ckanext.satudata.catalog import index_check, reindex, search
from ckanext.satudata.demo import loader
from ckanext.satudata.demo import review as review_demo
from ckanext.satudata.harvesters import docs
from ckanext.satudata.model import region
from ckanext.satudata.ops import backup, consumers, jobs_worker, queues, scheduler, watchdog
from ckanext.satudata.quality import service as quality_service
from ckanext.satudata.reference import regions
from ckanext.satudata.validation import recovery

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


def _consume(stage: queues.Stage) -> None:
    if not queues.uses_redis():
        raise click.ClickException(
            "these consumers read ckanext-harvest's Redis queues (ckan.harvest.mq.type = redis)"
        )
    raise SystemExit(consumers.Consumer(stage).run())


@harvest_group.command("gather-consumer")
def gather_consumer() -> None:
    """Consume the gather queue (in place of `ckan harvester gather-consumer`):
    infrastructure errors are tried again with backoff, duplicates dropped;
    exits with status 75 when Redis or PostgreSQL stays unreachable, for a
    supervisor to restart it."""
    _consume(queues.GATHER)


@harvest_group.command("fetch-consumer")
def fetch_consumer() -> None:
    """Consume the fetch queue (in place of `ckan harvester fetch-consumer`),
    as gather-consumer does."""
    _consume(queues.FETCH)


@satudata.group("jobs")
def jobs_group() -> None:
    """CKAN background jobs."""


@jobs_group.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Exit when the queues are empty.")
def jobs_worker_command(queues: tuple[str, ...], burst: bool) -> None:
    """`ckan jobs worker` without a fork per job: each job runs in this
    process, which loaded CKAN once (ops/jobs_worker.py). Same queues
    (default: CKAN's default queue), timeouts and failure handling."""
    jobs_worker.work(list(queues), burst=burst)


@satudata.command("watchdog")
def watchdog_command() -> None:
    """Take up work a fault left behind, once: harvest jobs and objects that
    are neither queued nor being processed, validations and DataStore loads
    that were lost (the scheduler runs this every few minutes)."""
    lines = watchdog.recover_harvests() + recovery.recover()
    for line in lines:
        click.echo(line)
    click.echo(f"{len(lines)} finding(s)")


@satudata.command("scheduler")
@click.option("--interval", default=300, show_default=True, help="Seconds between runs.")
@click.option("--once", is_flag=True, help="Run every task once and exit.")
def scheduler_command(interval: int, once: bool) -> None:
    """Periodic work: harvest jobs run and the watchdog every INTERVAL
    seconds; harvest log clean-up, freshness refresh and the index check
    with repair once a day."""
    scheduler.Scheduler(interval).run(once=once)


@satudata.group("index")
def index_group() -> None:
    """The search index (Solr) against the database."""


@index_group.command("rebuild")
@click.option(
    "--processes", default=2, show_default=True, type=click.IntRange(1),
    help="Processes sharing the datasets (about one per core).",
)  # fmt: skip
def index_rebuild_command(processes: int) -> None:
    """Re-index every dataset, as ``ckan search-index rebuild`` does, in
    several processes (catalog/reindex.py)."""
    done = reindex.rebuild(processes)
    click.echo(
        f"Indexed {done.datasets} dataset(s) in {done.seconds:.1f} s with {done.processes} process(es)"
    )


@index_group.command("rebuild-part", hidden=True)
def index_rebuild_part_command() -> None:
    """One process's share of ``index rebuild``: dataset ids on standard input."""
    reindex.rebuild_part([line.strip() for line in sys.stdin if line.strip()])


@index_group.command("check")
@click.option("--repair", is_flag=True, help="Re-index what differs, drop what is extra.")
def index_check_command(repair: bool) -> None:
    """Compare the datasets of the database and of Solr (ids and
    metadata_modified). Exit status 1 when they differ and --repair was not given."""
    found = index_check.check()
    click.echo(found.summary())
    for label, ids in (("missing", found.missing), ("stale", found.stale), ("extra", found.extra)):
        for package_id in ids[:20]:
            click.echo(f"  {label}: {package_id}")
        if len(ids) > 20:
            click.echo(f"  … and {len(ids) - 20} more {label}")
    if found.agrees:
        return
    if not repair:
        raise SystemExit(1)
    index_check.repair(found)
    again = index_check.check()
    click.echo(f"after repair: {again.summary()}")
    if not again.agrees:
        raise SystemExit(1)


@satudata.group("backup")
def backup_group() -> None:
    """Backups of the site (make backup / make restore) and the restore drill."""


@backup_group.command("create")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
def backup_create(target: Path) -> None:
    """Back up both databases, the uploaded files and the configuration
    (secrets masked) into TARGET, an empty or new directory."""
    try:
        manifest = backup.create(target, Path(tk.config["__file__"]))
    except backup.BackupError as err:
        raise click.ClickException(str(err)) from None
    size = sum(f["bytes"] for f in manifest["files"].values())
    click.echo(f"Backup written to {target}: {size:,} bytes in {manifest['seconds']} s")
    for name, info in manifest["files"].items():
        click.echo(f"  {name}: {info['bytes']:,} bytes")


@backup_group.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a site that already holds datasets.")
def backup_restore(source: Path, force: bool) -> None:
    """Restore a backup into this (empty) site: databases, files, the search
    index rebuilt; then compare the site with the backup's fingerprint and
    the index with the database (exit status 1 if anything differs). The
    DataStore permissions are set apart (scripts/restore.sh)."""
    started = time.monotonic()
    try:
        manifest = backup.restore(source, force=force)
    except backup.BackupError as err:
        raise click.ClickException(str(err)) from None
    found = backup.differences(manifest["fingerprint"], backup.fingerprint())
    checked = index_check.check()
    click.echo(
        f"Restored the backup of {manifest['created']} from {source} "
        f"in {time.monotonic() - started:.1f} s"
    )
    click.echo(f"index: {checked.summary()}")
    for line in found:
        click.echo(f"  differs: {line}")
    if found or not checked.agrees:
        raise SystemExit(1)
    click.echo("datasets, resources, files, validation reports, activities, harvest objects "
               "and DataStore rows: identical")  # fmt: skip


@backup_group.command("fingerprint")
def backup_fingerprint() -> None:
    """Print what a restore must reproduce (counts and digests), as JSON."""
    click.echo(json.dumps(backup.fingerprint(), indent=1, sort_keys=True))


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


@satudata.group("quality")
def quality_group() -> None:
    """Data quality scores of datasets."""


@quality_group.command("refresh")
@click.option(
    "--gather",
    is_flag=True,
    help="Gather every dataset's evidence again first (after an upgrade or a rule change).",
)
def quality_refresh(gather: bool) -> None:
    """Re-score every dataset from its stored evidence for today (run nightly:
    timeliness depends on the date) and re-index those whose score moved."""
    result = quality_service.refresh(gather=gather)
    click.echo(
        f"Scored {result.datasets} dataset(s) in {result.seconds:.1f} s; "
        f"{len(result.changed)} changed and re-indexed"
    )
