#!/usr/bin/env bash
# Local Apache Solr 9 without Docker: Maven resolves Solr from Maven Central
# into ~/.m2 (offline after the first run), javac builds the one-class launcher
# in solr/src/, and java runs it on 127.0.0.1:$SOLR_PORT with cores `ckan`
# (demo) and `ckan_test` (tests), both on CKAN's own schema.xml.
#
#   solr/solr.sh start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

SOLR_SRC="$ROOT/solr"
SOLR_STATE="$STATE/solr"
SOLR_HOME="$SOLR_STATE/home"
PIDFILE="$STATE/run/solr.pid"
LOG="$STATE/log/solr.log"
CORES=(ckan ckan_test)
PING_URL="http://127.0.0.1:$SOLR_PORT/solr/ckan/admin/ping"

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
pinging() { curl -fsS "$PING_URL" >/dev/null 2>&1; }

build() {
  mkdir -p "$SOLR_STATE/classes"
  local cp="$SOLR_STATE/classpath.txt" key
  key=$(sha256sum "$SOLR_SRC/pom.xml" "$SOLR_SRC/src/LocalSolr.java" | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$SOLR_STATE/build.sha" 2>/dev/null)" != "$key" ] || [ ! -s "$cp" ]; then
    say "Resolving Solr from Maven Central (cached in ~/.m2)"
    mvn -q -B -f "$SOLR_SRC/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp" \
      >"$STATE/log/solr-maven.log" 2>&1 || { tail -30 "$STATE/log/solr-maven.log"; die "Maven could not resolve Solr"; }
    javac -d "$SOLR_STATE/classes" -cp "$(cat "$cp")" "$SOLR_SRC/src/LocalSolr.java"
    echo "$key" > "$SOLR_STATE/build.sha"
  fi
}

layout() {
  local schema
  schema=$("$PY" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')
  [ -f "$schema" ] || die "CKAN's schema.xml not found at $schema (is ckan installed in $VENV?)"
  mkdir -p "$SOLR_HOME/configsets"
  cp "$SOLR_SRC/home/solr.xml" "$SOLR_HOME/solr.xml"
  rm -rf "$SOLR_HOME/configsets/ckan"
  cp -r "$SOLR_SRC/configsets/ckan" "$SOLR_HOME/configsets/ckan"
  # Always the schema of the installed CKAN, never a stale copy.
  cp "$schema" "$SOLR_HOME/configsets/ckan/conf/schema.xml"
  for core in "${CORES[@]}"; do
    mkdir -p "$SOLR_HOME/$core"
    printf 'name=%s\nconfigSet=ckan\n' "$core" > "$SOLR_HOME/$core/core.properties"
  done
}

# Where the Solr answering on the port keeps its `ckan` core (empty if none).
serving_dir() {
  curl -fsS "http://127.0.0.1:$SOLR_PORT/solr/admin/cores?action=STATUS&core=ckan&wt=json" 2>/dev/null |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["status"]["ckan"].get("instanceDir", ""))' 2>/dev/null
}

start() {
  if pinging; then
    local dir
    dir=$(serving_dir)
    case "$dir" in
      "$SOLR_HOME"/*) say "Solr already running on :$SOLR_PORT" ;;
      *)
        # Another checkout's Solr (same cores, same schema) is as good as
        # ours, unless its data is gone (that checkout was reset or deleted).
        [ -n "$dir" ] && [ -d "$dir" ] || die "A Solr on :$SOLR_PORT serves cores from '${dir:-an unknown place}', which no longer exists: stop it, or set SATUDATA_SOLR_PORT"
        say "Using the Solr already running on :$SOLR_PORT (cores in $dir)" ;;
    esac
    return
  fi
  build
  layout
  say "Starting Solr 9 on 127.0.0.1:$SOLR_PORT (log: $LOG)"
  # setsid: Solr must outlive the shell that started it (make demo, CI).
  setsid java -Xms256m -Xmx1g \
    -Dlog4j2.configurationFile="$SOLR_SRC/log4j2.xml" \
    -Dsolr.log.dir="$STATE/log" \
    -Dsolr.install.dir="$SOLR_STATE" \
    -Dsolr.disableConfigSetsCreateAuthChecks=true \
    -cp "$SOLR_STATE/classes:$(cat "$SOLR_STATE/classpath.txt")" \
    LocalSolr "$SOLR_HOME" "$SOLR_PORT" >"$LOG" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  local deadline=$((SECONDS + 120))
  until pinging; do
    if ! running || [ $SECONDS -ge $deadline ]; then
      grep -E "ERROR|Caused by" "$LOG" | head -20
      stop
      die "Solr failed to start (full log: $LOG)"
    fi
    sleep 0.5
  done
  say "Solr is up: http://127.0.0.1:$SOLR_PORT/solr/ (cores: ${CORES[*]})"
}

stop() {
  if running; then
    kill "$(cat "$PIDFILE")"
    for _ in $(seq 1 40); do running || break; sleep 0.25; done
    running && kill -9 "$(cat "$PIDFILE")"
    say "Solr stopped"
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pinging; then echo "solr: up"; else echo "solr: down"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
