#!/usr/bin/env bash
# Entrypoint of the satudata CKAN image. On every start it:
#   1. checks the settings from the environment (docker/.env) and refuses the
#      placeholders of .env.example;
#   2. waits for PostgreSQL, Solr and Redis;
#   3. writes $CKAN_INI with `ckan generate config` (first start of the
#      container) and applies the environment with `ckan config-tool`;
#   4. for `web` and `init` only: migrates CKAN, activity, harvest and satudata,
#      sets the DataStore permissions, creates the sysadmin if absent;
#   5. execs the command:
#        web                gunicorn serving CKAN on :5000
#        init               steps 1-4, then exit (upgrades, one-off runs)
#        harvest-gather     ckan satudata harvest gather-consumer
#        harvest-fetch      ckan satudata harvest fetch-consumer
#        harvest-scheduler  ckan satudata scheduler: every $HARVEST_RUN_INTERVAL
#                           seconds the harvest jobs run and the watchdog; daily
#                           the harvest log clean-up, freshness re-index and
#                           index check with repair
#        jobs-worker        ckan satudata jobs worker (CKAN's worker without a
#                           fork per job)
#      The consumers exit with status 75 when Redis or PostgreSQL stays
#      unreachable; compose's restart policy brings them back.
#        anything else      run as given (e.g. `ckan search-index rebuild`, `bash`)
set -euo pipefail

log() { printf '[entrypoint] %s\n' "$*"; }
die() { printf '[entrypoint] ERROR: %s\n' "$*" >&2; exit 1; }

CKAN_INI=${CKAN_INI:-/srv/app/ckan.ini}
export CKAN_INI

# --- 1. settings -------------------------------------------------------------

require() {
  local name=$1 value=${!1:-}
  [ -n "$value" ] || die "$name is not set (see docker/.env.example)"
  case "$value" in
    *CHANGE_ME*) die "$name still holds the placeholder from .env.example; set a real value in docker/.env" ;;
  esac
}

# Values that go into database URLs and the ini file: no URL quoting and no
# ini interpolation ('%') needed. `openssl rand -hex 32` gives such values.
url_safe() {
  local name=$1
  [[ ${!name} =~ ^[A-Za-z0-9._~-]+$ ]] \
    || die "$name may only contain letters, digits and . _ ~ - (e.g. openssl rand -hex 32)"
}

for var in CKAN_SITE_URL CKAN_SECRET_KEY \
           POSTGRES_HOST POSTGRES_USER POSTGRES_PASSWORD \
           CKAN_DB_NAME CKAN_DB_USER CKAN_DB_PASSWORD \
           DATASTORE_DB_NAME DATASTORE_READONLY_USER DATASTORE_READONLY_PASSWORD \
           CKAN_SOLR_URL CKAN_REDIS_URL CKAN_PLUGINS; do
  require "$var"
done
for var in POSTGRES_USER POSTGRES_PASSWORD CKAN_DB_NAME CKAN_DB_USER CKAN_DB_PASSWORD \
           DATASTORE_DB_NAME DATASTORE_READONLY_USER DATASTORE_READONLY_PASSWORD CKAN_SECRET_KEY; do
  url_safe "$var"
