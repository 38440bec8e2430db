#!/usr/bin/env bash
# Starts, stops and resets the local services: PostgreSQL 15 (Debian cluster),
# Redis (our own instance on loopback) and Solr 9 (solr/solr.sh).
#
#   scripts/services.sh start|stop|status|reset
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REDIS_PIDFILE="$STATE/run/redis.pid"

pg_up() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }
redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_postgres() {
  if pg_up; then return; fi
  say "Starting PostgreSQL $PG_VERSION"
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^$PG_VERSION "; then
    as_root pg_createcluster "$PG_VERSION" main >/dev/null
  fi
  as_root pg_ctlcluster "$PG_VERSION" main start
  wait_for PostgreSQL 60 pg_up
}

start_redis() {
  if redis_up; then return; fi
  say "Starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --pidfile "$REDIS_PIDFILE" --logfile "$STATE/log/redis.log" \
    --dir "$STATE/run" --save "" --appendonly no
  wait_for Redis 30 redis_up
}

stop_redis() {
  if redis_up; then redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  rm -f "$REDIS_PIDFILE"
}

case "${1:-}" in
  start)
    start_postgres
    start_redis
    "$ROOT/solr/solr.sh" start
    ;;
  stop)
    "$ROOT/solr/solr.sh" stop
    stop_redis
    if pg_up; then as_root pg_ctlcluster "$PG_VERSION" main stop; fi
    say "Services stopped"
    ;;
  status)
    pg_up && echo "postgresql: up" || echo "postgresql: down"
    redis_up && echo "redis: up" || echo "redis: down"
    "$ROOT/solr/solr.sh" status || true
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
