//! The rules end to end on the synthetic voicemails in `fixtures/`: each
//! is scored through `vmcoach score --transcript` (words with exact times,
//! no Whisper) and must fire exactly the rules its truth file expects.
//! A fixture that is missing is reported by name and skipped (a failure under CI).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

const FIXTURES: &[&str] = &[
    "good", "long", "fast", "once", "rattled", "cryptic", "dead_air", "quiet",
];

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Rule codes fired on a fixture, and its report.
fn score(name: &str, extra: &[&str]) -> Option<(BTreeSet<String>, serde_json::Value)> {
    let dir = fixtures();
    let wav = dir.join(format!("{name}.wav"));
    let words = dir.join(format!("{name}.transcript.json"));
    if !wav.is_file() || !words.is_file() {
        crate::support::skip(&format!(
            "fixture {name}: {} or its transcript is missing",
            wav.display()
        ));
        return None;
    }
    let home = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_vmcoach"))
        .arg("score")
        .arg(&wav)
        .arg("--transcript")
        .arg(&words)
        // A fixed, good time: VM301 would otherwise read the file's mtime.
        .args(["--left-at", "2026-11-24T07:15", "--json", "--quiet"])
        .args(extra)
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .output()
        .expect("run vmcoach score");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: bad JSON ({e})"));
    let codes = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str().map(str::to_string))
        .collect();
    Some((codes, v))
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
