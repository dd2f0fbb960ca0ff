#!/usr/bin/env bash
# Our DSP against the reference tools, as ratios, in one run:
#   - resampling 60 s of 48 kHz audio to 16 kHz: vmcoach (rubato, streaming)
#     vs sox's default high-quality rate converter (`sox in -r 16000 out`);
#   - pitch over 60 s: vmcoach (framing + YIN on every frame) vs Praat's
#     autocorrelation pitch (parselmouth to_pitch_ac, 10 ms, 65-500 Hz).
#
#     scripts/bench_refs.sh
#
# Needs sox (Debian package `sox`); Praat comes from the `praat-parselmouth`
# wheel in a private venv (target/eval-venv), for measurement only. Our
# figures come from `cargo bench --bench dsp` (criterion, mean time per
# iteration, in-memory). sox is timed as whole runs (best of 7) minus the
# same run on a 0.1 s file, which removes its start-up and file I/O; Praat
# is timed in-process on a loaded Sound (best of 5), so neither side pays
# for I/O.
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

echo "== ours (cargo bench --bench dsp) =="
cargo bench --quiet --bench dsp -- --output-format bencher 'pitch_60s|resample_60s' 2>/dev/null |
    tee "$tmp/ours.txt" | grep '^test' || true

"$VENV/bin/python" - "$tmp" <<'EOF'
import re, subprocess, sys, time
import parselmouth

tmp = sys.argv[1]

def ours(name):
    for line in open(f"{tmp}/ours.txt"):
        m = re.match(r"test (\S+) \.\.\. bench:\s+([\d,]+) ns/iter", line)
        if m and m.group(1) == name:
            return int(m.group(2).replace(",", "")) / 1e9
    sys.exit(f"bench_refs: no figure for {name} from cargo bench")

def best(f, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)

sox = lambda src: subprocess.run(["sox", src, "-r", "16000", f"{tmp}/out.wav"], check=True)
sox_full = best(lambda: sox(f"{tmp}/in48.wav"), 7)
sox_start = best(lambda: sox(f"{tmp}/short48.wav"), 7)
sox_work = max(sox_full - sox_start, 1e-6)

snd = parselmouth.Sound(f"{tmp}/in16.wav")
praat = best(lambda: snd.to_pitch_ac(time_step=0.01, pitch_floor=65, pitch_ceiling=500), 5)

our_rs = ours("resample_60s_48k/to16k")
our_pitch = ours("pitch_60s/every_frame")
print("== references ==")
print(f"sox 60 s 48k->16k: {sox_full*1e3:8.1f} ms whole run, {sox_work*1e3:8.1f} ms after start-up/I-O")
print(f"praat pitch 60 s:  {praat*1e3:8.1f} ms")
print("== ratios (reference time / our time; > 1 means we are faster) ==")
print(f"resample vs sox:   ours {our_rs*1e3:7.1f} ms  sox {sox_work*1e3:7.1f} ms  ratio {sox_work/our_rs:5.2f}x  (target >= 1)")
print(f"pitch vs praat:    ours {our_pitch*1e3:7.1f} ms  praat {praat*1e3:7.1f} ms  ratio {praat/our_pitch:5.2f}x  (target >= 10)")
EOF
