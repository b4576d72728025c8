#!/usr/bin/env bash
# The main job, on a fresh machine: set up, start a Ketrew server on the embedded SQLite default
# in a temporary KETREW_ROOT, submit the original's backup workflow (tar, md5, gpg, clean-up),
# watch it to the end, show the nodes, and print the dashboard URL. The server keeps running;
# the last lines say how to stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null

export KETREW_ROOT="${KETREW_ROOT:-$(mktemp -d /tmp/ketrew-demo.XXXXXX)}"
port="${KETREW_DEMO_PORT:-8756}"
ketrew() { node packages/cli/bin/ketrew.js "$@"; }

# The backup example reads /tmp/KT/backup-dag/source and a passphrase file (see
# examples/src/backup-dag.ts); give it something to back up.
mkdir -p /tmp/KT/backup-dag/source
date > /tmp/KT/backup-dag/source/notes.txt
cp -r docs /tmp/KT/backup-dag/source/
printf 'demo-passphrase\n' > /tmp/KT/backup-dag/passphrase
rm -rf /tmp/KT/backup-dag/backup

echo "== ketrew init (KETREW_ROOT=$KETREW_ROOT)"
ketrew init --port "$port"
echo "== ketrew start-server --daemonize"
ketrew start-server --daemonize
echo "== ketrew status"
ketrew status
echo "== ketrew submit --wet-run --wait examples/src/backup-dag.ts"
ketrew submit --wet-run --wait --tag demo examples/src/backup-dag.ts
echo "== ketrew list"
ketrew list
ls -l /tmp/KT/backup-dag/backup
echo "== dashboard"
ketrew gui --print
cat <<MSG

The server is still running. With the same root:
  export KETREW_ROOT=$KETREW_ROOT
  node packages/cli/bin/ketrew.js list        # or: pnpm ketrew list
  node packages/cli/bin/ketrew.js stop-server
MSG
