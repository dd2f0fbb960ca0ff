#!/usr/bin/env python3
"""Pitch accuracy of vmcoach against Praat, on real speech.

    python3 scripts/eval_prosody.py [--no-build] [extra pitch_dump flags...]

For every WAV in ../shared/eval-audio/ (and fixtures/*.wav), runs
`examples/pitch_dump.rs` (our YIN tracker, per 10 ms frame) and Praat's
autocorrelation pitch (parselmouth `to_pitch_ac`, time step 10 ms, floor
65 Hz, ceiling 500 Hz: the same range as ours) and compares frame by frame:

  - gross pitch error: share of frames voiced in both where ours is more than
    20% off Praat's (target: under 5%, issue 5);
  - voicing recall: share of Praat-voiced frames we also call voiced;
  - voicing false alarms: our voiced frames that Praat calls unvoiced.

Twice: as `score` runs it (voice activity gates the tracker: the table),
and the tracker alone on every frame (`pitch_dump --every-frame`, i.e.
`dsp::pitch::pitch_track`, what scripts/bench_refs.sh times against Praat:
the last line).

Praat is a reference for evaluation only: `praat-parselmouth` is installed
into a private venv (target/eval-venv) on first run, never used at run time.
Exit status 1 when either overall gross error is 5% or more.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "eval-venv"
EVAL_AUDIO = ROOT.parent / "shared" / "eval-audio"
FLOOR_HZ, CEILING_HZ = 65.0, 500.0


def ensure_venv():
    """Re-run this script inside a venv that has parselmouth."""
    try:
        import parselmouth  # noqa: F401
        import numpy  # noqa: F401

        return
    except ImportError:
        pass
    py = VENV / "bin" / "python"
    if not py.exists():
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    subprocess.check_call(
        [str(py), "-m", "pip", "install", "-q", "praat-parselmouth", "numpy"]
    )
    os.execv(str(py), [str(py), __file__, *sys.argv[1:]])


def main():
    ensure_venv()
    import numpy as np
    import parselmouth

    args = sys.argv[1:]
    build = "--no-build" not in args
    extra = [a for a in args if a != "--no-build"]
    if build:
        subprocess.check_call(
            ["cargo", "build", "--release", "--quiet", "--example", "pitch_dump"],
            cwd=ROOT,
        )
    exe = ROOT / "target" / "release" / "examples" / "pitch_dump"

    files = sorted(EVAL_AUDIO.glob("*.wav")) + sorted((ROOT / "fixtures").glob("*.wav"))
    if not files:
        print(f"no WAV files in {EVAL_AUDIO} or fixtures/", file=sys.stderr)
        return 2
    gated = evaluate(exe, extra, files, np, parselmouth, show=True)
    alone = evaluate(exe, [*extra, "--every-frame"], files, np, parselmouth, show=False)
    line("TOTAL, every frame (no gating)", alone)
    for name, total in (("as scored", gated), ("every frame", alone)):
        g = gross_pct(total)
        print(f"gross pitch error, {name}: {g:.2f}% of frames voiced in both (target < 5%)")
    return 0 if max(gross_pct(gated), gross_pct(alone)) < 5.0 else 1


def gross_pct(total):
    return 100 * total["gross"] / max(total["both"], 1)


def line(name, t):
    print(
        f"{name:45} {t['both']:5} {t['gross']:6} {gross_pct(t):6.2f}% "
        f"{100 * t['both'] / max(t['praat'], 1):6.0f}% {t['false']:6}"
    )


def evaluate(exe, extra, files, np, parselmouth, show):
    """Frame-by-frame comparison over every file; prints a row per file if `show`."""
    total = {"both": 0, "gross": 0, "praat": 0, "ours": 0, "false": 0}
    if show:
        print(f"{'file':45} {'both':>5} {'gross':>6} {'gross%':>7} {'recall':>7} {'false':>6}")
    for wav in files:
        out = subprocess.run([str(exe), *extra, str(wav)], capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{wav.name:45} skipped: {out.stderr.strip()}")
            continue
        frames = json.loads(out.stdout)["frames"]
        snd = parselmouth.Sound(str(wav))
        if snd.n_channels > 1:
            snd = snd.convert_to_mono()
        pitch = snd.to_pitch_ac(time_step=0.01, pitch_floor=FLOOR_HZ, pitch_ceiling=CEILING_HZ)
        row_total = {"both": 0, "gross": 0, "praat": 0, "ours": 0, "false": 0}
        for row in frames:
            t, f0 = row[0], row[1]
            ref = pitch.get_value_at_time(t)
            ref = None if np.isnan(ref) else ref
            row_total["praat"] += ref is not None
            row_total["ours"] += f0 is not None
            if f0 is not None and ref is None:
                row_total["false"] += 1
            if f0 is not None and ref is not None:
                row_total["both"] += 1
                row_total["gross"] += abs(f0 - ref) / ref > 0.2
        for k, v in row_total.items():
            total[k] += v
        if show:
            line(wav.name, row_total)
    if show:
        line("TOTAL", total)
    return total


if __name__ == "__main__":
    sys.exit(main())
