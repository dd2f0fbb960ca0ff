#!/usr/bin/env bash
# Install what a fresh Debian machine with only Rust lacks, and link a
# verified Whisper model from ../shared/models when one is there.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build: cmake + a C++ compiler + libclang for whisper-rs (whisper.cpp),
# ALSA headers for cpal. Tests: ALSA's file/null plugins and PulseAudio for
# the real capture path, sox for reference benchmarks, headless Chromium
# for the HTML report's browser test (tests/it/html_browser.rs).
packages=(cmake clang libclang-dev g++ pkg-config libasound2-dev alsa-utils
          libasound2-plugins pulseaudio pulseaudio-utils sox chromium)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# A real model, if one has been verified and placed beside the project.
shared_model="../shared/models/ggml-tiny.en.bin"
if [ -f "$shared_model" ] && [ ! -e models/ggml-tiny.en.bin ]; then
    ln -s "$(cd "$(dirname "$shared_model")" && pwd)/ggml-tiny.en.bin" models/ggml-tiny.en.bin
    echo "setup: linked $shared_model into models/" >&2
fi
