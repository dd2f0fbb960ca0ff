//! The score path without Whisper: load a 20 s 48 kHz WAV, downmix,
//! resample to 16 kHz, and run the signal analysis (voice activity, level,
//! pitch, syllables). Target (issue 2): ≥ 500× real time on one core, i.e.
//! under 40 ms for the 20 s file.
//!
//! cargo bench --bench pipeline
//!
//! The input is fixtures/good.wav, upsampled to 48 kHz and looped to 20 s,
//! written to a temporary file once, outside the timed loop.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;
use vmcoach::audio::{read_mono, AudioLimits};
use vmcoach::pipeline::{load_16k, measure_signal};

const SECONDS: usize = 20;
const RATE: u32 = 48_000;

fn make_input(dir: &Path) -> std::path::PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/good.wav");
    let speech = read_mono(&src, AudioLimits::default())
        .expect("fixtures/good.wav")
        .samples;
    // 16 kHz → 48 kHz by linear interpolation: the content only has to look
    // like speech to the analysis, the timing is what is measured.
    let want = SECONDS * RATE as usize;
    let path = dir.join("bench_48k.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&path, spec).expect("temp wav");
    for i in 0..want {
        let pos = (i as f64 / 3.0) % (speech.len() - 1) as f64;
        let k = pos as usize;
        let frac = (pos - k as f64) as f32;
        let v = speech[k] * (1.0 - frac) + speech[k + 1] * frac;
        let s = (v * 32_767.0) as i16;
        w.write_sample(s).expect("write");
        w.write_sample(s).expect("write");
    }
    w.finalize().expect("finalize");
    path
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = make_input(dir.path());
    let limits = AudioLimits::default();
    let mut g = c.benchmark_group("score_path_20s_48k_stereo");
    g.throughput(Throughput::Elements(SECONDS as u64));
    g.sample_size(30);
    g.bench_function("load_resample", |b| {
        b.iter(|| load_16k(&path, limits).expect("load"))
    });
    let audio = load_16k(&path, limits).expect("load");
    g.bench_function("signal_analysis", |b| b.iter(|| measure_signal(&audio)));
    g.bench_function("load_resample_analyse", |b| {
        b.iter(|| {
            let a = load_16k(&path, limits).expect("load");
            measure_signal(&a)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
