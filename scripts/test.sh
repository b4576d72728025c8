#!/usr/bin/env bash
# The one command that sets up a fresh machine and runs every check: build, typecheck, lint and
# all the tests (unit, type, contract and integration tests against real services).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -d /usr/include/node ]; then export npm_config_nodedir="${npm_config_nodedir:-/usr}"; fi
pnpm build
pnpm typecheck
pnpm lint
pnpm test
