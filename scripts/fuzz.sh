#!/usr/bin/env bash
# The long fuzz run (issue 13): N mutated inputs per target over every
# parser a stranger can feed (see src/fuzz.rs and examples/fuzz.rs), in a
# release build. Panics, hangs (an input over 1 s of CPU) and allocations
# over the cap (256 MB at once, 1 GB live) are saved to
# target/fuzz/crashes/ and make the exit status non-zero.
#
#   scripts/fuzz.sh 1111112                     # 10^7 runs over the 9 targets
#   scripts/fuzz.sh 100000 --target wav         # one target (repeatable)
#   scripts/fuzz.sh 100000 --seed 42            # another sequence of inputs
#
# Nice it on a shared machine: `nice -n 19 scripts/fuzz.sh N`. The default
# test run has a 10^4 smoke pass (tests/it/fuzz.rs); a crash found here is
# kept as an input in fixtures/fuzz/regress/ (named TARGET-...) once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -lt 1 ]; then
    echo "usage: scripts/fuzz.sh N [--target NAME]... [--seed S]" >&2
    exit 2
fi
cargo build --release --example fuzz
exec "${CARGO_TARGET_DIR:-target}/release/examples/fuzz" "$@"
