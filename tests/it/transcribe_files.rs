//! `--transcript FILE` readers against files on disk: the fixtures'
//! vmcoach transcripts (checked against their ground truth), whisper.cpp
//! `-ojf` JSON built from the same truth, and malformed files.

use crate::support::{fixtures, read_json};
use serde_json::{json, Value};
use vmcoach::transcribe::{load_transcript, TranscribeError};

fn truth(name: &str) -> Value {
    read_json(&fixtures().join(format!("{name}.truth.json")))
}

fn truth_words(t: &Value) -> Vec<(String, f64, f64)> {
    t["words"]
        .as_array()
        .expect("truth words")
        .iter()
        .map(|w| {
            (
                w["text"].as_str().expect("text").to_string(),
                w["start"].as_f64().expect("start"),
                w["end"].as_f64().expect("end"),
            )
        })
        .collect()
}

fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .expect("fixtures dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".transcript.json"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

#[test]
fn fixture_transcripts_match_their_truth_word_for_word() {
    let names = fixture_names();
    assert!(!names.is_empty(), "fixtures have transcripts");
    for name in names {
        let t = load_transcript(&fixtures().join(format!("{name}.transcript.json")))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let truth = truth(&name);
        let want = truth_words(&truth);
        assert_eq!(t.words.len(), want.len(), "{name}: word count");
        let duration = truth["duration"].as_f64().expect("duration");
        for (w, (text, s, e)) in t.words.iter().zip(&want) {
            let r = w.time.unwrap_or_else(|| panic!("{name}: {w:?} untimed"));
            assert!(
                (r.start - s).abs() < 1e-6 && (r.end - e).abs() < 1e-6,
                "{name}: {w:?} vs {text} {s}..{e}"
            );
            assert!(r.end <= duration + 1e-9);
            // Transcript words keep punctuation ("Sarah,"); the truth has the bare word.
            let bare: String = w
                .text
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'' || *c == '-')
                .collect();
            let want_bare: String = text
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'' || *c == '-')
                .collect();
            assert_eq!(bare.to_lowercase(), want_bare.to_lowercase(), "{name}");
        }
    }
}

/// whisper.cpp `-ojf` JSON for the truth words: one segment per sentence-ish
/// run of 12 words, BPE-like pieces (a word split in two), special tokens at
/// the edges, offsets in whole milliseconds.
fn whisper_full_json(words: &[(String, f64, f64)]) -> Value {
    let ms = |s: f64| (s * 1000.0).round() as i64;
    let segments: Vec<Value> = words
        .chunks(12)
        .map(|chunk| {
            let (s0, s1) = (chunk[0].1, chunk[chunk.len() - 1].2);
            let mut tokens = vec![json!({"text": "[_BEG_]", "offsets": {"from": ms(s0), "to": ms(s0)}, "id": 50363, "p": 0.9, "t_dtw": -1})];
            for (text, s, e) in chunk {
                let mid = s + (e - s) / 2.0;
                let cut = text.len() / 2;
                if cut > 0 && text.is_char_boundary(cut) {
                    tokens.push(json!({"text": format!(" {}", &text[..cut]), "offsets": {"from": ms(*s), "to": ms(mid)}, "id": 1, "p": 0.8, "t_dtw": -1}));
                    tokens.push(json!({"text": &text[cut..], "offsets": {"from": ms(mid), "to": ms(*e)}, "id": 2, "p": 0.6, "t_dtw": -1}));
                } else {
                    tokens.push(json!({"text": format!(" {text}"), "offsets": {"from": ms(*s), "to": ms(*e)}, "id": 3, "p": 0.7, "t_dtw": -1}));
                }
            }
            tokens.push(json!({"text": "[_TT_500]", "offsets": {"from": ms(s1), "to": ms(s1)}, "id": 50863, "p": 0.5, "t_dtw": -1}));
            let text: String = chunk.iter().map(|w| format!(" {}", w.0)).collect();
            json!({
                "timestamps": {"from": "00:00:00,000", "to": "00:00:00,000"},
                "offsets": {"from": ms(s0), "to": ms(s1)},
                "text": text,
                "tokens": tokens,
            })
        })
        .collect();
    json!({
        "systeminfo": "AVX = 1",
        "model": {"type": "base", "multilingual": false, "vocab": 51864},
        "params": {"model": "models/ggml-base.en.bin", "language": "en", "translate": false},
        "result": {"language": "en"},
        "transcription": segments,
    })
}

#[test]
fn whisper_cpp_full_json_gives_the_same_words_and_times() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["good", "rattled", "cryptic"] {
        let want = truth_words(&truth(name));
        let p = dir.path().join(format!("{name}.json"));
        std::fs::write(&p, whisper_full_json(&want).to_string()).expect("write");
        let t = load_transcript(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got: Vec<&str> = t.words.iter().map(|w| w.text.as_str()).collect();
        let exp: Vec<&str> = want.iter().map(|w| w.0.as_str()).collect();
        assert_eq!(got, exp, "{name}");
        for (w, (_, s, e)) in t.words.iter().zip(&want) {
            let r = w.time.expect("timed");
            // Offsets are whole milliseconds.
            assert!(
                (r.start - s).abs() <= 0.0006 && (r.end - e).abs() <= 0.0006,
                "{name}: {w:?} vs {s}..{e}"
            );
            let p = w.probability.expect("p");
            assert!((0.0..=1.0).contains(&p));
        }
    }
}

#[test]
fn malformed_transcript_files_are_one_line_errors_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, &[u8], &str); 6] = [
        ("empty.json", b"", "empty"),
        (
            "binary.json",
            &[0, 159, 146, 150, 255, 0, 1],
            "not valid JSON",
        ),
        ("text.json", b"Hi Sarah, it's Mike", "not valid JSON"),
        ("other.json", br#"{"name": "x"}"#, "not a transcript"),
        (
            "backwards.json",
            br#"{"words": [{"text": "a", "start": 3, "end": 2}]}"#,
            "words[0]",
        ),
        (
            "tokens.json",
            br#"{"transcription": [{"tokens": 5}]}"#,
            "tokens is not a list",
        ),
    ];
    for (file, bytes, want) in cases {
        let p = dir.path().join(file);
        std::fs::write(&p, bytes).expect("write");
        let e = match load_transcript(&p) {
            Ok(t) => panic!("{file} loaded: {t:?}"),
            Err(e) => e,
        };
        assert!(matches!(e, TranscribeError::TranscriptFile(_)), "{e:?}");
        let msg = e.to_string();
        assert!(msg.contains(want), "{file}: {msg}");
        assert!(msg.contains(file), "names the file: {msg}");
        assert!(!msg.contains('\n'), "one line: {msg}");
    }
    let missing = dir.path().join("missing.json");
    let msg = load_transcript(&missing)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        msg.contains("cannot read transcript") && msg.contains("missing.json"),
        "{msg}"
    );
}
