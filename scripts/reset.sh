#!/usr/bin/env bash
# Wipes the local stack (`make reset`): stops everything, drops the demo and
# test databases and deletes .stack/ (Solr data, uploads, ckan.ini, admin
# password). The next `make demo` starts from scratch.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/stop.sh" || true
if command -v pg_ctlcluster >/dev/null; then
  as_root pg_ctlcluster "$PG_VERSION" main start 2>/dev/null || true
  for db in $(as_postgres psql -X -p "$PG_PORT" -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'ckan_%' OR datname LIKE 'datastore_%'"); do
    as_postgres dropdb -p "$PG_PORT" --if-exists "$db"
  done
  as_root pg_ctlcluster "$PG_VERSION" main stop || true
fi
rm -rf "$STATE"
say "Reset done"
