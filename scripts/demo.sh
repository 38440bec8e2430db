#!/usr/bin/env bash
# The portal command (`make demo`): installs what is missing, starts the
# services, writes .stack/ckan.ini, migrates, creates the sysadmin, loads the
# demo content and serves CKAN on http://127.0.0.1:$CKAN_PORT (Ctrl-C stops the
# web server; `make stop` stops everything). Safe to run again.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

INI="$STATE/ckan.ini"

"$ROOT/scripts/bootstrap.sh"
"$ROOT/scripts/services.sh" start
"$ROOT/scripts/db.sh" demo

if [ ! -f "$INI" ]; then
  say "Writing $INI"
  "$CKAN" generate config "$INI" >/dev/null
fi
# Our settings are re-applied on every start so the file follows the code;
# the generated secrets stay. The portal's name, logo and colours are
# ckanext.satudata.* options (Kabupaten Paser by default; ckan.site_title follows).
plugins="activity satudata satudata_chart scheming_datasets scheming_organizations scheming_groups harvest"
for extra in satudata_spreadsheet_harvester satudata_dukcapil_harvester; do
  if "$PY" -c "import sys, importlib.metadata as m; sys.exit(0 if any(e.name == '$extra' for e in m.entry_points(group='ckan.plugins')) else 1)"; then
    plugins="$plugins $extra"
  fi
done
plugins="$plugins dcat dcat_json_interface structured_data datastore datatables_view"
"$CKAN" config-tool "$INI" \
  "sqlalchemy.url=postgresql://$DB_USER:$DB_PASS@127.0.0.1:$PG_PORT/ckan_default" \
  "ckan.datastore.write_url=postgresql://$DB_USER:$DB_PASS@127.0.0.1:$PG_PORT/datastore_default" \
  "ckan.datastore.read_url=postgresql://$DS_RO_USER:$DS_RO_PASS@127.0.0.1:$PG_PORT/datastore_default" \
  "solr_url=http://127.0.0.1:$SOLR_PORT/solr/ckan" \
  "ckan.redis.url=redis://127.0.0.1:$REDIS_PORT/0" \
  "ckan.site_url=http://127.0.0.1:$CKAN_PORT" \
  "ckan.site_description=Portal data terbuka Pemerintah Kabupaten Paser" \
  "ckan.plugins=$plugins" \
  "ckan.views.default_views=datatables_view satudata_chart" \
  "scheming.dataset_schemas=ckanext.satudata:schemas/dataset.yaml" \
  "scheming.organization_schemas=ckanext.satudata:schemas/organization.yaml" \
  "scheming.group_schemas=ckanext.satudata:schemas/group.yaml" \
  "scheming.presets=ckanext.scheming:presets.json ckanext.satudata:schemas/presets.yaml" \
  "ckanext.dcat.rdf.profiles=euro_dcat_ap_3 satudata_sdi" \
  "ckan.locale_default=id" \
  "ckan.locales_offered=id en" \
  "ckan.storage_path=$STATE/storage" \
  "ckan.max_resource_size=50" \
  "ckan.auth.create_unowned_dataset=false" \
  "ckanext.harvest.user_name=harvest" \
  "ckan.devserver.host=127.0.0.1" \
  "ckan.devserver.port=$CKAN_PORT" >/dev/null
mkdir -p "$STATE/storage"

say "Migrating the database"
"$CKAN" -c "$INI" db upgrade >/dev/null
for plugin in activity harvest satudata; do
  "$CKAN" -c "$INI" db upgrade -p "$plugin" >/dev/null
done
"$ROOT/scripts/db.sh" permissions "$INI"

# The sample Dukcapil feed asks for an ArcGIS token, as a secured service
# does. Harvest secrets are environment variables of the workers, each bound
# to the OPD owning the source: SATUDATA_HARVEST_<OPD>_<NAME> (see
# docs/harvest-sources.md); this one is Disdukcapil's.
DUKCAPIL_TOKEN_ENV=SATUDATA_HARVEST_DISDUKCAPIL_PASER_TOKEN
if [ ! -s "$STATE/dukcapil-token" ]; then
  (umask 077; "$PY" -c 'import secrets; print(secrets.token_hex(16))' > "$STATE/dukcapil-token")
fi
export "$DUKCAPIL_TOKEN_ENV=$(cat "$STATE/dukcapil-token")"

# Background workers: CKAN jobs (validation, DataStore loading), the harvest
# queue consumers and the scheduler (harvest jobs run and the watchdog every
# minute; daily maintenance), each under scripts/supervise.sh, which restarts
# it when it exits (a consumer exits when Redis or PostgreSQL stays down), as
# docker's restart policy does. Restarted on every run.
start_background() {
  local name=$1; shift
  local pidfile="$STATE/run/$name.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
  fi
  setsid "$@" >"$STATE/log/$name.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
}
supervised() {
  local name=$1; shift
  start_background "$name" "$ROOT/scripts/supervise.sh" "$name" "$@"
}
supervised jobs-worker "$CKAN" -c "$INI" satudata jobs worker
supervised harvest-gather "$CKAN" -c "$INI" satudata harvest gather-consumer
supervised harvest-fetch "$CKAN" -c "$INI" satudata harvest fetch-consumer
supervised scheduler "$CKAN" -c "$INI" satudata scheduler --interval 60

# Sample external feeds on loopback, as the real ones would be on the network.
DUKCAPIL_FEED="http://127.0.0.1:${SATUDATA_DUKCAPIL_FEED_PORT:-8765}"
start_background dukcapil-feed "$PY" -m ckanext.satudata.demo.dukcapil_feed \
  --port "${SATUDATA_DUKCAPIL_FEED_PORT:-8765}" --token-env "$DUKCAPIL_TOKEN_ENV"
OPD_FILES="http://127.0.0.1:${SATUDATA_OPD_FILES_PORT:-8766}"
start_background opd-files "$PY" -m ckanext.satudata.demo.opd_files \
  --port "${SATUDATA_OPD_FILES_PORT:-8766}"
wait_for "sample Dukcapil feed" 30 curl -fsS -o /dev/null "$DUKCAPIL_FEED/_control"
wait_for "sample OPD file server" 30 curl -fsS -o /dev/null "$OPD_FILES/dinkes/daftar_data.xlsx"

say "Loading demo content"
"$CKAN" -c "$INI" satudata demo load --password-file "$STATE/admin-password" \
  --dukcapil-feed "$DUKCAPIL_FEED" --opd-files "$OPD_FILES"

say "Harvesting the demo sources through the harvest queue"
"$CKAN" -c "$INI" satudata demo harvest

say "The walidata's review queue (pemeriksaan)"
"$CKAN" -c "$INI" satudata demo review

say "Loading the Daftar Data 2025 (planning)"
"$CKAN" -c "$INI" satudata demo plan

say "DCAT-AP 3 catalogue: http://127.0.0.1:$CKAN_PORT/catalog.ttl"
say "Portal Pelita API:   http://127.0.0.1:$CKAN_PORT/api/pelita/v1.3/dataset (OpenAPI: /api/pelita/v1.3/openapi.json)"

say "Serving CKAN on http://127.0.0.1:$CKAN_PORT (Ctrl-C to stop; 'make stop' stops the services)"
# No reloader or debugger: this is a demo, not a development server.
exec "$CKAN" -c "$INI" run -H 127.0.0.1 -p "$CKAN_PORT" --disable-reloader --disable-debugger --threaded
