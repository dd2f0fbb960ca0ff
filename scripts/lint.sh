#!/usr/bin/env bash
# What every commit keeps green besides the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --check
cargo clippy --all-targets -- -D warnings
