//! Signals that are not speech: no panic, no NaN, and "no speech" or "no
//! voiced speech" said as `None` rather than made-up numbers.

use crate::support::signals;
use std::f32::consts::PI;

use vmcoach::dsp::{analyze_signal, SignalAnalysis};

const SR: f32 = 16_000.0;

fn seconds(s: f32) -> usize {
    (s * SR) as usize
}

fn tone(freq: f32, amp: f32, secs: f32) -> Vec<f32> {
    (0..seconds(secs))
        .map(|i| amp * (2.0 * PI * freq * i as f32 / SR).sin())
        .collect()
}

fn noise(amp: f32, secs: f32, seed: u64) -> Vec<f32> {
    signals::noise(seconds(secs), amp, seed)
}

/// Syllable-like voiced bursts (4 per second) for 2 s, between 1 s of quiet on each side.
fn speechlike() -> Vec<f32> {
    let mut x = noise(0.001, 4.0, 3);
    for (i, v) in x
        .iter_mut()
        .enumerate()
        .skip(seconds(1.0))
        .take(seconds(2.0))
    {
        let t = i as f32 / SR;
        let env = (0.5 - 0.5 * (2.0 * PI * 4.0 * (t - 1.0)).cos()).powi(2);
        let h: f32 = (1..8)
            .map(|k| (2.0 * PI * 130.0 * k as f32 * t).sin() / k as f32)
            .sum();
        *v += 0.25 * env * h;
    }
    x
}

/// Every number in the analysis is finite.
fn assert_finite(a: &SignalAnalysis, what: &str) {
    let p = &a.prosody;
    let mut nums: Vec<f64> = vec![a.duration, a.speaking_time];
    nums.extend(a.speech.iter().flat_map(|r| [r.start, r.end]));
    nums.extend(a.pauses.iter().flat_map(|r| [r.start, r.end]));
    nums.extend(a.segments.iter().flat_map(|r| [r.start, r.end]));
    let f32s = [
        p.pitch.median_hz,
        p.pitch.p10_hz,
        p.pitch.p90_hz,
        p.pitch.spread_semitones,
        p.level.speech_rms_dbfs,
        Some(p.level.peak_dbfs),
        Some(p.level.clipped_fraction),
        p.level.noise_floor_dbfs,
        p.level.snr_db,
        p.rate.syllables_per_second,
        p.rate.estimated_wpm,
    ];
    nums.extend(f32s.iter().flatten().map(|&v| v as f64));
    for v in nums {
        assert!(v.is_finite(), "{what}: non-finite number in {a:?}");
    }
}

/// No speech found, and nothing derived from speech is reported.
fn assert_no_speech(a: &SignalAnalysis, what: &str) {
    assert_finite(a, what);
    assert_eq!(a.speech, None, "{what}: {a:?}");
    assert!(a.pauses.is_empty(), "{what}: {a:?}");
    assert_eq!(a.prosody.pitch.median_hz, None, "{what}: {a:?}");
    assert_eq!(a.prosody.pitch.spread_semitones, None, "{what}: {a:?}");
    assert_eq!(a.prosody.rate.estimated_wpm, None, "{what}: {a:?}");
    assert_eq!(a.prosody.level.snr_db, None, "{what}: {a:?}");
}

#[test]
fn pure_silence() {
    let a = analyze_signal(&vec![0.0; seconds(3.0)]);
    assert_no_speech(&a, "silence");
    assert_eq!(a.prosody.level.speech_rms_dbfs, None);
    assert!(a.prosody.level.peak_dbfs <= -100.0);
    assert!((a.duration - 3.0).abs() < 1e-9);
}

#[test]
fn pure_noise() {
    for amp in [0.001, 0.05, 0.9] {
        let a = analyze_signal(&noise(amp, 4.0, 11));
        assert_no_speech(&a, &format!("noise {amp}"));
        assert!(a.prosody.level.noise_floor_dbfs.is_some());
    }
}

#[test]
fn a_1khz_tone() {
    let a = analyze_signal(&tone(1000.0, 0.5, 3.0));
    assert_no_speech(&a, "1 kHz tone");
}

