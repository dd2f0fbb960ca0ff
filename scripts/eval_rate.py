#!/usr/bin/env python3
"""Speech rate from the audio alone, against the reference transcripts.

    python3 scripts/eval_rate.py [--no-build]

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
    the spoken syllables the detector catches and "syl/word" the real
    speech's ratio, which `dsp::syllables` assumes to be 1.18.

Real human speech, unlike the synthetic fixtures the 15% test in
tests/dsp_fixtures.rs runs on. Prints the table and the median and mean
absolute error; always exits 0 (a measurement, not a gate).
"""

import json
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


def main():
    if "--no-build" not in sys.argv[1:]:
        subprocess.check_call(
            ["cargo", "build", "--release", "--quiet", "--example", "pitch_dump"], cwd=ROOT
        )
    exe = ROOT / "target" / "release" / "examples" / "pitch_dump"
    manifest = json.loads((EVAL_AUDIO / "MANIFEST.json").read_text())
    print(
        f"{'file':42} {'words':>5} {'speak s':>7} {'truth':>6} {'ours':>6} {'err%':>6} "
        f"{'syl':>4} {'ref syl':>7} {'found':>6} {'syl/word':>8}"
    )
    errors, ratios = [], []
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
        if speaking <= 0 or ours is None or not words:
            print(f"{clip['file']:42} no speech measured")
            continue
        truth = len(words) / speaking * 60
        err = 100 * (ours - truth) / truth
        ref_syl = sum(syllables_of(w) for w in words)
        found = rate.get("syllables", 0)
        errors.append(err)
        ratios.append(ref_syl / len(words))
        print(
            f"{clip['file']:42} {len(words):5} {speaking:7.2f} {truth:6.0f} {ours:6.0f} {err:+6.1f} "
            f"{found:4} {ref_syl:7} {100 * found / ref_syl:5.0f}% {ref_syl / len(words):8.2f}"
        )
    if not errors:
        print("no clips measured")
        return 0
    errors_sorted = sorted(errors)
    median = errors_sorted[len(errors_sorted) // 2]
    mean_abs = sum(abs(e) for e in errors) / len(errors)
    print(
        f"{len(errors)} clips: wpm error median {median:+.1f}%, mean absolute {mean_abs:.1f}%; "
        f"transcripts average {sum(ratios) / len(ratios):.2f} syllables per word (assumed 1.18)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
