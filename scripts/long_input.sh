#!/usr/bin/env bash
# Hour-long input (issue 13, part 4): scores a 20 s, a 10-minute and a
# 1-hour WAV (fixtures/good.wav said over and over, made with sox) with
# real Whisper, one thread, and prints each run's peak memory (maximum
# resident set size from /usr/bin/time -v) and wall time. Recordings over
# 120 s are streamed (the DSP block by block, Whisper in windows of at most
# 30 s), so the 10-minute and the hour-long runs should peak alike.
#
#   scripts/long_input.sh                  # all three
#   scripts/long_input.sh 600              # just these lengths (seconds)
#   TRANSCRIPT=1 scripts/long_input.sh     # DSP only: words from good's transcript
#
# Needs sox and /usr/bin/time (apt-get install -y sox time) and the model
# (../shared/models/ggml-tiny.en.bin or models/ggml-tiny.en.bin). Not part
# of the default test run: the hour takes minutes of Whisper.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in sox /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "long_input.sh: $tool is missing (apt-get install -y sox time)" >&2; exit 2; }
done
model=../shared/models/ggml-tiny.en.bin
[ -f "$model" ] || model=models/ggml-tiny.en.bin
[ -f "$model" ] || [ -n "${TRANSCRIPT:-}" ] || { echo "long_input.sh: no model at ../shared/models/ggml-tiny.en.bin" >&2; exit 2; }

cargo build --release --bin vmcoach
bin="${CARGO_TARGET_DIR:-target}/release/vmcoach"
dir="${CARGO_TARGET_DIR:-target}/long_input"
mkdir -p "$dir"

lengths=("$@")
[ "${#lengths[@]}" -gt 0 ] || lengths=(20 600 3600)
printf '%-8s %-10s %-12s %-10s %s\n' seconds wall peak_rss exit first_line
for secs in "${lengths[@]}"; do
    wav="$dir/good-${secs}s.wav"
    if [ ! -f "$wav" ]; then
        # good.wav is 19.46 s: repeat it, then cut to the length.
        reps=$(( secs / 19 + 1 ))
        sox fixtures/good.wav "$wav" repeat "$reps" trim 0 "$secs"
    fi
    if [ -n "${TRANSCRIPT:-}" ]; then
        words=(--transcript fixtures/good.transcript.json)
    else
        words=(--model "$model" --threads 1)
    fi
    log="$dir/good-${secs}s.time"
    set +e
    /usr/bin/time -v -o "$log" "$bin" score "$wav" "${words[@]}" --max-seconds 3600 \
        --no-history --quiet --format json >"$dir/good-${secs}s.json" 2>"$dir/good-${secs}s.err"
    status=$?
    set -e
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    printf '%-8s %-10s %-12s %-10s %s\n' "$secs" "$wall" "${rss} kB" "$status" \
        "$(head -c 100 "$dir/good-${secs}s.err" | head -1)"
done
