#!/usr/bin/env bash
# Our DSP against the reference tools, as ratios, in one run:
#   - resampling 60 s of 48 kHz audio to 16 kHz: vmcoach (rubato, streaming)
#     vs sox's default high-quality rate converter (`sox in -r 16000 out`);
#   - pitch over 60 s: vmcoach's pitch track (dsp::pitch::pitch_track: DC
#     blocker, decimation, YIN on every frame) vs Praat's autocorrelation
#     pitch (parselmouth to_pitch_ac, 10 ms, 65-500 Hz), each on one core.
#
#     scripts/bench_refs.sh
#
# Needs sox (Debian package `sox`); Praat comes from the `praat-parselmouth`
# wheel in a private venv (target/eval-venv), for measurement only. Our
# figures come from `cargo bench --bench dsp` (criterion, in-memory): its
# typical time per iteration and its fastest sample. sox is timed as whole
# runs (best of 7) minus the same run on a 0.1 s file, which removes its
# start-up and file I/O; Praat is timed in-process on a loaded Sound, so
# neither side pays for I/O.
#
# One core each: our DSP is single-threaded, while Praat's pitch analysis
# spreads over every core it finds, so both run pinned to CPU 0 (taskset)
# for the ratio; Praat on all cores is printed too. Praat is run for about
# as long as criterion runs ours (~5 s), and both the mean and the best are
# compared, since shared machines throttle sustained runs.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v sox >/dev/null || { echo "bench_refs: sox is not installed (apt-get install sox)" >&2; exit 2; }
VENV=target/eval-venv
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import parselmouth" 2>/dev/null ||
    "$VENV/bin/python" -m pip install -q praat-parselmouth numpy

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# 60 s of real (synthetic) speech with pauses: fixtures/good.wav looped.
sox fixtures/good.wav -r 48000 "$tmp/in48.wav" repeat 3 trim 0 60
sox "$tmp/in48.wav" "$tmp/short48.wav" trim 0 0.1
sox fixtures/good.wav "$tmp/in16.wav" repeat 3 trim 0 60

PIN=()
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null; then
    PIN=(taskset -c 0)
fi
echo "== ours (cargo bench --bench dsp${PIN:+, pinned to CPU 0}) =="
cargo bench --quiet --bench dsp --no-run 2>/dev/null
"${PIN[@]}" cargo bench --quiet --bench dsp -- --output-format bencher 'pitch_60s/pitch_only|resample_60s' 2>/dev/null |
    tee "$tmp/ours.txt" | grep '^test' || true

"$VENV/bin/python" - "$tmp" "${PIN[@]}" <<'EOF'
import json, os, re, subprocess, sys, time
import parselmouth

tmp = sys.argv[1]
pinned = len(sys.argv) > 2

def ours(name):
    for line in open(f"{tmp}/ours.txt"):
        m = re.match(r"test (\S+) \.\.\. bench:\s+([\d,]+) ns/iter", line)
        if m and m.group(1) == name:
            return int(m.group(2).replace(",", "")) / 1e9
    sys.exit(f"bench_refs: no figure for {name} from cargo bench")

def fastest_sample(name):
    """Per-iteration time of criterion's fastest sample."""
    with open(f"target/criterion/{name}/new/sample.json") as fh:
        d = json.load(fh)
    return min(t / i for i, t in zip(d["iters"], d["times"])) / 1e9

def runs(f, n=None, seconds=None):
    times = []
    start = time.perf_counter()
    while (n is not None and len(times) < n) or (
        seconds is not None and time.perf_counter() - start < seconds
    ):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return times

def best(f, n):
    return min(runs(f, n=n))

sox = lambda src: subprocess.run(["sox", src, "-r", "16000", f"{tmp}/out.wav"], check=True)
sox_full = best(lambda: sox(f"{tmp}/in48.wav"), 7)
sox_start = best(lambda: sox(f"{tmp}/short48.wav"), 7)
sox_work = max(sox_full - sox_start, 1e-6)

snd = parselmouth.Sound(f"{tmp}/in16.wav")
pitch = lambda: snd.to_pitch_ac(time_step=0.01, pitch_floor=65, pitch_ceiling=500)
praat_all = runs(pitch, seconds=3)
if pinned:
    os.sched_setaffinity(0, {0})
praat_one = runs(pitch, seconds=5)
mean = lambda xs: sum(xs) / len(xs)

our_rs = ours("resample_60s_48k/to16k")
our_pitch = ours("pitch_60s/pitch_only")
our_pitch_best = fastest_sample("pitch_60s/pitch_only")
cores = "one core" if pinned else "unpinned"
print("== references ==")
print(f"sox 60 s 48k->16k: {sox_full*1e3:8.1f} ms whole run, {sox_work*1e3:8.1f} ms after start-up/I-O")
print(f"praat pitch 60 s, {cores}: mean {mean(praat_one)*1e3:7.1f} ms  best {min(praat_one)*1e3:7.1f} ms  ({len(praat_one)} runs)")
print(f"praat pitch 60 s, all cores: mean {mean(praat_all)*1e3:7.1f} ms  best {min(praat_all)*1e3:7.1f} ms  ({len(praat_all)} runs)")
print("== ratios (reference time / our time; > 1 means we are faster) ==")
print(f"resample vs sox:   ours {our_rs*1e3:7.1f} ms  sox {sox_work*1e3:7.1f} ms  ratio {sox_work/our_rs:5.2f}x  (target >= 1)")
print(f"pitch vs praat, {cores}, typical: ours {our_pitch*1e3:6.1f} ms  praat mean {mean(praat_one)*1e3:6.1f} ms  ratio {mean(praat_one)/our_pitch:5.2f}x  (target >= 10)")
print(f"pitch vs praat, {cores}, best:    ours {our_pitch_best*1e3:6.1f} ms  praat best {min(praat_one)*1e3:6.1f} ms  ratio {min(praat_one)/our_pitch_best:5.2f}x  (target >= 10)")
print(f"pitch vs praat on all cores, best: ratio {min(praat_all)/our_pitch_best:5.2f}x  (ours on one core)")
EOF
