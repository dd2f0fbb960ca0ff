//! Words with times from a file (`--transcript FILE`), skipping Whisper.
//!
//! Two formats, told apart by their top-level keys:
//!
//! - **whisper.cpp JSON** (`whisper-cli -oj` / `-ojf`): `"transcription"` is a
//!   list of segments, each with `"offsets": {"from", "to"}` in milliseconds
//!   and `"text"`; with `-ojf` also `"tokens"`, each with `"text"`,
//!   `"offsets"` and `"p"`. Special tokens (`[_BEG_]`, `[_TT_42]`, …) are
//!   skipped. Without tokens a segment's span is shared out over its words.
//! - **vmcoach JSON**: `{"schema_version": 1, "text": …, "words": [{"text",
//!   "start", "end", "probability"?}]}` with times in seconds. A whole
//!   `vmcoach score --json` report is accepted too: its `"transcript"` object
//!   has the same words, with times as `"time": {"start", "end"}`.

use super::words::{self, Segment, Token};
use crate::message::{TimeRange, Transcript};
use serde_json::{Map, Value};
use std::io;
use std::path::{Path, PathBuf};

/// The largest transcript file read (a 10-minute message is a few hundred kB).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum TranscriptFileError {
    #[error("cannot read transcript {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("transcript {} is {len} bytes; that is too large for a voicemail transcript", path.display())]
    TooLarge { path: PathBuf, len: u64 },
    #[error("transcript {} is not valid JSON (line {line}, column {column}): {msg}", path.display())]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        msg: String,
    },
    #[error("transcript {}: {reason}", path.display())]
    Format { path: PathBuf, reason: String },
}

/// Read a transcript file in either format.
pub fn load_transcript(path: &Path) -> Result<Transcript, super::TranscribeError> {
    Ok(read_transcript(path)?)
}

/// [`load_transcript`] with this module's own error type.
pub fn read_transcript(path: &Path) -> Result<Transcript, TranscriptFileError> {
    let io_err = |source| TranscriptFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let len = std::fs::metadata(path).map_err(io_err)?.len();
    if len > MAX_BYTES {
        return Err(TranscriptFileError::TooLarge {
            path: path.to_path_buf(),
            len,
        });
    }
    let bytes = std::fs::read(path).map_err(io_err)?;
    parse_transcript(&bytes).map_err(|e| e.at(path))
}

/// What went wrong, before the file name is attached.
#[derive(Debug)]
pub enum ParseError {
    Json {
        line: usize,
        column: usize,
        msg: String,
    },
    Format(String),
}

impl ParseError {
    fn at(self, path: &Path) -> TranscriptFileError {
        let path = path.to_path_buf();
        match self {
            ParseError::Json { line, column, msg } => TranscriptFileError::Json {
                path,
                line,
                column,
                msg,
            },
            ParseError::Format(reason) => TranscriptFileError::Format { path, reason },
        }
    }
}

fn bad<T>(reason: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError::Format(reason.into()))
}

/// Parse either format from bytes. whisper.cpp writes token text as raw
/// bytes, which can be invalid UTF-8 when a character is split between
/// tokens; such bytes become U+FFFD rather than an error.
pub fn parse_transcript(bytes: &[u8]) -> Result<Transcript, ParseError> {
    let text = String::from_utf8_lossy(bytes);
    if text.trim().is_empty() {
        return bad("the file is empty");
    }
    let v: Value = serde_json::from_str(&text).map_err(|e| ParseError::Json {
        line: e.line(),
        column: e.column(),
        msg: strip_position(&e.to_string()),
    })?;
    let Some(obj) = v.as_object() else {
        return bad("expected a JSON object at the top level");
    };
    if let Some(segs) = obj.get("transcription") {
        return whisper_cpp(segs);
    }
    check_schema(obj)?;
    if obj.contains_key("words") {
        return own_words(obj, "");
    }
    if let Some(t) = obj.get("transcript") {
        let Some(t) = t.as_object() else {
            return bad("\"transcript\" is not an object");
        };
        return own_words(t, "transcript.");
    }
    bad("not a transcript: expected whisper.cpp JSON (\"transcription\": [...]) or vmcoach JSON (\"words\": [...])")
}

