#!/usr/bin/env bash
# `make backup`: both databases, the uploaded files and the configuration
# (secrets masked) of the demo site into .stack/backups/<date-time>/ (or DIR).
# The search index is not backed up: `make restore` rebuilds it.
#
#   scripts/backup.sh [DIR]        SATUDATA_INI=other.ini scripts/backup.sh DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
INI="${SATUDATA_INI:-$STATE/ckan.ini}"
[ -f "$INI" ] || die "no site configuration at $INI (run make demo first, or set SATUDATA_INI)"
target="${1:-$STATE/backups/$(date +%Y%m%d-%H%M%S)}"
"$CKAN" -c "$INI" satudata backup create "$target"
say "Backup in $target (keep the secrets, e.g. docker/.env, apart from it)"
