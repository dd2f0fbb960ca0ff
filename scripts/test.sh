#!/usr/bin/env bash
# The whole test suite, from a fresh machine: system packages, build, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo test --all-targets "$@"
