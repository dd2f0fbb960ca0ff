//! Fillers on real speech (issue 16), with the real tiny.en: Whisper leaves
//! the um/uh out of its words, so the report's fillers list must find them
//! in the audio, at the truth's times (±250 ms), and find none in a message
//! without them. Dev-set messages (`devset/`, exact filler times); where
//! the model is missing each test says by name that it skipped, and under
//! `CI` it fails instead.

use crate::support::{read_json, real_model, root, score_real};
use serde_json::Value;

/// A found filler is the truth's when their starts are this close.
const WINDOW_S: f64 = 0.25;

/// (kind, start) of each um/uh-like filler in the report's list.
fn filled_pauses(report: &Value) -> Vec<(String, f64)> {
    report["fillers"]
        .as_array()
        .expect("a fillers list")
        .iter()
        .filter_map(|f| {
            let kind = f["kind"].as_str()?.to_string();
            let start = f["time"]["start"].as_f64()?;
            matches!(kind.as_str(), "um" | "uh").then_some((kind, start))
        })
        .collect()
}

fn truth_fillers(name: &str) -> Vec<(String, f64)> {
    let truth = read_json(&root().join(format!("devset/{name}.truth.json")));
    truth["fillers"]
        .as_array()
        .expect("truth fillers")
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().expect("kind").to_string(),
                f["start"].as_f64().expect("start"),
            )
        })
        .collect()
}

/// Every found um/uh is a truth filler's (within [`WINDOW_S`]), and at
/// least `min_found` of the truth's are found.
fn assert_fillers_match(test: &str, name: &str, min_found: usize) {
    let Some(model) = real_model(test) else {
        return;
    };
    let (report, _) = score_real(&model, &root().join(format!("devset/{name}.wav")), &[]);
    let found = filled_pauses(&report);
    let truth = truth_fillers(name);
    assert!(truth.len() >= min_found, "{name} has {min_found} fillers");
    let near = |a: f64, b: f64| (a - b).abs() <= WINDOW_S;
    for (kind, f) in &found {
        assert!(
            truth.iter().any(|(_, t)| near(*f, *t)),
            "{name}: a false {kind} at {f:.2} s; truth {truth:?}"
        );
    }
    let hits = truth
        .iter()
        .filter(|(_, t)| found.iter().any(|(_, f)| near(*f, *t)))
        .count();
    assert!(
        hits >= min_found,
        "{name}: {hits} of the truth's fillers {truth:?} found, {min_found} expected; found {found:?}; transcript {}",
        report["transcript"]["text"]
    );
}

/// No filler at all in the report, and VM211 silent.
fn assert_no_fillers(test: &str, name: &str) {
    let Some(model) = real_model(test) else {
        return;
    };
    let (report, _) = score_real(&model, &root().join(format!("devset/{name}.wav")), &[]);
    let fillers = report["fillers"].as_array().expect("a fillers list");
    assert!(
        fillers.is_empty(),
        "{name}: fillers in a filler-free message: {fillers:?}"
    );
    let vm211 = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "VM211")
        .count();
    assert_eq!(vm211, 0, "{name}: VM211 fired");
}

// Whisper (tiny.en) writes none of these um/uh; each found one is the
// audio's witness. The one left out in each is a short "uh" (under 0.2 s
// of steady voicing, confidence under 0.5) or one Whisper wrote as a word
// ("your" laid on it): see the closing note of issue 16.

#[test]
fn fillers_in_a_neural_voice_are_found_at_their_times() {
    assert_fillers_match(
        "fillers_in_a_neural_voice_are_found_at_their_times",
        "f07_joe_fillers_openers",
        2,
    );
}

#[test]
fn fillers_on_a_phone_line_are_found_at_their_times() {
    assert_fillers_match(
        "fillers_on_a_phone_line_are_found_at_their_times",
        "f02_joe_fillers_phone8k",
        2,
    );
}

#[test]
fn a_message_without_fillers_has_none() {
    assert_no_fillers("a_message_without_fillers_has_none", "f04_joe_no_fillers");
}

#[test]
fn held_words_breaths_and_clicks_are_not_fillers() {
    // "So," "Oh," "Well," drawn out on their own, two breaths, a click.
    assert_no_fillers(
        "held_words_breaths_and_clicks_are_not_fillers",
        "f09_joe_no_fillers_held",
    );
}
