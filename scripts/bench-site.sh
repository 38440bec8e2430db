#!/usr/bin/env bash
# An empty, migrated CKAN site for the benchmarks that need the real stack
# (databases ckan_test_bench/datastore_test_bench, Solr core ckan_test_bench).
# Prints the ini path:  INI=$(bash scripts/bench-site.sh)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/services.sh" start >&2
ini=$("$ROOT/scripts/test-env.sh" bench 9)
"$CKAN" -c "$ini" db clean --yes >/dev/null 2>&1
"$CKAN" -c "$ini" db upgrade >/dev/null
for plugin in activity harvest satudata; do
  "$CKAN" -c "$ini" db upgrade -p "$plugin" >/dev/null
done
"$CKAN" -c "$ini" search-index clear >/dev/null 2>&1 || true
echo "$ini"
