#!/usr/bin/env bash
# The whole test suite, from a fresh machine: system packages, build, tests.
# The Whisper accuracy evaluation runs last with its output shown, so its
# word error rates — or the reason it was skipped — are in the log.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo test --all-targets "$@"
cargo test --test eval_whisper "$@" -- --ignored --nocapture
