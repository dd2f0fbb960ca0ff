//! `vmcoach eval` end to end: a tiny truth set built here from a fixture
//! (perfect words, then words shifted late), the baseline check, bad input,
//! the real model on two committed dev-set messages, and the words cache
//! (a second run gives the same figures without Whisper).

use crate::support::{
    assert_one_line_error, bin, json, real_model, root, run, stderr, test_model_in,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A folder with the `good` fixture (WAV + truth) and a transcripts folder
/// holding its words; with `misheard`, the second mention's "three" is
/// written "eight" (555-212-8456), as a transcriber might mishear it.
fn truth_set(misheard: bool) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let set = dir.path().join("set");
    let words = dir.path().join("words");
    std::fs::create_dir_all(&set).unwrap();
    std::fs::create_dir_all(&words).unwrap();
    let fx = root().join("fixtures");
    std::fs::copy(fx.join("good.wav"), set.join("good.wav")).unwrap();
    std::fs::copy(fx.join("good.truth.json"), set.join("good.truth.json")).unwrap();
    // A WAV without truth is not part of the set.
    std::fs::copy(fx.join("once.wav"), set.join("no_truth.wav")).unwrap();
    let mut t: Value =
        serde_json::from_slice(&std::fs::read(fx.join("good.transcript.json")).unwrap()).unwrap();
    if misheard {
        let words = t["words"].as_array_mut().unwrap();
        let last_three = words.iter().rposition(|w| w["text"] == "three").unwrap();
        words[last_three]["text"] = serde_json::json!("eight");
    }
    std::fs::write(words.join("good.json"), t.to_string()).unwrap();
    (dir, set, words)
}