#[test]
fn clipping_square_wave() {
    // A 200 Hz square driven 50% past full scale, then clipped as a converter would.
    let x: Vec<f32> = tone(200.0, 1.5, 3.0)
        .iter()
        .map(|v| v.signum().clamp(-1.0, 1.0))
        .collect();
    let a = analyze_signal(&x);
    assert_no_speech(&a, "square");
    assert!(a.prosody.level.clipped_fraction > 0.9, "{a:?}");
    assert!(a.prosody.level.peak_dbfs > -0.1, "{a:?}");
}

#[test]
fn dc_offset_alone_and_under_speech() {
    assert_no_speech(&analyze_signal(&vec![0.4; seconds(3.0)]), "dc");
    let clean = analyze_signal(&speechlike());
    let shifted: Vec<f32> = speechlike().iter().map(|v| v + 0.3).collect();
    let dc = analyze_signal(&shifted);
    assert_finite(&dc, "speech + dc");
    let (c, d) = (
        clean.speech.expect("speech"),
        dc.speech.expect("speech under dc"),
    );
    assert!(
        (c.start - d.start).abs() < 0.03 && (c.end - d.end).abs() < 0.03,
        "{c:?} vs {d:?}"
    );
    let (lc, ld) = (
        clean.prosody.level.speech_rms_dbfs.unwrap_or(f32::NAN),
        dc.prosody.level.speech_rms_dbfs.unwrap_or(f32::NAN),
    );
    assert!(
        (lc - ld).abs() < 0.5,
        "dc changed the speech level: {lc} vs {ld}"
    );
    let (pc, pd) = (
        clean.prosody.pitch.median_hz.unwrap_or(f32::NAN),
        dc.prosody.pitch.median_hz.unwrap_or(f32::NAN),
    );
    assert!(
        (pc - 130.0).abs() < 2.0 && (pd - 130.0).abs() < 2.0,
        "{pc} {pd}"
    );
}

#[test]
fn music_like_chords() {
    // Sustained triads (with harmonics) changing every half second, at one level.
    let chords = [
        [261.6, 329.6, 392.0],
        [220.0, 261.6, 329.6],
        [174.6, 220.0, 261.6],
        [196.0, 246.9, 293.7],
    ];
    let mut x = Vec::new();
    for c in chords.iter().cycle().take(8) {
        for i in 0..seconds(0.5) {
            let t = i as f32 / SR;
            let v: f32 = c
                .iter()
                .flat_map(|&f| {
                    (1..5).map(move |h| (2.0 * PI * f * h as f32 * t).sin() / (h * h) as f32)
                })
                .sum();
            x.push(0.15 * v);
        }
    }
    assert_no_speech(&analyze_signal(&x), "chords");
}

#[test]
fn nan_infinite_empty_and_tiny_inputs() {
    let mut x = speechlike();
    x[1000] = f32::NAN;
    x[seconds(1.5)] = f32::INFINITY;
    x[seconds(2.0)] = f32::NEG_INFINITY;
    let a = analyze_signal(&x);
    assert_finite(&a, "nan");
    assert!(a.speech.is_some(), "{a:?}");

    let empty = analyze_signal(&[]);
    assert_no_speech(&empty, "empty");
    assert_eq!(empty.duration, 0.0);
    assert_no_speech(&analyze_signal(&[0.5; 10]), "ten samples");
}

#[test]
fn speechlike_bursts_are_speech_with_pitch() {
    let a = analyze_signal(&speechlike());
    assert_finite(&a, "speechlike");
    let r = a.speech.expect("speech");
    assert!(
        (r.start - 1.0).abs() < 0.1 && (r.end - 3.0).abs() < 0.1,
        "{r:?}"
    );
    let p = &a.prosody.pitch;
    assert!((p.median_hz.unwrap_or(0.0) - 130.0).abs() < 1.5, "{p:?}");
    assert!(
        p.spread_semitones.unwrap_or(9.0) < 0.3,
        "a flat tone is monotone: {p:?}"
    );
}
