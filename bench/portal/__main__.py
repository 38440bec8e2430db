"""Bulk-load the benchmark catalogue into a site; prints what it wrote (JSON).

python -m bench.portal --ini .stack/bench-portal.ini -n 12000 --sample sample.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ckan.cli import load_config
from ckan.config.middleware import make_app

from . import catalog, load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", required=True)
    parser.add_argument("-n", type=int, default=12_000)
    parser.add_argument("--sample", type=Path, required=True)
    args = parser.parse_args()
    app = make_app(load_config(args.ini))
    with app._wsgi_app.test_request_context():
        seconds: dict[str, float] = {}
        started = time.monotonic()
        groups = load.load_groups()
        seconds["groups"] = time.monotonic() - started
        datasets = list(catalog.datasets(args.n))
        started = time.monotonic()
        written = load.load_datasets(datasets, groups)
        seconds["datasets"] = time.monotonic() - started
        started = time.monotonic()
        written["datastore_tables"] = load.load_datastore(datasets)
        seconds["datastore"] = time.monotonic() - started
        visited = load.sample(datasets)
        started = time.monotonic()
        written["scored"] = load.score_visited(visited)
        seconds["scores"] = time.monotonic() - started
    args.sample.write_text(json.dumps(visited))
    print(json.dumps({**written, "seconds": {k: round(v, 1) for k, v in seconds.items()}}))


if __name__ == "__main__":
    main()