/// `vmcoach eval SET --transcripts WORDS` and `extra`.
fn eval(set: &Path, words: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "eval",
        set.to_str().expect("a UTF-8 path"),
        "--transcripts",
        words.to_str().expect("a UTF-8 path"),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn figure(doc: &Value, key: &str) -> f64 {
    doc["totals"][key]
        .as_f64()
        .unwrap_or_else(|| panic!("no figure {key} in {}", doc["totals"]))
}

#[test]
fn perfect_words_score_perfectly_and_a_misheard_digit_does_not() {
    let (_d, set, words) = truth_set(false);
    let o = eval(&set, &words, &["--json", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = json(&o);
    assert_eq!(
        doc["files"].as_array().unwrap().len(),
        1,
        "only the WAV with truth"
    );
    for key in [
        "mentions_found",
        "digits_exact",
        "numbers_right",
        "rate_within_10pct",
        "wpm_within_5pct",
        "speech_within_150ms",
        "rules_right",
    ] {
        assert_eq!(figure(&doc, key), 1.0, "{key}");
    }
    assert!(figure(&doc, "speech_start_error_ms_max") < 0.5);
    let perfect = doc.to_string();

    // One digit misheard in the second mention: both mentions are still
    // found, one has the wrong digits.
    let (_d2, set2, words2) = truth_set(true);
    let o = eval(&set2, &words2, &["--json", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = json(&o);
    assert_eq!(figure(&doc, "mentions_found"), 1.0);
    assert_eq!(figure(&doc, "digits_exact"), 0.5);
    let file = &doc["files"][0];
    assert_eq!(file["file"], "good");
    assert_eq!(file["mentions"][0]["digits_exact"], true);
    assert_eq!(file["mentions"][1]["digits_exact"], false);
    assert_eq!(file["mentions"][1]["found"]["digits"], "5552128456");

    // Against the perfect run as baseline the misheard digit is a regression
    // (exit 1, the figure named); the perfect run against itself is not.
    let base = set2.parent().unwrap().join("base.json");
    std::fs::write(&base, &perfect).unwrap();
    let o = eval(
        &set2,
        &words2,
        &["--baseline", base.to_str().unwrap(), "-q"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("Worse than the baseline"), "{text}");
    assert!(text.contains("digits_exact"), "{text}");
    let o = eval(&set, &words, &["--baseline", base.to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_table_names_each_file_and_the_totals() {
    let o = bin()
        .current_dir(root())
        .args(["eval", "fixtures", "--transcripts", "fixtures", "-q"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    for name in ["good", "dead_air", "rattled", "cryptic"] {
        assert!(
            text.lines().any(|l| l.starts_with(name)),
            "{name} missing: {text}"
        );
    }
    assert!(text.contains("Totals over 8 files"), "{text}");
    assert!(text.contains("rule decisions right"), "{text}");
    assert!(
        text.contains("64/64"),
        "every fixture decision right with its own words: {text}"
    );
}

#[test]
fn bad_inputs_are_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = run(&["eval", d.join("nope").to_str().unwrap()]);
    assert_one_line_error(&o, "cannot open");
    let o = run(&["eval", d.to_str().unwrap()]);
    assert_one_line_error(&o, "truth.json");
    std::fs::write(d.join("x.wav"), b"RIFF").unwrap();
    let o = run(&["eval", d.join("x.wav").to_str().unwrap()]);
    assert_one_line_error(&o, "not a folder");
    let o = run(&[
        "eval",
        d.to_str().unwrap(),
        "--transcripts",
        d.join("none").to_str().unwrap(),
    ]);
    assert_one_line_error(&o, "--transcripts");

    // A baseline that is not an eval output.
    let (_k, set, words) = truth_set(false);
    std::fs::write(d.join("base.json"), b"[1, 2]").unwrap();
    let o = eval(
        &set,
        &words,
        &["--baseline", d.join("base.json").to_str().unwrap()],
    );
    assert_one_line_error(&o, "baseline");

    // A broken truth file and a missing transcript: each file's error is one
    // line, the others are still scored, and the exit status is 2.
    std::fs::write(
        set.join("bad.truth.json"),
        b"{\"speech\": {\"start\": 3, \"end\": 1}}",
    )
    .unwrap();
    std::fs::copy(set.join("good.wav"), set.join("bad.wav")).unwrap();
    std::fs::copy(set.join("good.wav"), set.join("lonely.wav")).unwrap();
    std::fs::copy(set.join("good.truth.json"), set.join("lonely.truth.json")).unwrap();
    let o = eval(&set, &words, &["--json", "-q"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines.iter().all(|l| l.starts_with("vmcoach: error: ")),
        "{err}"
    );
    assert!(
        lines[0].contains("bad") && lines[0].contains("not a time span"),
        "{err}"
    );
    assert!(
        lines[1].contains("lonely") && lines[1].contains("lonely.json"),
        "{err}"
    );
    let doc = json(&o);
    assert_eq!(doc["files"].as_array().unwrap().len(), 1);
    assert_eq!(doc["failed"].as_array().unwrap().len(), 2);
}

#[test]
fn eval_on_real_model() {
    let Some(model) = real_model("eval_on_real_model") else {
        return;
    };
    // Two short committed dev-set messages, each with a 7-digit number said
    // once (VM102, VM202): 16 kHz mono and 44.1 kHz stereo.
    let dir = tempfile::tempdir().unwrap();
    for name in ["n09_joe_short", "n13_joe_stereo44k"] {
        for ext in [".wav", ".truth.json"] {
            let from = root().join("devset").join(format!("{name}{ext}"));
            std::fs::copy(&from, dir.path().join(format!("{name}{ext}")))
                .unwrap_or_else(|e| panic!("{}: {e}", from.display()));
        }
    }
    let o = run(&[
        "eval",
        dir.path().to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--threads",
        "1",
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = json(&o);
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(doc["source"]["kind"], "whisper");
    for f in files {
        assert_eq!(f["rules"].as_array().unwrap().len(), 8, "{f}");
        let s = &f["speech"];
        assert!(
            s["found_start"].is_number() && s["found_end"].is_number(),
            "{f}"
        );
    }
    // Both messages are short and clear: tiny.en hears both mentions.
    assert_eq!(figure(&doc, "mentions_found"), 1.0, "{}", doc["totals"]);
    assert!(figure(&doc, "rules_right") >= 0.75, "{}", doc["totals"]);
}

/// `vmcoach eval DIR --words-cache CACHE --threads THREADS --json -q` on the real model.
fn eval_cached(model: &Path, dir: &Path, cache: &Path, threads: &str) -> (Value, String) {
    let o = run(&[
        "eval",
        dir.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--threads",
        threads,
        "--words-cache",
        cache.to_str().unwrap(),
        "--json",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (json(&o), stderr(&o))
}

#[test]
fn a_second_eval_with_the_words_cache_gives_the_same_figures_without_whisper() {
    let Some(model) = real_model("a_second_eval_with_the_words_cache_gives_the_same_figures")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set");
    std::fs::create_dir(&set).unwrap();
    for ext in [".wav", ".truth.json"] {
        let name = format!("n09_joe_short{ext}");
        std::fs::copy(root().join("devset").join(&name), set.join(&name)).unwrap();
    }
    let cache = dir.path().join("cache");
    let entries = || -> Vec<PathBuf> {
        std::fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect()
    };

    // Cold: Whisper runs and its output is kept, one entry per recording.
    let (cold, _) = eval_cached(&model, &set, &cache, "1");
    assert_eq!(
        cold["source"]["words_cache"]["misses"], 1,
        "{}",
        cold["source"]
    );
    assert_eq!(cold["source"]["words_cache"]["hits"], 0);
    assert_eq!(entries().len(), 1, "{:?}", entries());

    // Warm, with another thread count (not part of the key): the same
    // figures, file by file, and Whisper did not run.
    let (warm, err) = eval_cached(&model, &set, &cache, "2");
    assert_eq!(
        warm["source"]["words_cache"]["hits"], 1,
        "{}",
        warm["source"]
    );
    assert_eq!(warm["source"]["words_cache"]["misses"], 0);
    assert!(err.is_empty(), "{err}");
    assert_eq!(warm["totals"], cold["totals"]);
    assert_eq!(warm["files"], cold["files"]);

    // A corrupt entry: one warning line, Whisper runs again, the same
    // figures, and the entry is sound again for the next run.
    let entry = entries().remove(0);
    std::fs::write(&entry, b"{\"format\": 1, \"segm").unwrap();
    let (again, err) = eval_cached(&model, &set, &cache, "1");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("vmcoach: warning: words cache entry") && err.contains("corrupt"),
        "{err}"
    );
    assert_eq!(again["source"]["words_cache"]["misses"], 1);
    assert_eq!(again["totals"], cold["totals"]);
    let (_, err) = eval_cached(&model, &set, &cache, "1");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn a_words_cache_that_cannot_be_written_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let model = test_model_in(dir.path(), 7);
    let (_k, set, _words) = truth_set(false);
    // A file where the cache folder should be.
    let not_a_dir = dir.path().join("file");
    std::fs::write(&not_a_dir, b"x").unwrap();
    let o = run(&[
        "eval",
        set.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--threads",
        "1",
        "--words-cache",
        not_a_dir.to_str().unwrap(),
    ]);
    assert_one_line_error(&o, "cannot use the words cache");
    assert_eq!(o.status.code(), Some(2));
}
