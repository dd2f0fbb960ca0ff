//! The transcription layer seen from `vmcoach score`: whisper.cpp's own log
//! stays off the terminal unless --verbose, the words reach the JSON report
//! well-formed, and model problems are one line with exit code 2.

use crate::support::{bin_at, fixtures, test_model_in};

#[test]
fn whisper_log_is_silent_unless_verbose_and_words_reach_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = test_model_in(dir.path(), 1);
    let wav = fixtures().join("good.wav");
    let (m, w) = (model.to_str().expect("utf-8"), wav.to_str().expect("utf-8"));
    let args = ["score", w, "--model", m, "--threads", "1", "--json"];

    let quiet = bin_at(dir.path())
        .args(args)
        .output()
        .expect("vmcoach runs");
    let err = String::from_utf8_lossy(&quiet.stderr);
    for noise in ["whisper_", "ggml_", "system_info"] {
        assert!(!err.contains(noise), "whisper.cpp log leaked: {err}");
    }
    let report: serde_json::Value =
        serde_json::from_slice(&quiet.stdout).expect("--json prints one JSON document");
    // The exit code follows the findings: 1 with an error among them, else 0.
    let has_error = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["severity"] == "error");
    assert_eq!(quiet.status.code(), Some(i32::from(has_error)), "{err}");
    let words = report["transcript"]["words"]
        .as_array()
        .expect("transcript words");
    // Words must reach the report, or the checks below check nothing.
    assert!(!words.is_empty(), "no words in the report: {report}");
    let text = report["transcript"]["text"].as_str().expect("text");
    let duration = report["audio"]["duration"].as_f64().expect("duration");
    let mut prev = 0.0;
    for w in words {
        let span = &w["span"];
        let (a, b) = (
            span["start"].as_u64().expect("span start") as usize,
            span["end"].as_u64().expect("span end") as usize,
        );
        assert_eq!(text.get(a..b), w["text"].as_str(), "{w}");
        let (s, e) = (
            w["time"]["start"].as_f64().expect("start"),
            w["time"]["end"].as_f64().expect("end"),
        );
        assert!(prev <= s && s <= e && e <= duration + 1e-9, "{w}");
        prev = e;
    }

    let mut verbose_args = args.to_vec();
    verbose_args.push("--verbose");
    let loud = bin_at(dir.path())
        .args(&verbose_args)
        .output()
        .expect("vmcoach runs");
    let err = String::from_utf8_lossy(&loud.stderr);
    assert!(
        err.contains("whisper_"),
        "--verbose shows whisper.cpp's log: {err}"
    );
}

#[test]
fn model_problems_are_one_line_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wav = fixtures().join("good.wav");
    let w = wav.to_str().expect("utf-8");
    let model = test_model_in(dir.path(), 1);
    let bytes = std::fs::read(&model).expect("read");
    let half = dir.path().join("half.bin");
    std::fs::write(&half, &bytes[..bytes.len() / 2]).expect("write");
    let cases: [(Vec<&str>, &str); 4] = [
        (vec!["score", w], "vmcoach models download tiny.en"),
        (vec!["score", w, "--model", "nope.bin"], "does not exist"),
        (vec!["score", w, "--model", "half.bin"], "truncated"),
        (vec!["score", w, "--model", w], "not a ggml Whisper model"),
    ];
    for (args, want) in cases {
        let o = bin_at(dir.path())
            .args(&args)
            .output()
            .expect("vmcoach runs");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(err.contains(want), "{args:?}: want {want:?} in {err}");
    }
}