done
[ ${#CKAN_SECRET_KEY} -ge 32 ] || die "CKAN_SECRET_KEY must be at least 32 characters"
[ ${#CKAN_DB_PASSWORD} -ge 12 ] || die "CKAN_DB_PASSWORD must be at least 12 characters"
[ ${#DATASTORE_READONLY_PASSWORD} -ge 12 ] || die "DATASTORE_READONLY_PASSWORD must be at least 12 characters"

POSTGRES_PORT=${POSTGRES_PORT:-5432}
pg="$POSTGRES_HOST:$POSTGRES_PORT"
# CKAN itself also reads these variables (CONFIG_FROM_ENV_VARS), so the ini
# file and the environment always agree.
export CKAN_SQLALCHEMY_URL="postgresql://$CKAN_DB_USER:$CKAN_DB_PASSWORD@$pg/$CKAN_DB_NAME"
export CKAN_DATASTORE_WRITE_URL="postgresql://$CKAN_DB_USER:$CKAN_DB_PASSWORD@$pg/$DATASTORE_DB_NAME"
# DataStore reads may go to a read replica (docker-compose.scaled.yml):
# datastore_search and the previews are most of the database's load.
read_pg="${DATASTORE_READ_HOST:-$POSTGRES_HOST}:${DATASTORE_READ_PORT:-$POSTGRES_PORT}"
export CKAN_DATASTORE_READ_URL="postgresql://$DATASTORE_READONLY_USER:$DATASTORE_READONLY_PASSWORD@$read_pg/$DATASTORE_DB_NAME"
export CKAN_STORAGE_PATH=${CKAN_STORAGE_PATH:-/var/lib/ckan}

# --- 2. services ---------------------------------------------------------------

log "waiting for PostgreSQL, Solr and Redis"
python /srv/app/wait_for_services.py "${SERVICES_WAIT_TIMEOUT:-300}" \
  || die "a service did not come up; see the messages above"

# --- 3. ckan.ini -----------------------------------------------------------------

if [ ! -f "$CKAN_INI" ]; then
  log "writing $CKAN_INI"
  ckan generate config "$CKAN_INI" >/dev/null
fi

case "$CKAN_SITE_URL" in
  https://*) cookie_secure=true ;;
  *) cookie_secure=false ;;
esac

ckan config-tool "$CKAN_INI" \
  "SECRET_KEY=$CKAN_SECRET_KEY" \
  "SESSION_COOKIE_SECURE=$cookie_secure" \
  "sqlalchemy.url=$CKAN_SQLALCHEMY_URL" \
  "ckan.datastore.write_url=$CKAN_DATASTORE_WRITE_URL" \
  "ckan.datastore.read_url=$CKAN_DATASTORE_READ_URL" \
  "solr_url=$CKAN_SOLR_URL" \
  "ckan.redis.url=$CKAN_REDIS_URL" \
  "ckan.site_url=$CKAN_SITE_URL" \
  "ckan.site_id=${CKAN_SITE_ID:-satudata}" \
  "ckan.site_title=${CKAN_SITE_TITLE:-Satu Data}" \
  "ckan.site_description=${CKAN_SITE_DESCRIPTION:-}" \
  "ckan.plugins=$CKAN_PLUGINS" \
  "ckan.views.default_views=${CKAN_VIEWS_DEFAULT_VIEWS:-datatables_view}" \
  "scheming.dataset_schemas=${SCHEMING_DATASET_SCHEMAS:-ckanext.satudata:schemas/dataset.yaml}" \
  "scheming.organization_schemas=${SCHEMING_ORGANIZATION_SCHEMAS:-ckanext.satudata:schemas/organization.yaml}" \
  "scheming.group_schemas=${SCHEMING_GROUP_SCHEMAS:-ckanext.satudata:schemas/group.yaml}" \
  "scheming.presets=${SCHEMING_PRESETS:-ckanext.scheming:presets.json ckanext.satudata:schemas/presets.yaml}" \
  "scheming.dataset_fallback=false" \
  "ckanext.dcat.rdf.profiles=${CKANEXT_DCAT_RDF_PROFILES:-euro_dcat_ap_3 satudata_sdi}" \
  "ckanext.satudata.webassets.build_at_start=true" \
  "ckan.locale_default=${CKAN_LOCALE_DEFAULT:-id}" \
  "ckan.locales_offered=${CKAN_LOCALES_OFFERED:-id en}" \
  "ckan.storage_path=$CKAN_STORAGE_PATH" \
  "ckan.max_resource_size=${CKAN_MAX_UPLOAD_SIZE_MB:-50}" \
  "ckan.auth.create_unowned_dataset=false" \
  "ckan.auth.create_user_via_web=${CKAN_AUTH_CREATE_USER_VIA_WEB:-false}" \
  "ckan.auth.user_create_organizations=false" \
  "ckan.auth.user_create_groups=false" \
  "smtp.server=${CKAN_SMTP_SERVER:-}" \
  "smtp.starttls=${CKAN_SMTP_STARTTLS:-true}" \
  "smtp.user=${CKAN_SMTP_USER:-}" \
  "smtp.password=${CKAN_SMTP_PASSWORD:-}" \
  "smtp.mail_from=${CKAN_SMTP_MAIL_FROM:-}" >/dev/null
mkdir -p "$CKAN_STORAGE_PATH"

# --- 4. database, permissions, sysadmin ------------------------------------------

init_ckan() {
  log "migrating the database"
  ckan db upgrade
  for plugin in activity harvest satudata; do
    ckan db upgrade -p "$plugin"
  done

  log "setting DataStore permissions"
  ckan datastore set-permissions \
    | PGPASSWORD=$POSTGRES_PASSWORD psql -X -q -v ON_ERROR_STOP=1 \
        -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d "$DATASTORE_DB_NAME" >/dev/null

  if [ -n "${CKAN_SYSADMIN_NAME:-}" ]; then
    if ckan user show "$CKAN_SYSADMIN_NAME" 2>/dev/null | grep -F " name=$CKAN_SYSADMIN_NAME " >/dev/null; then
      log "sysadmin $CKAN_SYSADMIN_NAME exists"
    else
      require CKAN_SYSADMIN_EMAIL
      require CKAN_SYSADMIN_PASSWORD
      [ ${#CKAN_SYSADMIN_PASSWORD} -ge 12 ] || die "CKAN_SYSADMIN_PASSWORD must be at least 12 characters"
      log "creating sysadmin $CKAN_SYSADMIN_NAME"
      ckan sysadmin add "$CKAN_SYSADMIN_NAME" --create \
        "email=$CKAN_SYSADMIN_EMAIL" "password=$CKAN_SYSADMIN_PASSWORD" >/dev/null
    fi
  fi
}

cmd=${1:-web}
case "$cmd" in
  web|init) init_ckan ;;
esac

# The long-running process needs neither the PostgreSQL superuser nor the
# initial sysadmin password.
unset POSTGRES_PASSWORD CKAN_SYSADMIN_PASSWORD PGPASSWORD

# --- 5. the command ----------------------------------------------------------------

case "$cmd" in
  web)
    log "serving CKAN with gunicorn on :5000"
    exec gunicorn --config /srv/app/gunicorn.conf.py --chdir /srv/app wsgi:application
    ;;
  init)
    log "initialisation done"
    ;;
  harvest-gather) exec ckan satudata harvest gather-consumer ;;
  harvest-fetch) exec ckan satudata harvest fetch-consumer ;;
  harvest-scheduler)
    interval=${HARVEST_RUN_INTERVAL:-300}
    log "scheduler: harvest jobs run and watchdog every ${interval}s, daily maintenance"
    exec ckan satudata scheduler --interval "$interval"
    ;;
  jobs-worker) exec ckan satudata jobs worker ;;
  *) exec "$@" ;;
esac
