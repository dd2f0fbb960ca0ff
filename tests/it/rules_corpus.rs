//! Precision and recall of every content rule over the labelled scripts in
//! `tests/corpus/`: `tuning/` (rules may be changed against it) and
//! `heldout/` (written before the rule changes it measures, frozen: its hash
//! is pinned below, and changing it needs its own commit saying why).
//!
//! Each script opens with header lines, then the text:
//!
//! ```text
//! # expect: VM202 VM204        every content rule (VM2xx) that must fire;
//!                              every VM2xx not listed must not fire
//! # expect-not: VM301          other rules that must not fire (VM1xx/VM3xx
//!                              are judged only where a script names them)
//! # prospect: Sarah Lee        context, as the flags give it (also caller,
//! # number: 555-212-3456       company, left-at, prior-contact: true)
//! Hi it's Mike, …
//! ```
//!
//! Each script goes through what `vmcoach check` runs ([`score_script`]).
//! `cargo test --test it rules_corpus -- --nocapture` prints the tables.

use crate::support::root;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use vmcoach::message::{Context, LeftAt, LeftAtSource};
use vmcoach::pipeline::{score_script, ScoreOptions};
use vmcoach::rules::{self, RuleConfig, RULES};

/// SHA-256 of the held-out split (file names and contents, in name order).
/// Changing a held-out script changes this; do it in its own commit.
const HELDOUT_SHA256: &str = "4a949081637eb5827fcd4ba42cef5bbe2382b6d9107bfa76eb5609f6bb41efb6";

/// Rules below the targets on a split today, each with the most false
/// positives and false negatives it may have there (so none gets worse);
/// every rule not listed must meet the targets. Shrink this list; never grow
/// it to make a change pass.
const BELOW_TARGET: &[(&str, &str, usize, usize)] = &[
    // 118/120: no case, no punctuation and no "from/with/at" ("hi karen sam
    // ortiz brightline payroll we help …"): name and company cannot be told apart.
    ("tuning", "VM204", 2, 0),
    // 043 "one of your competitors told me you're struggling to hire": the
    // reason is only implied.
    ("tuning", "VM205", 1, 0),
];

struct Script {
    name: String,
    expect: Vec<String>,
    expect_not: Vec<String>,
    context: Context,
    prior_contact: bool,
    text: String,
}

fn is_content(code: &str) -> bool {
    code.starts_with("VM2")
}

