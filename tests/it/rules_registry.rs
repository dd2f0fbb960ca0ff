//! The rule registry against itself, its docs and `../shared/RULES.md`.

use crate::support::{root, skip};
use std::collections::BTreeMap;
use std::path::PathBuf;
use vmcoach::rules::{self, Needs, RULES};

const HEADINGS: &[&str] = &[
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## Options",
    "## The advice in a line",
];

fn shared() -> PathBuf {
    root().join("../shared")
}

fn is_code(c: &str) -> bool {
    let b = c.as_bytes();
    b.len() == 5
        && c.starts_with("VM")
        && (b'1'..=b'3').contains(&b[2])
        && b[3].is_ascii_digit()
        && b[4].is_ascii_digit()
}

#[test]
fn codes_are_unique_well_formed_and_ordered() {
    let codes: Vec<&str> = RULES.iter().map(|r| r.code()).collect();
    for c in &codes {
        assert!(is_code(c), "{c} does not match VM[1-3]\\d\\d");
    }
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(codes, sorted, "codes must be unique and in order");
    for r in RULES {
        let n = r.name();
        assert!(
            !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{n} is not kebab-case"
        );
        // The family decides what a rule needs.
        let expected = match &r.code()[2..3] {
            "1" => Needs::Audio,
            "2" => Needs::Text,
            _ => Needs::Time,
        };
        assert_eq!(r.needs(), expected, "{}", r.code());
    }
}

/// Docs speak to a rep: the advice itself, not where it was read. (The
/// seed each rule comes from is RULES.md's "source" column.)
#[test]
fn every_doc_has_the_required_headings_and_its_advice() {
    for r in RULES {
        let doc = r.meta().doc;
        assert!(
            doc.starts_with(&format!("# {} {}", r.code(), r.name())),
            "{}: doc title",
            r.code()
        );
        let mut last = 0;
        for h in HEADINGS {
            let at = doc
                .find(h)
                .unwrap_or_else(|| panic!("{} doc lacks {h:?}", r.code()));
            assert!(at >= last, "{}: {h:?} out of order", r.code());
            last = at;
        }
        assert!(
            !r.meta().summary().is_empty(),
            "{}: empty summary",
            r.code()
        );
        let advice = doc.split("## The advice in a line").nth(1).unwrap_or("");
        assert!(
            advice.trim().lines().count() == 1 && advice.trim().len() > 20,
            "{}: the advice is one line",
            r.code()
        );
        let lower = doc.to_lowercase();
        assert!(
            !lower.contains("seeds/") && !lower.contains("seed 0") && !lower.contains("seeds 0"),
            "{}: names an article instead of giving its advice",
            r.code()
        );
        assert!(
            !doc.split_whitespace()
                .any(|w| w.contains(".txt") && w.contains('_')),
            "{}: names an article file",
            r.code()
        );
    }
}

/// `| VM203 | name-not-twice | … |` rows of RULES.md's tables.
fn rules_md_table() -> Option<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(shared().join("RULES.md")).ok()?;
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() > 3 && is_code(cells[1]) {
            out.insert(cells[1].to_string(), cells[2].to_string());
        }
    }
    Some(out)
}

#[test]
fn registry_matches_rules_md() {
    let Some(table) = rules_md_table() else {
        skip("../shared/RULES.md not found next to the repository");
        return;
    };
    assert!(table.len() >= 20, "parsed only {} rows", table.len());
    let ours: BTreeMap<String, String> = RULES
        .iter()
        .map(|r| (r.code().to_string(), r.name().to_string()))
        .collect();
    assert_eq!(ours, table, "codes and names must equal RULES.md's");
}

#[test]
fn lookup_and_selection() {
    assert_eq!(rules::by_code("vm203").map(|r| r.code()), Some("VM203"));
    assert!(rules::by_code("VM299").is_none());
    assert_eq!(rules::parse_selector("vm2").as_deref(), Ok("VM2"));
    assert!(rules::parse_selector("VM9").is_err());
    assert!(rules::parse_selector("").is_err());
    let cfg = rules::RuleConfig {
        select: vec!["VM2".into()],
        ignore: vec!["VM215".into()],
        ..Default::default()
    };
    let selected: Vec<&str> = RULES
        .iter()
        .map(|r| r.code())
        .filter(|c| cfg.is_selected(c))
        .collect();
    assert_eq!(selected.len(), 14);
    assert!(!selected.contains(&"VM215") && !selected.contains(&"VM101"));
}

