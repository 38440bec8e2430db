#!/usr/bin/env bash
# Installs what the local stack needs and is missing: Debian packages, the
# Python virtualenv with pinned requirements, and this package (non-editable,
# as in production). Safe to run again; a second run only re-installs ours.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

apt_missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || apt_missing+=("$2"); }
need_cmd pg_ctlcluster "postgresql-$PG_VERSION"
need_cmd psql postgresql-client
need_cmd redis-server redis-server
need_cmd java openjdk-17-jdk-headless
need_cmd javac openjdk-17-jdk-headless
need_cmd mvn maven
need_cmd docker-compose docker-compose
need_cmd chromium chromium
need_cmd make make
command -v python3.11 >/dev/null 2>&1 || apt_missing+=(python3.11 python3.11-venv)
# python-magic (CKAN uploads) needs libmagic.
[ -e /usr/lib/x86_64-linux-gnu/libmagic.so.1 ] || ldconfig -p | grep -q libmagic.so.1 || apt_missing+=(libmagic1)

if [ ${#apt_missing[@]} -gt 0 ]; then
  say "Installing Debian packages: ${apt_missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

if [ ! -x "$PY" ]; then
  say "Creating virtualenv $VENV"
  python3.11 -m venv "$VENV" || die "python3.11 -m venv failed (Debian: apt-get install python3.11-venv)"
  "$PY" -m pip install -q -U pip setuptools wheel
fi

# Re-install requirements only when the pinned file changed.
stamp="$VENV/.requirements.sha"
want=$(sha256sum "$ROOT/requirements.txt" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "Installing pinned Python requirements"
  "$PY" -m pip install -q -r "$ROOT/requirements.txt"
  echo "$want" > "$stamp"
fi

say "Installing ckanext-satudata (non-editable)"
"$PY" -m pip install -q --no-deps --no-build-isolation --force-reinstall "$ROOT"
