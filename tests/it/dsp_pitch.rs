//! Pitch accuracy on synthetic voiced signals: steady tones and glides,
//! through the streaming framer and tracker, frame by frame, under 1% error.

use std::f64::consts::PI;

use vmcoach::dsp::frames::Framer;
use vmcoach::dsp::pitch::{pitch_track, PitchConfig, PitchTracker};

const SR: f64 = 16_000.0;

/// A harmonic signal (6 harmonics, 1/h amplitudes) whose pitch follows `f0(t)`.
fn voiced(seconds: f64, f0: impl Fn(f64) -> f64) -> Vec<f32> {
    let mut phase = 0.0f64;
    (0..(seconds * SR) as usize)
        .map(|i| {
            let t = i as f64 / SR;
            phase += 2.0 * PI * f0(t) / SR;
            let v: f64 = (1..7).map(|h| (h as f64 * phase).sin() / h as f64).sum();
            (0.3 * v) as f32
        })
        .collect()
}

/// Per-frame (time, estimate) for frames whose window lies fully inside the
/// signal, from the streaming framer and tracker in blocks of 1000 samples.
fn track(x: &[f32]) -> Vec<(f64, Option<f32>)> {
    let mut framer = Framer::new();
    let mut pitch = PitchTracker::new(PitchConfig::default());
    let mut out = Vec::new();
    let len = x.len() as f64 / SR;
    for block in x.chunks(1000) {
        framer.process(block, |f| {
            let hz = pitch.push(f, true);
            if f.time > 0.03 && f.time < len - 0.03 {
                out.push((f.time, hz));
            }
        });
    }
    // The pitch-only path (no spectrum, whole signal at once) agrees.
    let alone = pitch_track(x, PitchConfig::default());
    for &(t, hz) in &out {
        let k = (t / 0.01).round() as usize;
        match (hz, alone[k]) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 0.01 * a, "{t}: {a} vs {b}"),
            (a, b) => assert_eq!(a.is_some(), b.is_some(), "{t}"),
        }
    }
    out
}

/// Worst relative error over the frames; every frame must be voiced.
fn worst_error(x: &[f32], f0: impl Fn(f64) -> f64) -> f64 {
    let frames = track(x);
    assert!(!frames.is_empty());
    frames
        .iter()
        .map(|&(t, hz)| {
            let hz = hz.unwrap_or_else(|| panic!("frame at {t:.2} s unvoiced"));
            (hz as f64 - f0(t)).abs() / f0(t)
        })
        .fold(0.0, f64::max)
}

#[test]
fn steady_tones_under_one_percent() {
    for f in [
        66.0, 80.0, 98.0, 123.0, 150.0, 196.0, 247.0, 311.0, 392.0, 480.0,
    ] {
        let err = worst_error(&voiced(0.5, |_| f), |_| f);
        println!("{f:6.1} Hz: worst error {:.3}%", err * 100.0);
        assert!(err < 0.01, "{f} Hz: {:.2}% error", err * 100.0);
    }
}

#[test]
fn glides_under_one_percent() {
    // Rising and falling, as fast as speech intonation goes (an octave in a second).
    let cases: [(f64, f64); 4] = [(90.0, 180.0), (180.0, 90.0), (150.0, 300.0), (320.0, 200.0)];
    for (a, b) in cases {
        let f0 = move |t: f64| a * (b / a).powf(t);
        let err = worst_error(&voiced(1.0, f0), f0);
        println!("{a}->{b} Hz glide: worst error {:.3}%", err * 100.0);
        assert!(err < 0.01, "{a}->{b}: {:.2}% error", err * 100.0);
    }
}

#[test]
fn vibrato_under_one_percent() {
    let f0 = |t: f64| 140.0 * (1.0 + 0.05 * (2.0 * PI * 5.0 * t).sin());
    let err = worst_error(&voiced(1.0, f0), f0);
    println!("vibrato: worst error {:.3}%", err * 100.0);
    assert!(err < 0.01, "{:.2}% error", err * 100.0);
}
