#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine with Node >= 20.19 and npm:
# pnpm, the system packages the tests use (PostgreSQL), and the workspace's dependencies.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=10.34.9
# better-sqlite3 compiles from source here; node-gyp needs Node's headers.
if [ -d /usr/include/node ]; then export npm_config_nodedir="${npm_config_nodedir:-/usr}"; fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION"
  npm install --global "pnpm@$PNPM_VERSION" >/dev/null
fi

apt_packages=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || apt_packages+=(postgresql)
command -v make >/dev/null 2>&1 || apt_packages+=(make)
if [ ${#apt_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${apt_packages[*]} with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages: ${apt_packages[*]}" >&2
  fi
fi

pnpm install --frozen-lockfile
