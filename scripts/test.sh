#!/usr/bin/env bash
# The whole test suite, from a fresh machine: system packages, build, tests.
# The Whisper accuracy evaluation runs last with its output shown, so its
# word error rates — or the reason it was skipped — are in the log.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Plain `cargo test` builds the examples as programs (tests/it/fuzz.rs runs
# the fuzz driver); `--all-targets` would build them with the test harness
# instead. The benches then run once each in test mode.
cargo test "$@"
cargo test --benches "$@"
cargo test --test eval_whisper "$@" -- --ignored --nocapture
