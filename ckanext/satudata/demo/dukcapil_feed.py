"""Sample Dukcapil DKB feed: ArcGIS-style REST layers for Kabupaten Paser.

Why one module: the generated release, both service layouts, the spreadsheet
and the fault switches the tests flip are one server, run as one command.

Generated deterministically (seeded) from the tenant region list, so nothing
large is committed. Every semester is internally consistent (desa sum to
kecamatan, kecamatan to kabupaten, every breakdown to its total) and Semester
II 2024 matches the published figure (309,667: L 160,276 / P 149,391).

Serves, on 127.0.0.1::

    /arcgis/rest/services/DKB_<LEVEL>_<YYYY>_S<n>/MapServer/0/query?where=..&resultOffset=..
        one service per region level, as Dukcapil publishes them (LEVEL KAB, KEC,
        DESA); 2024-S1, 2024-S2, 2025-S1
    /arcgis/rest/services/DKB_<YYYY>_S<n>/MapServer/<layer>/query?...
        the same release as one service with a layer per level (layers 1
        kabupaten, 2 kecamatan, 3 desa/kelurahan)
    /dkb/<YYYY>-S<n>.csv | .xlsx      the same release as a Disdukcapil spreadsheet
    /_control?...                    switch faults and the correction (see Faults)

With a token set (``--token-env NAME``, or ``state.token``) the layers answer
only queries carrying it (``?token=``), as a secured ArcGIS service does
("499 Token Required").

Run: ``python -m ckanext.satudata.demo.dukcapil_feed --port 8765``.
Pure Python: no CKAN import.

Why one module: it is one program (the demo and the tests start it with
``python -m``); the figures, the faults it can be told to make and the
handler serving them change together whenever the feed's shape does.
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import json
import os
import random
import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from openpyxl import Workbook

from ckanext.satudata.harvesters.dukcapil.standard import DEFAULT_FAMILIES
from ckanext.satudata.harvesters.settings import secret_env_prefix
from ckanext.satudata.reference import regions

SEED = 6401
DEMO_ORGANIZATION = "disdukcapil-paser"
# Published and plausible totals per semester: (jumlah, laki-laki).
SEMESTER_TOTALS: dict[str, tuple[int, int]] = {
    "2024-S1": (307_842, 159_361),
    "2024-S2": (309_667, 160_276),
    "2025-S1": (311_905, 161_398),
}
# Rough share of the kabupaten's population per kecamatan (BPS Paser in figures).
KECAMATAN_WEIGHTS = {
    "01": 26, "02": 10, "03": 31, "04": 72, "05": 29,
    "06": 46, "07": 15, "08": 30, "09": 16, "10": 8,
}  # fmt: skip
LAYERS = {1: "kabupaten", 2: "kecamatan", 3: "desa"}
# Per-level services: the name's level part -> the layer of the one-service layout
# (faults are keyed by that layer whichever layout is asked).
SERVICE_LEVELS = {"KAB": 1, "KEC": 2, "DESA": 3}
LEVEL_SERVICES = {LAYERS[layer]: name for name, layer in SERVICE_LEVELS.items()}
MAX_RECORD_COUNT = 1000

AGE_KEYS = tuple(f"u{low}" for low in range(0, 80, 5))
# A young population: share of each 5-year band, 0-4 ... 75+.
AGE_WEIGHTS = (88, 90, 89, 84, 82, 83, 82, 80, 76, 70, 62, 52, 42, 31, 20, 26)
RELIGION_KEYS = ("islam", "kristen", "katholik", "hindu", "budha", "konghucu", "kepercayaan")
RELIGION_WEIGHTS = (9120, 560, 230, 60, 20, 3, 7)
EDUCATION_KEYS = (
    "tidak_blm_sekolah", "belum_tamat_sd", "tamat_sd", "sltp", "slta",
    "d1_dan_d2", "d3", "s1", "s2", "s3",
)  # fmt: skip
EDUCATION_WEIGHTS = (2300, 1500, 2100, 1500, 2000, 60, 140, 380, 18, 2)
MARITAL_KEYS = ("belum_kawin", "kawin", "cerai_hidup", "cerai_mati")
MARITAL_WEIGHTS = (4700, 4800, 180, 320)
OCCUPATION_KEYS = (
    "belum_tidak_bekerja", "pelajar_mahasiswa", "mengurus_rumah_tangga", "pensiunan",
    "wiraswasta", "perdagangan", "nelayan", "guru", "perawat", "pengacara",
    "petani_pekebun", "peternak", "buruh_harian_lepas", "buruh_tani_perkebunan",
    "karyawan_swasta", "karyawan_bumn", "karyawan_bumd", "karyawan_honorer", "pegawai_negeri_sipil",
    "tni", "polri", "transportasi", "industri", "konstruksi", "sopir", "tukang_kayu",
    "tukang_batu", "mekanik", "bidan", "dokter", "perangkat_desa", "kepala_desa",
    "ustadz_mubaligh", "pendeta", "lainnya",
)  # fmt: skip
OCCUPATION_WEIGHTS = (
    1900, 2100, 1500, 60, 900, 150, 120, 90, 30, 2, 1200, 40, 300, 400, 700, 40, 10,
    60, 120, 30, 25, 20, 20, 30, 40, 15, 15, 20, 8, 3, 20, 2, 5, 2, 30,
)  # fmt: skip


def split(
    total: int, weights: Sequence[int], rng: random.Random, jitter: float = 0.15
) -> list[int]:
    """Split ``total`` into len(weights) non-negative integers summing to it exactly."""
    noisy = [max(1, int(w * (1 + rng.uniform(-jitter, jitter)) * 1000)) for w in weights]
    whole = sum(noisy)
    parts = [total * w // whole for w in noisy]
    # Largest share absorbs the rounding remainder, so parts stay non-negative.
    parts[noisy.index(max(noisy))] += total - sum(parts)
    return parts


def counts_for(total: int, male: int, rng: random.Random) -> dict[str, int]:
    """Every count of one desa, all breakdowns summing to ``total``."""
    counts: dict[str, int] = {"jumlah_penduduk": total, "pria": male, "wanita": total - male}
    counts["jumlah_kk"] = max(1, round(total / 3.3))
    for keys, weights in (
        (AGE_KEYS, AGE_WEIGHTS),
        (RELIGION_KEYS, RELIGION_WEIGHTS),
        (EDUCATION_KEYS, EDUCATION_WEIGHTS),
        (MARITAL_KEYS, MARITAL_WEIGHTS),
        (OCCUPATION_KEYS, OCCUPATION_WEIGHTS),
    ):
        counts.update(zip(keys, split(total, weights, rng), strict=True))
    # Age bands by sex (the feed carries them too): the men's bands sum to ``pria``.
    males = [counts[key] * male // total if total else 0 for key in AGE_KEYS]
    for index in range(male - sum(males)):
        # Rounding remainder, one man per band from the largest, never above the band.
        band = sorted(range(len(AGE_KEYS)), key=lambda i: -counts[AGE_KEYS[i]])[
            index % len(AGE_KEYS)
        ]
        males[band] += 1
    for key, band_males in zip(AGE_KEYS, males, strict=True):
        counts[f"{key}_l"], counts[f"{key}_p"] = band_males, counts[key] - band_males
    counts["jml_lahir"] = total * 9 // 1000
    counts["jml_meninggal"] = total * 3 // 1000
    counts["perpindahan_pddk"] = total * 12 // 1000
    counts["jml_wktp"] = total * 72 // 100
    counts["jml_rekam_wktp"] = counts["jml_wktp"] * 97 // 100
    return counts


def add_counts(target: dict[str, int], source: dict[str, int]) -> None:
    for key, value in source.items():
        target[key] = target.get(key, 0) + value


@dataclass
class Release:
    """One semester: counts per dotted code at every level."""

    semester: str
    counts: dict[str, dict[str, int]]


def generate(semester: str, *, revised: bool = False) -> Release:
    """The sample release of ``semester`` for the tenant (deterministic)."""
    total, male = SEMESTER_TOTALS[semester]
    known = regions.tenant_regions()
    root = regions.tenant_root()
    rng = random.Random(f"{SEED}:{semester}")
    desa = sorted(c for c in known if c.count(".") == 3)
    # Desa weights: stable across semesters (same seed) so figures evolve smoothly.
    shape = random.Random(SEED)
    weights = []
    for code in desa:
        kecamatan = code.split(".")[2]
        count_in_kec = sum(1 for c in desa if c.split(".")[2] == kecamatan)
        base = KECAMATAN_WEIGHTS[kecamatan] * 1_000_000 // count_in_kec
        bigger = 3 if code.split(".")[3].startswith("1") else 1  # kelurahan are towns
        weights.append(int(base * bigger * shape.uniform(0.5, 1.5)))
    desa_totals = split(total, weights, rng, jitter=0.01)
    # Men per desa around the kabupaten ratio; the last desa closes the total.
    males = [t * male // total for t in desa_totals]
    males[-1] += male - sum(males)
    counts: dict[str, dict[str, int]] = {}
    for code, desa_total, desa_male in zip(desa, desa_totals, males, strict=True):
        counts[code] = counts_for(desa_total, desa_male, rng)
    if revised:
        # Dukcapil correction: late-registered births and a double record removed.
        _revise(counts, desa[40], +37, +20)
        _revise(counts, desa[97], -11, -6)
    for level_depth in (3, 2):
        for code in [c for c in counts if c.count(".") == level_depth]:
            parent = code.rsplit(".", 1)[0]
            add_counts(counts.setdefault(parent, {}), counts[code])
    assert root in counts
    return Release(semester, counts)


def _revise(counts: dict[str, dict[str, int]], code: str, delta: int, male_delta: int) -> None:
    row = counts[code]
    row["jumlah_penduduk"] += delta
    row["pria"] += male_delta
    row["wanita"] += delta - male_delta
    for key in ("u0", "islam", "tidak_blm_sekolah", "belum_kawin", "belum_tidak_bekerja"):
        row[key] += delta
    row["u0_l"] += male_delta
    row["u0_p"] += delta - male_delta


def records(release: Release, level: str) -> list[dict[str, Any]]:
    """ArcGIS attribute dicts of one layer, as Dukcapil spells them."""
    known = regions.tenant_regions()
    depth = {"kabupaten": 1, "kecamatan": 2, "desa": 3}[level]
    out = []
    for objectid, code in enumerate(
        sorted(c for c in release.counts if c.count(".") == depth), start=1
    ):
        parts = code.split(".")
        record: dict[str, Any] = {"objectid": objectid}
        record["no_prop"], record["nama_prop"] = int(parts[0]), "KALIMANTAN TIMUR"
        record["no_kab"], record["nama_kab"] = int(parts[1]), "PASER"
        if depth >= 2:
            record["no_kec"], record["nama_kec"] = int(parts[2]), known[code[:8]].name.upper()
        if depth >= 3:
            record["no_kel"], record["nama_kel"] = int(parts[3]), known[code].name.upper()
            record["kode_desa_spatial"] = code.replace(".", "")
        counts = release.counts[code]
        record.update(counts)
        # Formatted strings, as in the real feed (desa repeat the kabupaten area).
        record["luas_wilayah"] = "11.603,94"
        record["kepadatan_penduduk"] = f"{counts['jumlah_penduduk'] / 11603.94:.2f}".replace(
            ".", ","
        )
        out.append(record)
    if level == "desa":
        # Dukcapil quirk: an exact duplicate differing only in objectid.
        out.append({**out[5], "objectid": len(out) + 1})
    return out


# --- faults ------------------------------------------------------------------


@dataclass
class Faults:
    """Switches the tests flip; each applies to the query responses of the feed."""

    fail_pages: dict[tuple[int, int], int] = field(
        default_factory=dict
    )  # (layer, offset) -> 500s left
    # (layer, offset) -> ArcGIS error objects {"error": {"code": 500}} sent with HTTP 200 left
    arcgis_errors: dict[tuple[int, int], int] = field(default_factory=dict)
    dirty_code: bool = False  # a desa record with a code not in the region list
    missing_keys: set[str] = field(default_factory=set)  # fields no record carries
    delay_seconds: float = 0.0
    empty: bool = False
    truncated: bool = False
    nik: bool = False
    inconsistent: bool = False
    revised: set[str] = field(default_factory=set)  # semesters served corrected

    def reset(self) -> None:
        fresh = Faults()
        for name in vars(fresh):
            setattr(self, name, getattr(fresh, name))


class FeedState:
    def __init__(self) -> None:
        self.faults = Faults()
        self.lock = threading.Lock()
        self.requests: list[str] = []
        self.token: str | None = None  # the ArcGIS token asked for; None: an open feed

    @functools.lru_cache(maxsize=16)  # noqa: B019 (one state per server, few keys)
    def release(self, semester: str, revised: bool) -> Release:
        return generate(semester, revised=revised)

    def layer_records(self, semester: str, layer: int) -> list[dict[str, Any]]:
        faults = self.faults
        release = self.release(semester, semester in faults.revised)
        rows = [dict(r) for r in records(release, LAYERS[layer])]
        if faults.nik and layer == 3:
            # A record carrying a personal identifier (a woman born 5 Dec 1990).
            rows[10]["nik"] = "6401044512900001"
        if faults.inconsistent and layer == 2:
            rows[3]["jumlah_penduduk"] += 25
            rows[3]["pria"] += 25
        if faults.dirty_code:
            rows = _with_dirty_desa(release, layer, rows)
        if faults.missing_keys:
            rows = [{k: v for k, v in r.items() if k not in faults.missing_keys} for r in rows]
        return rows


DIRTY_DESA_CODE = "64.01.01.9999"


def _with_dirty_desa(
    release: Release, layer: int, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """As in the real feed: a desa record whose code Kemendagri's list does not
    have, with figures of its own (a copy of the kecamatan's first desa's) that
    its kecamatan and the kabupaten count in their totals."""
    first = min(c for c in release.counts if c.startswith("64.01.01.") and c.count(".") == 3)
    extra = release.counts[first]
    if layer == 3:
        template = next(r for r in rows if r["kode_desa_spatial"] == first.replace(".", ""))
        return [
            *rows,
            {**template, "objectid": len(rows) + 1, "no_kel": 9999,
             "kode_desa_spatial": DIRTY_DESA_CODE.replace(".", ""),
             "nama_kel": "DESA TIDAK DIKENAL"},
        ]  # fmt: skip
    parents = {"64.01.01"} if layer == 2 else {"64.01"}
    out = []
    for row in rows:
        code = ".".join(str(row[k]).zfill(2) for k in ("no_prop", "no_kab", "no_kec") if k in row)
        if code in parents:
            row = {**row, **{k: row[k] + v for k, v in extra.items() if k in row}}
        out.append(row)
    return out


_SERVICE_RE = re.compile(r"^/arcgis/rest/services/DKB_(\d{4})_S([12])/MapServer/(\d+)/query$")
_LEVEL_SERVICE_RE = re.compile(
    r"^/arcgis/rest/services/DKB_(KAB|KEC|DESA)_(\d{4})_S([12])/MapServer/(\d+)/query$"
)
_SHEET_RE = re.compile(r"^/dkb/(\d{4}-S[12])\.(csv|xlsx)$")


def _matches_where(record: dict[str, Any], where: str) -> bool:
    """The ``key=value AND ...`` subset of ArcGIS where clauses the harvester sends."""
    for clause in re.split(r"\s+AND\s+", where.strip(), flags=re.IGNORECASE):
        if clause.replace(" ", "") in ("1=1", ""):
            continue
        key, _, value = clause.partition("=")
        if str(record.get(key.strip())) != value.strip().strip("'"):
            return False
    return True


def spreadsheet_rows(release: Release) -> tuple[list[str], list[list[Any]]]:
    """A Disdukcapil-style sheet: kecamatan and desa rows, readable column names."""
    known = regions.tenant_regions()
    sample = release.counts[regions.tenant_root()]
    count_keys = [k for k in sample if k not in ("pria", "wanita", "jumlah_penduduk")]
    header = ["kode_wilayah", "nama_wilayah", "laki_laki", "perempuan", "jumlah", *count_keys]
    rows = []
    for code in sorted(release.counts):
        counts = release.counts[code]
        rows.append(
            [code.replace(".", ""), known[code].name.upper(), counts["pria"], counts["wanita"],
             counts["jumlah_penduduk"], *(counts[k] for k in count_keys)]
        )  # fmt: skip
    return header, rows


class Handler(BaseHTTPRequestHandler):
    server: FeedServer  # pyright: ignore[reportIncompatibleVariableOverride] (the server it runs in)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        state = self.server.state
        with state.lock:
            state.requests.append(self.path)
        if parts.path == "/_control":
            self._control(query)
            return
        if match := _SHEET_RE.match(parts.path):
            self._sheet(match[1], match[2])
            return
        if match := _LEVEL_SERVICE_RE.match(parts.path):
            # One service per level: its only layer is 0.
            semester = f"{match[2]}-S{match[3]}"
            layer = SERVICE_LEVELS[match[1]] if match[4] == "0" else -1
        elif match := _SERVICE_RE.match(parts.path):
            semester, layer = f"{match[1]}-S{match[2]}", int(match[3])
        else:
            semester, layer = "", -1
        if semester not in SEMESTER_TOTALS:
            self._send(404, b'{"error": {"code": 404, "message": "not found"}}')
            return
        if state.token is not None and query.get("token") != state.token:
            self._send(200, b'{"error": {"code": 499, "message": "Token Required", "details": []}}')
            return
        if layer not in LAYERS:
            self._send(200, b'{"error": {"code": 400, "message": "Invalid layer"}}')
            return
        self._query(semester, layer, query)

    def _query(self, semester: str, layer: int, query: dict[str, str]) -> None:
        faults = self.server.state.faults
        offset = int(query.get("resultOffset", 0))
        count = min(int(query.get("resultRecordCount", MAX_RECORD_COUNT)), MAX_RECORD_COUNT)
        with self.server.state.lock:
            left = faults.fail_pages.get((layer, offset), 0)
            if left:
                faults.fail_pages[(layer, offset)] = left - 1
            errors_left = faults.arcgis_errors.get((layer, offset), 0)
            if errors_left and not left:
                faults.arcgis_errors[(layer, offset)] = errors_left - 1
        if left:
            self._send(500, b'{"error": {"code": 500, "message": "Internal server error"}}')
            return
        if errors_left:
            # ArcGIS Server's way: the error object with HTTP 200.
            self._send(
                200,
                b'{"error": {"code": 500, "message": "Error performing query operation",'
                b' "details": []}}',
            )
            return
        if faults.delay_seconds:
            time.sleep(faults.delay_seconds)
        if faults.empty:
            self._send(200, b"")
            return
        where = query.get("where", "1=1")
        rows = [
            r for r in self.server.state.layer_records(semester, layer) if _matches_where(r, where)
        ]
        page = rows[offset : offset + count]
        body = json.dumps(
            {
                "displayFieldName": "nama_kel",
                "features": [{"attributes": r} for r in page],
                "exceededTransferLimit": offset + count < len(rows),
            }
        ).encode()
        if faults.truncated and offset > 0:
            body = body[: len(body) // 2]
        self._send(200, body)

    def _sheet(self, semester: str, kind: str) -> None:
        if semester not in SEMESTER_TOTALS:
            self._send(404, b"not found", "text/plain")
            return
        state = self.server.state
        header, rows = spreadsheet_rows(state.release(semester, semester in state.faults.revised))
        if kind == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";")
            writer.writerow(header)
            writer.writerows(rows)
            self._send(200, buffer.getvalue().encode("utf-8"), "text/csv")
            return
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("DKB")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        self._send(
            200,
            out.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def _control(self, query: dict[str, str]) -> None:
        """Manual fault switches, e.g. /_control?revise=2024-S2 or ?reset=1."""
        faults = self.server.state.faults
        if query.get("reset"):
            faults.reset()
        if query.get("revise"):
            faults.revised.add(query["revise"])
        for name in ("empty", "truncated", "nik", "inconsistent", "dirty_code"):
            if name in query:
                setattr(faults, name, query[name] not in ("0", "false", ""))
        if "delay" in query:
            faults.delay_seconds = float(query["delay"])
        body = {
            "revised": sorted(faults.revised),
            "empty": faults.empty,
            "truncated": faults.truncated,
            "nik": faults.nik,
            "inconsistent": faults.inconsistent,
            "dirty_code": faults.dirty_code,
            "delay": faults.delay_seconds,
        }
        self._send(200, json.dumps(body).encode())


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0, host: str = "127.0.0.1") -> None:
        super().__init__((host, port), Handler)
        self.state = FeedState()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def service_url(self, semester: str) -> str:
        """The release as one service with a layer per level."""
        year, half = semester.split("-S")
        return f"{self.base_url}/arcgis/rest/services/DKB_{year}_S{half}/MapServer"

    def level_services(self, semester: str) -> dict[str, str]:
        """The release as one service per level (Dukcapil's layout): {level: URL}."""
        return {
            level: f"{self.base_url}{path}" for level, path in level_service_paths(semester).items()
        }

    def start(self) -> FeedServer:
        threading.Thread(target=self.serve_forever, name="dukcapil-feed", daemon=True).start()
        return self


def service_paths(semesters: Iterable[str] = SEMESTER_TOTALS) -> list[str]:
    return [f"/arcgis/rest/services/DKB_{s[:4]}_S{s[-1]}/MapServer" for s in semesters]


def demo_token_env(organization: str = DEMO_ORGANIZATION) -> str:
    """The variable holding the demo feed's token: one of the owner OPD's secrets."""
    return secret_env_prefix(organization) + "TOKEN"


def level_service_paths(semester: str) -> dict[str, str]:
    """{level: path of its service} of a release published one service per level."""
    return {
        level: f"/arcgis/rest/services/DKB_{name}_{semester[:4]}_S{semester[-1]}/MapServer"
        for level, name in LEVEL_SERVICES.items()
    }


def demo_source_config(base_url: str, organization: str = DEMO_ORGANIZATION) -> dict[str, Any]:
    """Harvest source config for ``make demo``: 2024-S1 and 2024-S2 as history,
    each read from one service per region level, as Dukcapil publishes them.

    Add ``{"semester": "2025-S1", "services": {level: <base>/arcgis/rest/services/
    DKB_<KAB|KEC|DESA>_2025_S1/MapServer}}`` to ``releases`` to see a third
    semester arrive; ``/_control?revise=2024-S2`` serves a Dukcapil correction.
    The sample feed carries the age bands by sex, so the demo also publishes the
    opt-in pyramid family (the population dashboard's pyramid).
    """
    return {
        "organization": organization,
        "families": [*DEFAULT_FAMILIES, "kelompok_umur_jenis_kelamin"],
        "releases": [
            {
                "semester": semester,
                "services": {
                    level: f"{base_url}{path}"
                    for level, path in level_service_paths(semester).items()
                },
            }
            for semester in ("2024-S1", "2024-S2")
        ],
        "levels": ["kecamatan", "desa"],
        "allow_private_addresses": True,
        # The national authority's own registry: the walidata trusts it, so
        # its releases are published without waiting in the review queue.
        "trusted": True,
        "auth": {"token_env": demo_token_env(organization)},
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--token-env",
        help="environment variable holding the token the feed asks for (default: an open feed)",
    )
    args = parser.parse_args(argv)
    server = FeedServer(args.port, args.host)
    if args.token_env:
        server.state.token = os.environ.get(args.token_env) or None
        if server.state.token is None:
            parser.error(f"{args.token_env} is not set")
    print(f"Dukcapil sample feed on {server.base_url}", flush=True)
    if server.state.token:
        print(f"  asking for the token in {args.token_env}", flush=True)
    for semester in SEMESTER_TOTALS:
        for path in level_service_paths(semester).values():
            print(f"  {server.base_url}{path}", flush=True)
    for path in service_paths():
        print(f"  {server.base_url}{path}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
