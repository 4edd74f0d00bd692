#!/usr/bin/env bash
# Installs Debian's postgresql when it is missing: the store tests start a throwaway cluster of it
# (initdb into a temporary folder, pg_ctl on a free loopback port) for every test run.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
  exit 0
fi

echo "install-postgresql.sh: installing Debian's postgresql"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
# Only the binaries: the tests start their own cluster, the package's default one is not needed.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
