#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser tests (@durably/admin), driven by
# playwright-core. A no-op when /usr/bin/chromium exists. Never use `npx playwright install`:
# it downloads browsers from a CDN our machines cannot reach.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y --no-install-recommends chromium
/usr/bin/chromium --version
