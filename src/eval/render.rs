//! The benchmark as a table for people and as one JSON document for machines.

use super::compare::FileEval;
use super::summary::{figures_json, Better, Figure, Regression};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// One file that could not be scored, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FailedFile {
    pub file: String,
    pub error: String,
}

fn ms(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |v| format!("{v:+.0}"))
}

fn median_abs(v: impl Iterator<Item = f64>) -> Option<f64> {
    let v: Vec<f64> = v.map(f64::abs).collect();
    super::summary::median(&v)
}

/// The per-file table, then the totals.
pub fn text(
    files: &[FileEval],
    failed: &[FailedFile],
    figures: &[Figure],
    source: &str,
    regressions: Option<&[Regression]>,
) -> String {
    let mut out = String::new();
    let name_w = files
        .iter()
        .map(|f| f.file.chars().count())
        .chain(failed.iter().map(|f| f.file.chars().count()))
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(out, "words from: {source}");
    let _ = writeln!(
        out,
        "{:name_w$}  {:>5}  {:>6}  {:>4}  {:>6}  {:>11}  {:>7}  {:>11}  {:>5}  {:>7}  rules wrong",
        "file", "found", "digits", "reps", "rate", "edge ms", "wpm", "span ms", "rules", "fillers"
    );
    for f in files {
        let n = f.mentions.len();
        let found = f.mentions.iter().filter(|m| m.found.is_some()).count();
        let exact = f.mentions.iter().filter(|m| m.digits_exact).count();
        let rate = f.mentions.iter().filter(|m| m.rate_ok).count();
        let extra = if f.extra_mentions.is_empty() {
            String::new()
        } else {
            format!("+{}", f.extra_mentions.len())
        };
        let edge = format!(
            "{}/{}",
            ms(median_abs(
                f.mentions.iter().filter_map(|m| m.start_error_ms)
            )),
            ms(median_abs(f.mentions.iter().filter_map(|m| m.end_error_ms)))
        );
        let wpm = f
            .wpm
            .as_ref()
            .and_then(|w| w.error)
            .map_or_else(|| "–".to_string(), |e| format!("{:+.1}%", e * 100.0));
        let span = f.speech.as_ref().map_or_else(
            || "–".to_string(),
            |s| format!("{}/{}", ms(s.start_error_ms), ms(s.end_error_ms)),
        );
        let right = f.rules.iter().filter(|r| r.right()).count();
        let wrong: Vec<String> = f
            .rules
            .iter()
            .filter(|r| !r.right())
            .map(|r| format!("{}{}", if r.fired { "+" } else { "-" }, r.code))
            .collect();
        let fillers = f.fillers.as_ref().map_or_else(
            || "–".to_string(),
            |x| {
                format!(
                    "{}/{}{}",
                    x.matched,
                    x.truth,
                    if x.false_found() > 0 {
                        format!("+{}", x.false_found())
                    } else {
                        String::new()
                    }
                )
            },
        );
        let _ = writeln!(
            out,
            "{:name_w$}  {:>5}  {:>6}  {:>4}  {:>6}  {:>11}  {:>7}  {:>11}  {:>5}  {:>7}  {}",
            f.file,
            format!("{found}/{n}{extra}"),
            format!("{exact}/{n}"),
            if f.numbers_right { "ok" } else { "NO" },
            format!("{rate}/{n}"),
            edge,
            wpm,
            span,
            format!("{right}/{}", f.rules.len()),
            fillers,
            wrong.join(" ")
        );
    }
    for f in failed {
        let _ = writeln!(out, "{:name_w$}  error: {}", f.file, f.error);
    }
    let _ = writeln!(
        out,
        "\n(found: mentions found/said, +extra not said; reps: times each number was said, right?; \
         rate: digit rate within ±10%; edge: median mention start/end error; span: speech start/end \
         error; rules wrong: +fired wrongly, -missed)\n"
    );
    let _ = writeln!(out, "Totals over {} files:", files.len());
    for f in figures {
        let value = match (f.value, f.count) {
            (None, _) => "–".to_string(),
            (Some(v), Some((n, of))) if f.better == Better::Higher => {
                format!("{n}/{of} ({:.0}%)", v * 100.0)
            }
            (Some(v), Some((n, of))) => format!("{v:.2} ({n}/{of})"),
            (Some(v), None) if f.key.ends_with("_ms_median") || f.key.ends_with("_ms_max") => {
                format!("{v:.0} ms")
            }
            (Some(v), None) if f.key.contains("error") => format!("{:.1}%", v * 100.0),
            (Some(v), None) => format!("{v:.0}"),
        };
        let target = f
            .target
            .map(|t| format!("   target {t}"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {:42} {value}{target}", f.label);
    }
    let rereads: Vec<_> = files.iter().flat_map(|f| &f.number_rereads).collect();
    if !rereads.is_empty() {
        let taken = rereads.iter().filter(|r| r.accepted).count();
        let reused = rereads.iter().filter(|r| r.same_as.is_some()).count();
        let _ = writeln!(
            out,
            "  {:42} {} ({} clips decoded, {reused} re-reads reused), {taken} taken",
            "numbers read again",
            rereads.len(),
            rereads.len() - reused
        );
    }
    if let Some(r) = regressions {
        if r.is_empty() {
            let _ = writeln!(out, "\nNo figure is worse than the baseline.");
        } else {
            let _ = writeln!(out, "\nWorse than the baseline:");
            for x in r {
                let _ = writeln!(out, "  {}: {} → {}", x.key, x.baseline, x.now);
            }
        }
    }
    out
}

/// The whole run as one JSON document; `totals` is what `--baseline` reads.
pub fn json(
    files: &[FileEval],
    failed: &[FailedFile],
    figures: &[Figure],
    source: &Value,
    regressions: Option<&[Regression]>,
) -> Value {
    json!({
        "schema_version": 1,
        "source": source,
        "files": files,
        "failed": failed,
        "totals": figures_json(figures),
        "figures": figures,
        "regressions": regressions,
    })
}
