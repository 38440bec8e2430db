#!/usr/bin/env bash
# Stops the demo web server's workers and the services (`make stop`).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for pidfile in "$STATE"/run/*.pid; do
  [ -f "$pidfile" ] || continue
  case "$(basename "$pidfile")" in solr.pid|redis.pid) continue ;; esac
  kill "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile"
done
pkill -f "ckan -c $STATE/ckan.ini run" 2>/dev/null || true
"$ROOT/scripts/services.sh" stop
