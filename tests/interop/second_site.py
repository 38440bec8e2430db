"""A second CKAN site that harvests the portal, as a national catalogue
would: its own databases and Solr core (``--ini``), our schema and plugins,
and one harvest source of type ``dcat_rdf`` (ckanext-dcat, reading
/catalog.ttl) or ``ckan`` (ckanext-harvest, reading the CKAN API).

Run by tests/interop/test_harvest_round_trip.py in a process of its own (a
CKAN process has one configuration)::

    python second_site.py --ini SITE.ini --out results.json dcat_rdf=URL ckan=URL

For each harvester in turn it empties the site, creates what a national
operator creates (a sysadmin, the topic groups, an organization for the
regional portal, the harvest source), runs one harvest job through
ckanext-harvest's own stages and records every harvested dataset
(package_show), the validation reports and the job's errors; the results,
by harvester, are written as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

HARVEST_ORG = {
    "name": "satu-data-paser",
    "title": "Portal Satu Data Kabupaten Paser",
    "kode_opd": "2.16.2.20.2.21.01.0000",
    "peran": "walidata",
    "urusan": ["2.16"],
    "email": "satudata@paserkab.go.id",
}
SOURCE_CONFIGS: dict[str, dict[str, Any]] = {
    "dcat_rdf": {"rdf_format": "text/turtle"},
    # Keep the remote OPDs as organizations and the topic groups that exist here.
    "ckan": {"remote_orgs": "create", "remote_groups": "only_local"},
}


def harvest(harvester: str, url: str) -> dict[str, Any]:
    import live_site
    from ckan.lib import search
    from ckan.plugins import toolkit as tk
    from harvest_support import run_job

    from ckanext.satudata.demo import loader

    live_site.reset_portal()
    site = {
        "ignore_auth": True,
        "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"],
    }
    loader.ensure_harvest_user()
    loader.load_topic_groups()
    tk.get_action("organization_create")(dict(site), dict(HARVEST_ORG))
    source = tk.get_action("harvest_source_create")(
        dict(site),
        {
            "name": f"portal-paser-{harvester.replace('_', '-')}",
            "title": "Satu Data Kabupaten Paser",
            "url": url,
            "source_type": harvester,
            "owner_org": HARVEST_ORG["name"],
            "frequency": "MANUAL",
            "config": json.dumps(SOURCE_CONFIGS[harvester]),
        },
    )
    result = run_job(loader.HARVEST_USER, source["id"], harvester)
    search.commit()  # the site indexes without a commit per dataset
    found = tk.get_action("package_search")(
        dict(site), {"rows": 1000, "include_private": True, "fq": "dataset_type:dataset"}
    )["results"]
    datasets = [tk.get_action("package_show")(dict(site), {"id": d["id"]}) for d in found]
    reports = {}
    for dataset in datasets:
        for resource in dataset["resources"]:
            try:
                report = tk.get_action("satudata_validation_show")(
                    dict(site), {"resource_id": resource["id"]}
                )
            except tk.ObjectNotFound:
                continue
            reports[resource["url"]] = {k: report.get(k) for k in ("status", "summary")}
    return {
        "reports": reports,
        "gather_errors": result.gather_errors,
        "object_errors": result.object_errors,
        "statuses": result.statuses(),
        "datasets": datasets,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ini", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("sources", nargs="+", metavar="HARVESTER=URL")
    args = parser.parse_args()
    sources = dict(source.split("=", 1) for source in args.sources)
    unknown = set(sources) - set(SOURCE_CONFIGS)
    if unknown:
        parser.error(f"unknown harvester(s): {', '.join(sorted(unknown))}")

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    results = {}
    with app._wsgi_app.test_request_context():  # as the `ckan` command runs its commands
        for harvester, url in sources.items():
            results[harvester] = harvest(harvester, url)
    Path(args.out).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
