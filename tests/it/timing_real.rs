//! The real path on real Whisper output (issue 9): the real tiny.en model
//! from `../shared/models/`, DTW word times laid onto the audio, and the
//! timing rules on the fixtures. Where the model is missing each test says
//! by name that it skipped; under `CI` it fails instead.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use vmcoach::transcribe::whisper::Transcriber;
use vmcoach::transcribe::TranscribeOptions;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The real model, or `None` after saying why `test` skipped. Under `CI`
/// a missing model is a failure: CI has it.
pub fn real_model(test: &str) -> Option<PathBuf> {
    let p = root().join("../shared/models/ggml-tiny.en.bin");
    if p.is_file() {
        return Some(p);
    }
    crate::support::skip(&format!(
        "{test}: no real model at {} (needs real transcription)",
        p.display()
    ));
    None
}

/// The rules whose decisions rest on the word times.
const TIMING_RULES: &[&str] = &["VM101", "VM102", "VM103", "VM104", "VM105", "VM108"];
/// The rules that rest on how the number was read (the phone-number
/// module's reading of Whisper's digits): printed, not yet asserted —
/// tiny.en drops a digit of the espeak fixtures' numbers now and then,
/// and grouping a mention heard with a digit missing is issue 9 part 6.
const NUMBER_RULES: &[&str] = &["VM201", "VM202"];

const FIXTURES: &[&str] = &[
    "good", "long", "fast", "once", "rattled", "cryptic", "dead_air", "quiet",
];

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `vmcoach score FILE --json` with the real model, one thread.
fn score(model: &Path, wav: &Path, extra: &[&str]) -> (Value, String) {
    let home = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_vmcoach"))
        .arg("score")
        .arg(wav)
        .arg("--model")
        .arg(model)
        .args([
            "--threads",
            "1",
            "--left-at",
            "2026-11-24T07:15",
            "--json",
            "--quiet",
        ])
        .args(extra)
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .output()
        .expect("run vmcoach score");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: {stderr}",
        wav.display()
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    // A NaN or an infinity would show as a bare token (JSON has neither).
    let bad = stdout
        .split(|c: char| ",:[]{}".contains(c) || c.is_whitespace())
        .any(|t| {
            matches!(
                t,
                "NaN" | "-NaN" | "inf" | "-inf" | "Infinity" | "-Infinity"
            )
        });
    assert!(!bad, "{}: {stdout}", wav.display());
    let v = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{}: {e}", wav.display()));
    (v, stderr)
}

fn codes(v: &Value) -> BTreeSet<String> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str().map(str::to_string))
        .collect()
}

fn only(c: &BTreeSet<String>, codes: &[&str]) -> BTreeSet<String> {
    c.iter()
        .filter(|c| codes.contains(&c.as_str()))
        .cloned()
        .collect()
}

