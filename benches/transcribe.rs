//! The transcription stage on the real tiny.en model (issue 10 part 5):
//! Whisper on a fixed clip, as `vmcoach score` runs it, and loading the
//! model.
//!
//! cargo bench --bench transcribe
//!
//! - `transcribe_20s/greedy_dtw`: greedy decoding (`score`'s default), word
//!   times from DTW alignment;
//! - `transcribe_20s/beam5_dtw`: five beams (`--beam-size 5`), DTW;
//! - `model_load`: checking the file and loading it into whisper.cpp.
//!
//! The clip is fixtures/good.wav (19.5 s, the fixture closest to a 20 s
//! voicemail), read and resampled outside the timed loop; throughput is in
//! seconds of audio, so elements per second is the real-time factor.
//! Whisper runs on one thread (`VMCOACH_BENCH_THREADS=N` for more): on a
//! shared 2-core machine more threads than free cores measure the
//! contention, not the code. The model is models/ggml-tiny.en.bin, else
//! ../shared/models/ggml-tiny.en.bin; without it the bench says it is
//! skipped, and under CI it fails.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use vmcoach::audio::AudioLimits;
use vmcoach::pipeline::load_16k;
use vmcoach::transcribe::whisper::{Decoding, Transcriber};
use vmcoach::transcribe::TranscribeOptions;

#[path = "../tests/common/skip.rs"]
mod skip;

/// The real tiny.en model, where the tests look for it.
fn real_model() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let places = ["models", "../shared/models"].map(|d| root.join(d).join("ggml-tiny.en.bin"));
    let found = places.iter().find(|p| p.is_file()).cloned();
    if found.is_none() {
        skip::skip(&format!(
            "bench transcribe: no real model at {} or {}",
            places[0].display(),
            places[1].display()
        ));
    }
    found
}

fn options() -> TranscribeOptions {
    let threads = std::env::var("VMCOACH_BENCH_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    TranscribeOptions {
        threads,
        ..TranscribeOptions::default()
    }
}

fn bench(c: &mut Criterion) {
    let Some(model) = real_model() else {
        return;
    };
    let opts = options();
    let clip = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/good.wav");
    let pcm = load_16k(&clip, AudioLimits::default())
        .expect("fixtures/good.wav")
        .samples;
    let seconds = pcm.len() as f64 / 16_000.0;
    let mut t = Transcriber::load(&model, &opts).expect("the real model loads");
    assert!(t.has_dtw(), "tiny.en has whisper.cpp's alignment heads");

    let mut g = c.benchmark_group("transcribe_20s");
    // Whole seconds of audio (19 for the 19.5 s clip): elements per second
    // is about the real-time factor.
    g.throughput(Throughput::Elements(seconds.round() as u64));
    // Ten runs of 4–7 s each (one thread, tiny.en) fit in a minute.
    g.measurement_time(Duration::from_secs(60));
    for (name, decoding) in [
        ("greedy_dtw", Decoding::Greedy),
        ("beam5_dtw", Decoding::Beam(5)),
    ] {
        t.set_decoding(decoding);
        g.bench_function(name, |b| {
            b.iter(|| {
                let words = t.transcribe(&pcm).expect("transcribes");
                // The clip must give words (checked inside: a test-mode run is one call).
                assert!(words.words.len() > 10, "{name}: {:?}", words.text);
                words
            })
        });
    }
    g.finish();
    drop(t);

    c.bench_function("model_load", |b| {
        b.iter(|| Transcriber::load(&model, &opts).expect("loads"))
    });
}

criterion_group! {
    name = benches;
    // A transcription takes seconds: ten samples each, no long warm-up.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(30));
    targets = bench
}
criterion_main!(benches);
