#!/usr/bin/env bash
# Re-captures the golden transcripts in spec/fixtures/transcripts/ (see spec/fixtures/README.md).
# Usage: bash spec/interop/capture.sh [NAME-SUBSTRING...]   e.g. `bash spec/interop/capture.sh tintin chatd`
# Needs root (unshare -n) and the peers of .ci/install-peers.sh. Compiles capture.ts with the project's tsc into
# a temporary directory, then runs it in a private network namespace where only loopback exists.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(mktemp -d /tmp/rxtelnet-capture-build.XXXXXX)"
trap 'rm -rf "$out"' EXIT
cd "$root"
npx tsc --outDir "$out" --rootDir "$root" --module nodenext --moduleResolution nodenext --target es2022 \
  --strict --skipLibCheck --types node --ignoreConfig spec/interop/capture.ts
# The compiled script finds the fixtures relative to its own path: link them into the build tree.
mkdir -p "$out/spec"
ln -s "$root/spec/fixtures" "$out/spec/fixtures"
ln -s "$root/spec/interop/peers" "$out/spec/interop/peers"
ln -s "$root/node_modules" "$out/node_modules"
echo '{"type":"module"}' > "$out/package.json"
unshare -n sh -c 'ip link set lo up && exec node "$0/spec/interop/capture.js" "$@"' "$out" "$@"
