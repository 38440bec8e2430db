#!/usr/bin/env bash
# The virtualenv of the portal benchmark's load generator (bench/requirements-locust.txt).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
venv="$STATE/locust-venv"
if [[ ! -x "$venv/bin/locust" ]] || ! cmp -s "$ROOT/bench/requirements-locust.txt" "$venv/requirements.txt"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r "$ROOT/bench/requirements-locust.txt"
  cp "$ROOT/bench/requirements-locust.txt" "$venv/requirements.txt"
fi
echo "$venv/bin/locust"
