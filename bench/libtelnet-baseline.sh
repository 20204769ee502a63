#!/usr/bin/env bash
# Prints libtelnet's (C) decode throughput on the standard corpora, one JSON line per corpus,
# so our benchmark can report its own figures as ratios measured in the same run.
# Usage: libtelnet-baseline.sh CORPUS_DIR [chunk=16384] [reps=5] [min_seconds=0.5]
# CORPUS_DIR is made by: node gen-corpus.mjs CORPUS_DIR   (bulk, mud, binary, dense; deterministic)
# Needs a C compiler and libtelnet-dev (installed with apt-get when missing and possible).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:?usage: libtelnet-baseline.sh CORPUS_DIR [chunk] [reps] [min_seconds]}
chunk=${2:-16384}; reps=${3:-5}; mins=${4:-0.5}
if [ ! -f /usr/include/libtelnet.h ]; then
  (apt-get install -y -qq libtelnet-dev >/dev/null 2>&1) || (apt-get update -qq && apt-get install -y -qq libtelnet-dev >/dev/null)
fi
bin=${TMPDIR:-/tmp}/libtelnet_bench.$(id -u)
[ -x "$bin" ] && [ "$bin" -nt "$here/libtelnet_bench.c" ] || cc -O2 -Wall -o "$bin" "$here/libtelnet_bench.c" -ltelnet
for c in ${ONLY:-bulk mud binary dense}; do
  [ -f "$corpus/$c.bin" ] && "$bin" "$corpus/$c.bin" "$chunk" "$reps" "$mins" 0
done
