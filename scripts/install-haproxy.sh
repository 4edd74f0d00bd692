#!/usr/bin/env bash
# Installs Debian's haproxy when it is missing: the load-balancer test starts it in front of two
# app instances, exactly as deploy/haproxy.cfg does in production.
set -euo pipefail
if command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; then
  exit 0
fi

echo "install-haproxy.sh: installing Debian's haproxy"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq haproxy >/dev/null
