//! The truth file beside a sample recording (`NAME.truth.json`): what was
//! said, when, and which rules must fire. Written by `fixtures/make_fixtures.py`
//! and `scripts/make_devset.py`; only the fields the benchmark scores are
//! read, and every one is optional except what a figure needs.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The rules a truth file decides when it does not list `checked_rules`:
/// the timing and number rules (issue 9's targets).
pub const DEFAULT_CHECKED_RULES: [&str; 8] = [
    "VM101", "VM102", "VM103", "VM104", "VM105", "VM108", "VM201", "VM202",
];

/// The largest truth file read.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum TruthError {
    #[error("cannot read truth file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("truth file {} is too large ({len} bytes)", path.display())]
    TooLarge { path: PathBuf, len: u64 },
    #[error("truth file {} is not a valid truth file: {msg}", path.display())]
    Json { path: PathBuf, msg: String },
    #[error("truth file {}: {reason}", path.display())]
    Invalid { path: PathBuf, reason: String },
}

/// A start and end in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Span {
    pub start: f64,
    pub end: f64,
}

/// One time a phone number was said.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TruthMention {
    /// The digits a listener writes down (extension not included).
    pub digits: String,
    #[serde(default)]
    pub extension: Option<String>,
    /// First digit's start, last digit's end.
    pub start: f64,
    pub end: f64,
    #[serde(default)]
    pub digits_per_second: Option<f64>,
}

impl TruthMention {
    /// Digits per second: the file's figure, else digits ÷ span.
    pub fn rate(&self) -> Option<f64> {
        self.digits_per_second.or_else(|| {
            let d = self.end - self.start;
            (d > 0.0).then(|| self.digits.len() as f64 / d)
        })
    }
}

/// A filled pause ("um", "uh") said at a known time.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TruthFiller {
    pub kind: String,
    pub start: f64,
    pub end: f64,
}

/// What the benchmark needs from a truth file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Truth {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub speech: Option<Span>,
    #[serde(default)]
    pub phone_mentions: Vec<TruthMention>,
    #[serde(default)]
    pub wpm: Option<f64>,
    /// Codes that must fire.
    #[serde(default)]
    pub expected_rules: Vec<String>,
    /// Codes whose decision the file states; [`DEFAULT_CHECKED_RULES`] when absent.
    #[serde(default)]
    pub checked_rules: Option<Vec<String>>,
    /// `None`: the file says nothing about fillers (older fixtures), so no
    /// filler figure is scored; `Some(vec![])`: there are none.
    #[serde(default)]
    pub fillers: Option<Vec<TruthFiller>>,
}

impl Truth {
    /// The codes decided, each with whether it must fire.
    pub fn decisions(&self) -> Vec<(String, bool)> {
        let checked: Vec<String> = match &self.checked_rules {
            Some(c) => c.clone(),
            None => DEFAULT_CHECKED_RULES
                .iter()
                .map(|c| c.to_string())
                .collect(),
        };
        checked
            .into_iter()
            .map(|c| {
                let fire = self.expected_rules.contains(&c);
                (c, fire)
            })
            .collect()
    }

    /// The mentions grouped by number: how many times each was said, most first.
    pub fn number_counts(&self) -> Vec<usize> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for m in &self.phone_mentions {
            let key = national(&m.digits).to_string();
            match counts.iter_mut().find(|(d, _)| *d == key) {
                Some((_, n)) => *n += 1,
                None => counts.push((key, 1)),
            }
        }
        let mut out: Vec<usize> = counts.into_iter().map(|(_, n)| n).collect();
        out.sort_unstable_by(|a, b| b.cmp(a));
        out
    }

    /// Parse and check a truth file's text.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Truth, TruthError> {
        let truth: Truth = serde_json::from_slice(bytes).map_err(|e| TruthError::Json {
            path: path.to_path_buf(),
            msg: e.to_string(),
        })?;
        truth.validate().map_err(|reason| TruthError::Invalid {
            path: path.to_path_buf(),
            reason,
        })?;
        Ok(truth)
    }

    /// Read and check a truth file.
    pub fn load(path: &Path) -> Result<Truth, TruthError> {
        let io = |source| TruthError::Io {
            path: path.to_path_buf(),
            source,
        };
        let len = std::fs::metadata(path).map_err(io)?.len();
        if len > MAX_BYTES {
            return Err(TruthError::TooLarge {
                path: path.to_path_buf(),
                len,
            });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        Self::parse(&bytes, path)
    }

    fn validate(&self) -> Result<(), String> {
        let span_ok = |s: f64, e: f64| s.is_finite() && e.is_finite() && s >= 0.0 && e >= s;
        if let Some(s) = self.speech {
            if !span_ok(s.start, s.end) {
                return Err(format!(
                    "speech span {}..{} is not a time span",
                    s.start, s.end
                ));
            }
        }
        for (i, m) in self.phone_mentions.iter().enumerate() {
            if m.digits.is_empty() || !m.digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "phone mention {i}: digits {:?} are not digits",
                    m.digits
                ));
            }
            if !span_ok(m.start, m.end) {
                return Err(format!(
                    "phone mention {i}: {}..{} is not a time span",
                    m.start, m.end
                ));
            }
        }
        if let Some(w) = self.wpm {
            if !(w.is_finite() && w >= 0.0) {
                return Err(format!("wpm {w} is not a rate"));
            }
        }
        for (i, f) in self.fillers.iter().flatten().enumerate() {
            if !span_ok(f.start, f.end) {
                return Err(format!(
                    "filler {i}: {}..{} is not a time span",
                    f.start, f.end
                ));
            }
        }
        Ok(())
    }
}

/// A number without a leading country code 1.
pub fn national(digits: &str) -> &str {
    if digits.len() == 11 {
        digits.strip_prefix('1').unwrap_or(digits)
    } else {
        digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_fixture_style_truth() {
        let t = Truth::parse(
            br#"{"name":"x","speech":{"start":0.5,"end":9.0},"wpm":150,
                "phone_mentions":[{"digits":"5552123456","start":1,"end":6,"digits_per_second":2.0},
                                  {"digits":"15552123456","start":7,"end":8}],
                "expected_rules":["VM105","VM213"]}"#,
            Path::new("x.truth.json"),
        )
        .unwrap();
        assert_eq!(t.number_counts(), vec![2]);
        let d = t.decisions();
        assert_eq!(d.len(), DEFAULT_CHECKED_RULES.len());
        assert!(d.contains(&("VM105".to_string(), true)));
        assert!(d.contains(&("VM101".to_string(), false)));
        assert!(!d.iter().any(|(c, _)| c == "VM213"));
        assert_eq!(t.phone_mentions[1].rate(), Some(11.0));
        assert!(t.fillers.is_none());
    }

    #[test]
    fn refuses_bad_spans_and_digits() {
        for bad in [
            r#"{"speech":{"start":5,"end":1}}"#,
            r#"{"phone_mentions":[{"digits":"55a","start":1,"end":2}]}"#,
            r#"{"fillers":[{"kind":"um","start":-1,"end":2}]}"#,
            r#"{"speech":"#,
        ] {
            assert!(
                Truth::parse(bad.as_bytes(), Path::new("t")).is_err(),
                "{bad}"
            );
        }
    }
}
