//! The real-time path does not allocate: the audio callback's work
//! (`CallbackSink::on_block`), the live meter, and the worker's per-block
//! DSP (`Pipeline::process`: resample, level, voice activity, pitch,
//! syllables) are run under a counting global allocator.
//!
//! Counts are per thread, so the other tests in this binary (run in
//! parallel) don't disturb them.

#[path = "common/alloc.rs"]
mod alloc;

use std::sync::Arc;

use ringbuf::traits::Consumer;

use alloc::allocations_in;
use vmcoach::audio::capture::{ring, CallbackSink, CaptureCounters};
use vmcoach::live::meter::RawMeter;
use vmcoach::live::worker::Pipeline;

/// A speech-like test signal: a voiced buzz at a syllable rate, 48 kHz.
fn signal(seconds: f32) -> Vec<f32> {
    let rate = 48_000.0;
    (0..(seconds * rate) as usize)
        .map(|i| {
            let t = i as f32 / rate;
            let env = (0.5 + 0.5 * (2.0 * std::f32::consts::PI * 4.0 * t).sin()).powi(2);
            let f0 = 120.0 + 15.0 * (2.0 * std::f32::consts::PI * 0.5 * t).sin();
            let mut s = 0.0;
            for h in 1..8 {
                s += (2.0 * std::f32::consts::PI * f0 * h as f32 * t).sin() / h as f32;
            }
            0.2 * env * s
        })
        .collect()
}

#[test]
fn the_callback_does_not_allocate() {
    let x = signal(2.0);
    let stereo_f32: Vec<f32> = x.iter().flat_map(|&s| [s, s]).collect();
    let stereo_i16: Vec<i16> = stereo_f32.iter().map(|&s| (s * 30000.0) as i16).collect();
    let (p, mut c) = ring(48_000);
    let counters = Arc::new(CaptureCounters::default());
    let mut sink = CallbackSink::new(p, 2, u64::MAX, counters);
    let mut out = vec![0.0f32; 48_000];
    // Periods of several sizes, both formats, including a full ring.
    let n = allocations_in(|| {
        for period in [64usize, 441, 1024, 8192] {
            for chunk in stereo_f32.chunks(period * 2).take(20) {
                sink.on_block::<f32>(chunk);
            }
            for chunk in stereo_i16.chunks(period * 2).take(20) {
                sink.on_block::<i16>(chunk);
            }
            c.pop_slice(&mut out);
        }
    });
    assert_eq!(n, 0, "the audio callback allocated {n} times");
}

#[test]
fn the_live_meter_does_not_allocate() {
    let x = signal(1.0);
    let mut m = RawMeter::new();
    let n = allocations_in(|| {
        for block in x.chunks(480) {
            m.push(block);
            std::hint::black_box(m.take());
        }
    });
    assert_eq!(n, 0);
}

#[test]
fn the_worker_dsp_does_not_allocate_per_block() {
    let x = signal(6.0);
    let mut pipe = Pipeline::new(48_000, None).unwrap();
    // Warm up: the first seconds fill the chain's history buffers.
    for block in x[..48_000 * 3].chunks(480) {
        pipe.process(block).unwrap();
    }
    let n = allocations_in(|| {
        for block in x[48_000 * 3..].chunks(480) {
            pipe.process(block).unwrap();
            std::hint::black_box(pipe.live());
        }
    });
    assert_eq!(
        n, 0,
        "resample + DSP allocated {n} times over 3 s of 10 ms blocks"
    );
}

#[test]
fn the_counter_sees_allocations() {
    let n = allocations_in(|| {
        std::hint::black_box(vec![1u8; 100]);
    });
    assert_eq!(n, 1);
}
