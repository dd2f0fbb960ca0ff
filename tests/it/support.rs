//! Shared test support: starting `vmcoach` away from the developer's own
//! model and settings, reading what it printed, the repository's files, the
//! generated test model and the real one. One copy of each, used by every
//! module.

/// The signals the DSP unit tests share (white noise from a seed), the
/// same file: one generator for both.
#[path = "../../src/dsp/test_signals.rs"]
pub mod signals;

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The rule for a missing part (say it by name; fail under CI), shared
/// with the benches.
#[path = "../common/skip.rs"]
mod skip_rule;
pub use skip_rule::skip;

/// The repository's root (where `Cargo.toml` is).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's `fixtures/` folder.
pub fn fixtures() -> PathBuf {
    root().join("fixtures")
}

/// The synthetic voicemails in `fixtures/`: each has `NAME.wav`, its exact
/// words `NAME.transcript.json` and its truth `NAME.truth.json`.
pub const FIXTURES: &[&str] = &[
    "good", "long", "fast", "once", "rattled", "cryptic", "dead_air", "quiet",
];

/// `fixtures/formats/NAME`: the same short tone in each container and codec.
pub fn formats(name: &str) -> PathBuf {
    fixtures().join("formats").join(name)
}

/// Writes a mono 16-bit WAV at `rate` holding `samples`.
pub fn write_wav_i16(path: &Path, rate: u32, samples: impl IntoIterator<Item = i16>) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
    for s in samples {
        w.write_sample(s).expect("write a sample");
    }
    w.finalize().expect("finish the WAV");
}

/// `vmcoach`, never picking up a model from the developer's machine
/// (`VMCOACH_MODEL` removed) and without colour.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vmcoach"));
    c.env_remove("VMCOACH_MODEL").env("NO_COLOR", "1");
    c
}

/// [`bin`] run in `dir`, with the home, config and cache folders there too:
/// no settings and no model from the machine are found.
pub fn bin_at(dir: &Path) -> Command {
    let mut c = bin();
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env("XDG_CACHE_HOME", dir.join("cache"));
    c
}

/// A temporary folder holding a working folder `work/` and a cache folder
/// `cache/`, both made.
pub struct WorkDirs {
    pub tmp: tempfile::TempDir,
    pub cwd: PathBuf,
    pub cache: PathBuf,
}

pub fn work_dirs() -> WorkDirs {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cwd = tmp.path().join("work");
    let cache = tmp.path().join("cache");
    std::fs::create_dir_all(&cwd).expect("mkdir");
    std::fs::create_dir_all(&cache).expect("mkdir");
    WorkDirs { tmp, cwd, cache }
}

/// [`bin`] for the `models` commands: run in `cwd`, with `cache` as the home
/// and cache folder, and none of the caller's model variables, download
/// sources, pinned hashes or proxies.
pub fn models_bin(cwd: &Path, cache: &Path) -> Command {
    let mut c = bin();
    c.current_dir(cwd)
        .env("XDG_CACHE_HOME", cache)
        .env("HOME", cache);
    for v in [
        "VMCOACH_MODEL_BASE_URL",
        "VMCOACH_MODEL_EXPECTED_SHA256",
        "VMCOACH_INDEX_URL",
        "VMCOACH_INDEX_WHEEL_SHA256",
        "VMCOACH_INDEX_MODEL_SHA256",
        "PIP_INDEX_URL",
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ] {
        c.env_remove(v);
    }
    c
}

/// `vmcoach ARGS`, waited for.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("vmcoach runs")
}

/// `vmcoach ARGS` in the folder `cwd`, waited for.
pub fn run_in(cwd: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("vmcoach runs")
}

/// `vmcoach score NAME.wav --transcript NAME.transcript.json` on fixture
/// `name` (its known words: no Whisper), kept out of the history, with
/// `extra`; run in `fixtures/`.
pub fn score_fixture(name: &str, extra: &[&str]) -> Output {
    bin()
        .args([
            "score",
            &format!("{name}.wav"),
            "--transcript",
            &format!("{name}.transcript.json"),
            "--no-history",
        ])
        .args(extra)
        .current_dir(fixtures())
        .output()
        .expect("vmcoach runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What `vmcoach` printed on stdout, as JSON (the test fails showing it
/// when it is not).
pub fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// A JSON file, read and parsed (the test fails naming the file).
pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// A bad input's answer: exit 2 and exactly one line on stderr, starting
/// "vmcoach: error: " and containing `needle`; no panic and no whisper.cpp
/// assertion.
pub fn assert_one_line_error(o: &Output, needle: &str) {
    assert_one_line_error_in(o, needle, "");
}

/// [`assert_one_line_error`], naming `what` ran when it fails.
pub fn assert_one_line_error_in(o: &Output, needle: &str, what: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{what}: stderr: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("GGML_ASSERT"),
        "{what}: {err}"
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: want one line, got: {err}");
    assert!(lines[0].starts_with("vmcoach: error: "), "{what}: {err}");
    assert!(lines[0].contains(needle), "{what}: {needle:?} not in {err}");
}

/// Writes the generated random-weight ggml model at `path` (making its
/// folder): what `vmcoach models make-test-model PATH --seed SEED` writes.
pub fn make_test_model(path: &Path, seed: u64) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("model folder");
    }
    vmcoach::transcribe::test_model::write_test_model(path, seed).expect("test model written");
}

