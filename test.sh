#!/usr/bin/env bash
# Runs every test: unit, bUnit component, integration (app + simulator over loopback WebSockets)
# and browser tests (Playwright driving Debian's Chromium), and two instances behind Debian's HAProxy.
# Installs Chromium and HAProxy when they are missing.
set -euo pipefail
cd "$(dirname "$0")"

./scripts/install-chromium.sh
./scripts/install-haproxy.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test BlfBlazor.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line, summed over the test assemblies.
grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" \
  | awk -F'[:,]' '{ f += $2; p += $4; s += $6 } END { if (NR > 0) printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }'
exit "$status"
