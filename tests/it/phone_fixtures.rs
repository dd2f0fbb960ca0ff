//! Phone-number mentions on the synthetic fixtures, against their ground
//! truth: `fixtures/<name>.transcript.json` (spoken digit words with their
//! real times) must give exactly the truth's `phone_mentions` — digits
//! exact, start and end within 10 ms, digits per second within 2% — and the
//! truth's written text (digits as "555-212-3456") the same digits.

use crate::support::{fixtures, read_json, skip};
use serde_json::Value;
use std::path::{Path, PathBuf};
use vmcoach::analyze::phone::find_mentions;
use vmcoach::message::{TimeRange, Transcript};

const TIME_TOLERANCE_S: f64 = 0.010;
const RATE_TOLERANCE: f64 = 0.02;

fn truth_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(".truth.json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn num(v: &Value, key: &str, what: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: no number {key:?}"))
}

/// The words of a vmcoach transcript file, read directly (this test does
/// not depend on the transcript loader).
fn load_words(path: &Path) -> Transcript {
    let json = read_json(path);
    let words = json["words"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no words", path.display()));
    Transcript::from_timed_words(words.iter().map(|w| {
        let text = w["text"].as_str().unwrap_or_default().to_string();
        let time = TimeRange::new(
            num(w, "start", &path.display().to_string()),
            num(w, "end", &path.display().to_string()),
        );
        (text, Some(time), None)
    }))
}

#[test]
fn mentions_match_fixture_truth() {
    let files = truth_files();
    if files.is_empty() {
        skip(
            "mentions_match_fixture_truth: no fixtures/*.truth.json \
             (build them with `bash fixtures/make_fixtures.sh`)",
        );
        return;
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for truth_path in &files {
        let name = truth_path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".truth.json"))
            .unwrap_or("?")
            .to_string();
        let truth = read_json(truth_path);
        let want = truth["phone_mentions"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: truth has no phone_mentions"));
        let transcript_path = fixtures().join(format!("{name}.transcript.json"));
        if !transcript_path.exists() {
            failures.push(format!("{name}: no {name}.transcript.json"));
            continue;
        }
        let transcript = load_words(&transcript_path);
        let got = find_mentions(&transcript);
        if got.len() != want.len() {
            failures.push(format!(
                "{name}: {} mentions found, truth has {}: {:?}",
                got.len(),
                want.len(),
                got.iter().map(|m| &m.digits).collect::<Vec<_>>()
            ));
            continue;
        }
        for (k, (m, t)) in got.iter().zip(want).enumerate() {
            checked += 1;
            let digits = t["digits"].as_str().unwrap_or_default();
            if m.digits != digits {
                failures.push(format!("{name}[{k}]: digits {} != {digits}", m.digits));
            }
            let Some(time) = m.time else {
                failures.push(format!("{name}[{k}]: no time"));
                continue;
            };
            let (start, end) = (num(t, "start", &name), num(t, "end", &name));
            if (time.start - start).abs() > TIME_TOLERANCE_S
                || (time.end - end).abs() > TIME_TOLERANCE_S
            {
                failures.push(format!(
                    "{name}[{k}]: time {:.4}-{:.4}, truth {start:.4}-{end:.4}",
                    time.start, time.end
                ));
            }
            let rate = m.digits_per_second.unwrap_or(f64::NAN);
            let truth_rate = num(t, "digits_per_second", &name);
            if rate.is_nan() || (rate - truth_rate).abs() > RATE_TOLERANCE * truth_rate {
                failures.push(format!(
                    "{name}[{k}]: {rate:.3} digits/s, truth {truth_rate:.3}"
                ));
            }
        }

        // The written text (digits as typed) gives the same digits.
        if let Some(text) = truth["text"].as_str() {
            let written: Vec<String> = find_mentions(&Transcript::from_text(text))
                .into_iter()
                .map(|m| m.digits)
                .collect();
            let want_digits: Vec<String> = want
                .iter()
                .map(|t| t["digits"].as_str().unwrap_or_default().to_string())
                .collect();
            if written != want_digits {
                failures.push(format!(
                    "{name}: written text gives {written:?}, truth {want_digits:?}"
                ));
            }
        }
    }
    eprintln!(
        "{} fixtures, {checked} mentions checked against truth",
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
