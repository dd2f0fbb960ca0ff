//! The DSP stages, timed (issue 5, "Performance").
//!
//!     cargo bench --bench dsp
//!
//! - `chain_20s/*`: the whole chain (frames, voice activity, pitch, level,
//!   syllables) on a 20 s message at 16 kHz, and with 48 kHz → 16 kHz
//!   resampling in front. Target: ≥ 500× real time on one core (< 40 ms).
//! - `pitch_60s`: pitch over a 60 s file, three ways. `pitch_only` is
//!   `dsp::pitch::pitch_track`: DC blocker, decimation and YIN on every
//!   frame, no spectrum and no gating — the same job as Praat's
//!   `to_pitch_ac`, with which scripts/bench_refs.sh compares it.
//!   `every_frame` adds the framer's spectrum features; `as_scored` is what
//!   `score` runs (full framer, voice activity, YIN on active frames only).
//!   `framer_only` is the framer alone, for the breakdown.
//! - `resample_60s_48k`: the streaming rubato resampler on 60 s at 48 kHz:
//!   compared with sox by scripts/bench_refs.sh.
//! - `fillers_20s`: the whole filler stage (issue 16) on a 20 s message:
//!   each frame's summary (`dsp::fillers::FrameTrack::push`, on frames and
//!   pitch computed beforehand, as the chain hands them over), the steady
//!   stretches, and the report's fillers list against 60 timed words.
//!   Target: < 2 ms.
//!
//! Input: fixtures/good.wav (real synthetic speech with pauses) looped to
//! length; 48 kHz copies by linear interpolation. All buffers are made
//! outside the timed loops, as rubato's and realfft's own benches do.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;

use vmcoach::audio::resample::To16k;
use vmcoach::dsp::fillers::{candidates, FrameTrack};
use vmcoach::dsp::frames::{Frame, Framer};
use vmcoach::dsp::pitch::{pitch_track, PitchConfig, PitchTracker};
use vmcoach::dsp::vad::{estimate_floor_db, Vad, VadConfig};
use vmcoach::dsp::{DspConfig, SignalAnalyzer};

const BLOCK: usize = 4096;

fn speech_16k(seconds: usize) -> Vec<f32> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/good.wav");
    let mut r = hound::WavReader::open(&path).expect("fixtures/good.wav");
    let one: Vec<f32> = r
        .samples::<i16>()
        .map(|s| s.expect("sample") as f32 / 32768.0)
        .collect();
    one.iter().copied().cycle().take(seconds * 16_000).collect()
}

fn upsample_3x(x: &[f32]) -> Vec<f32> {
    (0..x.len() * 3)
        .map(|i| {
            let k = i / 3;
            let frac = (i % 3) as f32 / 3.0;
            let a = x[k];
            let b = *x.get(k + 1).unwrap_or(&a);
            a * (1.0 - frac) + b * frac
        })
        .collect()
}

fn chain(c: &mut Criterion) {
    let x16 = speech_16k(20);
    let x48 = upsample_3x(&x16);
    let mut g = c.benchmark_group("chain_20s");
    g.throughput(Throughput::Elements(20));
    g.sample_size(30);
    let mut a = SignalAnalyzer::new(DspConfig::default());
    g.bench_function("frames_vad_pitch_level_syllables", |b| {
        b.iter(|| {
            a.reset();
            for block in x16.chunks(BLOCK) {
                a.process(block);
            }
            black_box(a.finish())
        })
    });
    let mut rs = To16k::new(48_000).expect("resampler");
    let mut a = SignalAnalyzer::new(DspConfig::default());
    g.bench_function("resample48k_then_chain", |b| {
        b.iter(|| {
            rs.reset();
            a.reset();
            for block in x48.chunks(BLOCK * 3) {
                rs.process(block, &mut |out: &[f32]| a.process(out))
                    .expect("resample");
            }
            rs.finish(&mut |out: &[f32]| a.process(out)).expect("flush");
            black_box(a.finish())
        })
    });
    g.finish();
}