/// serde_json appends " at line L column C"; the error names them separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn check_schema(obj: &Map<String, Value>) -> Result<(), ParseError> {
    match obj.get("schema_version") {
        None => Ok(()),
        Some(Value::Number(n)) if n.as_u64() == Some(1) => Ok(()),
        Some(Value::Number(n)) => bad(format!(
            "schema_version {n} is not one this vmcoach reads (it reads 1)"
        )),
        Some(_) => bad("\"schema_version\" is not a number"),
    }
}

fn number(v: Option<&Value>, what: &dyn Fn() -> String) -> Result<Option<f64>, ParseError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(x) if x.is_finite() => Ok(Some(x)),
            _ => bad(format!("{} is not a finite number", what())),
        },
        Some(_) => bad(format!("{} is not a number", what())),
    }
}

/// `{"from": ms, "to": ms}` → seconds.
fn offsets(v: Option<&Value>, what: &dyn Fn() -> String) -> Result<Option<(f64, f64)>, ParseError> {
    let Some(v) = v else { return Ok(None) };
    let Some(o) = v.as_object() else {
        return bad(format!("{}.offsets is not an object", what()));
    };
    let from = number(o.get("from"), &|| format!("{}.offsets.from", what()))?;
    let to = number(o.get("to"), &|| format!("{}.offsets.to", what()))?;
    Ok(from.zip(to).map(|(a, b)| (a / 1000.0, b / 1000.0)))
}

fn whisper_cpp(segs: &Value) -> Result<Transcript, ParseError> {
    let Some(segs) = segs.as_array() else {
        return bad("\"transcription\" is not a list");
    };
    let mut out = Vec::with_capacity(segs.len());
    for (i, seg) in segs.iter().enumerate() {
        let name = || format!("transcription[{i}]");
        let Some(seg) = seg.as_object() else {
            return bad(format!("{} is not an object", name()));
        };
        let time = offsets(seg.get("offsets"), &name)?;
        let tokens = match seg.get("tokens") {
            Some(Value::Array(toks)) => {
                let mut tokens = Vec::with_capacity(toks.len());
                for (j, t) in toks.iter().enumerate() {
                    let tname = || format!("transcription[{i}].tokens[{j}]");
                    let Some(t) = t.as_object() else {
                        return bad(format!("{} is not an object", tname()));
                    };
                    let Some(text) = t.get("text").and_then(Value::as_str) else {
                        return bad(format!("{} has no \"text\"", tname()));
                    };
                    let p = number(t.get("p"), &|| format!("{}.p", tname()))?;
                    tokens.push(Token {
                        bytes: text.as_bytes().to_vec(),
                        time: offsets(t.get("offsets"), &tname)?,
                        p: p.map(|p| p as f32),
                    });
                }
                tokens
            }
            Some(_) => return bad(format!("{}.tokens is not a list", name())),
            // `-oj` without `-ojf`: only the segment's text.
            None => match seg.get("text").and_then(Value::as_str) {
                Some(text) => text
                    .split_whitespace()
                    .map(|w| Token {
                        bytes: format!(" {w}").into_bytes(),
                        time: None,
                        p: None,
                    })
                    .collect(),
                None => return bad(format!("{} has neither \"tokens\" nor \"text\"", name())),
            },
        };
        out.push(Segment { time, tokens });
    }
    Ok(words::words_from_segments(&out, None))
}

fn own_words(obj: &Map<String, Value>, prefix: &str) -> Result<Transcript, ParseError> {
    let Some(list) = obj.get("words").and_then(Value::as_array) else {
        return bad(format!("\"{prefix}words\" is missing or not a list"));
    };
    let mut out = Vec::with_capacity(list.len());
    let mut prev_start: Option<f64> = None;
    for (i, w) in list.iter().enumerate() {
        let name = || format!("{prefix}words[{i}]");
        let Some(w) = w.as_object() else {
            return bad(format!("{} is not an object", name()));
        };
        let Some(text) = w.get("text").and_then(Value::as_str) else {
            return bad(format!("{} has no \"text\" string", name()));
        };
        // Flat {"start","end"} (vmcoach transcript) or {"time": {...}} (report).
        let times = match w.get("time") {
            Some(Value::Object(t)) => (t.get("start"), t.get("end")),
            Some(Value::Null) | None => (w.get("start"), w.get("end")),
            Some(_) => return bad(format!("{}.time is not an object", name())),
        };
        let start = number(times.0, &|| format!("{}.start", name()))?;
        let end = number(times.1, &|| format!("{}.end", name()))?;
        let time = match (start, end) {
            (Some(s), Some(e)) => {
                if s < 0.0 || e < s {
                    return bad(format!(
                        "{} runs from {s} s to {e} s; times must be ≥ 0 and end ≥ start",
                        name()
                    ));
                }
                if let Some(p) = prev_start.filter(|p| s < *p) {
                    return bad(format!(
                        "{} starts at {s} s, before the word before it ({p} s); words must be in time order",
                        name()
                    ));
                }
                prev_start = Some(s);
                Some(TimeRange::new(s, e))
            }
            (None, None) => None,
            _ => {
                return bad(format!(
                    "{} has a start without an end or the reverse",
                    name()
                ))
            }
        };
        let p = number(w.get("probability"), &|| format!("{}.probability", name()))?;
        if let Some(p) = p.filter(|p| !(0.0..=1.0).contains(p)) {
            return bad(format!("{}.probability is {p}, not in 0..1", name()));
        }
        out.push((text.to_string(), time, p.map(|p| p as f32)));
    }
    Ok(Transcript::from_timed_words(out))
}

