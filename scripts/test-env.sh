#!/usr/bin/env bash
# Creates an isolated test environment NAME on the running services, so that
# several test runs can share one machine: databases ckan_test_NAME and
# datastore_test_NAME, Solr core ckan_test_NAME, Redis database N, and an ini
# file .stack/test-NAME.ini that inherits test.ini with those overrides.
#
#   scripts/test-env.sh NAME REDIS_DB   ->  prints the ini path
#   pytest --ckan-ini=$(scripts/test-env.sh h1 5) tests/...
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
name=${1:?usage: test-env.sh NAME REDIS_DB}
redis_db=${2:?usage: test-env.sh NAME REDIS_DB}
core="ckan_test_$name"

psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }
for db in "ckan_test_$name" "datastore_test_$name"; do
  if ! psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    as_postgres createdb -p "$PG_PORT" -O "$DB_USER" -E utf-8 -T template0 "$db"
  fi
done

solr="http://127.0.0.1:$SOLR_PORT/solr"
if ! curl -fsS "$solr/admin/cores?action=STATUS&core=$core&wt=json" | grep -q "\"name\":\"$core\""; then
  mkdir -p "$STATE/solr/home/$core"
  curl -fsS "$solr/admin/cores?action=CREATE&name=$core&configSet=ckan&instanceDir=$core" >/dev/null
fi

ini="$STATE/test-$name.ini"
cat > "$ini" <<INI
[app:main]
use = config:$ROOT/test.ini
sqlalchemy.url = postgresql://$DB_USER:$DB_PASS@127.0.0.1/ckan_test_$name
ckan.datastore.write_url = postgresql://$DB_USER:$DB_PASS@127.0.0.1/datastore_test_$name
ckan.datastore.read_url = postgresql://$DS_RO_USER:$DS_RO_PASS@127.0.0.1/datastore_test_$name
solr_url = $solr/$core
ckan.redis.url = redis://127.0.0.1:$REDIS_PORT/$redis_db
ckan.storage_path = $STATE/test-storage-$name
INI
"$CKAN" -c "$ini" datastore set-permissions 2>/dev/null | psql_admin -d "datastore_test_$name" >/dev/null
echo "$ini"
