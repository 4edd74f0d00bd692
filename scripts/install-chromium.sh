#!/usr/bin/env bash
# Installs Debian's chromium (and a font) when it is missing: the browser tests and the benchmark
# drive it with Playwright, which cannot download a browser here.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi

echo "install-chromium.sh: installing Debian's chromium"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