/// vmcoach's own transcript JSON for a transcript (the format read above),
/// for the round-trip test.
#[cfg(test)]
fn to_json(t: &Transcript) -> Value {
    let words: Vec<Value> = t
        .words
        .iter()
        .map(|w| {
            let mut o = Map::new();
            o.insert("text".into(), Value::from(w.text.clone()));
            if let Some(r) = w.time {
                o.insert("start".into(), Value::from(r.start));
                o.insert("end".into(), Value::from(r.end));
            }
            if let Some(p) = w.probability {
                o.insert("probability".into(), Value::from(f64::from(p)));
            }
            Value::Object(o)
        })
        .collect();
    serde_json::json!({ "schema_version": 1, "text": t.text, "words": words })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Transcript, String> {
        parse_transcript(s.as_bytes()).map_err(|e| match e {
            ParseError::Json { line, msg, .. } => format!("json line {line}: {msg}"),
            ParseError::Format(r) => r,
        })
    }

    const WHISPER_FULL: &str = r#"{
        "systeminfo": "AVX = 1",
        "model": {"type": "tiny", "multilingual": false, "vocab": 51864},
        "params": {"model": "models/ggml-tiny.en.bin", "language": "en", "translate": false},
        "result": {"language": "en"},
        "transcription": [
            {
                "timestamps": {"from": "00:00:00,000", "to": "00:00:03,000"},
                "offsets": {"from": 0, "to": 3000},
                "text": " Hi Sarah, call me.",
                "tokens": [
                    {"text": "[_BEG_]", "timestamps": {"from": "00:00:00,000", "to": "00:00:00,000"}, "offsets": {"from": 0, "to": 0}, "id": 50363, "p": 0.9, "t_dtw": -1},
                    {"text": " Hi", "offsets": {"from": 100, "to": 400}, "id": 15902, "p": 0.95, "t_dtw": -1},
                    {"text": " Sarah", "offsets": {"from": 420, "to": 800}, "id": 10490, "p": 0.8, "t_dtw": -1},
                    {"text": ",", "offsets": {"from": 800, "to": 820}, "id": 11, "p": 0.7, "t_dtw": -1},
                    {"text": " call", "offsets": {"from": 1000, "to": 1300}, "id": 869, "p": 0.9, "t_dtw": -1},
                    {"text": " me", "offsets": {"from": 1300, "to": 1500}, "id": 502, "p": 0.9, "t_dtw": -1},
                    {"text": ".", "offsets": {"from": 1500, "to": 1520}, "id": 13, "p": 0.9, "t_dtw": -1},
                    {"text": "[_TT_150]", "offsets": {"from": 3000, "to": 3000}, "id": 50513, "p": 0.5, "t_dtw": -1}
                ]
            }
        ]
    }"#;

    #[test]
    fn whisper_cpp_full_json() {
        let t = parse(WHISPER_FULL).unwrap_or_default();
        assert_eq!(t.text, "Hi Sarah, call me.");
        let w: Vec<(&str, f64, f64)> = t
            .words
            .iter()
            .filter_map(|w| w.time.map(|r| (w.text.as_str(), r.start, r.end)))
            .collect();
        assert_eq!(
            w,
            [
                ("Hi", 0.1, 0.4),
                ("Sarah,", 0.42, 0.82),
                ("call", 1.0, 1.3),
                ("me.", 1.3, 1.52)
            ]
        );
        let p = t.words[1].probability.unwrap_or(0.0);
        assert!((p - 0.75).abs() < 1e-6);
    }

    #[test]
    fn whisper_cpp_plain_json_spreads_segment_time() {
        let j = r#"{"transcription": [{"offsets": {"from": 1000, "to": 2000}, "text": " ab cd"}]}"#;
        let t = parse(j).unwrap_or_default();
        assert_eq!(t.text, "ab cd");
        let times: Vec<(f64, f64)> = t
            .words
            .iter()
            .filter_map(|w| w.time.map(|r| (r.start, r.end)))
            .collect();
        assert_eq!(times, [(1.0, 1.5), (1.5, 2.0)]);
    }

    #[test]
    fn vmcoach_json_flat_and_report_shapes() {
        let own = r#"{"schema_version": 1, "text": "ignored", "words": [
            {"text": "Hi", "start": 0.5, "end": 0.8, "probability": 0.9},
            {"text": "Sarah,", "start": 0.9, "end": 1.3},
            {"text": "untimed"}
        ]}"#;
        let t = parse(own).unwrap_or_default();
        assert_eq!(t.text, "Hi Sarah, untimed");
        assert_eq!(t.words[0].time, Some(TimeRange::new(0.5, 0.8)));
        assert_eq!(t.words[0].probability, Some(0.9));
        assert_eq!(t.words[2].time, None);

        let report = r#"{"schema_version": 1, "file": "a.wav", "transcript": {"text": "Hi there",
            "words": [{"text": "Hi", "span": {"start": 0, "end": 2}, "time": {"start": 1.0, "end": 1.2}},
                      {"text": "there", "span": {"start": 3, "end": 8}, "time": {"start": 1.3, "end": 1.6}, "probability": 0.5}]}}"#;
        let r = parse(report).unwrap_or_default();
        assert_eq!(r.text, "Hi there");
        assert_eq!(r.words[1].time, Some(TimeRange::new(1.3, 1.6)));

        // What we write, we read back.
        let back = parse(&to_json(&r).to_string()).unwrap_or_default();
        assert_eq!(back, r);
    }

    #[test]
    fn malformed_files_say_what_is_wrong() {
        let cases = [
            ("", "empty"),
            ("[1, 2]", "JSON object"),
            ("{\"words\": [", "json line"),
            ("{\"hello\": 1}", "not a transcript"),
            ("{\"schema_version\": 2, \"words\": []}", "schema_version 2"),
            ("{\"words\": [{\"start\": 1, \"end\": 2}]}", "words[0] has no \"text\""),
            ("{\"words\": [{\"text\": \"a\", \"start\": 2, \"end\": 1}]}", "end ≥ start"),
            ("{\"words\": [{\"text\": \"a\", \"start\": \"x\", \"end\": 1}]}", "words[0].start is not a number"),
            ("{\"words\": [{\"text\": \"a\", \"start\": 1}]}", "start without an end"),
            (
                "{\"words\": [{\"text\": \"a\", \"start\": 2, \"end\": 3}, {\"text\": \"b\", \"start\": 1, \"end\": 3}]}",
                "time order",
            ),
            ("{\"words\": [{\"text\": \"a\", \"probability\": 2}]}", "not in 0..1"),
            ("{\"transcription\": {}}", "not a list"),
            ("{\"transcription\": [{\"tokens\": [{\"p\": 1}]}]}", "tokens[0] has no \"text\""),
            ("{\"transcription\": [{\"offsets\": {\"from\": \"a\", \"to\": 1}, \"text\": \"x\"}]}", "offsets.from"),
            ("{\"transcript\": 3}", "not an object"),
        ];
        for (json, want) in cases {
            match parse(json) {
                Ok(t) => panic!("{json:?} parsed as {t:?}"),
                Err(e) => assert!(e.contains(want), "{json:?}: got {e:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn invalid_utf8_in_token_text_is_replaced_not_fatal() {
        let mut j =
            br#"{"transcription": [{"offsets": {"from": 0, "to": 1000}, "tokens": [{"text": " caf"#
                .to_vec();
        j.push(0xC3);
        j.extend_from_slice(br#"", "offsets": {"from": 0, "to": 500}, "p": 0.5}]}]}"#);
        let t = parse_transcript(&j).map_err(|e| format!("{e:?}"));
        assert!(t.is_ok_and(|t| t.words.len() == 1 && t.words[0].text.starts_with("caf")));
    }
}
