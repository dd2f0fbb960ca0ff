//! The voicemail rule catalog (`../shared/RULES.md`): one registry of rules
//! with stable codes, findings with evidence, and the score.
//!
//! A rule sees a [`Message`] and its [`Analysis`], never audio files or Whisper.
//! Each rule is a unit struct in the file of its family
//! (`delivery` VM1xx, `content` VM2xx, `when` VM3xx) whose
//! documentation is a Markdown file in `rules/docs/`, shown by
//! `vmcoach rule CODE` and by rustdoc alike.

pub(crate) mod content;
pub(crate) mod delivery;
pub(crate) mod examples;
mod lexicon;
mod thresholds;
pub(crate) mod when;

use crate::analyze::Analysis;
use crate::message::{Message, TextRange, TimeRange};
use crate::text::names;
use crate::text::TextView;
use serde::Serialize;
use std::ops::Range;
pub(crate) use thresholds::RawThresholds;
pub use thresholds::{RuleConfig, ThresholdInfo, THRESHOLDS, TOO_LONG_ERROR_S, TOO_LONG_WARNING_S};

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

impl Needs {
    pub fn as_str(&self) -> &'static str {
        match self {
            Needs::Text => "text",
            Needs::Audio => "audio",
            Needs::Time => "time",
        }
    }
}

/// The words a finding points at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub text: String,
    pub span: TextRange,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeRange>,
}

impl Evidence {
    /// The transcript words `words` (indices), with their times when every one has a time.
    pub fn words(message: &Message, words: Range<usize>) -> Option<Evidence> {
        let t = &message.transcript;
        let first = t.words.get(words.start)?;
        let last = t.words.get(words.end.checked_sub(1)?)?;
        let span = first.span.cover(&last.span);
        let times: Option<Vec<TimeRange>> =
            t.words.get(words.clone())?.iter().map(|w| w.time).collect();
        let time = times.and_then(|ts| {
            let start = ts.iter().map(|r| r.start).reduce(f64::min)?;
            let end = ts.iter().map(|r| r.end).reduce(f64::max)?;
            Some(TimeRange::new(start, end))
        });
        Some(Evidence {
            text: t.text.get(span.range())?.to_string(),
            span,
            time,
        })
    }

    /// The words behind a token range of the [`TextView`].
    pub fn tokens(input: &CheckInput, tokens: Range<usize>) -> Option<Evidence> {
        let words = input.text.word_range(tokens)?;
        Evidence::words(input.message, words)
    }
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

impl Finding {
    /// A finding at the rule's default severity, without evidence.
    pub fn new(meta: &RuleMeta, message: impl Into<String>, suggestion: impl Into<String>) -> Self {
        Finding {
            code: meta.code,
            name: meta.name,
            severity: meta.severity,
            message: message.into(),
            suggestion: suggestion.into(),
            evidence: Vec::new(),
        }
    }

    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }

    pub fn evidence(mut self, e: Option<Evidence>) -> Self {
        self.evidence.extend(e);
        self
    }
}

/// A rule that could not run, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub code: &'static str,
    pub name: &'static str,
    pub reason: String,
}

impl RuleConfig {
    /// Does the selection let this code run?
    pub fn is_selected(&self, code: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|p| code.starts_with(p.as_str())))
            && !self.ignore.iter().any(|p| code.starts_with(p.as_str()))
    }
}

/// What the voicemail asks of the listener, which decides the number rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Ask for a call back: the number must be said, twice, slowly.
    #[default]
    Callback,
    /// Point the prospect to an email you send ("I've sent you a note,
    /// subject …"): for teams that follow up by email rather than asking
    /// for a call back, which rarely comes (a Gong study of 300M cold
    /// calls found voicemails double email replies). No number is needed.
    Email,
}

