#!/usr/bin/env bash
# Keeps one worker running: restarts COMMAND whenever it exits, waiting 1 s,
# then twice as long after each quick failure (at most 60 s); a run that
# lasted over a minute resets the wait. `make demo` runs the harvest
# consumers, the jobs worker and the scheduler under it (docker uses its
# restart policy instead). SIGTERM/SIGINT stop the command and the supervisor.
#
#   scripts/supervise.sh NAME COMMAND [ARGS...]
set -uo pipefail
name=${1:?usage: supervise.sh NAME COMMAND [ARGS...]}
shift
[ $# -gt 0 ] || { echo "usage: supervise.sh NAME COMMAND [ARGS...]" >&2; exit 2; }

MAX_WAIT=${SUPERVISE_MAX_WAIT:-60}
child=0
stopping=0
stop() {
  stopping=1
  [ "$child" -gt 0 ] && kill -TERM "$child" 2>/dev/null
}
trap stop TERM INT

note() { printf '%s [supervise] %s: %s\n' "$(date '+%F %T')" "$name" "$*"; }

wait_s=1
while [ "$stopping" -eq 0 ]; do
  started=$SECONDS
  "$@" &
  child=$!
  note "started (pid $child)"
  # `wait` returns early when a trapped signal arrives: wait again for the exit.
  wait "$child"; status=$?
  while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
  child=0
  [ "$stopping" -eq 0 ] || break
  if [ $((SECONDS - started)) -ge 60 ]; then wait_s=1; fi
  note "exited with status $status; restarting in ${wait_s}s"
  sleep "$wait_s" &
  wait $! 2>/dev/null
  wait_s=$((wait_s * 2 > MAX_WAIT ? MAX_WAIT : wait_s * 2))
done
note "stopped"
