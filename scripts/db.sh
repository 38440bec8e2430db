#!/usr/bin/env bash
# Creates the CKAN roles and databases, idempotently:
#   ckan_default (owner), datastore_default (read-only DataStore user);
#   databases ckan_default + datastore_default (demo), ckan_test + datastore_test (tests).
#
#   scripts/db.sh [demo|test|all|roles]   (roles: the roles only, no database)
#   scripts/db.sh permissions CKAN_INI   (DataStore grants for that config)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }

ensure_role() {
  local role=$1 pass=$2
  psql_admin -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$pass';
  END IF;
END \$\$;
SQL
}

ensure_db() {
  local db=$1 owner=$2
  if ! psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    say "Creating database $db"
    as_postgres createdb -p "$PG_PORT" -O "$owner" -E utf-8 -T template0 "$db"
  fi
}

# The read-only user may read the DataStore and nothing else; CKAN's own
# `datastore set-permissions` writes the exact grants for this CKAN version.
datastore_permissions() {
  local ini=$1 db
  db=$("$PY" - "$ini" <<'PY'
import configparser, sys
from urllib.parse import urlsplit
parser = configparser.ConfigParser(interpolation=None)
parser.read(sys.argv[1])
print(urlsplit(parser["app:main"]["ckan.datastore.write_url"]).path.lstrip("/"))
PY
)
  "$CKAN" -c "$ini" datastore set-permissions | psql_admin -d "$db" >/dev/null
}

if [ "${1:-}" = permissions ]; then
  datastore_permissions "${2:?usage: db.sh permissions CKAN_INI}"
  exit 0
fi

ensure_role "$DB_USER" "$DB_PASS"
ensure_role "$DS_RO_USER" "$DS_RO_PASS"
case "${1:-all}" in
  demo) ensure_db ckan_default "$DB_USER"; ensure_db datastore_default "$DB_USER" ;;
  test) ensure_db ckan_test "$DB_USER"; ensure_db datastore_test "$DB_USER" ;;
  roles) ;;
  all)
    ensure_db ckan_default "$DB_USER"; ensure_db datastore_default "$DB_USER"
    ensure_db ckan_test "$DB_USER"; ensure_db datastore_test "$DB_USER"
    ;;
esac
