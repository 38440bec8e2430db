#!/usr/bin/env bash
# `make restore BACKUP=DIR`: restores a backup of scripts/backup.sh into the
# configured site, which must hold no dataset (FORCE=1 replaces one that
# does): databases and uploaded files, the search index rebuilt, the site
# compared with the backup's fingerprint (exit 1 if anything differs); then
# the DataStore's read-only permissions (they need the database superuser).
#
#   scripts/restore.sh DIR         SATUDATA_INI=other.ini scripts/restore.sh DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
INI="${SATUDATA_INI:-$STATE/ckan.ini}"
source_dir="${1:?usage: restore.sh BACKUP_DIR}"
[ -f "$INI" ] || die "no site configuration at $INI (set SATUDATA_INI)"
force=()
[ "${FORCE:-0}" = 1 ] && force=(--force)
"$CKAN" -c "$INI" satudata backup restore "${force[@]}" "$source_dir"
"$ROOT/scripts/db.sh" permissions "$INI"
say "Restored $source_dir"
