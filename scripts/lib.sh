# Shared settings and helpers for the satudata scripts. Sourced, not run.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Everything the local stack writes (Solr data, logs, pid files, demo ckan.ini,
# uploads) lives here, so `make reset` is one rm -rf.
STATE="${SATUDATA_STATE:-$ROOT/.stack}"
VENV="${SATUDATA_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
CKAN="$VENV/bin/ckan"

PG_VERSION=15
PG_PORT="${PGPORT:-5432}"
REDIS_PORT="${SATUDATA_REDIS_PORT:-6379}"
SOLR_PORT="${SATUDATA_SOLR_PORT:-8983}"
CKAN_PORT="${SATUDATA_CKAN_PORT:-5000}"

# Database roles are local-only development credentials (see docker/.env.example
# for production, where they come from the environment).
DB_USER=ckan_default
DB_PASS=ckan_default
DS_RO_USER=datastore_default
DS_RO_PASS=datastore_default

mkdir -p "$STATE/log" "$STATE/run"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# wait_for NAME SECONDS COMMAND... : poll until COMMAND succeeds.
wait_for() {
  local name=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$name did not come up within ${seconds}s"
    sleep 0.5
  done
}
