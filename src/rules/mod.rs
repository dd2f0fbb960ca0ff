//! The voicemail rule catalog (`../shared/RULES.md`): one registry of rules
//! with stable codes, findings with evidence, and the score.
//!
//! A rule sees a [`Message`] and its [`Analysis`], never audio files or Whisper.

use crate::analyze::Analysis;
use crate::message::{Message, TextRange, TimeRange};
use serde::Serialize;

/// How much a finding matters.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A tip; does not move the score.
    Info,
    /// Fix before sending.
    Warning,
    /// The message will likely hurt you.
    Error,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What a rule needs to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Needs {
    /// Runs on any transcript or typed script.
    Text,
    /// Needs audio (word times or signal measures).
    Audio,
    /// Needs to know when the message was left.
    Time,
}

/// The words a finding points at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub text: String,
    pub span: TextRange,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeRange>,
}

/// One thing a rule found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line, written for a sales rep.
    pub message: String,
    /// A concrete thing to do instead.
    pub suggestion: String,
    pub evidence: Vec<Evidence>,
}

/// A rule that could not run, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub code: &'static str,
    pub name: &'static str,
    pub reason: String,
}

/// Thresholds and selection. Defaults are RULES.md's.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleConfig {
    pub too_long_warning_s: f64,
    pub too_long_error_s: f64,
    pub too_short_s: f64,
    pub max_wpm: f64,
    pub min_wpm: f64,
    pub max_digits_per_second: f64,
    pub min_number_mentions: usize,
}

impl Default for RuleConfig {
    fn default() -> Self {
        Self {
            too_long_warning_s: 20.0,
            too_long_error_s: 30.0,
            too_short_s: 8.0,
            max_wpm: 170.0,
            min_wpm: 110.0,
            max_digits_per_second: 2.5,
            min_number_mentions: 2,
        }
    }
}

/// Everything a rule's check reads.
pub struct CheckInput<'a> {
    pub message: &'a Message,
    pub analysis: &'a Analysis,
    pub config: &'a RuleConfig,
}

/// One rule of the catalog.
pub trait Rule: Sync {
    /// Stable code, "VM105".
    fn code(&self) -> &'static str;
    /// Kebab-case name of the problem, "number-too-fast".
    fn name(&self) -> &'static str;
    fn severity(&self) -> Severity;
    fn needs(&self) -> Needs;
    /// Append findings to `out`.
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>);
}

/// Every rule, ordered by code.
pub static RULES: &[&dyn Rule] = &[];

/// The outcome of running the rules on one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResults {
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
    pub score: Score,
}

/// A 0–100 score with its breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Score {
    pub value: u32,
    pub breakdown: Vec<ScoreItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreItem {
    pub code: &'static str,
    pub points: i32,
}

/// Run every rule whose needs are met.
pub fn check(message: &Message, analysis: &Analysis, config: &RuleConfig) -> RuleResults {
    let input = CheckInput {
        message,
        analysis,
        config,
    };
    let mut findings = Vec::new();
    let mut skipped = Vec::new();
    for rule in RULES {
        let reason = match rule.needs() {
            Needs::Audio if message.audio.is_none() && !message.transcript.is_timed() => {
                Some("needs audio; this is a typed script")
            }
            Needs::Time if message.context.left_at.is_none() => {
                Some("no time known; pass --left-at")
            }
            _ => None,
        };
        match reason {
            Some(r) => skipped.push(Skipped {
                code: rule.code(),
                name: rule.name(),
                reason: r.to_string(),
            }),
            None => rule.check(&input, &mut findings),
        }
    }
    let score = score(&findings);
    RuleResults {
        findings,
        skipped,
        score,
    }
}

/// Errors cost 15 points, warnings 5, info nothing.
pub fn score(findings: &[Finding]) -> Score {
    let mut breakdown = Vec::new();
    let mut value: i32 = 100;
    for f in findings {
        let points = match f.severity {
            Severity::Error => -15,
            Severity::Warning => -5,
            Severity::Info => 0,
        };
        value += points;
        breakdown.push(ScoreItem {
            code: f.code,
            points,
        });
    }
    Score {
        value: value.clamp(0, 100) as u32,
        breakdown,
    }
}
