#!/usr/bin/env bash
# Mutation testing of the judging code (issue 15): cargo-mutants changes one
# thing at a time in the rules, the analysis, the WAV reader and the timing
# code, runs the tests, and lists the mutants no test caught ("missed").
# Not part of the default test run: it builds and tests once per mutant.
#
#   scripts/mutants.sh                    # all the files below, one job
#   scripts/mutants.sh src/rules/delivery.rs   # just these files
#   JOBS=2 scripts/mutants.sh             # more parallel jobs (busy machine: 1)
#   SHARD=0/4 scripts/mutants.sh          # a quarter of the mutants (round-robin)
#   IN_PLACE=1 scripts/mutants.sh         # mutate this tree itself (a spare
#                                         # worktree), reusing its target/
#   RESUME=1 IN_PLACE=1 scripts/mutants.sh  # go on from the record in
#                                         # mutants/ (see below)
#
# About 1,900 mutants in all. Each one is built with the `mutants` profile
# (the test profile unoptimised and without debug info: an optimised
# incremental build took up to a minute for code many modules inline, 25 s
# for `analyze::analyze`, against 5.5 s unoptimised) and judged by all the
# library's unit tests and the integration tests that need no Whisper run,
# browser or sound server (9 s); the real-model tests would add minutes a
# mutant. So a full run is 7-8 hours on two cores, done over several
# sittings:
#
# RESUME=1 starts from the record committed in mutants/ (caught.txt,
# unviable.txt: what earlier sittings settled), skips those (cargo-mutants
# --iterate), and writes the record back when the run ends or is
# interrupted (Ctrl-C, or `pkill -INT -f "cargo-mutants mutants"`, which
# lets cargo-mutants put the mutated file back first). A mutant is named by
# file, line, column and change, so code that moved is tested again.
#
# Results go to target/mutants/mutants.out/ (a shard's to
# target/mutants/shard-K-of-N/mutants.out/: missed.txt, caught.txt, …);
# the script prints the missed share per file and exits 1 when any file in
# scope misses more than 10%.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo mutants --version >/dev/null 2>&1; then
    echo "installing cargo-mutants (cargo install cargo-mutants)" >&2
    cargo install --locked cargo-mutants
fi

if [ "$#" -gt 0 ]; then
    files=("$@")
else
    files=(src/rules src/analyze src/audio/wav.rs)
fi
args=()
for f in "${files[@]}"; do
    if [ -d "$f" ]; then
        while IFS= read -r p; do args+=(--file "$p"); done < <(find "$f" -name '*.rs' | sort)
    else
        args+=(--file "$f")
    fi
done

# All the library's unit tests and the fast integration tests (the `it`
# modules named below: rules, phone numbers, WAV and other formats, bad
# audio, `check`), picked by a nextest filter so the unit tests are not
# filtered. The DSP fixture tests are left out: they judge the signal
# analysis, not these files, and take 15 s unoptimised.
# Only those two test binaries are built for each mutant (`--cargo-arg`
# reaches the build too; the other test binaries would be linked each time).
# Missed mutants make cargo-mutants exit non-zero; the table below decides.
fast_tests='rules_[a-z]+|phone_[a-z]+|wav_input|audio_formats|dsp_bad_input|check_cli|transcribe_files'
extra=()
[ -n "${SHARD:-}" ] && extra+=(--shard "$SHARD")
if [ -n "${IN_PLACE:-}" ]; then extra+=(--in-place); else extra+=(--jobs "${JOBS:-1}"); fi
out_dir=target/mutants${SHARD:+/shard-${SHARD/\//-of-}}
out=$out_dir/mutants.out
record=mutants

# The record: what earlier sittings settled, and what is still missed.
save_record() {
    [ -d "$out" ] || return 0
    mkdir -p "$record"
    for f in caught unviable; do
        { cat "$out/$f.txt" "$out/previously_$f.txt" "$record/$f.txt" 2>/dev/null || true; } \
            | sed '/^$/d' | sort -u > "$record/$f.txt.new"
        mv "$record/$f.txt.new" "$record/$f.txt"
    done
    # Missed: this sitting's, less anything caught since.
    { cat "$out/missed.txt" "$record/missed.txt" 2>/dev/null || true; } | sed '/^$/d' | sort -u \
        | grep -vxF -f "$record/caught.txt" > "$record/missed.txt.new" || true
    mv "$record/missed.txt.new" "$record/missed.txt"
    echo "record written to $record/ ($(wc -l < "$record/caught.txt") caught," \
        "$(wc -l < "$record/missed.txt") missed, $(wc -l < "$record/unviable.txt") unviable)" >&2
}
if [ -n "${RESUME:-}" ]; then
    extra+=(--iterate)
    mkdir -p "$out"
    for f in caught unviable; do
        [ -f "$record/$f.txt" ] && cp "$record/$f.txt" "$out/$f.txt"
    done
    trap save_record EXIT
fi

cargo mutants --profile mutants --output "$out_dir" \
    "${extra[@]}" "${args[@]}" \
    --test-tool=nextest --cargo-arg=--lib --cargo-arg=--test=it \
    -- -E "kind(lib) | (binary(it) & test(/^($fast_tests)::/))" || true

[ -d "$out" ] || { echo "no results in $out" >&2; exit 2; }
python3 - "$out" <<'PY'
import collections, pathlib, sys
out = pathlib.Path(sys.argv[1])
def per_file(*names):
    c = collections.Counter()
    for name in names:
        p = out / name
        if p.exists():
            for line in p.read_text().splitlines():
                if line.strip():
                    c[line.split(":", 1)[0]] += 1
    return c
missed = per_file("missed.txt")
caught = per_file("caught.txt", "previously_caught.txt")
bad = []
print(f"{'file':45} {'caught':>6} {'missed':>6} {'missed %':>8}")
for f in sorted(set(missed) | set(caught)):
    m, c = missed[f], caught[f]
    share = 100.0 * m / (m + c) if m + c else 0.0
    print(f"{f:45} {c:6} {m:6} {share:7.1f}%")
    if share > 10.0:
        bad.append(f)
m, c = sum(missed.values()), sum(caught.values())
print(f"{'all':45} {c:6} {m:6} {100.0 * m / max(m + c, 1):7.1f}%")
print("\nmissed mutants:")
print((out / "missed.txt").read_text() if (out / "missed.txt").exists() else "(none)")
sys.exit(1 if bad else 0)
PY
