//! Fuzzing (issue 13): the default suite's smoke pass of 10⁴ mutated inputs
//! over every target, and every crash the fuzzer has found kept as a
//! regression test. The long run is `scripts/fuzz.sh N` (see examples/fuzz.rs).

use std::time::Duration;

use vmcoach::fuzz::{load_seeds, run_one, run_target, target, TARGETS};

use crate::support::{assert_one_line_error_in, bin, fixtures, root, skip, stderr};

/// Longest one input may take in the smoke run (the long run's watchdog
/// says 1 s of CPU in a release build; this is a test build on a shared
/// machine).
const SMOKE_SLOW: Duration = Duration::from_secs(5);

/// 10⁴ inputs in all, spread over the targets: none may panic or hang.
#[test]
fn fuzz_smoke_ten_thousand_inputs_without_a_panic() {
    let per_target = 10_000u64.div_ceil(TARGETS.len() as u64);
    let mut failures = Vec::new();
    for t in TARGETS {
        assert!(
            load_seeds(t, root()).len() > t.seeds.len(),
            "{}: a seed file is missing",
            t.name
        );
        let stats = run_target(t, root(), per_target, 0x5EED, &mut |_| {});
        assert_eq!(stats.runs, per_target);
        let (took, slow) = &stats.slowest;
        if *took > SMOKE_SLOW {
            failures.push(format!(
                "{}: one input took {took:?} (input: {} bytes, {:02x?}…)",
                t.name,
                slow.len(),
                &slow[..slow.len().min(32)]
            ));
        }
        for c in stats.crashes {
            failures.push(format!(
                "{}: {} (input: {} bytes, {:02x?}…)",
                t.name,
                c.message,
                c.input.len(),
                &c.input[..c.input.len().min(32)]
            ));
        }
    }
    assert!(failures.is_empty(), "panics:\n{}", failures.join("\n"));
}

/// The mutations are driven by a seed: the same seed, the same run.
#[test]
fn fuzz_runs_repeat_with_the_same_seed() {
    let t = target("config").expect("config target");
    let a = run_target(t, root(), 300, 7, &mut |_| {});
    let b = run_target(t, root(), 300, 7, &mut |_| {});
    assert_eq!((a.corpus, a.outcomes), (b.corpus, b.outcomes));
    assert!(a.outcomes > 3, "mutations reach several outcomes");
}

/// Every input saved in `fixtures/fuzz/regress/` (named `TARGET-…`) once
/// made its target panic, hang or over-allocate; each must now pass.
#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = fixtures().join("fuzz/regress");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures/fuzz/regress") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let Some(t) = name.split('-').next().and_then(target) else {
            continue;
        };
        let input = std::fs::read(&path).expect("read");
        let started = std::time::Instant::now();
        if let Err(panic) = run_one(t, &input) {
            panic!("{name}: {panic}");
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{name} took {:?}",
            started.elapsed()
        );
        n += 1;
    }
    assert!(n > 0, "no regression inputs found in {}", dir.display());
}

/// The generated ggml seed is a model the check accepts whole, so the
/// mutations start from a file that reaches the tensor records.
#[test]
fn fuzz_compact_ggml_seed_passes_the_model_check() {
    let t = target("ggml").expect("ggml target");
    let seeds = (t.generated)();
    assert_eq!(seeds.len(), 1);
    let info = vmcoach::transcribe::model::check_model_bytes(&seeds[0]).expect("valid model");
    assert!(info.n_tensors > 10, "{info:?}");
}

/// The audio inputs that once crashed a decoder, given to `vmcoach score`:
/// a report or one error line, never a panic.
#[test]
fn fuzz_crash_inputs_score_without_a_panic() {
    let dir = fixtures().join("fuzz/regress");
    let tmp = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(&dir).expect("fixtures/fuzz/regress") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !name.starts_with("wav-") && !name.starts_with("decoded-") {
            continue;
        }
        let wav = tmp.path().join(format!("{name}.wav"));
        std::fs::copy(&path, &wav).expect("copy");
        let out = bin()
            .args(["score", "--no-history", "--transcript"])
            .arg(fixtures().join("good.transcript.json"))
            .arg(&wav)
            .output()
            .expect("run vmcoach");
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{name}: {err}");
        match out.status.code() {
            Some(0 | 1) => {}
            Some(2) => assert_one_line_error_in(&out, "", name),
            other => panic!("{name}: exit {other:?}: {err}"),
        }
    }
}

/// The fuzz driver built alongside the tests (`cargo test` builds the
/// examples), if it is there.
fn driver() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    // target/<profile>/deps/it-… → target/<profile>/examples/fuzz
    let p = exe.parent()?.parent()?.join("examples").join("fuzz");
    p.is_file().then_some(p)
}

/// The driver catches what it is for: an input that spins over 1 s of CPU
/// is a hang, a 4 GB request is refused and counted; both inputs are saved
/// and the run fails.
#[test]
fn fuzz_driver_reports_hangs_and_over_allocation() {
    let Some(fuzz) = driver() else {
        return skip("fuzz_driver_reports_hangs_and_over_allocation: examples/fuzz not built (plain `cargo test` builds it; --all-targets builds a test harness instead)");
    };
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(fuzz)
        .args(["--target", "selftest-hang", "--target", "selftest-alloc"])
        .arg("--out")
        .arg(out_dir.path())
        .arg("2")
        .output()
        .expect("run the fuzz driver");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("total: 4 runs, 0 panics, 1 hangs, 1 over-allocations"),
        "{stdout}\n{stderr}"
    );
    let mut saved: Vec<String> = std::fs::read_dir(out_dir.path())
        .expect("crash folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    saved.sort();
    assert_eq!(saved.len(), 2, "{saved:?}");
    assert!(saved[0].starts_with("selftest-alloc-alloc-"), "{saved:?}");
    assert!(saved[1].starts_with("selftest-hang-hang-"), "{saved:?}");
    // A run over the real targets with nothing to find says so.
    let quiet = std::process::Command::new(driver().expect("driver"))
        .args(["--target", "phone", "--out"])
        .arg(out_dir.path())
        .arg("200")
        .output()
        .expect("run the fuzz driver");
    let stdout = String::from_utf8_lossy(&quiet.stdout);
    assert_eq!(quiet.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("total: 200 runs, 0 panics, 0 hangs, 0 over-allocations"),
        "{stdout}"
    );
}
