#!/usr/bin/env bash
# The test command (`make test`): installs what is missing, starts the
# services, prepares the test databases and runs the whole suite against the
# real PostgreSQL, Solr and Redis. Extra arguments go to pytest.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ROOT/scripts/bootstrap.sh"
"$ROOT/scripts/services.sh" start
"$ROOT/scripts/db.sh" test
"$ROOT/scripts/db.sh" permissions "$ROOT/test.ini"

mkdir -p "$ROOT/test-output"
cd "$ROOT"
say "Running the test-suite"
# The slowest tests are listed at the end, to keep the suite short.
"$VENV/bin/pytest" --ckan-ini="$ROOT/test.ini" --durations=30 "$@"
