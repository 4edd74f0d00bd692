#!/usr/bin/env bash
# Installs Debian's haproxy when it is missing: the load-balancer test starts it in front of two
# app instances, exactly as deploy/haproxy.cfg does in production.
set -euo pipefail
if command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; then
  exit 0
fi

exec "$(dirname "$0")/apt-install.sh" haproxy
