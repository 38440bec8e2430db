#!/usr/bin/env bash
# SolrCloud (docker-compose.scaled.yml): our configset into ZooKeeper, and
# the `ckan` collection created when it does not exist yet (reloaded when it
# does: a new CKAN's schema takes effect, then run `ckan search-index rebuild`).
set -euo pipefail
CONFIGSET=${SATUDATA_CONFIGSET:-/opt/solr/server/solr/configsets/ckan}
SOLR_HOST=${SOLR_HOST:-solr1}

# The Collections API over bash's /dev/tcp, as start-ckan-core pings: the
# image needs no HTTP client.
collections() {
  exec 3<>"/dev/tcp/$SOLR_HOST/8983"
  printf 'GET /solr/admin/collections?%s&wt=json HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" "$SOLR_HOST" >&3
  local answer
  answer=$(timeout 120 cat <&3)
  exec 3<&-
  grep -q '"status":0' <<<"$answer" || { echo "$answer" >&2; return 1; }
  printf '%s' "$answer"
}

solr zk upconfig -n ckan -d "$CONFIGSET/conf" -z "$ZK_HOST"
if collections "action=LIST" | grep -q '"ckan"'; then
  collections "action=RELOAD&name=ckan" >/dev/null
else
  collections "action=CREATE&name=ckan&numShards=1&replicationFactor=${REPLICATION_FACTOR:-2}&collection.configName=ckan" >/dev/null
fi
echo "SolrCloud collection ckan ready"
