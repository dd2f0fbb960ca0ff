#!/usr/bin/env bash
# Try `vmcoach record` without a microphone: make a WAV file an ALSA capture
# device, the same way tests/record_alsa.rs and tests/record_pulse.rs do.
#
#   scripts/alsa-test-source.sh fixtures/good.wav          # unpaced ALSA `file` PCM
#   scripts/alsa-test-source.sh --paced fixtures/good.wav  # real time, via PulseAudio
#
# It prints the environment to use, e.g.:
#   eval "$(scripts/alsa-test-source.sh fixtures/good.wav)"
#   vmcoach record --device vmfile --stop-on-silence 1.5 --out take.wav
#
# --paced starts a private PulseAudio daemon (its own XDG_RUNTIME_DIR under
# the work folder) with a null sink, and plays the WAV into it once the
# recorder has had 2 s to start; record from `--device vmpulse`. Stop the
# daemon afterwards with the `kill` line it prints.
# Needs: sox; for --paced also pulseaudio, pulseaudio-utils, libasound2-plugins.
set -euo pipefail

paced=0
if [[ "${1:-}" == "--paced" ]]; then
    paced=1
    shift
fi
wav="${1:?usage: $0 [--paced] FILE.wav}"
[[ -f "$wav" ]] || { echo "no such file: $wav" >&2; exit 2; }
wav="$(cd "$(dirname "$wav")" && pwd)/$(basename "$wav")"

work="$(mktemp -d "${TMPDIR:-/tmp}/vmcoach-alsa.XXXXXX")"
conf="$work/asound.conf"

if [[ $paced == 0 ]]; then
    # cpal opens an unconstrained PCM as 48 kHz stereo f32: give it exactly that.
    sox "$wav" -t raw -r 48000 -c 2 -e floating-point -b 32 -L "$work/source.raw"
    cat >"$conf" <<EOF
pcm.vmfile {
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "$work/source.raw"
    format "raw"
    hint { show on description "vmcoach test source: $(basename "$wav")" }
}
EOF
    echo "export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$conf"
    echo "# then: vmcoach record --device vmfile --stop-on-silence 1.5 --out take.wav"
    exit 0
fi

mkdir -m 700 "$work/xdg"
cat >"$conf" <<EOF
pcm.vmpulse {
    type pulse
    device "vm.monitor"
    hint { show on description "vmcoach paced test source" }
}
EOF
export XDG_RUNTIME_DIR="$work/xdg" HOME="$work"
pulseaudio --daemonize=no --exit-idle-time=-1 -n \
    --load=module-native-protocol-unix \
    --load="module-null-sink sink_name=vm rate=48000" >"$work/pulse.log" 2>&1 &
pulse_pid=$!
for _ in $(seq 50); do
    pactl info >/dev/null 2>&1 && break
    sleep 0.1
done
pactl info >/dev/null 2>&1 || { echo "pulseaudio did not start; see $work/pulse.log" >&2; exit 1; }
(sleep 2; paplay --device=vm "$wav") >/dev/null 2>&1 &
echo "export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$conf XDG_RUNTIME_DIR=$work/xdg HOME=$work"
echo "# then, within 2 s: vmcoach record --device vmpulse --stop-on-silence 1.5 --out take.wav"
echo "# afterwards: kill $pulse_pid"
