"""Benchmark: a national-scale Dukcapil semester through parse + checks + transform.

Generates (in a child process, so its memory is not counted) a national feed
shaped like Dukcapil's ArcGIS layers: 514 kabupaten/kota, 7,285 kecamatan and
83,762 desa/kelurahan records of ~125 fields each, as JSON pages of 10,000
records on disk. Then, in this process and timed: every page is parsed, every
record collected (personal-data guard, code parsing, integer counts), the
consistency checks run (sex sums, breakdown sums, desa -> kecamatan ->
kabupaten sums, presence of every region) and the three families' tidy tables
are written at desa level. Prints records/s and the peak memory (max RSS) of
this process. Target: < 60 s and < 1 GB on 2 cores. Publishing into CKAN is
not part of this figure.

    .venv/bin/python bench/bench_dukcapil.py [--desa 83762] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

from ckanext.satudata.demo.dukcapil_feed import add_counts, counts_for
from ckanext.satudata.harvesters.dukcapil import feed, pipeline, transform
from ckanext.satudata.harvesters.dukcapil.consistency import check
from ckanext.satudata.harvesters.dukcapil.records import RecordCollector
from ckanext.satudata.harvesters.dukcapil.standard import DEFAULT_FAMILIES, Semester
from ckanext.satudata.reference.regions import Region

NATIONAL = {"provinsi": 38, "kabupaten": 514, "kecamatan": 7_285, "desa": 83_762}
PAGE_SIZE = 10_000


def national_codes(desa_total: int) -> list[tuple[str, list[str]]]:
    """(kecamatan code, its desa codes), spread like the national counts."""
    rng = random.Random(83_762)
    scale = desa_total / NATIONAL["desa"]
    kabupaten = max(1, round(NATIONAL["kabupaten"] * scale))
    kab_per_prov = kabupaten // NATIONAL["provinsi"] + 1
    kecamatan = max(1, round(NATIONAL["kecamatan"] * scale))
    kec_per_kab = kecamatan // kabupaten + 1
    out: list[tuple[str, list[str]]] = []
    kecamatan_left, desa_left = kecamatan, desa_total
    for prov in range(11, 11 + NATIONAL["provinsi"]):
        for kab in range(1, kab_per_prov + 1):
            for kec in range(1, kec_per_kab + 1):
                if kecamatan_left == 0:
                    return out
                mean = desa_left / kecamatan_left
                count = (
                    desa_left
                    if kecamatan_left == 1
                    else max(1, round(rng.uniform(0.5, 1.5) * mean))
                )
                count = min(count, desa_left - (kecamatan_left - 1), 999)
                code = f"{prov:02d}.{kab:02d}.{kec:02d}"
                out.append((code, [f"{code}.{2000 + d:04d}" for d in range(1, count + 1)]))
                kecamatan_left -= 1
                desa_left -= count
    return out


def record(code: str, counts: dict[str, int], objectid: int) -> dict[str, object]:
    parts = [int(p) for p in code.split(".")]
    rec: dict[str, object] = {"objectid": objectid, "no_prop": parts[0], "nama_prop": "PROVINSI"}
    if len(parts) > 1:
        rec["no_kab"], rec["nama_kab"] = parts[1], "KABUPATEN"
    if len(parts) > 2:
        rec["no_kec"], rec["nama_kec"] = parts[2], "KECAMATAN"
    if len(parts) > 3:
        rec["no_kel"], rec["nama_kel"] = parts[3], "DESA CONTOH"
        rec["kode_desa_spatial"] = code.replace(".", "")
    rec.update(counts)
    rec["luas_wilayah"] = "1.234,56"
    rec["kepadatan_penduduk"] = "123,45"
    return rec


def generate(directory: str, desa_total: int) -> None:
    """Write layer pages: desa_NNN.json, kecamatan_NNN.json, kabupaten_NNN.json."""
    rng = random.Random(2024)
    out = Path(directory)
    page: list[dict[str, object]] = []
    page_number = 0
    kecamatan_counts: dict[str, dict[str, int]] = {}

    def flush(level: str) -> None:
        nonlocal page, page_number
        body = {"features": [{"attributes": r} for r in page], "exceededTransferLimit": True}
        (out / f"{level}_{page_number:04d}.json").write_text(json.dumps(body))
        page, page_number = [], page_number + 1

    objectid = 0
    for kecamatan, desa_codes in national_codes(desa_total):
        totals: dict[str, int] = {}
        for code in desa_codes:
            total = rng.randint(300, 9_000)
            counts = counts_for(total, total * 51 // 100, rng)
            add_counts(totals, counts)
            objectid += 1
            page.append(record(code, counts, objectid))
            if len(page) == PAGE_SIZE:
                flush("desa")
        kecamatan_counts[kecamatan] = totals
    if page:
        flush("desa")
    kabupaten_counts: dict[str, dict[str, int]] = {}
    for code, counts in kecamatan_counts.items():
        page.append(record(code, counts, len(page) + 1))
        add_counts(kabupaten_counts.setdefault(code[:5], {}), counts)
        if len(page) == PAGE_SIZE:
            flush("kecamatan")
    if page:
        flush("kecamatan")
    for code, counts in kabupaten_counts.items():
        page.append(record(code, counts, len(page) + 1))
    flush("kabupaten")
    regions = {
        "kabupaten": sorted(kabupaten_counts),
        "kecamatan": sorted(kecamatan_counts),
        "desa": [c for _, codes in national_codes(desa_total) for c in codes],
    }
    (out / "regions.json").write_text(json.dumps(regions))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--desa", type=int, default=NATIONAL["desa"])
    parser.add_argument("--keep", help="generate into (and keep) this directory")
    args = parser.parse_args()

    directory = args.keep or tempfile.mkdtemp(prefix="bench_dukcapil_")
    Path(directory).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    child = multiprocessing.get_context("spawn").Process(
        target=generate, args=(directory, args.desa)
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit("feed generation failed")
    pages = sorted(Path(directory).glob("*_*.json"))
    size = sum(p.stat().st_size for p in pages)
    print(
        f"generated {len(pages)} pages, {size / 1e6:.0f} MB of JSON in {time.perf_counter() - started:.1f} s"
    )

    region_codes = json.loads((Path(directory) / "regions.json").read_text())
    known = {
        code: Region(code, f"Wilayah {code}", level)
        for level, codes in region_codes.items()
        for code in codes
    }
    baseline = peak_rss_mb()

    t0 = time.perf_counter()
    collector = RecordCollector(known, DEFAULT_FAMILIES)
    fields = 0
    for path in pages:
        level = path.name.split("_", 1)[0]
        records, _ = feed.parse_page(path.read_bytes(), path.name)
        if records:
            fields = max(fields, len(records[0]))
        collector.add_records(records, level)
        del records
    data = collector.data
    t1 = time.perf_counter()
    check(data, known, "", levels=("kabupaten", "kecamatan", "desa"), families=DEFAULT_FAMILIES)
    t2 = time.perf_counter()
    result = pipeline.build_tables(
        pipeline.ReleaseResult(Semester.parse("2024-S1"), data), DEFAULT_FAMILIES, ["desa"]
    )
    table_bytes = sum(len(t) for t in result.tables.values())
    hashes = [transform.sha256(t) for t in result.tables.values()]
    t3 = time.perf_counter()

    total = t3 - t0
    records_read = data.records_read
    print(f"records: {records_read:,} ({len(data.rows['desa']):,} desa), {fields} fields each")
    print(
        f"issues: {data.issue_count} (expected 0); tables: {len(hashes)} families, {table_bytes / 1e6:.1f} MB CSV"
    )
    assert not data.issue_count, data.report()
    assert set(result.tables) == {(f, "desa") for f in DEFAULT_FAMILIES}
    print(f"parse + collect : {t1 - t0:6.2f} s  ({records_read / (t1 - t0):,.0f} records/s)")
    print(f"checks          : {t2 - t1:6.2f} s")
    print(f"tables (CSV)    : {t3 - t2:6.2f} s")
    print(f"total           : {total:6.2f} s  ({records_read / total:,.0f} records/s)")
    print(
        f"peak memory     : {peak_rss_mb():,.0f} MB max RSS (interpreter + imports: {baseline:,.0f} MB)"
    )
    if not args.keep:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
