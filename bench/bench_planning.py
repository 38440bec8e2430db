"""Benchmark of the year's Daftar Data (planning/) on the real stack.

Generates a plan of N items (default 1000) for five OPDs, creates D datasets
(default 100) that carry an item's ID DDD, then times: reading the file with
the inventory reader alone (the baseline), the first import (creates every
item, links the D datasets), a second import (updates them all), computing a
year's progress (service.year_views + summary), the XLSX export and the
Daftar Data page. Prints seconds and each as a ratio of the baseline.

    INI=$(bash scripts/test-env.sh NAME REDIS_DB)
    .venv/bin/python bench/bench_planning.py --ini $INI [-n 1000] [-d 100]

Imports of ckanext modules are inside functions: CKAN's configuration must
be loaded (main) before they are imported.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

PLAN_YEAR = 2025


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def build_plan(count: int, producers: list[str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["DAFTAR DATA (benchmark)"])
    sheet.append(["ID DDD", "Nama Data", "Produsen Data", "Jenis Data", "Klasifikasi Data",
                  "Satuan", "Jadwal Pemutakhiran", "Topik", "Subtopik", "Data Prioritas",
                  "Kriteria Prioritas", "Jadwal Rilis"])  # fmt: skip
    for n in range(count):
        release = datetime.date(PLAN_YEAR, 1, 1) + datetime.timedelta(days=n % 360)
        sheet.append([
            f"DDD-BENCH-{n:05d}", f"Indikator Sintetis {n:05d} menurut Kecamatan",
            producers[n % len(producers)], "Statistik", "Terbuka", "Unit", "Tahunan",
            "Pendukung Umum", "Statistik", "Ya" if n % 5 == 0 else "Tidak",
            "RPJMD" if n % 5 == 0 else "", release.strftime("%d/%m/%Y"),
        ])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(count: int, datasets: int, client: Any) -> dict[str, Any]:
    from ckan.plugins import toolkit as tk
    from werkzeug.datastructures import FileStorage

    from ckanext.satudata import contexts
    from ckanext.satudata.harvesters.spreadsheet import inventory
    from ckanext.satudata.planning import exporting, service

    tag = secrets.token_hex(3)
    organizations = []
    for n in range(5):
        organizations.append(
            tk.get_action("organization_create")(
                contexts.site(),
                {"name": f"opd-plan-{tag}-{n}", "title": f"OPD Perencanaan {tag} {n}",
                 "kode_opd": "2.20.0.00.0.00.01.0000", "peran": "produsen_data",
                 "urusan": ["2.20"], "email": f"plan-{tag}-{n}@paserkab.go.id"},
            )
        )  # fmt: skip
    content = build_plan(count, [o["title"] for o in organizations])
    for n in range(datasets):
        owner = organizations[n % len(organizations)]
        tk.get_action("package_create")(
            contexts.site(),
            {"name": f"plan-{tag}-{n}", "title": f"Indikator Sintetis {n:05d}", "notes": "Benchmark.",
             "owner_org": owner["id"], "theme": "pendukung-umum", "jenis": "statistik",
             "accessRights": "terbuka", "accrualPeriodicity": "tahunan", "periode": "tahun",
             "tahun_mulai": 2024, "tingkat_wilayah": "kabupaten", "kode_wilayah": ["64.01"],
             "satuan": "unit", "id_dds": f"DDD-BENCH-{n:05d}"},
        )  # fmt: skip

    def import_plan() -> dict[str, int]:
        return tk.get_action("satudata_daftar_data_import")(
            contexts.site(),
            {"tahun": PLAN_YEAR, "upload": FileStorage(io.BytesIO(content), filename="plan.xlsx")},
        )

    today = datetime.date(PLAN_YEAR, 7, 1)
    baseline, parsed = timed(lambda: inventory.read_inventory(content, use=inventory.PLAN))
    first_seconds, first = timed(import_plan)
    second_seconds, second = timed(import_plan)
    views_seconds, views = timed(lambda: service.year_views(PLAN_YEAR, None, today))
    summary_seconds, summary = timed(lambda: service.summary(views))
    export_seconds, exported = timed(
        lambda: exporting.export(exporting.DAFTAR_DATA, "xlsx", PLAN_YEAR, views)
    )
    page_seconds, response = timed(lambda: client.get(f"/daftar-data/{PLAN_YEAR}"))
    assert response.status_code == 200
    assert len(parsed.rows) == count and first["created"] == count and second["updated"] == count

    def entry(seconds: float) -> dict[str, Any]:
        return {"seconds": round(seconds, 3), "x_reader": round(seconds / baseline, 2)}

    return {
        "items": count,
        "datasets_linked": first["linked"],
        "reader_alone (baseline)": {"seconds": round(baseline, 3)},
        "first_import": entry(first_seconds),
        "second_import": entry(second_seconds),
        "progress_of_the_year": entry(views_seconds + summary_seconds),
        "export_xlsx": {**entry(export_seconds), "bytes": len(exported.content)},
        "daftar_data_page": entry(page_seconds),
        "overdue": summary["kabupaten"]["overdue"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--ini", required=True)
    parser.add_argument("-n", type=int, default=1000, help="items in the plan")
    parser.add_argument("-d", type=int, default=100, help="datasets carrying an item's ID DDD")
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    flask_app = make_app(load_config(args.ini))._wsgi_app  # pyright: ignore[reportAttributeAccessIssue]
    with flask_app.test_request_context():
        print(json.dumps(run(args.n, args.d, flask_app.test_client()), indent=2))


if __name__ == "__main__":
    main()
