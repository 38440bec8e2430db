#!/usr/bin/env bash
# The portal benchmark's own site (make bench-portal), on the running
# services but apart from the demo, the tests and the other benchmarks:
# databases ckan_bench_portal + datastore_bench_portal, Solr core
# ckan_bench_portal, Redis database $BENCH_PORTAL_REDIS_DB (default 12) under
# the site id satudata_bench_portal (queue names carry it).
#
# Writes two configurations of one site, both production-like (no testing
# flags, the settings the docker deployment uses):
#   .stack/bench-portal.ini        this portal: the plugins of docker-compose.yml
#   .stack/bench-portal-plain.ini  plain CKAN: core plugins + datastore only
# The databases are emptied and migrated, the index cleared, the site's
# Redis keys (its job and harvest queues) deleted.
# Prints the two paths, one a line.
#
#   bench-portal-site.sh            a new, empty site (as above)
#   bench-portal-site.sh snapshot   keep a copy of both databases (template
#                                   databases ckan_bench_portal_snapshot and
#                                   datastore_bench_portal_snapshot)
#   bench-portal-site.sh restore    both databases back to that copy, the
#                                   harvested datasets out of the index
#                                   (the index itself is the snapshot's,
#                                   as the harvest only added to it)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/services.sh" start >&2
"$ROOT/scripts/db.sh" roles >&2

name=bench_portal
# Redis database 12: not the demo's (0), the tests' (1 and the developers'
# test-env.sh databases, which their clean_redis fixture empties) nor
# bench-site.sh's (9).
redis_db=${BENCH_PORTAL_REDIS_DB:-12}
core="ckan_$name"
storage="$STATE/$name-storage"
solr="http://127.0.0.1:$SOLR_PORT/solr"

psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }
# Copies a database (the source must have no connection: the servers are stopped).
copy_db() {
  as_postgres dropdb -p "$PG_PORT" --if-exists --force "$2" 2>/dev/null
  as_postgres createdb -p "$PG_PORT" -O "$DB_USER" -T "$1" "$2"
}
forget_queues() {
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -n "$redis_db" --scan --pattern "*satudata_$name*" |
    while read -r key; do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -n "$redis_db" del "$key" >/dev/null; done
}
action=${1:-new}
case "$action" in
  snapshot)
    for db in "ckan_$name" "datastore_$name"; do copy_db "$db" "${db}_snapshot"; done
    exit 0 ;;
  restore) ;;
  new)
    forget_queues
    # A new site every run: the databases of an earlier run are dropped (faster
    # than cleaning them table by table) and created empty.
    for db in "ckan_$name" "datastore_$name"; do
      as_postgres dropdb -p "$PG_PORT" --if-exists --force "$db" 2>/dev/null
      as_postgres createdb -p "$PG_PORT" -O "$DB_USER" -E utf-8 -T template0 "$db"
    done
    if ! curl -fsS "$solr/admin/cores?action=STATUS&core=$core&wt=json" | grep -q "\"name\":\"$core\""; then
      mkdir -p "$STATE/solr/home/$core"
      curl -fsS "$solr/admin/cores?action=CREATE&name=$core&configSet=ckan&instanceDir=$core" >/dev/null
    fi ;;
  *) echo "usage: $0 [new|snapshot|restore]" >&2; exit 2 ;;
esac

write_ini() {
  local ini=$1 plugins=$2 extra=$3
  cat > "$ini" <<INI
# Written by scripts/bench-portal-site.sh; overwritten on every run.
[DEFAULT]
debug = false

[app:main]
use = egg:ckan
SECRET_KEY = satudata-bench-portal-not-for-production
ckan.site_id = satudata_bench_portal
ckan.site_url = http://127.0.0.1:5000
ckan.site_title = Satu Data (benchmark)
sqlalchemy.url = postgresql://$DB_USER:$DB_PASS@127.0.0.1/ckan_$name
ckan.datastore.write_url = postgresql://$DB_USER:$DB_PASS@127.0.0.1/datastore_$name
ckan.datastore.read_url = postgresql://$DS_RO_USER:$DS_RO_PASS@127.0.0.1/datastore_$name
solr_url = $solr/$core
ckan.redis.url = redis://127.0.0.1:$REDIS_PORT/$redis_db
ckan.storage_path = $storage
ckan.plugins = $plugins
ckan.locale_default = id
ckan.locales_offered = id en
ckan.auth.create_unowned_dataset = false
ckan.auth.user_create_organizations = false
ckan.auth.user_create_groups = false
ckan.max_resource_size = 50
ckan.activity_streams_enabled = true
smtp.server = localhost
smtp.mail_from = satudata@localhost
$extra

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
INI
}

ours="$STATE/bench-portal.ini"
plain="$STATE/bench-portal-plain.ini"
# The plugins, default views and DCAT profiles of the release, read from
# docker/docker-compose.yml and docker/ckan/entrypoint.sh (one place).
release() {
  "$PY" - "$ROOT/docker/docker-compose.yml" "$1" <<'PY'
import sys, yaml
print(" ".join(yaml.safe_load(open(sys.argv[1]))["x-ckan-environment"][sys.argv[2]].split()))
PY
}
profiles=$(sed -n 's/.*ckanext\.dcat\.rdf\.profiles=${CKANEXT_DCAT_RDF_PROFILES:-\([^}]*\)}.*/\1/p' \
  "$ROOT/docker/ckan/entrypoint.sh")
write_ini "$ours" "$(release CKAN_PLUGINS)" \
  "ckan.views.default_views = $(release CKAN_VIEWS_DEFAULT_VIEWS)
scheming.dataset_schemas = $(release SCHEMING_DATASET_SCHEMAS)
scheming.organization_schemas = $(release SCHEMING_ORGANIZATION_SCHEMAS)
scheming.group_schemas = $(release SCHEMING_GROUP_SCHEMAS)
scheming.presets = $(release SCHEMING_PRESETS)
scheming.dataset_fallback = false
ckanext.dcat.rdf.profiles = ${profiles:?no DCAT profiles in docker/ckan/entrypoint.sh}
ckanext.satudata.webassets.build_at_start = true"
write_ini "$plain" "activity datastore datatables_view" "ckan.views.default_views = datatables_view"

if [ "$action" = restore ]; then
  for db in "ckan_$name" "datastore_$name"; do copy_db "${db}_snapshot" "$db"; done
  # Database-level grants are not copied with a database.
  "$CKAN" -c "$ours" datastore set-permissions 2>/dev/null |
    psql_admin -d "datastore_$name" >/dev/null
  # What the harvest step added: its OPDs' datasets and its harvest sources.
  curl -fsS "$solr/$core/update?commit=true" -H 'Content-Type: application/json' \
    --data-binary '{"delete": {"query": "organization:opd-bench-* OR dataset_type:harvest"}}' >/dev/null
  forget_queues
  echo "$ours"
  echo "$plain"
  exit 0
fi

rm -rf "$storage" && mkdir -p "$storage"
# Core migrations and then every plugin's (activity, harvest, satudata).
"$CKAN" -c "$ours" db upgrade >/dev/null
"$CKAN" -c "$ours" datastore set-permissions 2>/dev/null | psql_admin -d "datastore_$name" >/dev/null
curl -fsS "$solr/$core/update?commit=true" -H 'Content-Type: application/json' \
  --data-binary '{"delete": {"query": "*:*"}}' >/dev/null
echo "$ours"
echo "$plain"
