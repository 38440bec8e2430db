"""Benchmark of the data-quality score (quality/).

1. The rules alone: scores N generated datasets' evidence (default 10,000;
   every dimension exercised: tables with and without a standard, missing
   regions and years, blank cells, duplicate keys, wrong totals, levels
   that do not add up, schedules
   from weekly to ad hoc) and prints datasets per second.
2. With ``--ini`` (the real stack, an empty site: scripts/bench-site.sh):
   the nightly refresh of an N-dataset portal. N dataset rows and their
   stored evidence (scored yesterday) are written to PostgreSQL, then
   ``ckan satudata quality refresh`` runs as it does at night (service.refresh
   for today): every row re-scored, the changed ones stored and re-indexed
   in Solr. Prints its seconds against the 60-second target.

    .venv/bin/python bench/bench_quality.py [-n 10000]
    .venv/bin/python bench/bench_quality.py --ini "$(bash scripts/bench-site.sh)"

Imports of ckanext modules that need CKAN are inside functions: CKAN's
configuration must be loaded (main) before they are imported.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import time
import uuid
from typing import Any

FREQUENCIES = ("mingguan", "bulanan", "triwulanan", "semesteran", "tahunan", "ad_hoc")
STANDARDS = ("penduduk_jenis_kelamin", "indikator_wilayah_tahun", None)


def evidence(n: int, rng: random.Random, today: datetime.date) -> dict[str, Any]:
    """A plausible dataset's evidence, varied by ``n``."""
    from ckanext.satudata.quality import rules
    from ckanext.satudata.reference import regions

    kecamatan = sorted(c for c, r in regions.tenant_regions().items() if r.level == "kecamatan")
    years = list(range(2019 + n % 4, 2025))
    rows = len(kecamatan) * len(years)
    resources = []
    for index in range(1 + n % 3):
        standard = STANDARDS[(n + index) % len(STANDARDS)]
        present = {str(y): [c for c in kecamatan if rng.random() > 0.05 * (n % 3)] for y in years}
        resources.append(
            {"id": str(uuid.UUID(int=n * 10 + index)), "name": f"data-{index}.csv",
             "tabular": index < 2, "status": ("success", "failure", None)[n % 7 % 3],
             "standard": standard, "standard_source": "declared" if standard else None,
             "rows": rows, "required_cells": rows * 6, "blank_required": n % 5,
             "duplicate_keys": n % 4 if standard else None, "key": ["kode_wilayah", "tahun"],
             "region_errors": n % 6 == 0, "other_errors": n % 9, "years": years,
             "regions_by_year": present,
             "sums": [{"rule": "laki_laki + perempuan = jumlah", "checked": rows,
                       "mismatched": n % 8 == 0}] if standard else None,
             # Dukcapil's hierarchy check: a kabupaten row per year in some tables.
             "hierarchy": {"checked": len(years), "mismatched": int(n % 10 == 0),
                           "examples": [{"level": "kecamatan", "parent_level": "kabupaten",
                                         "region": "64.01", "region_name": "Paser",
                                         "period": f"{years[-1]}-S2", "column": "jumlah",
                                         "children": len(kecamatan), "summed": 1, "total": 2}]
                           if n % 10 == 0 else []} if standard and n % 5 == 0 else None}
        )  # fmt: skip
    missing = [f for i, f in enumerate(rules.RECOMMENDED_FIELDS) if (n >> i) & 1 and i % 3 == 0]
    last = today - datetime.timedelta(days=rng.randrange(0, 400))
    return {
        "dataset": {
            "jenis": "statistik", "tingkat_wilayah": "kecamatan", "kode_wilayah": kecamatan,
            "tahun_mulai": years[0] - n % 2, "tahun_akhir": years[-1],
            "accrualPeriodicity": FREQUENCIES[n % len(FREQUENCIES)],
            "last_update": last.isoformat(), "missing_fields": missing,
        },
        "mqa": {"points": 405 - 20 * (n % 5), "max": 405,
                "unmet": [{"key": "licence", "property": "dct:license",
                           "points": 0, "max": 20}] * min(1, n % 5)},
        "resources": resources,
    }  # fmt: skip


def bench_rules(count: int) -> dict[str, Any]:
    from ckanext.satudata.quality import rules

    rng = random.Random(16)
    today = datetime.date.today()
    generated = [evidence(n, rng, today) for n in range(count)]
    started = time.perf_counter()
    grades: dict[str, int] = {}
    for found in generated:
        quality = rules.assess(found, rules.DEFAULT_WEIGHTS, today)
        grades[quality.grade] = grades.get(quality.grade, 0) + 1
    seconds = time.perf_counter() - started
    return {
        "datasets": count,
        "seconds": round(seconds, 2),
        "datasets_per_second": round(count / seconds),
        "grades": dict(sorted(grades.items())),
    }


def bench_refresh(count: int) -> dict[str, Any]:
    """The nightly refresh of a portal of ``count`` datasets, scored yesterday."""
    import sqlalchemy as sa
    from ckan import model
    from ckan.plugins import toolkit as tk

    from ckanext.satudata import config
    from ckanext.satudata.model import quality_score
    from ckanext.satudata.quality import rules, service

    rng = random.Random(6401)
    today = datetime.date.today()
    yesterday = today - datetime.timedelta(days=1)
    owner = tk.get_action("organization_create")(
        {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]},
        {"name": f"opd-bench-{uuid.uuid4().hex[:6]}", "title": "OPD Benchmark",
         "kode_opd": "1.0", "peran": "produsen_data", "urusan": ["2.16"],
         "email": "bench@paserkab.go.id"},
    )["id"]  # fmt: skip
    weights = config.quality_weights()
    started = time.perf_counter()
    packages, scores = [], []
    now = datetime.datetime.utcnow()
    for n in range(count):
        package_id = str(uuid.uuid4())
        found = evidence(n, rng, yesterday)
        quality = rules.assess(found, weights, yesterday).as_dict()
        packages.append(
            {"id": package_id, "name": f"bench-quality-{package_id[:8]}-{n}",
             "title": f"Dataset kualitas {n}", "type": "dataset", "state": "active",
             "private": False, "owner_org": owner, "metadata_created": now,
             "metadata_modified": now}
        )  # fmt: skip
        scores.append(
            {"package_id": package_id, "organization_id": owner, "score": quality["score"],
             "grade": quality["grade"], "dimensions": quality["dimensions"],
             "deductions": quality["deductions"], "evidence": found,
             "computed": now, "gathered": now}
        )  # fmt: skip
    model.Session.execute(sa.insert(model.package_table), packages)
    model.Session.execute(sa.insert(quality_score.QualityScore), scores)
    model.Session.commit()
    written = time.perf_counter() - started

    result = service.refresh(today)
    return {
        "datasets": result.datasets,
        "seconds_to_write_the_portal": round(written, 1),
        "nightly_refresh_seconds": round(result.seconds, 1),
        "changed_and_reindexed": len(result.changed),
        "target_seconds": 60,
        "within_target": result.seconds < 60,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--ini", help="the real stack (scripts/bench-site.sh) for the refresh")
    parser.add_argument("-n", type=int, default=10_000, help="datasets")
    args = parser.parse_args()
    report: dict[str, Any] = {"rules": bench_rules(args.n)}
    if args.ini:
        from ckan.cli import load_config
        from ckan.config.middleware import make_app

        flask_app = make_app(load_config(args.ini))._wsgi_app  # pyright: ignore[reportAttributeAccessIssue]
        with flask_app.test_request_context():
            report["nightly_refresh"] = bench_refresh(args.n)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
