#!/usr/bin/env bash
# Installs Debian packages with apt-get (through sudo when not root): the one installer that the
# install-*.sh scripts share; each of them decides whether its program is missing.
set -euo pipefail
echo "apt-install.sh: installing Debian's $*"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
