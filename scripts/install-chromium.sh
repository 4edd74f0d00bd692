#!/usr/bin/env bash
# Installs Debian's chromium (and a font) when it is missing: the browser tests and the benchmark
# drive it with Playwright, which cannot download a browser here.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi

exec "$(dirname "$0")/apt-install.sh" chromium fonts-dejavu-core