impl Profile {
    pub const NAMES: [&'static str; 2] = ["callback", "email"];

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "callback" => Some(Profile::Callback),
            "email" => Some(Profile::Email),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Callback => "callback",
            Profile::Email => "email",
        }
    }

    /// Why this profile does not run a rule at all.
    pub fn skips(self, code: &str) -> Option<&'static str> {
        match (self, code) {
            (Profile::Email, "VM201" | "VM202") => Some(
                "email follow-up profile: the message points to an email, so no callback number is needed",
            ),
            _ => None,
        }
    }

    /// Rules this profile keeps as tips only: a number said in an email
    /// follow-up is a bonus, so saying it fast costs no points.
    pub fn relaxes(self, code: &str) -> bool {
        matches!((self, code), (Profile::Email, "VM105"))
    }
}

/// A `--select`/`--ignore` entry that names no rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{given}` matches no rule code (codes look like VM203; a prefix such as VM2 selects a family)"
)]
pub struct SelectorError {
    pub given: String,
}

/// Check and normalise a selector: "vm2" → "VM2". It must be a prefix of some code.
pub fn parse_selector(s: &str) -> Result<String, SelectorError> {
    let up = s.trim().to_ascii_uppercase();
    if !up.is_empty() && RULES.iter().any(|r| r.code().starts_with(&up)) {
        Ok(up)
    } else {
        Err(SelectorError {
            given: s.to_string(),
        })
    }
}

/// Where the prospect's name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameSource {
    /// `--prospect` or `vmcoach.toml`.
    Given,
    /// Taken from the greeting ("Hi Sarah, …").
    Greeting,
}

/// The prospect's name the rules look for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prospect {
    pub name: String,
    pub source: NameSource,
}

/// Everything a rule's check reads.
pub struct CheckInput<'a> {
    pub message: &'a Message,
    pub analysis: &'a Analysis,
    pub config: &'a RuleConfig,
    /// The transcript as tokens and sentences.
    pub text: &'a TextView,
    /// The prospect's name, given or taken from the greeting.
    pub prospect: Option<&'a Prospect>,
}

/// A rule's fixed facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable code, "VM105".
    pub code: &'static str,
    /// Kebab-case name of the problem, "number-too-fast".
    pub name: &'static str,
    pub severity: Severity,
    pub needs: Needs,
    /// Markdown with ruff's headings (What it does / Why is this bad? / …).
    pub doc: &'static str,
}

impl RuleMeta {
    /// The first paragraph under "## What it does", as one line.
    pub fn summary(&self) -> String {
        let body = self
            .doc
            .split("## What it does")
            .nth(1)
            .unwrap_or(self.doc)
            .trim_start();
        let para = body.split("\n\n").next().unwrap_or("");
        para.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// A rule's fixed facts, as [`declare_rule!`] writes them.
pub trait Declared {
    fn meta(&self) -> &'static RuleMeta;
}

/// One rule of the catalog. [`declare_rule!`] declares its struct, facts
/// and doc; the rule's file implements [`Rule::check`].
pub trait Rule: Declared + Sync {
    /// Stable code, "VM105".
    fn code(&self) -> &'static str {
        self.meta().code
    }
    /// Kebab-case name of the problem, "number-too-fast".
    fn name(&self) -> &'static str {
        self.meta().name
    }
    fn severity(&self) -> Severity {
        self.meta().severity
    }
    fn needs(&self) -> Needs {
        self.meta().needs
    }
    /// Why the rule cannot judge this message (a measure it needs is
    /// missing), or `None` when it can. Checked after [`Rule::needs`].
    fn unavailable(&self, _input: &CheckInput) -> Option<String> {
        None
    }
    /// Append findings to `out`.
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>);
}

/// Declare a rule's struct, its [`RuleMeta`] and [`Declared::meta`], with
/// the Markdown doc in `rules/docs/<CODE>.md` as both rustdoc and
/// `vmcoach rule` text.
macro_rules! declare_rule {
    ($ty:ident, $code:literal, $name:literal, $sev:ident, $needs:ident) => {
        #[doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules/docs/", $code, ".md"))]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $ty;
        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $name,
                severity: $crate::rules::Severity::$sev,
                needs: $crate::rules::Needs::$needs,
                doc: include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/src/rules/docs/",
                    $code,
                    ".md"
                )),
            };
        }
        impl $crate::rules::Declared for $ty {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &Self::META
            }
        }
    };
}
pub(crate) use declare_rule;

