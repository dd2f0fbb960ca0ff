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

Praat is a reference for evaluation only: `praat-parselmouth` is installed
into a private venv (target/eval-venv) on first run, never used at run time.
Exit status 1 when the overall gross error is 5% or more.
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
    total = {"both": 0, "gross": 0, "praat": 0, "ours": 0, "false": 0}
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
        both = gross = praat_v = ours_v = false = 0
        for row in frames:
            t, f0 = row[0], row[1]
            ref = pitch.get_value_at_time(t)
            ref = None if np.isnan(ref) else ref
            praat_v += ref is not None
            ours_v += f0 is not None
            if f0 is not None and ref is None:
                false += 1
            if f0 is not None and ref is not None:
                both += 1
                gross += abs(f0 - ref) / ref > 0.2
        for k, v in (("both", both), ("gross", gross), ("praat", praat_v), ("ours", ours_v), ("false", false)):
            total[k] += v
        print(
            f"{wav.name:45} {both:5} {gross:6} {100 * gross / max(both, 1):6.1f}% "
            f"{100 * both / max(praat_v, 1):6.0f}% {false:6}"
        )
    g = 100 * total["gross"] / max(total["both"], 1)
    print(
        f"{'TOTAL':45} {total['both']:5} {total['gross']:6} {g:6.2f}% "
        f"{100 * total['both'] / max(total['praat'], 1):6.0f}% {total['false']:6}"
    )
    print(f"gross pitch error {g:.2f}% of frames voiced in both (target < 5%)")
    return 0 if g < 5.0 else 1


if __name__ == "__main__":
    sys.exit(main())
