"""Validation benchmark: our gate vs plain ``frictionless.validate``.

Generates a 100,000-row CSV and XLSX (population by region and sex), validates
each with both in the same run and prints rows/second and the ratio of the
elapsed times, and the ratio of the CPU times (steadier on a loaded machine;
it counts every thread); checks that both report the same errors (type, row,
field, note and cells) on copies with errors; prints what the gate
itself costs on the clean files (inspect_file against the table validation
alone) and that its work grows with the cells, not the columns (a wide and a
tall table of the same cells); measures peak memory
of our engine on a 1,000,000-row CSV in a subprocess (VmHWM: the child's own
high-water mark; ru_maxrss would include the RSS of this parent, which Linux
carries over fork and exec).

    .venv/bin/python bench/bench_validation.py [--rows 100000] [--big-rows 1000000]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
from frictionless import Resource

from ckanext.satudata.standards import registry as standards
from ckanext.satudata.validation import engine
from ckanext.satudata.validation.inspection import inspect_file
from ckanext.satudata.validation.reader import Limits

STANDARD = "penduduk_jenis_kelamin"
HEADER = ["kode_wilayah", "nama_wilayah", "tahun", "semester", "laki_laki", "perempuan", "jumlah"]


def rows(count: int, with_errors: bool) -> list[list[object]]:
    return list(iter_rows(count, with_errors))


def iter_rows(count: int, with_errors: bool) -> Iterator[list[object]]:
    rng = random.Random(4)
    for index in range(count):
        male, female = rng.randint(100, 5000), rng.randint(100, 5000)
        # Codes outside the tenant (63.xx): format-checked only, so a clean
        # file is clean for both engines.
        code = f"63.{index // 99000 + 1:02d}.{index // 1000 % 99 + 1:02d}.{2000 + index % 1000:04d}"
        row: list[object] = [
            code,
            f"Desa {index}",
            2000 + index // 20000,
            1 + index % 2,
            male,
            female,
            male + female,
        ]
        if with_errors and index % 997 == 0:
            row[4] = "banyak"
        if with_errors and index % 1499 == 0:
            row[1] = ""
        yield row


def write_csv(path: Path, data: Iterable[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(data)


def write_xlsx(path: Path, data: list[list[object]]) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    workbook.save(path)


def _finding(error: dict[str, Any]) -> tuple:
    return tuple(error.get(key) for key in ("type", "rowNumber", "fieldName", "note", "cells"))


def plain(path: Path) -> tuple[float, float, list[tuple]]:
    """Elapsed and CPU seconds of plain frictionless, and its findings."""
    started, cpu = time.perf_counter(), time.process_time()
    report = Resource(
        path=path.name, basepath=str(path.parent), schema=standards.load_standard(STANDARD)
    ).validate()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return seconds, cpu, [_finding(e) for e in report.to_descriptor()["tasks"][0]["errors"]]


def ours(path: Path) -> tuple[float, float, list[tuple]]:
    """Elapsed and CPU seconds of our gate, and its findings."""
    started, cpu = time.perf_counter(), time.process_time()
    result = inspect_file(str(path), path.suffix[1:], STANDARD)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return seconds, cpu, [_finding(e) for e in result.report["tasks"][0]["errors"]]


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The best time of ``runs`` (the least disturbed by other work)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def gate_overhead(path: Path, kind: str) -> float:
    """inspect_file's time over the table validation alone: the cost of
    telling the kind by content and of the gate's decision."""
    gate = best_of(3, lambda: inspect_file(str(path), kind, STANDARD))
    table = best_of(3, lambda: engine.validate_table(str(path), kind, STANDARD, Limits()))
    return gate / table


def wide_vs_tall(base: Path, cells: int = 500_000) -> tuple[float, float]:
    """Seconds for a table of 1,000 columns and one of 10 columns, same cells."""
    found = []
    for columns in (1000, 10):
        path = base / f"shape-{columns}.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([f"k{i}" for i in range(columns)])
            for row in range(cells // columns):
                writer.writerow([row + i for i in range(columns)])
        found.append(best_of(2, lambda path=path: inspect_file(str(path), "csv", None)))
    return found[0], found[1]


def peak_rss_mb() -> float:
    """This process's peak resident memory."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def peak_memory_child(path: str) -> None:
    result = inspect_file(path, "csv", STANDARD)
    print(f"{result.status} {result.row_count} {peak_rss_mb():.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--big-rows", type=int, default=1_000_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        peak_memory_child(args.child)
        return

    with tempfile.TemporaryDirectory(prefix="bench-validation-") as folder:
        base = Path(folder)
        print(f"{args.rows:,} rows, standard {STANDARD}")
        print(
            f"{'file':<22}{'plain rows/s':>14}{'ours rows/s':>14}{'ratio':>8}{'CPU ratio':>11}"
            "  same findings"
        )
        for with_errors in (False, True):
            data = rows(args.rows, with_errors)
            for fmt in ("csv", "xlsx"):
                path = base / f"bench{'-errors' if with_errors else ''}.{fmt}"
                (write_csv if fmt == "csv" else write_xlsx)(path, data)
                plain_seconds, plain_cpu, plain_errors = plain(path)
                our_seconds, our_cpu, our_errors = ours(path)
                same = plain_errors == our_errors
                print(
                    f"{path.name:<22}{args.rows / plain_seconds:>14,.0f}{args.rows / our_seconds:>14,.0f}"
                    f"{plain_seconds / our_seconds:>7.1f}x{plain_cpu / our_cpu:>10.1f}x"
                    f"  {same} ({len(our_errors)} errors)"
                )
        for fmt in ("csv", "xlsx"):
            clean = base / f"bench.{fmt}"
            print(
                f"gate overhead on the clean {fmt}: {gate_overhead(clean, fmt):.2f}x the table validation alone"
            )
        wide, tall = wide_vs_tall(base)
        print(
            f"500,000 cells: 1,000 columns {wide:.2f} s, 10 columns {tall:.2f} s "
            f"(ratio {wide / tall:.2f}: work follows the cells)"
        )
        big = base / "big.csv"
        write_csv(big, iter_rows(args.big_rows, False))
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(big)],
            capture_output=True,
            text=True,
            check=True,
        )
        status, row_count, peak_mb = child.stdout.split()
        print(
            f"{int(row_count):,}-row CSV: status {status}, peak memory {peak_mb} MB (target < 300 MB)"
        )


if __name__ == "__main__":
    main()
