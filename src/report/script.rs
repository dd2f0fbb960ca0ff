//! The text report of a typed script (`vmcoach check`): findings linter
//! style, located by line and column in the script:
//!
//! ```text
//! script.txt:1:4: VM204 error caller-not-identified: You give your name but not your company.
//!   | Hi it's Mike, I have a question for you.
//!   |    ^^^^^^^^^
//!   = try: Say both up front: "this is Mike Jones from Butler Street".
//! ```
//!
//! Styles are ANSI codes from `anstyle`; print through `anstream`, which
//! strips them when stdout is not a terminal or `NO_COLOR` is set.

use super::escape::terminal;
use super::style::{paint, score_style, severity_style, BLUE, BOLD, CYAN, DIM, RED, YELLOW};
use super::Report;
use crate::message::Transcript;
use crate::report::width::wrap;
use crate::rules::{penalty, Evidence, Finding, Score, Severity, Skipped};
use std::fmt::Write as _;

/// The whole report of a script: findings, notes, skipped rules, score.
pub fn render(r: &Report) -> String {
    let origin = r.file.as_deref().unwrap_or("-");
    // It opens with what to fix first, then lists every finding.
    let fixes = super::text::fixes_text(r, crate::report::width::stdout_width());
    let mut out = fixes.trim_start().to_string();
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&findings_text(&r.findings, &r.transcript, origin));
    if r.findings.is_empty() {
        out.push_str("No findings.\n");
    }
    out.push('\n');
    out.push_str(&notes_text(&r.notes));
    out.push_str(&skipped_text(&r.skipped));
    out.push_str(&score_text(&r.score, &r.findings));
    out
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// The line around an evidence span, cut to a readable width, with a caret
/// underline under the evidence.
fn snippet(text: &str, e: &Evidence) -> Option<(String, String)> {
    let start = e.span.start.min(text.len());
    let end = e.span.end.clamp(start, text.len());
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text.get(end..)?.find('\n').map_or(text.len(), |i| end + i);
    let line = text.get(line_start..line_end)?;
    // Keep about 30 characters either side of the evidence.
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let rel_start = start - line_start;
    let rel_end = end - line_start;
    let first_char = chars
        .iter()
        .position(|(i, _)| *i >= rel_start)
        .unwrap_or(chars.len());
    let end_char = chars
        .iter()
        .position(|(i, _)| *i >= rel_end)
        .unwrap_or(chars.len());
    let from = first_char.saturating_sub(30);
    let to = (end_char + 30).min(chars.len());
    let mut shown: String = chars.get(from..to)?.iter().map(|(_, c)| c).collect();
    let mut pad = first_char - from;
    if from > 0 {
        shown.insert(0, '…');
        pad += 1;
    }
    if to < chars.len() {
        shown.push('…');
    }
    let width = (end_char - first_char).max(1);
    let carets = format!("{}{}", " ".repeat(pad), "^".repeat(width));
    Some((shown, carets))
}

