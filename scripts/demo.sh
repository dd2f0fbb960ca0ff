#!/usr/bin/env bash
# Score the bundled fixture, from a fresh machine (not logged in the
# practice history: it is not a take of yours).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
vmcoach() { cargo run --release --quiet -- "$@"; }
if [ -e models/ggml-tiny.en.bin ] || [ -n "${VMCOACH_MODEL:-}" ]; then
    vmcoach score fixtures/good.wav --no-history "$@"
else
    echo "demo: no Whisper model here (run \`vmcoach models download tiny.en\` where the model host is reachable);" >&2
    echo "demo: scoring with the fixture's known word times instead (--transcript)." >&2
    vmcoach score fixtures/good.wav --transcript fixtures/good.transcript.json --no-history "$@"
fi
