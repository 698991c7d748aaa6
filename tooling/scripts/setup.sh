#!/usr/bin/env bash
# One-step setup on a fresh machine: the pinned pnpm, then the workspace install with the frozen
# lockfile. better-sqlite3 12 is compiled by node-gyp; where Node's headers are installed system-wide
# (Debian's nodejs), point node-gyp at them so it does not try to download them.
set -euo pipefail
cd "$(dirname "$0")/../.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  npm install -g "pnpm@$PNPM_VERSION"
fi
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
pnpm install --frozen-lockfile
