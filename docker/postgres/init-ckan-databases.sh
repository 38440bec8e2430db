#!/usr/bin/env bash
# Runs once, when the PostgreSQL volume is empty (docker-entrypoint-initdb.d):
# creates the CKAN role and database, the DataStore database (owned by the
# CKAN role) and the DataStore read-only role. The DataStore grants
# themselves are written by the CKAN container (`ckan datastore
# set-permissions`), which knows the exact SQL for its CKAN version.
set -euo pipefail

for var in CKAN_DB_NAME CKAN_DB_USER CKAN_DB_PASSWORD DATASTORE_DB_NAME \
           DATASTORE_READONLY_USER DATASTORE_READONLY_PASSWORD; do
  [ -n "${!var:-}" ] || { echo "init-ckan-databases: $var is not set" >&2; exit 1; }
done

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v ckan_user="$CKAN_DB_USER" -v ckan_password="$CKAN_DB_PASSWORD" \
  -v ckan_db="$CKAN_DB_NAME" -v datastore_db="$DATASTORE_DB_NAME" \
  -v ro_user="$DATASTORE_READONLY_USER" -v ro_password="$DATASTORE_READONLY_PASSWORD" <<'SQL'
CREATE ROLE :"ckan_user" LOGIN PASSWORD :'ckan_password';
CREATE ROLE :"ro_user" LOGIN PASSWORD :'ro_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE :"ckan_db" OWNER :"ckan_user" ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE :"datastore_db" OWNER :"ckan_user" ENCODING 'UTF8' TEMPLATE template0;
SQL
echo "init-ckan-databases: created $CKAN_DB_NAME, $DATASTORE_DB_NAME, roles $CKAN_DB_USER and $DATASTORE_READONLY_USER"
