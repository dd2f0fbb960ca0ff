#!/usr/bin/env python3
"""The practice loop's wait (issue "Fast, robust transcription", part 4): how
long after the rep stops a `vmcoach record` take is the report on screen.

A private PulseAudio daemon with a null sink (as tests/it/record_pulse.rs
sets up) plays FILE into the sink at wall-clock pace; `vmcoach record`
captures the sink's monitor through ALSA's pulse plugin, as from a
microphone. When the file has played, Enter is pressed; the time from Enter
to the report (the process ending with its JSON on stdout) is the wait.

    scripts/bench_practice.py [FILE] [--rounds 3] [--vmcoach PATH]

FILE defaults to fixtures/good.wav (19.5 s). Needs pulseaudio,
pulseaudio-utils and libasound2-plugins, and the real model in models/.
Not part of the test suite: run it on an idle machine.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=str(ROOT / "fixtures" / "good.wav"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--vmcoach", default=str(ROOT / "target" / "release" / "vmcoach"))
    ap.add_argument("--model", default=str(ROOT / "models" / "ggml-tiny.en.bin"))
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    xdg = tmp / "xdg"
    xdg.mkdir(mode=0o700)
    (tmp / "asound.conf").write_text(
        'pcm.vmpulse {\n  type pulse\n  device "vm.monitor"\n}\n')
    env = dict(os.environ, HOME=str(tmp), XDG_RUNTIME_DIR=str(xdg), NO_COLOR="1",
               ALSA_CONFIG_PATH=f"/usr/share/alsa/alsa.conf:{tmp / 'asound.conf'}")
    env.pop("PULSE_SERVER", None)
    daemon = subprocess.Popen(
        ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n",
         "--load=module-native-protocol-unix",
         "--load=module-null-sink sink_name=vm rate=48000"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if subprocess.run(["pactl", "info"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0:
                break
            time.sleep(0.1)
        else:
            sys.exit("bench_practice: pulseaudio did not come up")
        waits = []
        for k in range(args.rounds):
            out = tmp / f"take{k}.wav"
            rec = subprocess.Popen(
                [args.vmcoach, "record", "--device", "vmpulse", "--no-countdown",
                 "--max-seconds", "60", "--out", str(out), "--json", "--no-history",
                 "--model", args.model],
                env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL)
            time.sleep(0.5)  # the recorder opens its device
            subprocess.run(["paplay", "--device=vm", args.file], env=env, check=True)
            t0 = time.perf_counter()
            rec.stdin.write(b"\n")
            rec.stdin.close()
            report = rec.stdout.read()
            rec.wait()
            wait = time.perf_counter() - t0
            doc = json.loads(report)
            digits = [m["digits"] for m in doc.get("phone_mentions", [])]
            print(f"take {k + 1}: report {wait:.2f} s after Enter "
                  f"(exit {rec.returncode}, numbers heard {digits})")
            waits.append(wait)
        print(f"median wait after the take: {statistics.median(waits):.2f} s "
              f"over {args.rounds} takes of {args.file}")
    finally:
        daemon.kill()
        daemon.wait()


if __name__ == "__main__":
    main()
