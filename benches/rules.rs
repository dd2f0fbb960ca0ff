//! The rule catalog's speed: one 60-word message (target < 1 ms), and a
//! folder-scale run of many scripts on one core (target ≥ 5,000 scripts/s).
//!
//! Run: `cargo bench --bench rules`. The folder run reads every script in
//! tests/corpus/ once (outside the timing), then times analysis + rules
//! over the batch; scripts/s = batch size / time per iteration.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use vmcoach::pipeline::{score_script, ScoreOptions};

/// 60 words, a realistic script with a number said twice.
const SIXTY_WORDS: &str = "Hi Sarah, this is Mike Jones from Butler Street. Dana Lee suggested I call you. \
We helped Acme cut their hiring time in half, and I have an idea that could do the same for your team, um, \
before your Denver office opens. I'll try you Thursday at 10. Sarah, you can reach me at 555-212-3456, \
again 555-212-3456. Talk soon.";

/// What `vmcoach check` does with a script once it is read.
fn check_text(text: &str, opts: &ScoreOptions) -> usize {
    score_script(None, text, opts).findings.len()
}

fn corpus() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .map(|s| {
                    s.lines()
                        .filter(|l| !l.starts_with("# "))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect()
        })
        .unwrap_or_default();
    if out.is_empty() {
        out.push(SIXTY_WORDS.to_string());
    }
    out
}

fn bench(c: &mut Criterion) {
    let cfg = ScoreOptions::default();
    assert!(
        (55..=65).contains(&SIXTY_WORDS.split_whitespace().count()),
        "the message should be about 60 words"
    );
    // Warm the phrase tables so the first iteration doesn't build them.
    check_text(SIXTY_WORDS, &cfg);

    c.bench_function("check_60_words", |b| {
        b.iter(|| check_text(black_box(SIXTY_WORDS), &cfg))
    });

    let scripts = corpus();
    let mut g = c.benchmark_group("check_folder");
    g.throughput(Throughput::Elements(scripts.len() as u64));
    g.bench_function(format!("{}_scripts", scripts.len()), |b| {
        b.iter(|| {
            scripts
                .iter()
                .map(|s| check_text(black_box(s), &cfg))
                .sum::<usize>()
        })
    });
    g.finish();

    // The same from files: 10,000 scripts written to a folder once, then
    // each iteration reads and checks them all (from the page cache).
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let n = 10_000;
    let paths: Vec<std::path::PathBuf> = (0..n)
        .map(|i| {
            let p = dir.path().join(format!("{i:05}.txt"));
            let _ = std::fs::write(&p, &scripts[i % scripts.len()]);
            p
        })
        .collect();
    let mut g = c.benchmark_group("check_folder_files");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("10000_files", |b| {
        b.iter(|| {
            paths
                .iter()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .map(|s| check_text(&s, &cfg))
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