/// Every rule, ordered by code.
pub static RULES: &[&dyn Rule] = &[
    &delivery::TooLong,
    &delivery::TooShort,
    &delivery::PaceTooFast,
    &delivery::PaceTooSlow,
    &delivery::NumberTooFast,
    &delivery::Monotone,
    &delivery::HardToHear,
    &delivery::DeadAir,
    &content::NoCallbackNumber,
    &content::NumberNotRepeated,
    &content::NameNotTwice,
    &content::CallerNotIdentified,
    &content::CrypticPurpose,
    &content::DeceptiveOpener,
    &content::Again,
    &content::Selling,
    &content::NoNextCallTime,
    &content::NoReasonForThem,
    &content::FillerWords,
    &content::WeakClose,
    &content::Rambling,
    &content::SelfFocused,
    &content::NoMutualConnection,
    &when::BadTimeToLeave,
];

/// Codes that were renamed: old code → new code. Empty so far; a code, once
/// shipped, keeps its meaning, so this only ever grows.
pub static REDIRECTS: &[(&str, &str)] = &[];

/// The rule with this code (any case; redirects followed).
pub fn by_code(code: &str) -> Option<&'static dyn Rule> {
    let up = code.trim().to_ascii_uppercase();
    let up = REDIRECTS
        .iter()
        .find(|(old, _)| *old == up)
        .map(|(_, new)| new.to_string())
        .unwrap_or(up);
    RULES.iter().copied().find(|r| r.code() == up)
}

/// The outcome of running the rules on one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResults {
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
    pub score: Score,
    /// Things the rep should know about how the message was read, e.g.
    /// "prospect's name taken from the greeting: Sarah".
    pub notes: Vec<String>,
    /// The prospect's name the rules used, and where it came from.
    pub prospect: Option<Prospect>,
}

impl RuleResults {
    /// The most severe finding, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
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
    /// The rule's name, so a breakdown reads without the catalog.
    pub name: &'static str,
    pub points: i32,
}

impl ScoreItem {
    /// "−20  VM204 caller-not-identified" (a true minus sign).
    pub fn label(&self) -> String {
        let points = if self.points < 0 {
            format!("−{}", -self.points)
        } else {
            format!("+{}", self.points)
        };
        format!("{points:>4}  {} {}", self.code, self.name)
    }
}

/// Decide the prospect's name: the one given, else the greeting's.
pub fn resolve_prospect(message: &Message, text: &TextView) -> Option<Prospect> {
    if let Some(p) = message
        .context
        .prospect
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        return Some(Prospect {
            name: p.trim().to_string(),
            source: NameSource::Given,
        });
    }
    let r = names::name_from_greeting(text)?;
    let name = text.words_said(&message.transcript, r)?;
    Some(Prospect {
        name: name.join(" "),
        source: NameSource::Greeting,
    })
}

/// Why VM3xx did not run when no time is known.
pub const NO_TIME_KNOWN: &str =
    "no time known, so not judged on the clock: give --left-at or left_at in vmcoach.toml";

