#!/usr/bin/env bash
# Installs Debian's postgresql when it is missing: the store tests start a throwaway cluster of it
# (initdb into a temporary folder, pg_ctl on a free loopback port) for every test run.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
  exit 0
fi

# Only the binaries matter: the tests start their own cluster, not the package's default one.
exec "$(dirname "$0")/apt-install.sh" postgresql
