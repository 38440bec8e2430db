#!/usr/bin/env bash
# Starts Solr with the core `ckan` (created on the first start in the volume
# /var/solr). On later starts the core's configuration is refreshed from the
# image, so a new CKAN version's schema.xml takes effect after a rebuild
# (then run `ckan search-index rebuild`).
#
#   start-ckan-core          start Solr in the foreground
#   start-ckan-core --ping   health check: exit 0 when the core answers
set -euo pipefail

CORE=ckan
CONFIGSET=${SATUDATA_CONFIGSET:-/opt/solr/server/solr/configsets/ckan}

if [ "${1:-}" = --ping ]; then
  # No curl or wget needed: bash talks HTTP to the local Solr.
  exec 3<>/dev/tcp/127.0.0.1/8983
  printf 'GET /solr/%s/admin/ping?wt=json HTTP/1.0\r\nHost: localhost\r\n\r\n' "$CORE" >&3
  timeout 8 grep -q '"status":"OK"' <&3
  exit
fi

core_dir=/var/solr/data/$CORE
if [ -d "$core_dir/conf" ]; then
  cp -f "$CONFIGSET"/conf/* "$core_dir/conf/"
fi
# solr-precreate (official image) creates the core from the configset when it
# does not exist yet, then runs solr-foreground.
exec solr-precreate "$CORE" "$CONFIGSET"
