//! The real-time path's cost per 10 ms block, and the sound-to-meter delay.
//!
//! Run: `cargo bench --bench capture`
//!
//! - `callback/*`: the audio callback's whole job on one 10 ms block of a
//!   48 kHz stereo device (convert, downmix, push into the ring), plus the
//!   worker's pop that empties the ring again.
//! - `worker/*`: the worker's job on one 10 ms block: resample 48 kHz →
//!   16 kHz, the DSP chain (level, voice activity, pitch, syllables) and
//!   the checkpointing WAV writer (to /dev/null, so the disk is not timed).
//!   Target: under 200 µs (2% of the block).
//! - Before the benchmarks, the delay from a sound's onset to the level
//!   meter showing it is measured in samples through the same pipeline and
//!   printed with the other terms of the sound-to-meter delay. Target: under
//!   50 ms.
//!
//! Buffers are built outside the timed closures, as rubato's benches do.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, Criterion, Throughput};
use ringbuf::traits::Consumer;

use vmcoach::audio::capture::{ring, CallbackSink, CaptureCounters};
use vmcoach::audio::wav_writer::CheckpointWavWriter;
use vmcoach::live::meter::RawMeter;
use vmcoach::live::worker::{Pipeline, WorkerConfig};

const RATE: u32 = 48_000;
const BLOCK: usize = 480; // 10 ms at 48 kHz

/// The good fixture at 48 kHz (linear interpolation: the content only has
/// to look like speech to the DSP).
fn speech_48k() -> Vec<f32> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/good.wav");
    let x: Vec<f32> = match hound::WavReader::open(&path) {
        Ok(r) => r
            .into_samples::<i16>()
            .filter_map(Result::ok)
            .map(|s| f32::from(s) / 32768.0)
            .collect(),
        // Without the fixture: a gliding tone with a syllable-rate envelope.
        Err(_) => (0..16_000 * 20)
            .map(|i| {
                let t = i as f32 / 16_000.0;
                let env = (0.5 + 0.5 * (2.0 * std::f32::consts::PI * 4.0 * t).sin()).powi(2);
                0.3 * env * (2.0 * std::f32::consts::PI * (120.0 + 20.0 * t.sin()) * t).sin()
            })
            .collect(),
    };
    let mut y = Vec::with_capacity(x.len() * 3);
    for w in x.windows(2) {
        for k in 0..3 {
            y.push(w[0] + (w[1] - w[0]) * k as f32 / 3.0);
        }
    }
    y
}

fn callback(c: &mut Criterion) {
    let mut g = c.benchmark_group("callback");
    g.throughput(Throughput::Elements(BLOCK as u64));
    let speech = speech_48k();
    let f32_block: Vec<f32> = speech[48_000..48_000 + BLOCK]
        .iter()
        .flat_map(|&s| [s, s])
        .collect();
    let i16_block: Vec<i16> = f32_block.iter().map(|&s| (s * 32767.0) as i16).collect();
    let mut out = vec![0.0f32; BLOCK];

    let (p, mut cons) = ring(RATE as usize);
    let mut sink = CallbackSink::new(p, 2, u64::MAX, Arc::new(CaptureCounters::default()));
    g.bench_function("f32_stereo_10ms", |b| {
        b.iter(|| {
            sink.on_block::<f32>(std::hint::black_box(&f32_block));
            cons.pop_slice(&mut out)
        })
    });

    let (p, mut cons) = ring(RATE as usize);
    let mut sink = CallbackSink::new(p, 2, u64::MAX, Arc::new(CaptureCounters::default()));
    g.bench_function("i16_stereo_10ms", |b| {
        b.iter(|| {
            sink.on_block::<i16>(std::hint::black_box(&i16_block));
            cons.pop_slice(&mut out)
        })
    });
    g.finish();
}

fn worker(c: &mut Criterion) {
    let mut g = c.benchmark_group("worker");
    g.throughput(Throughput::Elements(BLOCK as u64));
    let speech = speech_48k();
    let writer =
        CheckpointWavWriter::create(Path::new("/dev/null"), 16_000, Duration::from_millis(500))
            .ok();
    let mut pipe = match Pipeline::new(RATE, writer) {
        Ok(p) => p,
        Err(e) => panic!("pipeline: {e}"),
    };
    let blocks: Vec<&[f32]> = speech.chunks_exact(BLOCK).collect();
    let mut i = 0usize;
    g.bench_function("resample_dsp_wav_10ms", |b| {
        b.iter(|| {
            let block = blocks[i % blocks.len()];
            i += 1;
            let r = pipe.process(std::hint::black_box(block));
            std::hint::black_box(pipe.live());
            r
        })
    });
    g.finish();
}

/// A tone after silence, fed in 10 ms blocks as the worker pops them:
/// samples from the onset until (a) the live meter and (b) the DSP chain's
/// own level stage show it above -40 dBFS.
fn onset_delays() -> Option<(usize, usize)> {
    let mut pipe = Pipeline::new(RATE, None).ok()?;
    let mut meter = RawMeter::new();
    let silence = vec![0.0f32; BLOCK];
    for _ in 0..100 {
        meter.push(&silence);
        pipe.process(&silence).ok()?;
    }
    meter.take();
    let tone: Vec<f32> = (0..RATE as usize)
        .map(|i| 0.1 * (2.0 * std::f32::consts::PI * 300.0 * i as f32 / RATE as f32).sin())
        .collect();
    let (mut raw, mut dsp) = (None, None);
    for (k, block) in tone.chunks_exact(BLOCK).enumerate() {
        meter.push(block);
        pipe.process(block).ok()?;
        if raw.is_none() && meter.take().0 > -40.0 {
            raw = Some((k + 1) * BLOCK);
        }
        if dsp.is_none() && pipe.live().level.frame_db > -40.0 {
            dsp = Some((k + 1) * BLOCK);
        }
        if let (Some(r), Some(d)) = (raw, dsp) {
            return Some((r, d));
        }
    }
    None
}

fn print_latency_estimate() {
    let ms = |frames: f64| frames * 1000.0 / f64::from(RATE);
    let Some((raw_frames, dsp_frames)) = onset_delays() else {
        eprintln!("sound-to-meter: the meter never showed the tone");
        return;
    };
    let cfg = WorkerConfig::new(RATE, 30.0, None);
    // The device hands audio over a period at a time: 1024 frames (21 ms)
    // is a common ALSA default on laptops; `vmcoach record --json` reports
    // the real one as `device.period_frames`.
    let period = 1024.0;
    // The worker sleeps 2 ms when the ring is empty.
    let poll = 2.0;
    let refresh = cfg.refresh.as_secs_f64() * 1000.0;
    // The onset can fall at the start of a period and just after a refresh.
    let worst = ms(period) + poll + ms(raw_frames as f64) + refresh;
    eprintln!(
        "sound-to-meter delay, worst case: device period {:.1} ms + worker poll {poll:.1} ms \
         + meter {:.1} ms (measured: the 10 ms block holding the onset) + display refresh \
         {refresh:.1} ms = {worst:.1} ms (target < 50 ms); the DSP chain's own level stage \
         would show it after {:.1} ms instead of {:.1} ms",
        ms(period),
        ms(raw_frames as f64),
        ms(dsp_frames as f64),
        ms(raw_frames as f64),
    );
}

criterion_group!(benches, callback, worker);

fn main() {
    print_latency_estimate();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
