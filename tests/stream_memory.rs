//! A long recording is scored with bounded memory (issue 13, part 4): a
//! global allocator tracks the live heap, and scoring a 10-minute WAV (DSP
//! streamed, words from a transcript file) must peak no higher than a
//! 3-minute one, and far below what holding the audio would take (10 min at
//! 16 kHz is 38 MB of f32). Whisper's windows on an hour-long file are
//! measured by `scripts/long_input.sh`, not here.

#[path = "common/alloc.rs"]
mod alloc;
#[path = "../src/dsp/test_signals.rs"]
mod signals;

use std::path::{Path, PathBuf};

use vmcoach::audio::AudioLimits;
use vmcoach::pipeline::{score_file, ScoreOptions, WordSource};

/// Speech-like audio written sample by sample (nothing held): voiced
/// syllables for 2 s out of every 3, over a little noise, 16-bit 16 kHz.
fn write_speechlike(path: &Path, seconds: u32) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("create wav");
    for x in signals::speechlike(seconds as f32, 5) {
        w.write_sample((x * 32767.0) as i16).expect("sample");
    }
    w.finalize().expect("finalize");
}

fn transcript(dir: &Path) -> PathBuf {
    let p = dir.join("words.json");
    std::fs::write(
        &p,
        r#"{"schema_version":1,"words":[
            {"text":"Hi","start":0.1,"end":0.3},{"text":"Sarah,","start":0.3,"end":0.8},
            {"text":"call","start":1.0,"end":1.3},{"text":"555-212-3456.","start":1.3,"end":1.9}]}"#,
    )
    .expect("write transcript");
    p
}

/// Peak live heap above what was live before, while scoring `wav`.
fn peak_scoring(wav: &Path, words: &Path) -> usize {
    let opts = ScoreOptions {
        limits: AudioLimits {
            max_seconds: 3600.0,
            ..AudioLimits::default()
        },
        ..ScoreOptions::default()
    };
    let mut source = WordSource::File(words.to_path_buf());
    let base = alloc::start();
    let report = score_file(wav, &opts, &mut source, &mut |_| {}).expect("scored");
    let peak = alloc::peak_above(base);
    let duration = report.audio.as_ref().map(|a| a.duration).unwrap_or(0.0);
    eprintln!(
        "{}: {duration:.0} s, peak heap {:.2} MB",
        wav.display(),
        peak as f64 / 1e6
    );
    assert!(
        report.signal.and_then(|s| s.speech).is_some(),
        "speech found"
    );
    peak
}

#[test]
fn ten_minutes_are_scored_in_the_memory_of_three() {
    let dir = tempfile::tempdir().expect("tempdir");
    let words = transcript(dir.path());
    let short = dir.path().join("three.wav");
    let long = dir.path().join("ten.wav");
    write_speechlike(&short, 180);
    write_speechlike(&long, 600);
    let p3 = peak_scoring(&short, &words);
    let p10 = peak_scoring(&long, &words);
    // Holding the audio would be 600 s × 16 000 × 4 bytes = 38.4 MB.
    assert!(p10 < 8_000_000, "10 minutes peaked at {p10} bytes");
    // What still grows with the length: one f32 per 10 ms for the noise
    // floor (168 kB for the 7 minutes more) and the report's segments.
    assert!(
        p10 < p3 + 1_000_000,
        "10 minutes ({p10} bytes) took more than 3 minutes ({p3} bytes) + 1 MB"
    );
}