fn pitch_60s(c: &mut Criterion) {
    let x = speech_16k(60);
    let mut g = c.benchmark_group("pitch_60s");
    g.throughput(Throughput::Elements(60));
    g.sample_size(20);
    let mut framer = Framer::new();
    g.bench_function("framer_only", |b| {
        b.iter(|| {
            framer.reset();
            let mut n = 0usize;
            for block in x.chunks(BLOCK) {
                framer.process(block, |f| n += f.samples_8k.len());
            }
            black_box(n)
        })
    });
    g.bench_function("pitch_only", |b| {
        b.iter(|| black_box(pitch_track(&x, PitchConfig::default())))
    });
    let mut pitch = PitchTracker::new(PitchConfig::default());
    g.bench_function("every_frame", |b| {
        b.iter(|| {
            framer.reset();
            pitch.reset();
            let mut voiced = 0usize;
            for block in x.chunks(BLOCK) {
                framer.process(block, |f| {
                    voiced += usize::from(pitch.push(f, true).is_some())
                });
            }
            black_box(voiced)
        })
    });
    let mut vad = Vad::new(VadConfig::default());
    g.bench_function("as_scored", |b| {
        b.iter(|| {
            framer.reset();
            pitch.reset();
            vad.reset();
            vad.set_floor_hint(estimate_floor_db(&x));
            let mut voiced = 0usize;
            for block in x.chunks(BLOCK) {
                framer.process(block, |f| {
                    let active = vad.push(f).active;
                    voiced += usize::from(pitch.push(f, active).is_some())
                });
            }
            black_box(voiced)
        })
    });
    g.finish();
}

fn resample_60s(c: &mut Criterion) {
    let x48 = upsample_3x(&speech_16k(60));
    let mut g = c.benchmark_group("resample_60s_48k");
    g.throughput(Throughput::Elements(60));
    g.sample_size(20);
    let mut rs = To16k::new(48_000).expect("resampler");
    g.bench_function("to16k", |b| {
        b.iter(|| {
            rs.reset();
            let mut n = 0usize;
            for block in x48.chunks(BLOCK * 3) {
                rs.process(block, &mut |out: &[f32]| n += out.len())
                    .expect("resample");
            }
            rs.finish(&mut |out: &[f32]| n += out.len()).expect("flush");
            black_box(n)
        })
    });
    g.finish();
}

/// One frame as the chain hands it to the filler stage, owned.
struct OwnedFrame {
    index: u64,
    time: f64,
    energy_db: f32,
    mean_square: f32,
    power: Vec<f32>,
    f0: Option<f32>,
}

fn fillers_20s(c: &mut Criterion) {
    use vmcoach::message::{AudioFacts, Message, TimeRange, Transcript};
    let x = speech_16k(20);
    let mut framer = Framer::new();
    let mut vad = Vad::new(VadConfig::default());
    vad.set_floor_hint(estimate_floor_db(&x));
    let mut pitch = PitchTracker::new(PitchConfig::default());
    let mut frames = Vec::new();
    for block in x.chunks(BLOCK) {
        framer.process(block, |f| {
            let active = vad.push(f).active;
            frames.push(OwnedFrame {
                index: f.index,
                time: f.time,
                energy_db: f.energy_db,
                mean_square: f.mean_square,
                power: f.power.to_vec(),
                f0: pitch.push(f, active),
            });
        });
    }
    // A word every 0.33 s, as a 20 s message at ~180 wpm has.
    let transcript = Transcript::from_timed_words((0..60).map(|i| {
        let t = f64::from(i) / 3.0;
        ("word".to_string(), Some(TimeRange::new(t, t + 0.25)), None)
    }));
    let mut g = c.benchmark_group("fillers_20s");
    g.throughput(Throughput::Elements(20));
    g.sample_size(50);
    let mut track = FrameTrack::new();
    g.bench_function("track_candidates_list", |b| {
        b.iter(|| {
            track.reset();
            for f in &frames {
                let frame = Frame {
                    index: f.index,
                    time: f.time,
                    samples: &[],
                    samples_8k: &[],
                    energy_db: f.energy_db,
                    mean_square: f.mean_square,
                    flatness: 0.0,
                    speech_band_ratio: 0.0,
                    high_band_db: 0.0,
                    power: &f.power,
                };
                track.push(&frame, f.f0);
            }
            let message = Message {
                transcript: transcript.clone(),
                audio: Some(AudioFacts {
                    filler_candidates: candidates(track.frames()),
                    ..Default::default()
                }),
                ..Default::default()
            };
            let text = vmcoach::text::TextView::new(&message.transcript);
            black_box(vmcoach::analyze::fillers::find(&message, &text, &[]))
        })
    });
    g.finish();
}

criterion_group!(benches, chain, pitch_60s, resample_60s, fillers_20s);
criterion_main!(benches);