/// `ggml-test.bin` in `dir`, the generated model with `seed`.
pub fn test_model_in(dir: &Path, seed: u64) -> PathBuf {
    let p = dir.join("ggml-test.bin");
    make_test_model(&p, seed);
    p
}

/// One thread for an in-process Whisper run: on a tiny model, ggml's spin
/// barrier between threads costs more than the arithmetic, especially on a
/// busy 2-core CI machine; the real model shares the machine's cores with
/// the other tests.
pub fn one_thread() -> vmcoach::transcribe::TranscribeOptions {
    vmcoach::transcribe::TranscribeOptions {
        threads: 1,
        ..Default::default()
    }
}

/// A clip of real speech in `../shared/eval-audio/`.
pub fn eval_audio(name: &str) -> PathBuf {
    root().join("../shared/eval-audio").join(name)
}

/// A 16-bit mono 16 kHz WAV as f32 samples.
pub fn read_16k(path: &Path) -> Vec<f32> {
    let mut r = hound::WavReader::open(path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    let spec = r.spec();
    assert_eq!(
        (spec.sample_rate, spec.channels),
        (16_000, 1),
        "{}",
        path.display()
    );
    r.samples::<i16>()
        .map(|s| f32::from(s.expect("sample")) / 32768.0)
        .collect()
}

/// The real tiny.en model (`models/`, else `../shared/models/`), or `None`
/// after saying that `test` skipped (a failure under CI: CI has it).
pub fn real_model(test: &str) -> Option<PathBuf> {
    let places = ["models", "../shared/models"].map(|d| root().join(d).join("ggml-tiny.en.bin"));
    if let Some(p) = places.iter().find(|p| p.is_file()) {
        return Some(p.clone());
    }
    skip(&format!(
        "{test}: no real model at {} (needs real transcription)",
        places[1].display()
    ));
    None
}

/// `vmcoach score WAV --json --quiet ARGS` in a fresh home (no settings
/// from the machine), waited for.
pub fn score_at_home(wav: &Path, args: &[&str]) -> Output {
    let home = tempfile::tempdir().expect("tempdir");
    bin_at(home.path())
        .arg("score")
        .arg(wav)
        .args(["--json", "--quiet"])
        .args(args)
        .output()
        .expect("run vmcoach score")
}

/// [`score_at_home`] that must give a report: exit 0 or 1, JSON with no NaN
/// or infinity. The report, and what was said on stderr.
pub fn score_report(wav: &Path, args: &[&str]) -> (Value, String) {
    let out = score_at_home(wav, args);
    let err = stderr(&out);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: {err}",
        wav.display()
    );
    let text = stdout(&out);
    // A NaN or an infinity would show as a bare token (JSON has neither).
    let bad = text
        .split(|c: char| ",:[]{}".contains(c) || c.is_whitespace())
        .any(|t| {
            matches!(
                t,
                "NaN" | "-NaN" | "inf" | "-inf" | "Infinity" | "-Infinity"
            )
        });
    assert!(!bad, "{}: {text}", wav.display());
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", wav.display()));
    (v, err)
}

/// [`score_report`] with the words from `model` (the real one), on one
/// thread.
pub fn score_real(model: &Path, wav: &Path, extra: &[&str]) -> (Value, String) {
    let model = model.to_str().expect("a UTF-8 model path");
    let mut args = vec!["--model", model, "--threads", "1"];
    args.extend_from_slice(extra);
    score_report(wav, &args)
}

/// The digits of a report's phone-number mentions, in its order.
pub fn mention_digits(report: &Value) -> Vec<String> {
    report["phone_mentions"]
        .as_array()
        .expect("phone_mentions")
        .iter()
        .map(|m| m["digits"].as_str().expect("digits").to_string())
        .collect()
}

/// The rule codes of a report's findings, in its order.
pub fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("a finding's code").to_string())
        .collect()
}

/// Reads an HTTP request's first line and skips its headers.
pub fn read_request(stream: &TcpStream) -> String {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    let _ = reader.read_line(&mut line);
    loop {
        let mut h = String::new();
        match reader.read_line(&mut h) {
            Ok(0) | Err(_) => break,
            Ok(_) if h == "\r\n" || h == "\n" => break,
            Ok(_) => {}
        }
    }
    line
}

/// One HTTP exchange on a loopback test server: reads the request (skipping
/// its headers), hands its first line to `reply`, which gives the status,
/// content type, body and the Content-Length to claim, and writes that
/// answer. The server's failures are the test's to see, not to report.
pub fn http_exchange<'a>(
    mut stream: TcpStream,
    reply: impl FnOnce(&str) -> (u16, &'a str, &'a [u8], usize),
) {
    let line = read_request(&stream);
    let (status, ctype, body, claimed) = reply(&line);
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {claimed}\r\nContent-Type: {ctype}\r\nConnection: close\r\n\r\n"
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

/// Lower-case hex SHA-256 of `b`.
pub fn sha256_hex(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// The names in `dir`, sorted (none when it cannot be read).
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