/// Run every selected rule whose needs are met.
pub fn check(message: &Message, analysis: &Analysis, config: &RuleConfig) -> RuleResults {
    let text = TextView::new(&message.transcript);
    let prospect = resolve_prospect(message, &text);
    let mut notes = Vec::new();
    if let Some(p) = prospect
        .as_ref()
        .filter(|p| p.source == NameSource::Greeting)
    {
        notes.push(format!(
            "prospect's name taken from the greeting: {} (give --prospect to set it)",
            p.name
        ));
    }
    let input = CheckInput {
        message,
        analysis,
        config,
        text: &text,
        prospect: prospect.as_ref(),
    };
    let has_audio = message.audio.is_some() || message.transcript.is_timed();
    let mut findings = Vec::new();
    let mut skipped = Vec::new();
    if config.profile == Profile::Email {
        notes.push(
            "email follow-up profile: callback-number rules skipped, a number said fast is a tip"
                .to_string(),
        );
    }
    for rule in RULES.iter().filter(|r| config.is_selected(r.code())) {
        let profile_skip = config.profile.skips(rule.code()).map(str::to_string);
        let reason = profile_skip.or_else(|| match rule.needs() {
            Needs::Audio if !has_audio => Some("needs audio; this is a typed script".to_string()),
            Needs::Time if message.context.left_at.is_none() => Some(NO_TIME_KNOWN.to_string()),
            _ => rule.unavailable(&input),
        });
        match reason {
            Some(reason) => skipped.push(Skipped {
                code: rule.code(),
                name: rule.name(),
                reason,
            }),
            None => {
                let from = findings.len();
                rule.check(&input, &mut findings);
                if config.profile.relaxes(rule.code()) {
                    for f in &mut findings[from..] {
                        f.severity = Severity::Info;
                    }
                }
            }
        }
    }
    let score = score(&findings);
    RuleResults {
        findings,
        skipped,
        score,
        notes,
        prospect,
    }
}

/// Points a rule costs when it fires, by the worst severity it fired at.
pub fn penalty(severity: Severity) -> i32 {
    match severity {
        Severity::Error => 20,
        Severity::Warning => 8,
        Severity::Info => 0,
    }
}

