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
//!
//! Input: fixtures/good.wav (real synthetic speech with pauses) looped to
//! length; 48 kHz copies by linear interpolation. All buffers are made
//! outside the timed loops, as rubato's and realfft's own benches do.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;

use vmcoach::audio::resample::To16k;
use vmcoach::dsp::frames::Framer;
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

criterion_group!(benches, chain, pitch_60s, resample_60s);
criterion_main!(benches);