/// Each fixture, scored with the real model: the timing rules it fires
/// (VM101–VM105, VM108) are exactly those its truth expects; its speech span is within 150 ms of
/// the truth; each number mention read with the right digits has a digit
/// rate within 10% of the truth. The whole table is printed.
#[test]
fn fixtures_on_the_real_model() {
    let Some(model) = real_model("fixtures_on_the_real_model") else {
        return;
    };
    let dir = root().join("fixtures");
    let mut wrong = Vec::new();
    println!(
        "{:<9} {:>7} {:>7}  rates (got/truth)  rules",
        "fixture", "Δstart", "Δend"
    );
    for name in FIXTURES {
        let wav = dir.join(format!("{name}.wav"));
        let truth_path = dir.join(format!("{name}.truth.json"));
        // The fixtures are committed: a missing one is a failure, not a skip.
        assert!(
            wav.is_file() && truth_path.is_file(),
            "fixture {name}: its WAV or truth file is missing"
        );
        let truth = read_json(&truth_path);
        let (v, _) = score(&model, &wav, &[]);
        let got = codes(&v);
        let want: BTreeSet<String> = truth["expected_rules"]
            .as_array()
            .expect("expected_rules")
            .iter()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect();
        if only(&got, TIMING_RULES) != only(&want, TIMING_RULES) {
            wrong.push(format!(
                "{name}: timing rules fired {:?}, expected {:?}",
                only(&got, TIMING_RULES),
                only(&want, TIMING_RULES)
            ));
        }
        if only(&got, NUMBER_RULES) != only(&want, NUMBER_RULES) {
            println!(
                "{name}: number rules fired {:?}, expected {:?} (not asserted yet)",
                only(&got, NUMBER_RULES),
                only(&want, NUMBER_RULES)
            );
        }
        let span = |v: &Value, k: &str| v["speech"][k].as_f64().unwrap_or(f64::NAN);
        let (ds, de) = (
            span(&v["timing"], "start") - span(&truth, "start"),
            span(&v["timing"], "end") - span(&truth, "end"),
        );
        if !(ds.abs() <= 0.15 && de.abs() <= 0.15) {
            wrong.push(format!(
                "{name}: speech span off by {ds:+.2} s / {de:+.2} s"
            ));
        }
        let mut rates = Vec::new();
        let truth_mentions = truth["phone_mentions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let got_mentions = v["phone_mentions"].as_array().cloned().unwrap_or_default();
        for tm in &truth_mentions {
            let t_rate = tm["digits_per_second"].as_f64().unwrap_or(f64::NAN);
            let t_mid =
                (tm["start"].as_f64().unwrap_or(0.0) + tm["end"].as_f64().unwrap_or(0.0)) / 2.0;
            // The mention heard nearest in time with the same digits.
            let m = got_mentions
                .iter()
                .filter(|m| m["digits"] == tm["digits"])
                .min_by(|a, b| {
                    let mid = |m: &Value| {
                        (m["time"]["start"].as_f64().unwrap_or(0.0)
                            + m["time"]["end"].as_f64().unwrap_or(0.0))
                            / 2.0
                            - t_mid
                    };
                    mid(a).abs().total_cmp(&mid(b).abs())
                });
            match m.and_then(|m| m["digits_per_second"].as_f64()) {
                Some(r) => {
                    rates.push(format!("{r:.2}/{t_rate:.2}"));
                    if (r - t_rate).abs() > 0.10 * t_rate {
                        wrong.push(format!("{name}: digit rate {r:.2}/s, truth {t_rate:.2}/s"));
                    }
                }
                None => rates.push(format!("-/{t_rate:.2}")),
            }
        }
        println!(
            "{name:<9} {ds:>+7.2} {de:>+7.2}  {:<18} fired {:?} want {:?}",
            rates.join(" "),
            got,
            want
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// tiny.en has alignment heads: its words come with DTW times, ordered,
/// inside the audio, none of zero length.
#[test]
fn real_model_gives_dtw_word_times() {
    let Some(model) = real_model("real_model_gives_dtw_word_times") else {
        return;
    };
    let opts = TranscribeOptions {
        threads: 1,
        ..TranscribeOptions::default()
    };
    let mut t = Transcriber::load(&model, &opts).expect("the real model loads");
    assert!(t.has_dtw(), "tiny.en has a DTW preset");
    let audio = vmcoach::pipeline::load_16k(
        &root().join("fixtures/dead_air.wav"),
        vmcoach::audio::AudioLimits::default(),
    )
    .expect("fixture loads");
    let words = t.transcribe(&audio.samples).expect("transcribes");
    assert!(words.words.len() > 20, "{}", words.text);
    let first = words.words[0].time.expect("timed");
    // 3 s of silence first: DTW (unlike the timestamp tokens) knows it.
    assert!(first.start > 2.5, "first word at {first:?}");
}

/// All silence and all number: plain answers, no NaN or infinity.
#[test]
fn all_silence_and_all_number_give_plain_answers() {
    let Some(model) = real_model("all_silence_and_all_number_give_plain_answers") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let silence = dir.path().join("silence.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&silence, spec).expect("create");
    for _ in 0..16_000 * 3 {
        w.write_sample(0i16).expect("write");
    }
    w.finalize().expect("finalize");
    // Nothing to score: one plain line, no report with empty measures.
    let home = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_vmcoach"))
        .arg("score")
        .arg(&silence)
        .arg("--model")
        .arg(&model)
        .args(["--threads", "1", "--json", "--quiet"])
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .output()
        .expect("run vmcoach score");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("vmcoach: error: "), "{stderr}");

    // A message that is only a number: the digits clip from the eval set
    // (three five-digit numbers, nothing else).
    let digits = root().join("../shared/eval-audio/digits_10001-90210-01803_16k.wav");
    if !digits.is_file() {
        return crate::support::skip(&format!(
            "all_silence_and_all_number_give_plain_answers (the number part): {} is missing",
            digits.display()
        ));
    }
    let (v, _) = score(&model, &digits, &[]);
    let mentions = v["phone_mentions"].as_array().expect("phone_mentions");
    for m in mentions {
        let r = m["digits_per_second"].as_f64();
        assert!(r.is_none_or(|r| r.is_finite() && r > 0.0), "{m}");
    }
}

/// A transcript file for another recording (longer than this audio): one
/// warning line on stderr, and the file is still scored.
#[test]
fn a_transcript_longer_than_its_audio_is_warned_about() {
    let dir = root().join("fixtures");
    let home = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_vmcoach"))
        .arg("score")
        .arg(dir.join("good.wav"))
        .arg("--transcript")
        .arg(dir.join("long.transcript.json"))
        .args(["--json", "--quiet"])
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .output()
        .expect("run vmcoach score");
    assert!(matches!(out.status.code(), Some(0 | 1)));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(
        warnings[0].starts_with("vmcoach: warning: transcript ")
            && warnings[0].contains("another recording"),
        "{stderr}"
    );
    // Its own transcript: no warning.
    let out = Command::new(env!("CARGO_BIN_EXE_vmcoach"))
        .arg("score")
        .arg(dir.join("good.wav"))
        .arg("--transcript")
        .arg(dir.join("good.transcript.json"))
        .args(["--json", "--quiet"])
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .output()
        .expect("run vmcoach score");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
}