/// Every finding, one block each, in code order. `origin` names the source
/// in each location ("script.txt", "-").
fn findings_text(findings: &[Finding], transcript: &Transcript, origin: &str) -> String {
    let width = crate::report::width::stdout_width();
    let mut o = String::new();
    let mut findings: Vec<_> = findings.iter().collect();
    findings.sort_by_key(|f| (f.code, f.evidence.first().map(|e| e.span.start)));
    for f in findings {
        let first = f.evidence.first();
        let loc = match first {
            Some(e) => {
                let (l, c) = line_col(&transcript.text, e.span.start);
                format!("{origin}:{l}:{c}")
            }
            None => origin.to_string(),
        };
        let time = first
            .and_then(|e| e.time)
            .map(|t| format!(" [{:.2}–{:.2} s]", t.start, t.end))
            .unwrap_or_default();
        // Wrapped between words to the terminal, continuation lines indented.
        let head = loc.chars().count()
            + 2
            + f.code.len()
            + 1
            + f.severity.as_str().len()
            + 1
            + f.name.len()
            + time.chars().count()
            + 2;
        let _ = writeln!(
            o,
            "{}: {} {} {}{}: {}",
            paint(BOLD, loc),
            paint(severity_style(f.severity), f.code),
            paint(severity_style(f.severity), f.severity.as_str()),
            paint(DIM, f.name),
            time,
            wrap(&terminal(&f.message), head, width, "    ")
        );
        if let Some((line, carets)) = first.and_then(|e| {
            if e.text.is_empty() {
                None
            } else {
                snippet(&transcript.text, e)
            }
        }) {
            let _ = writeln!(o, "  {} {line}", paint(CYAN, "|"));
            let _ = writeln!(
                o,
                "  {} {}",
                paint(CYAN, "|"),
                paint(severity_style(f.severity), carets)
            );
        }
        if f.evidence.len() > 1 {
            let rest: Vec<String> = f.evidence[1..]
                .iter()
                .map(|e| {
                    let (l, c) = line_col(&transcript.text, e.span.start);
                    format!("\"{}\" ({l}:{c})", e.text)
                })
                .collect();
            let _ = writeln!(o, "  {} also: {}", paint(CYAN, "|"), rest.join(", "));
        }
        let _ = writeln!(
            o,
            "  {} {}",
            paint(CYAN, "= try:"),
            wrap(&terminal(&f.suggestion), 9, width, "         ")
        );
    }
    o
}

/// Rules that did not run, grouped by reason.
fn skipped_text(skipped: &[Skipped]) -> String {
    let mut o = String::new();
    let mut reasons: Vec<&str> = Vec::new();
    for s in skipped {
        if !reasons.contains(&s.reason.as_str()) {
            reasons.push(&s.reason);
        }
    }
    for r in reasons {
        let codes: Vec<String> = skipped
            .iter()
            .filter(|s| s.reason == r)
            .map(|s| format!("{} {}", s.code, s.name))
            .collect();
        let _ = writeln!(o, "{} {} ({r})", paint(DIM, "skipped:"), codes.join(", "));
    }
    o
}

/// "Score 52/100", a labelled line per rule that cost points
/// ("−20  VM204 caller-not-identified"), and a count line.
fn score_text(s: &Score, findings: &[Finding]) -> String {
    let style = score_style(s.value);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {}",
        paint(BOLD, "Score"),
        paint(style, format!("{}/100", s.value))
    );
    // What moved it: one labelled line per rule that cost points.
    for item in s.breakdown.iter().filter(|i| i.points != 0) {
        let _ = writeln!(o, "  {}", paint(DIM, item.label()));
    }
    let count = |sev: Severity| findings.iter().filter(|f| f.severity == sev).count();
    let (e, w, i) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let _ = writeln!(
        o,
        "{}, {}, {}  {}",
        paint(RED, plural(e, "error", "errors")),
        paint(YELLOW, plural(w, "warning", "warnings")),
        paint(BLUE, plural(i, "tip", "tips")),
        paint(
            DIM,
            format!(
                "(an error costs {}, a warning {}, a tip {}; once per rule)",
                penalty(Severity::Error),
                penalty(Severity::Warning),
                penalty(Severity::Info)
            )
        )
    );
    o
}

/// Notes on how the message was read ("prospect's name taken from the greeting").
fn notes_text(notes: &[String]) -> String {
    notes
        .iter()
        .map(|n| format!("{} {n}\n", paint(DIM, "note:")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let t = "ab\ncdé f";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, t.find('f').unwrap()), (2, 5));
    }

    #[test]
    fn snippet_underlines_the_evidence() {
        let text = "Hi Sarah,\nit's me again, calling about your team.";
        let start = text.find("me again").unwrap();
        let e = Evidence {
            text: "me again".into(),
            span: crate::message::TextRange::new(start, start + 8),
            time: None,
        };
        let (line, carets) = snippet(text, &e).unwrap();
        assert!(line.starts_with("it's me again"));
        assert_eq!(carets, "     ^^^^^^^^");
    }
}
