//! Recordings longer than `pipeline::WHOLE_SECONDS` (issue 13, part 4) are
//! streamed: the signal analysis gives the same figures as on the whole
//! audio, Whisper runs in windows of at most 30 s whose words land on the
//! recording's clock, and `--max-seconds` still refuses what is too long.
//! (Bounded memory: tests/stream_memory.rs; an hour: scripts/long_input.sh.)

use std::path::{Path, PathBuf};

use vmcoach::audio::AudioLimits;
use vmcoach::pipeline::{
    load_16k, measure_signal, score_file, score_file_streamed_after, ScoreOptions, WhisperModel,
    WordSource, WHOLE_SECONDS,
};
use vmcoach::transcribe::TranscribeOptions;

use crate::support::{assert_one_line_error, bin, fixtures, real_model};

fn limits() -> AudioLimits {
    AudioLimits {
        max_seconds: 3600.0,
        ..AudioLimits::default()
    }
}

/// `good.wav` said `times` times over, one after the other.
fn repeated_good(dir: &Path, times: usize) -> PathBuf {
    let mut r = hound::WavReader::open(fixtures().join("good.wav")).expect("good.wav");
    let spec = r.spec();
    let samples: Vec<i16> = r.samples::<i16>().map(|s| s.expect("sample")).collect();
    let p = dir.join(format!("good-x{times}.wav"));
    let mut w = hound::WavWriter::create(&p, spec).expect("create");
    for _ in 0..times {
        for &s in &samples {
            w.write_sample(s).expect("write");
        }
    }
    w.finalize().expect("finalize");
    p
}

/// The streamed path's signal figures are the whole path's, to the bit.
#[test]
fn long_recordings_stream_to_the_same_signal_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wav = repeated_good(dir.path(), 7);
    let audio = load_16k(&wav, limits()).expect("load");
    assert!(audio.info.duration > WHOLE_SECONDS, "long enough to stream");
    let whole = measure_signal(&audio);
    drop(audio);
    let opts = ScoreOptions {
        limits: limits(),
        ..ScoreOptions::default()
    };
    let mut words = WordSource::File(fixtures().join("good.transcript.json"));
    let mut stages = Vec::new();
    let report = score_file(&wav, &opts, &mut words, &mut |s| stages.push(s)).expect("scored");
    // Filler candidates: the same stretches; their spectral figures may
    // differ in the last bits (the streamed analysis sums its flux in
    // another order), so they are compared apart.
    let mut streamed = report.signal.clone().expect("signal");
    let mut whole = whole;
    let (s_fill, w_fill) = (
        std::mem::take(&mut streamed.filler_candidates),
        std::mem::take(&mut whole.filler_candidates),
    );
    assert_eq!(s_fill.len(), w_fill.len());
    for (s, w) in s_fill.iter().zip(&w_fill) {
        assert_eq!((s.time, s.nasal_end), (w.time, w.nasal_end));
        assert!((s.confidence - w.confidence).abs() < 1e-3, "{s:?} {w:?}");
    }
    assert_eq!(streamed, whole);
    // The progress reached the end of the audio.
    let last = stages.iter().rev().find_map(|s| match s {
        vmcoach::pipeline::Stage::Progress {
            done_seconds,
            total_seconds,
        } => Some((*done_seconds, *total_seconds)),
        _ => None,
    });
    let total = whole.duration.ceil() as u64;
    assert_eq!(last, Some((total, total)), "progress: {stages:?}");
}

/// `--max-seconds` refuses a long recording before it is streamed.
#[test]
fn max_seconds_refuses_a_long_recording() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wav = repeated_good(dir.path(), 7);
    let out = bin()
        .args([
            "score",
            "--no-history",
            "--max-seconds",
            "100",
            "--transcript",
        ])
        .arg(fixtures().join("good.transcript.json"))
        .arg(&wav)
        .output()
        .expect("run vmcoach");
    assert_one_line_error(&out, "over the 100 s limit");
}

/// Repetitions of good.wav the Whisper test streams.
const REPS: usize = 3;

/// Whisper in windows: every repetition's words are heard, at its own
/// time. Three repetitions (58 s) streamed from 30 s on, so two windows
/// (the default run stays short on one thread).
#[test]
fn whisper_windows_carry_word_times_across_a_long_recording() {
    let Some(model) = real_model("whisper_windows_carry_word_times_across_a_long_recording") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let wav = repeated_good(dir.path(), REPS);
    let opts = ScoreOptions {
        limits: limits(),
        ..ScoreOptions::default()
    };
    let mut words = WordSource::Whisper(WhisperModel::new(TranscribeOptions {
        model: Some(model),
        threads: 1,
        ..TranscribeOptions::default()
    }));
    let mut streamed = false;
    let report = score_file_streamed_after(
        &wav,
        &opts,
        &mut words,
        &mut |s| {
            if let vmcoach::pipeline::Stage::Progress { .. } = s {
                streamed = true;
            }
        },
        30.0,
    )
    .expect("scored");
    assert!(streamed, "the streamed path was taken");
    let duration = report.audio.as_ref().expect("audio").duration;
    let times: Vec<_> = report
        .transcript
        .words
        .iter()
        .filter_map(|w| w.time)
        .collect();
    assert_eq!(
        times.len(),
        report.transcript.words.len(),
        "every word timed"
    );
    assert!(
        times.windows(2).all(|p| p[1].start >= p[0].start - 1e-6),
        "times in order"
    );
    let last = times.last().expect("words").end;
    assert!(
        last > duration - 25.0 && last <= duration + 0.5,
        "last word at {last:.1} of {duration:.1} s"
    );
    // One "Sarah" per repetition, each in its own ~19.5 s.
    let sarahs: Vec<f64> = report
        .transcript
        .words
        .iter()
        .filter(|w| w.text.starts_with("Sarah"))
        .filter_map(|w| w.time.map(|t| t.start))
        .collect();
    assert!(
        sarahs.len() >= REPS,
        "Sarah heard {} times: {}",
        sarahs.len(),
        report.transcript.text
    );
    let per = duration / REPS as f64;
    for k in 0..REPS {
        let (a, b) = (k as f64 * per, (k + 1) as f64 * per);
        assert!(
            sarahs.iter().any(|&t| t >= a && t < b),
            "no Sarah in repetition {k} ({a:.1}–{b:.1} s): {sarahs:?}"
        );
    }
}
