#!/usr/bin/env bash
# Runs every test: unit, bUnit component, integration (app + simulator over loopback WebSockets)
# and browser tests (Playwright driving Debian's Chromium), two instances behind Debian's HAProxy,
# and the store against real SQLite and a throwaway cluster of Debian's PostgreSQL.
# Installs Chromium, HAProxy and PostgreSQL when they are missing.
#
# --fast: only the Unit and Component tests (no socket, browser, HAProxy or database; nothing is installed),
# for the edit-build-test loop. Every other argument goes to dotnet test; a --filter of your own
# is narrowed to those categories.
set -euo pipefail
cd "$(dirname "$0")"

fast_filter="Category=Unit|Category=Component"
fast=false
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fast) fast=true ;;
    *) args+=("$1") ;;
  esac
  shift
done

if [ "$fast" = true ]; then
  filtered=false
  for i in "${!args[@]}"; do
    if [ "${args[$i]}" = "--filter" ] && [ $((i + 1)) -lt ${#args[@]} ]; then
      args[$((i + 1))]="(${args[$((i + 1))]})&($fast_filter)"
      filtered=true
    elif [[ "${args[$i]}" == --filter=* ]]; then
      args[$i]="--filter=(${args[$i]#--filter=})&($fast_filter)"
      filtered=true
    fi
  done
  if [ "$filtered" = false ]; then
    args+=(--filter "$fast_filter")
  fi
else
  ./scripts/install-chromium.sh
  ./scripts/install-haproxy.sh
  ./scripts/install-postgresql.sh
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test BlfBlazor.sln -c Release "${args[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line, summed over the test assemblies.
grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" \
  | awk -F'[:,]' '{ f += $2; p += $4; s += $6 } END { if (NR > 0) printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }'
exit "$status"
