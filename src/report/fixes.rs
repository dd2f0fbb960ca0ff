//! "Fix these first": at most three things to change, picked from the
//! findings so a rep with a dozen of them knows where to start. Errors come
//! before warnings, then the points each costs, then how much a problem
//! hurts a callback (the order of [`HEADLINES`]); tips (info) cost nothing
//! and are never among them. Each fix is a headline in plain words and the
//! finding's own suggestion, which quotes the rep's number and names
//! (`rules::examples`).

use crate::rules::{Finding, Score, Severity};
use serde::Serialize;

/// How many fixes a report opens with.
pub const MAX_FIXES: usize = 3;

/// One thing to fix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopFix {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Points the problem costs the score (positive).
    pub points: u32,
    /// What to do, in plain words: "Say your number twice".
    pub fix: String,
    /// How, with the rep's own number and names: the finding's suggestion.
    pub how: String,
    /// What was wrong: the first finding's message.
    pub why: String,
    /// How many findings of this rule there are ("um" three times: 3).
    pub count: usize,
    /// Index of the first of them in the report's `findings`.
    pub finding: usize,
}

/// Every rule's fix as a headline, most harmful to a callback first (the
/// tie-break between fixes of equal severity and points): a message nobody
/// can call back or place is worse than one that is a little long.
pub const HEADLINES: &[(&str, &str)] = &[
    ("VM201", "Say your callback number"),
    ("VM204", "Say who you are and where you work"),
    ("VM205", "Say why you're calling"),
    ("VM105", "Say your number slowly"),
    ("VM202", "Say your number twice"),
    ("VM107", "Record louder and clearer"),
    ("VM101", "Cut it to under 20 seconds"),
    ("VM102", "Say who you are, why you called and your number"),
    ("VM210", "Give them a reason to call back"),
    ("VM203", "Use their name twice"),
    ("VM209", "Say when you'll call again"),
    ("VM103", "Slow down"),
    ("VM213", "Keep it short"),
    ("VM206", "Drop the fake familiarity"),
    ("VM208", "Don't pitch in a voicemail"),
    ("VM108", "Cut the silences"),
    ("VM212", "Close with a plan"),
    ("VM211", "Drop the ums and uhs"),
    ("VM207", "Don't remind them they haven't called back"),
    ("VM214", "Talk about them, not you"),
    ("VM104", "Pick up the pace"),
    ("VM106", "Let your voice rise and fall"),
    ("VM301", "Leave it at a better time"),
    ("VM215", "Mention a mutual contact"),
];

/// The headline of a rule's fix, and its rank among them.
fn headline(code: &str) -> Option<(usize, &'static str)> {
    HEADLINES
        .iter()
        .position(|(c, _)| *c == code)
        .map(|i| (i, HEADLINES[i].1))
}

/// The fixes a report opens with, best first.
pub fn top_fixes(findings: &[Finding], score: &Score) -> Vec<TopFix> {
    let mut fixes: Vec<(usize, TopFix)> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        if f.severity == Severity::Info {
            continue;
        }
        let how = if f.suggestion.trim().is_empty() {
            f.message.clone()
        } else {
            f.suggestion.clone()
        };
        if let Some((_, fix)) = fixes.iter_mut().find(|(_, t)| t.code == f.code) {
            fix.count += 1;
            // The rule's worst finding speaks for it.
            if f.severity > fix.severity {
                fix.severity = f.severity;
                fix.how = how;
                fix.why = f.message.clone();
                fix.finding = i;
            }
            continue;
        }
        let (rank, title) = headline(f.code).unwrap_or((HEADLINES.len(), f.name));
        let points = score
            .breakdown
            .iter()
            .find(|b| b.code == f.code)
            .map_or(0, |b| b.points.unsigned_abs());
        fixes.push((
            rank,
            TopFix {
                code: f.code,
                name: f.name,
                severity: f.severity,
                points,
                fix: title.to_string(),
                how,
                why: f.message.clone(),
                count: 1,
                finding: i,
            },
        ));
    }
    fixes.sort_by(|(ra, a), (rb, b)| {
        b.severity
            .cmp(&a.severity)
            .then(b.points.cmp(&a.points))
            .then(ra.cmp(rb))
    });
    let mut top: Vec<TopFix> = fixes.into_iter().take(MAX_FIXES).map(|(_, f)| f).collect();
    // Two rules can give the same advice (too long, rambling): say it
    // once, and what was wrong the second time.
    for k in 1..top.len() {
        if top[..k].iter().any(|t| t.how == top[k].how) {
            top[k].how = top[k].why.clone();
        }
    }
    top
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{score, RULES};

    fn finding(code: &'static str, severity: Severity, suggestion: &str) -> Finding {
        Finding {
            code,
            name: "x",
            severity,
            message: format!("{code} message"),
            suggestion: suggestion.into(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn every_rule_has_a_headline_once() {
        for r in RULES {
            assert_eq!(
                HEADLINES.iter().filter(|(c, _)| *c == r.code()).count(),
                1,
                "{}",
                r.code()
            );
        }
        assert_eq!(HEADLINES.len(), RULES.len());
    }

    #[test]
    fn errors_first_then_points_then_harm_at_most_three() {
        let findings = vec![
            finding("VM211", Severity::Warning, "no um"),
            finding("VM211", Severity::Warning, "no uh"),
            finding("VM215", Severity::Info, "a contact"),
            finding("VM202", Severity::Warning, "again, that's 415 … 555 … 0133"),
            finding("VM204", Severity::Error, "this is Tom from Northwind"),
            finding("VM101", Severity::Warning, ""),
            finding("VM101", Severity::Error, "cut"),
        ];
        let fixes = top_fixes(&findings, &score(&findings));
        let codes: Vec<&str> = fixes.iter().map(|f| f.code).collect();
        // VM204 and VM101 are errors (VM204 harms a callback more); then
        // the warnings by harm: VM202 before VM211. The tip never shows.
        assert_eq!(codes, ["VM204", "VM101", "VM202"]);
        assert_eq!(fixes[0].points, 20);
        assert_eq!(fixes[0].fix, "Say who you are and where you work");
        assert_eq!(fixes[2].how, "again, that's 415 … 555 … 0133");
        // The rule's worst finding speaks for it; an empty suggestion
        // falls back to the message.
        assert_eq!(fixes[1].how, "cut");
        assert_eq!((fixes[1].count, fixes[1].finding), (2, 6));
        let same = [
            finding("VM101", Severity::Error, "cut it"),
            finding("VM213", Severity::Warning, "cut it"),
        ];
        let fixes = top_fixes(&same, &score(&same));
        assert_eq!(fixes[0].how, "cut it");
        assert_eq!(fixes[1].how, "VM213 message");
        let warned = [finding("VM101", Severity::Warning, "")];
        assert_eq!(top_fixes(&warned, &score(&warned))[0].how, "VM101 message");
        assert!(top_fixes(&[finding("VM215", Severity::Info, "x")], &Score::default()).is_empty());
    }
}