/// The score: 100, less [`penalty`] once per rule that fired (at its worst
/// severity), never below 0. A rule counts once however often it fires, so
/// five "um"s cost what one does and the breakdown reads as a list of
/// problems: an error costs 20, a warning 8, a tip nothing. Five errors, or
/// a dozen warnings, bring a message to 0.
pub fn score(findings: &[Finding]) -> Score {
    let mut worst: Vec<(&'static str, &'static str, Severity)> = Vec::new();
    for f in findings {
        match worst.iter_mut().find(|(c, _, _)| *c == f.code) {
            Some((_, _, s)) => *s = (*s).max(f.severity),
            None => worst.push((f.code, f.name, f.severity)),
        }
    }
    worst.sort_by(|a, b| a.0.cmp(b.0));
    let breakdown: Vec<ScoreItem> = worst
        .iter()
        .map(|(code, name, s)| ScoreItem {
            code,
            name,
            points: -penalty(*s),
        })
        .collect();
    let value = 100 + breakdown.iter().map(|i| i.points).sum::<i32>();
    Score {
        value: value.clamp(0, 100) as u32,
        breakdown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{Context, TimeRange, Transcript};

    fn judged(transcript: Transcript, profile: Profile) -> RuleResults {
        let message = Message {
            transcript,
            audio: None,
            context: Context::default(),
        };
        let analysis = crate::analyze::analyze(&message);
        let config = RuleConfig {
            profile,
            ..RuleConfig::default()
        };
        check(&message, &analysis, &config)
    }

    fn codes(r: &RuleResults) -> Vec<&'static str> {
        r.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_rule_s_summary_is_the_first_paragraph_of_what_it_does_on_one_line() {
        let meta = |doc: &'static str| RuleMeta {
            code: "VM999",
            name: "example",
            severity: Severity::Warning,
            needs: Needs::Text,
            doc,
        };
        let doc = "# VM999\n\n## What it does\nFlags a message\nthat rambles.\n\n\
                   More detail.\n\n## Why is this bad?\nIt is.";
        assert_eq!(meta(doc).summary(), "Flags a message that rambles.");
        // A doc without the heading: its first paragraph.
        assert_eq!(meta("Just this.\n\nNot this.").summary(), "Just this.");
        // Every rule in the catalog has one.
        for rule in RULES {
            let s = rule.meta().summary();
            assert!(s.len() > 20 && !s.contains('\n'), "{}: {s:?}", rule.code());
        }
    }

    #[test]
    fn the_worst_finding_and_the_breakdown_s_labels() {
        let text = Transcript::from_text(
            "Hi, um, I'm just calling to touch base. Call me back. Thanks, bye.",
        );
        let r = judged(text, Profile::Callback);
        let worst = r.findings.iter().map(|f| f.severity).max();
        assert_eq!(worst, Some(Severity::Error), "{:?}", codes(&r));
        assert_eq!(r.worst(), worst);
        let none = RuleResults {
            findings: Vec::new(),
            ..r.clone()
        };
        assert_eq!(none.worst(), None);

        let item = |points| ScoreItem {
            code: "VM204",
            name: "caller-not-identified",
            points,
        };
        assert_eq!(item(-20).label(), " −20  VM204 caller-not-identified");
        assert_eq!(item(0).label(), "  +0  VM204 caller-not-identified");
        assert_eq!(item(5).label(), "  +5  VM204 caller-not-identified");
    }

    #[test]
    fn a_given_prospect_wins_unless_it_is_blank() {
        let text = "Hi Sarah, this is Sam Ortiz from Brightline Payroll.";
        let prospect = |given: Option<&str>| {
            let message = Message {
                transcript: Transcript::from_text(text),
                audio: None,
                context: Context {
                    prospect: given.map(str::to_string),
                    ..Context::default()
                },
            };
            resolve_prospect(&message, &TextView::new(&message.transcript))
                .map(|p| (p.name, p.source))
        };
        assert_eq!(
            prospect(Some(" Dana ")),
            Some(("Dana".to_string(), NameSource::Given))
        );
        let from_greeting = Some(("Sarah".to_string(), NameSource::Greeting));
        assert_eq!(prospect(Some("  ")), from_greeting);
        assert_eq!(prospect(None), from_greeting);
    }

    #[test]
    fn profiles_are_named_and_read_back_in_any_case() {
        for name in Profile::NAMES {
            let p = Profile::parse(name).expect(name);
            assert_eq!(p.as_str(), name);
        }
        assert_eq!(Profile::parse(" Email "), Some(Profile::Email));
        assert_eq!(Profile::parse("CALLBACK"), Some(Profile::Callback));
        assert_eq!(Profile::parse("fax"), None);
        assert_eq!(Profile::default(), Profile::Callback);
    }

    #[test]
    fn the_email_profile_skips_the_number_rules_and_keeps_a_fast_number_as_a_tip() {
        let no_number = || {
            Transcript::from_text(
                "Hi Dana, this is Sam Ortiz from Brightline Payroll. I sent you an email \
                 about cutting your payroll costs by a third. Look for it today.",
            )
        };
        let callback = judged(no_number(), Profile::Callback);
        assert!(
            codes(&callback).contains(&"VM201"),
            "{:?}",
            codes(&callback)
        );
        let email = judged(no_number(), Profile::Email);
        assert!(!codes(&email).contains(&"VM201"), "{:?}", codes(&email));
        for code in ["VM201", "VM202"] {
            let s = email.skipped.iter().find(|s| s.code == code).expect(code);
            assert!(
                s.reason.starts_with("email follow-up profile"),
                "{}",
                s.reason
            );
        }
        assert!(email.notes.iter().any(|n| n.starts_with("email follow-up")));
        assert!(!callback
            .notes
            .iter()
            .any(|n| n.starts_with("email follow-up")));

        // A number rattled off in one second, twice.
        let words = [
            ("Hi", 0.5, 0.7),
            ("Dana,", 0.75, 1.1),
            ("call", 1.2, 1.4),
            ("555-212-3456.", 1.5, 2.5),
            ("Again,", 2.7, 3.0),
            ("555-212-3456.", 3.1, 4.1),
        ];
        let fast = || {
            Transcript::from_timed_words(
                words
                    .iter()
                    .map(|&(w, a, b)| (w.to_string(), Some(TimeRange::new(a, b)), None)),
            )
        };
        let severity = |r: &RuleResults| {
            r.findings
                .iter()
                .find(|f| f.code == "VM105")
                .map(|f| f.severity)
        };
        let callback = judged(fast(), Profile::Callback);
        assert!(severity(&callback).is_some_and(|s| s != Severity::Info));
        assert_eq!(
            severity(&judged(fast(), Profile::Email)),
            Some(Severity::Info)
        );
    }
}
