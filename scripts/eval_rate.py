#!/usr/bin/env python3
"""Speech rate from the audio alone, against the reference transcripts; and
the fit of `dsp::syllables::SYLLABLES_PER_WORD` on that real speech.

    python3 scripts/eval_rate.py [--no-build] [--release]

For every clip in ../shared/eval-audio/MANIFEST.json with a transcript,
runs `examples/pitch_dump.rs --summary` (`dsp::analyze_signal`, what `score`
measures) and compares its syllable-based words per minute with the truth
over the same speaking time:

  - words: the reference transcript's words (digits spelled out count as
    the words a speaker says: "90210" is five);
  - truth wpm: words / our speaking time (the same divisor both sides, so
    the comparison isolates the syllable counter and its words-per-syllable
    factor from the voice detector);
  - syllables: what the detector counted; "ref syl" is a rough count from
    the transcript's spelling (vowel groups), so "found" shows how many of
    the spoken syllables the detector catches;
  - det/word: the detector's syllables per reference word. This is what the
    factor must be for the estimate to be right on that clip (estimated wpm
    = detected syllables per minute / factor).

The fit. Copies of one recording (the same transcript at other rates or
channels: timit x3, digits x2) are one recording: their det/word values
are averaged in the log domain first, so no recording weighs more for being
copied. The factor is the geometric mean of the recordings' det/word (it
minimises the squared log error of the estimate), printed with its median,
the spread of the per-recording values, the error each clip would have with
the fitted factor, and the leave-one-recording-out error (each recording
estimated with the factor fitted on the others), which is the honest
figure for a new voice.

Real human speech, unlike the synthetic fixtures and dev set the tests run
on. Always exits 0 (a measurement, not a gate).
"""

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_AUDIO = ROOT.parent / "shared" / "eval-audio"

DIGIT_WORDS = "zero one two three four five six seven eight nine".split()


def words_of(text):
    out = []
    for tok in re.findall(r"[A-Za-z']+|\d+", text):
        if tok.isdigit():
            out.extend(DIGIT_WORDS[int(d)] for d in tok)
        else:
            out.append(tok.lower())
    return out


def syllables_of(word):
    """Vowel groups, less a silent final e: good to ~10% on running text."""
    w = word.lower().strip("'")
    groups = re.findall(r"[aeiouy]+", w)
    n = len(groups)
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    return max(n, 1)


def log_mean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def current_factor():
    src = (ROOT / "src" / "dsp" / "syllables.rs").read_text()
    m = re.search(r"SYLLABLES_PER_WORD: f32 = ([0-9.]+);", src)
    return float(m.group(1)) if m else float("nan")


def main():
    args = sys.argv[1:]
    profile = "release" if "--release" in args else "debug"
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    if "--no-build" not in args:
        cmd = ["cargo", "build", "--quiet", "--example", "pitch_dump"]
        if profile == "release":
            cmd.insert(2, "--release")
        subprocess.check_call(cmd, cwd=ROOT)
    exe = target / profile / "examples" / "pitch_dump"
    factor_now = current_factor()
    manifest = json.loads((EVAL_AUDIO / "MANIFEST.json").read_text())
    print(
        f"{'file':42} {'words':>5} {'speak s':>7} {'truth':>6} {'ours':>6} {'err%':>6} "
        f"{'syl':>4} {'ref syl':>7} {'found':>6} {'det/word':>8}"
    )
    rows = []
    for clip in manifest:
        text = clip.get("transcript")
        wav = EVAL_AUDIO / clip["file"]
        if not text or not wav.exists():
            continue
        out = subprocess.run([str(exe), "--summary", str(wav)], capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{clip['file']:42} skipped: {out.stderr.strip()}")
            continue
        s = json.loads(out.stdout)
        words = words_of(text)
        speaking = s.get("speaking_time") or 0.0
        rate = (s.get("prosody") or {}).get("rate") or {}
        ours = rate.get("estimated_wpm")
        found = rate.get("syllables", 0)
        if speaking <= 0 or ours is None or not words or found == 0:
            print(f"{clip['file']:42} no speech measured")
            continue
        truth = len(words) / speaking * 60
        err = 100 * (ours - truth) / truth
        ref_syl = sum(syllables_of(w) for w in words)
        per_word = found / len(words)
        key = " ".join(words)
        rows.append(dict(file=clip["file"], key=key, truth=truth, ours=ours, per_word=per_word))
        print(
            f"{clip['file']:42} {len(words):5} {speaking:7.2f} {truth:6.0f} {ours:6.0f} {err:+6.1f} "
            f"{found:4} {ref_syl:7} {100 * found / ref_syl:5.0f}% {per_word:8.2f}"
        )
    if not rows:
        print("no clips measured")
        return 0

    # One value per recording (copies of a transcript averaged in logs).
    groups = {}
    for r in rows:
        groups.setdefault(r["key"], []).append(r)
    recs = [(g[0]["file"], log_mean([r["per_word"] for r in g]), g) for g in groups.values()]
    values = sorted(v for _, v, _ in recs)
    fit = log_mean(values)
    median = values[len(values) // 2] if len(values) % 2 else (
        values[len(values) // 2 - 1] + values[len(values) // 2]) / 2

    def errors_with(factor, group):
        # The estimate scales as 1/factor: ours * factor_now / factor.
        return [100 * (r["ours"] * factor_now / factor - r["truth"]) / r["truth"] for r in group]

    def summary(errs):
        errs = sorted(errs)
        med = errs[len(errs) // 2]
        mae = sum(abs(e) for e in errs) / len(errs)
        within = sum(abs(e) <= 15 for e in errs)
        return f"median {med:+.1f}%, mean |err| {mae:.1f}%, range {errs[0]:+.1f}..{errs[-1]:+.1f}%, within 15%: {within}/{len(errs)}"

    now = [e for _, _, g in recs for e in errors_with(factor_now, g)]
    fitted = [e for _, _, g in recs for e in errors_with(fit, g)]
    loo = []
    for i, (_, _, g) in enumerate(recs):
        others = [v for j, (_, v, _) in enumerate(recs) if j != i]
        loo.extend(errors_with(log_mean(others), g))
    lo, hi = values[0], values[-1]
    sd = math.sqrt(sum((math.log(v) - math.log(fit)) ** 2 for v in values) / max(len(values) - 1, 1))
    print()
    print(f"{len(rows)} clips, {len(recs)} recordings")
    print(
        f"detected syllables per reference word: geometric mean {fit:.3f}, median {median:.3f}, "
        f"range {lo:.2f}..{hi:.2f}, log sd {sd:.3f} (x/÷ {math.exp(sd):.2f})"
    )
    print(f"with the factor now in the code ({factor_now:.2f}): {summary(now)}")
    print(f"with the fitted factor ({fit:.2f}):             {summary(fitted)}")
    print(f"leave one recording out:                   {summary(loo)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