fn parse(name: String, raw: &str) -> Script {
    let mut s = Script {
        name,
        expect: Vec::new(),
        expect_not: Vec::new(),
        context: Context::default(),
        prior_contact: false,
        text: String::new(),
    };
    let mut body = Vec::new();
    let mut labelled = false;
    for line in raw.lines() {
        let Some(h) = line.strip_prefix("# ").filter(|_| body.is_empty()) else {
            body.push(line);
            continue;
        };
        let (key, value) = h.split_once(':').unwrap_or((h, ""));
        let value = value.trim().to_string();
        let codes = || {
            value
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        match key.trim() {
            "expect" => {
                labelled = true;
                s.expect = codes()
            }
            "expect-not" => s.expect_not = codes(),
            "prospect" => s.context.prospect = Some(value),
            "caller" => s.context.caller = Some(value),
            "company" => s.context.company = Some(value),
            "number" => s.context.number = Some(value),
            "left-at" => {
                s.context.left_at = Some(LeftAt {
                    local: value,
                    source: LeftAtSource::Flag,
                })
            }
            "prior-contact" => s.prior_contact = value == "true",
            other => panic!("{}: unknown header {other:?}", s.name),
        }
    }
    assert!(
        labelled,
        "{}: no `# expect:` line (write `# expect:` with nothing after it when no content rule fires)",
        s.name
    );
    for code in s.expect.iter().chain(&s.expect_not) {
        assert!(
            rules::by_code(code).is_some(),
            "{}: unknown code {code}",
            s.name
        );
    }
    for code in &s.expect_not {
        assert!(
            !is_content(code),
            "{}: {code} in expect-not: a content rule not in `expect` must not fire already",
            s.name
        );
    }
    s.text = body.join("\n");
    s
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

fn corpus_dir(split: &str) -> PathBuf {
    root().join("tests/corpus").join(split)
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn load(split: &str) -> Vec<Script> {
    files(&corpus_dir(split))
        .into_iter()
        .map(|p| {
            let raw = std::fs::read_to_string(&p).expect("read script");
            parse(format!("{split}/{}", name_of(&p)), &raw)
        })
        .collect()
}

#[derive(Default, Debug, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

/// Judge every rule a script labels; returns counts per code and the misses.
fn judge(scripts: &[Script]) -> (BTreeMap<&'static str, Counts>, Vec<String>) {
    let mut counts: BTreeMap<&'static str, Counts> = BTreeMap::new();
    let mut misses = Vec::new();
    for s in scripts {
        let opts = ScoreOptions {
            context: s.context.clone(),
            rules: RuleConfig {
                prior_contact: s.prior_contact,
                ..Default::default()
            },
            ..Default::default()
        };
        let results = score_script(Some(s.name.clone()), &s.text, &opts);
        let finding = |code: &str| results.findings.iter().find(|f| f.code == code);
        for r in RULES {
            let code = r.code();
            let must = s.expect.iter().any(|e| e == code);
            let must_not = !must && (is_content(code) || s.expect_not.iter().any(|e| e == code));
            if !must && !must_not {
                continue;
            }
            let c = counts.entry(code).or_default();
            match (must, finding(code)) {
                (true, Some(_)) => c.tp += 1,
                (true, None) => {
                    c.fn_ += 1;
                    misses.push(format!("{}: {code} should fire", s.name));
                }
                (false, Some(f)) => {
                    c.fp += 1;
                    misses.push(format!(
                        "{}: {code} should not fire ({})",
                        s.name, f.message
                    ));
                }
                (false, None) => c.tn += 1,
            }
        }
    }
    (counts, misses)
}

fn table(title: &str, n: usize, counts: &BTreeMap<&'static str, Counts>) {
    println!("{title}: {n} scripts");
    println!("rule   fire  not   tp  fp  fn  precision  recall");
    for (code, c) in counts {
        println!(
            "{code}  {:>4}  {:>4}  {:>3} {:>3} {:>3}  {:>9.2}  {:>6.2}",
            c.tp + c.fn_,
            c.fp + c.tn,
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall()
        );
    }
}

/// Every rule reaches these on a split (precision ≥ 0.95, ≥ 0.98 for an
/// error-severity rule; recall ≥ 0.90), or is listed in [`BELOW_TARGET`]
/// and is no worse than listed.
fn below_targets(split: &str, counts: &BTreeMap<&'static str, Counts>) -> Vec<String> {
    let mut out = Vec::new();
    for (code, c) in counts {
        let severe = rules::by_code(code).is_some_and(|r| r.severity() == rules::Severity::Error);
        let min_precision = if severe { 0.98 } else { 0.95 };
        let allowed = BELOW_TARGET
            .iter()
            .find(|(s, k, _, _)| *s == split && k == code);
        let bad = match allowed {
            Some((_, _, fp, fn_)) => c.fp > *fp || c.fn_ > *fn_,
            None => c.precision() < min_precision || c.recall() < 0.90,
        };
        if bad {
            out.push(format!(
                "{code}: precision {:.2} (tp {}, fp {}), recall {:.2} (fn {})",
                c.precision(),
                c.tp,
                c.fp,
                c.recall(),
                c.fn_
            ));
        }
    }
    out
}

fn check_split(split: &str, min_scripts: usize) {
    let scripts = load(split);
    assert!(
        scripts.len() >= min_scripts,
        "{split}: only {} scripts",
        scripts.len()
    );
    let (counts, misses) = judge(&scripts);
    table(split, scripts.len(), &counts);
    for m in &misses {
        println!("  miss: {m}");
    }
    // Every content rule has examples both ways.
    for r in RULES.iter().filter(|r| is_content(r.code())) {
        let c = counts.get(r.code()).copied().unwrap_or_default();
        assert!(
            c.tp + c.fn_ > 0,
            "{split}: {}: no script where it must fire",
            r.code()
        );
        assert!(
            c.fp + c.tn > 0,
            "{split}: {}: no script where it must not",
            r.code()
        );
    }
    let failed = below_targets(split, &counts);
    assert!(
        failed.is_empty(),
        "{split}: below target (precision ≥ 0.95, ≥ 0.98 for errors; recall ≥ 0.90) or worse than BELOW_TARGET allows:\n{}\n{}",
        failed.join("\n"),
        misses.join("\n")
    );
}

#[test]
fn tuning_split_meets_the_targets() {
    check_split("tuning", 130);
}

#[test]
fn heldout_split_meets_the_targets() {
    check_split("heldout", 60);
}

#[test]
fn heldout_split_is_frozen() {
    let mut h = Sha256::new();
    for p in files(&corpus_dir("heldout")) {
        h.update(name_of(&p).as_bytes());
        h.update([0]);
        h.update(std::fs::read(&p).expect("read script"));
        h.update([0]);
    }
    let got: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        got, HELDOUT_SHA256,
        "tests/corpus/heldout changed: the held-out split is frozen; if the change is \
         deliberate, update HELDOUT_SHA256 in its own commit saying why"
    );
}

#[test]
fn labels_parse_and_a_missing_label_line_is_refused() {
    let s = parse("x".into(), "# expect:\n# prospect: Sam\nHi Sam.");
    assert!(s.expect.is_empty());
    assert_eq!(s.context.prospect.as_deref(), Some("Sam"));
    assert_eq!(s.text, "Hi Sam.");
    let unlabelled = std::panic::catch_unwind(|| parse("y".into(), "# prospect: Sam\nHi Sam."));
    assert!(unlabelled.is_err());
}