#[test]
fn score_weighs_errors_over_warnings_and_ignores_tips() {
    use vmcoach::rules::{score, Finding, Severity};
    let f = |code: &'static str, s: Severity| Finding {
        code,
        name: "x",
        severity: s,
        message: String::new(),
        suggestion: String::new(),
        evidence: Vec::new(),
    };
    assert_eq!(score(&[]).value, 100);
    let e = score(&[f("VM204", Severity::Error)]).value;
    let w = score(&[f("VM209", Severity::Warning)]).value;
    let i = score(&[f("VM215", Severity::Info)]).value;
    assert!(e < w && w < i && i == 100, "{e} {w} {i}");
    // A rule counts once, at its worst severity.
    let twice = score(&[f("VM211", Severity::Warning), f("VM211", Severity::Warning)]);
    assert_eq!(twice.value, w);
    assert_eq!(twice.breakdown.len(), 1);
    let many: Vec<Finding> = RULES.iter().map(|r| f(r.code(), Severity::Error)).collect();
    assert_eq!(score(&many).value, 0);
    let s = score(&[f("VM205", Severity::Error), f("VM202", Severity::Warning)]);
    let sum: i32 = s.breakdown.iter().map(|b| b.points).sum();
    assert_eq!(100 + sum, s.value as i32, "the breakdown adds up");
}

/// The numbers written in one row's "fires when" cell ("−35" read as -35).
fn row_numbers(row: &str) -> Vec<f64> {
    let row = row.replace('−', "-");
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in row.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !cur.is_empty()) || (c == '-' && cur.is_empty()) {
            cur.push(c);
        } else {
            if let Ok(v) = cur.trim_end_matches('.').parse::<f64>() {
                out.push(v);
            }
            cur.clear();
        }
    }
    out
}

/// RuleConfig's defaults are the numbers RULES.md's table states.
#[test]
fn thresholds_match_rules_md() {
    let Ok(text) = std::fs::read_to_string(shared().join("RULES.md")) else {
        skip("../shared/RULES.md not found next to the repository");
        return;
    };
    let rows: BTreeMap<String, Vec<f64>> = text
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells.len() > 4 && is_code(cells[1]))
                .then(|| (cells[1].to_string(), row_numbers(cells[3])))
        })
        .collect();
    let c = vmcoach::rules::RuleConfig::default();
    let expected: &[(&str, &str, f64)] = &[
        ("VM101", "too_long_warning_s", c.too_long_warning_s),
        ("VM101", "too_long_error_s", c.too_long_error_s),
        ("VM102", "too_short_s", c.too_short_s),
        ("VM103", "max_wpm", c.max_wpm),
        ("VM104", "min_wpm", c.min_wpm),
        ("VM105", "max_digits_per_second", c.max_digits_per_second),
        (
            "VM106",
            "min_pitch_spread_semitones",
            c.min_pitch_spread_semitones,
        ),
        ("VM107", "min_speech_dbfs", c.min_speech_dbfs),
        ("VM108", "max_leading_silence_s", c.max_leading_silence_s),
        ("VM108", "max_pause_s", c.max_pause_s),
        // "said exactly once": twice is enough.
        ("VM203", "min_name_uses", c.min_name_uses as f64),
        ("VM213", "max_words", c.max_words as f64),
        ("VM213", "max_sentence_words", c.max_sentence_words as f64),
        ("VM214", "max_self_ratio", c.max_self_ratio),
    ];
    for (code, field, value) in expected {
        let nums = rows
            .get(*code)
            .unwrap_or_else(|| panic!("{code} not in RULES.md"));
        assert!(
            nums.iter().any(|n| (n - value).abs() < 1e-9),
            "{code}: RuleConfig::{field} = {value}, RULES.md says {nums:?}"
        );
    }
    // VM202 fires when the number is said exactly once: two mentions are enough.
    assert_eq!(c.min_number_mentions, 2);
}
