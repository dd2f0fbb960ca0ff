//! Per-frame pitch (and the whole-signal summary) of a WAV file, as JSON.
//!
//!     cargo run --release --example pitch_dump -- FILE.wav            # frames
//!     cargo run --release --example pitch_dump -- --summary FILE.wav  # analyze_signal
//!
//! `--threshold`, `--voicing`, `--min-hz`, `--max-hz` override the pitch settings (frames only).
//! `--every-frame`: the tracker alone on every frame (`dsp::pitch::pitch_track`,
//! no voice-activity gating); rows are `[time_s, f0_hz_or_null]`.
//!
//! Frames: `{"hop_s":0.01,"frames":[[time_s, f0_hz_or_null, energy_db, active, high_band_db], ...]}`.
//! Used by scripts/eval_prosody.py to compare with Praat. Any WAV the tool
//! reads works; it is resampled to 16 kHz first, as `score` does.

use std::path::PathBuf;
use std::process::ExitCode;

use vmcoach::audio::resample::to_16k;
use vmcoach::audio::{read_mono, AudioLimits};
use vmcoach::dsp::frames::{Framer, FRAME_SECONDS};
use vmcoach::dsp::pitch::{pitch_track, PitchConfig, PitchTracker};
use vmcoach::dsp::vad::{estimate_floor_db, Vad, VadConfig};
use vmcoach::dsp::{analyze_signal, SAMPLE_RATE};

fn main() -> ExitCode {
    let mut summary = false;
    let mut every_frame = false;
    let mut path = None;
    let mut cfg = PitchConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |target: &mut f32| {
            if let Some(v) = args.next().and_then(|v| v.parse().ok()) {
                *target = v;
            }
        };
        match a.as_str() {
            "--summary" => summary = true,
            "--every-frame" => every_frame = true,
            "--threshold" => num(&mut cfg.threshold),
            "--voicing" => num(&mut cfg.voicing_threshold),
            "--min-hz" => num(&mut cfg.min_hz),
            "--max-hz" => num(&mut cfg.max_hz),
            "--window" => num(&mut cfg.window_s),
            "--octave-margin" => num(&mut cfg.octave_margin),
            _ => path = Some(PathBuf::from(a)),
        }
    }
    let Some(path) = path else {
        eprintln!(
            "usage: pitch_dump [--summary] [--threshold T] [--voicing V] [--min-hz F] [--max-hz F] FILE.wav"
        );
        return ExitCode::from(2);
    };
    let limits = AudioLimits {
        max_seconds: 3600.0,
        min_seconds: 0.0,
    };
    let audio = match read_mono(&path, limits) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("pitch_dump: {e}");
            return ExitCode::from(2);
        }
    };
    let pcm = if audio.info.sample_rate == SAMPLE_RATE {
        audio.samples
    } else {
        match to_16k(&audio.samples, audio.info.sample_rate) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("pitch_dump: {e}");
                return ExitCode::from(2);
            }
        }
    };
    if summary {
        match serde_json::to_string_pretty(&analyze_signal(&pcm)) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("pitch_dump: {e}");
                return ExitCode::from(2);
            }
        }
        return ExitCode::SUCCESS;
    }
    if every_frame {
        let rows: Vec<_> = pitch_track(&pcm, cfg)
            .into_iter()
            .enumerate()
            .map(|(k, hz)| serde_json::json!([k as f64 * FRAME_SECONDS, hz]))
            .collect();
        println!("{}", serde_json::json!({"hop_s": 0.01, "frames": rows}));
        return ExitCode::SUCCESS;
    }
    let mut framer = Framer::new();
    let mut vad = Vad::new(VadConfig::default());
    vad.set_floor_hint(estimate_floor_db(&pcm));
    let mut pitch = PitchTracker::new(cfg);
    let mut rows = Vec::new();
    let mut on_frame = |f: &vmcoach::dsp::frames::Frame| {
        let v = vad.push(f);
        let hz = pitch.push(f, v.active);
        rows.push(serde_json::json!([
            f.time,
            hz,
            f.energy_db,
            v.active,
            f.high_band_db
        ]));
    };
    framer.process(&pcm, &mut on_frame);
    framer.finish(&mut on_frame);
    println!("{}", serde_json::json!({"hop_s": 0.01, "frames": rows}));
    ExitCode::SUCCESS
}
