//! The rules end to end on the synthetic voicemails in `fixtures/`: each
//! is scored through `vmcoach score --transcript` (words with exact times,
//! no Whisper) and must fire exactly the rules its truth file expects.
//! A fixture that is missing is reported by name and skipped (a failure under CI).

use crate::support::{codes, fixtures, score_report, skip, FIXTURES};
use std::collections::BTreeSet;

/// Rule codes fired on a fixture, and its report.
fn score(name: &str, extra: &[&str]) -> Option<(BTreeSet<String>, serde_json::Value)> {
    let dir = fixtures();
    let wav = dir.join(format!("{name}.wav"));
    let words = dir.join(format!("{name}.transcript.json"));
    if !wav.is_file() || !words.is_file() {
        skip(&format!(
            "fixture {name}: {} or its transcript is missing",
            wav.display()
        ));
        return None;
    }
    let words = words.to_str().expect("a UTF-8 path");
    // A fixed, good time: VM301 would otherwise read the file's mtime.
    let mut args = vec!["--transcript", words, "--left-at", "2026-11-24T07:15"];
    args.extend_from_slice(extra);
    let (v, _) = score_report(&wav, &args);
    Some((codes(&v).into_iter().collect(), v))
}

fn expected(name: &str) -> Option<BTreeSet<String>> {
    let text = std::fs::read_to_string(fixtures().join(format!("{name}.truth.json"))).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(
        v["expected_rules"]
            .as_array()?
            .iter()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect(),
    )
}

#[test]
fn each_fixture_fires_exactly_its_expected_rules() {
    let mut wrong = Vec::new();
    for name in FIXTURES {
        let (Some((got, _)), Some(want)) = (score(name, &[]), expected(name)) else {
            continue;
        };
        if got != want {
            wrong.push(format!("{name}: fired {got:?}, expected {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn severities_and_evidence_on_fixtures() {
    if let Some((_, v)) = score("long", &[]) {
        let f = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "VM101")
            .expect("VM101 on long");
        assert_eq!(f["severity"], "error", "35 s of speech is an error");
    }
    if let Some((_, v)) = score("rattled", &[]) {
        for f in v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "VM105")
        {
            let t = &f["evidence"][0]["time"];
            assert!(
                t["start"].as_f64().is_some() && t["end"].as_f64().is_some(),
                "{f}"
            );
        }
    }
    // The cryptic message with a prospect given: now VM203 can judge, and fires.
    if let Some((codes, _)) = score("cryptic", &["--prospect", "Sarah Lee"]) {
        assert!(codes.contains("VM203"), "{codes:?}");
    }
    // The good message scores 100; the cryptic one far lower.
    if let (Some((_, good)), Some((_, cryptic))) = (score("good", &[]), score("cryptic", &[])) {
        assert_eq!(good["score"]["value"], 100);
        assert!(cryptic["score"]["value"].as_u64().unwrap() < 50);
    }
}
