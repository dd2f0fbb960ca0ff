//! Precision and recall of every text rule over the labelled scripts in
//! `tests/corpus/`.
//!
//! Each script opens with header lines, then the text:
//!
//! ```text
//! # expect: VM202 VM204        rules that must fire
//! # expect-not: VM206          near misses: rules that must not fire
//! # prospect: Sarah Lee        context, as the flags give it (also caller,
//! # number: 555-212-3456       company, left-at, prior-contact: true)
//! Hi it's Mike, …
//! ```
//!
//! Each script goes through what `vmcoach check` runs ([`score_script`]).
//! Run `cargo test --test it rules_corpus -- --nocapture` to see the table.

use std::collections::BTreeMap;
use std::path::PathBuf;
use vmcoach::message::{Context, LeftAt, LeftAtSource};
use vmcoach::pipeline::{score_script, ScoreOptions};
use vmcoach::rules::{self, RuleConfig, RULES};

struct Script {
    name: String,
    expect: Vec<String>,
    expect_not: Vec<String>,
    context: Context,
    prior_contact: bool,
    text: String,
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
            "expect" => s.expect = codes(),
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
    s.text = body.join("\n");
    s
}

fn load() -> Vec<Script> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let raw = std::fs::read_to_string(&p).expect("read script");
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            parse(name, &raw)
        })
        .collect()
}

#[derive(Default, Debug)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

#[test]
fn precision_and_recall_per_rule() {
    let scripts = load();
    assert!(scripts.len() >= 60, "only {} scripts", scripts.len());
    let mut counts: BTreeMap<&'static str, Counts> = BTreeMap::new();
    let mut misses = Vec::new();
    for s in &scripts {
        for code in s.expect.iter().chain(&s.expect_not) {
            assert!(
                rules::by_code(code).is_some(),
                "{}: unknown code {code}",
                s.name
            );
        }
        let opts = ScoreOptions {
            context: s.context.clone(),
            rules: RuleConfig {
                prior_contact: s.prior_contact,
                ..Default::default()
            },
            ..Default::default()
        };
        let results = score_script(Some(s.name.clone()), &s.text, &opts);
        let fired = |code: &str| results.findings.iter().any(|f| f.code == code);
        for r in RULES {
            let c = counts.entry(r.code()).or_default();
            let code = r.code();
            if s.expect.iter().any(|e| e == code) {
                if fired(code) {
                    c.tp += 1;
                } else {
                    c.fn_ += 1;
                    misses.push(format!("{}: {code} should fire", s.name));
                }
            } else if s.expect_not.iter().any(|e| e == code) {
                if fired(code) {
                    c.fp += 1;
                    let msg = results
                        .findings
                        .iter()
                        .find(|f| f.code == code)
                        .map(|f| f.message.clone())
                        .unwrap_or_default();
                    misses.push(format!("{}: {code} should not fire ({msg})", s.name));
                } else {
                    c.tn += 1;
                }
            }
        }
    }

    println!("{} scripts", scripts.len());
    println!("rule   fire  near-miss  tp  fp  fn  precision  recall");
    let mut failed = Vec::new();
    for (code, c) in &counts {
        if c.tp + c.fp + c.fn_ + c.tn == 0 {
            continue;
        }
        let precision = if c.tp + c.fp == 0 {
            1.0
        } else {
            c.tp as f64 / (c.tp + c.fp) as f64
        };
        let recall = if c.tp + c.fn_ == 0 {
            1.0
        } else {
            c.tp as f64 / (c.tp + c.fn_) as f64
        };
        println!(
            "{code}  {:>4}  {:>9}  {:>2}  {:>2}  {:>2}  {precision:>9.2}  {recall:>6.2}",
            c.tp + c.fn_,
            c.fp + c.tn,
            c.tp,
            c.fp,
            c.fn_
        );
        if precision < 0.95 || recall < 0.95 {
            failed.push(*code);
        }
    }
    for m in &misses {
        println!("  miss: {m}");
    }
    // Every text and time rule has examples both ways.
    for r in RULES.iter().filter(|r| !r.code().starts_with("VM1")) {
        let c = &counts[r.code()];
        assert!(
            c.tp + c.fn_ > 0,
            "{}: no script where it must fire",
            r.code()
        );
        assert!(c.fp + c.tn > 0, "{}: no near miss", r.code());
    }
    assert!(
        failed.is_empty(),
        "below 0.95 precision or recall: {failed:?}\n{}",
        misses.join("\n")
    );
}
