#!/usr/bin/env bash
# Runs every benchmark (pnpm bench) after installing the peers they compare against: make,
# snakemake and hyperfine from Debian (with apt-get, as root, when missing), and the workspace
# (scripts/setup.sh). Arguments go to every benchmark, e.g.
#   bash scripts/bench.sh --fan-out 1000 --chain 200 --skip-snakemake
# Results are printed as tables and JSON; docs/benchmarks.md records reference runs.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in make snakemake hyperfine; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bench: installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "bench: please install these Debian packages first: ${missing[*]}" >&2
    exit 1
  fi
fi

bash scripts/setup.sh
if [ -d /usr/include/node ]; then export npm_config_nodedir="${npm_config_nodedir:-/usr}"; fi
exec pnpm bench "$@"
