//! The figures over a whole set, and the comparison with a baseline run.
//!
//! Every total is a named [`Figure`] with the direction in which it is
//! better, so `--baseline` can say which got worse without knowing what
//! each one means, and a new figure is one more entry in [`totals`].

use super::compare::FileEval;
use serde::Serialize;
use serde_json::{Map, Value};

/// Which way a figure improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Higher,
    Lower,
}

/// One total figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Stable key in the JSON output and the baseline file.
    pub key: &'static str,
    /// What it is, for the table.
    pub label: &'static str,
    /// `None` when nothing in the set measures it (no fillers in the truth, …).
    pub value: Option<f64>,
    /// "12/17" style count behind a fraction, for the table.
    pub count: Option<(usize, usize)>,
    pub better: Better,
    /// How much worse than the baseline still counts as the same (run-to-run
    /// jitter of a float figure); 0 for counts and fractions.
    pub slack: f64,
    /// The issue's target, shown beside the figure.
    pub target: Option<&'static str>,
}

fn frac(
    key: &'static str,
    label: &'static str,
    n: usize,
    of: usize,
    target: Option<&'static str>,
) -> Figure {
    Figure {
        key,
        label,
        value: (of > 0).then(|| n as f64 / of as f64),
        count: Some((n, of)),
        better: Better::Higher,
        slack: 0.0,
        target,
    }
}

fn lower(key: &'static str, label: &'static str, value: Option<f64>, slack: f64) -> Figure {
    Figure {
        key,
        label,
        value,
        count: None,
        better: Better::Lower,
        slack,
        target: None,
    }
}

/// The median of some values (mean of the middle two for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn max_abs(values: &[f64]) -> Option<f64> {
    values
        .iter()
        .map(|v| v.abs())
        .filter(|v| v.is_finite())
        .max_by(f64::total_cmp)
}

fn abs_all(values: impl Iterator<Item = f64>) -> Vec<f64> {
    values.map(f64::abs).collect()
}

/// The set's figures, from the files that could be scored.
pub fn totals(files: &[FileEval]) -> Vec<Figure> {
    let mentions: Vec<_> = files.iter().flat_map(|f| &f.mentions).collect();
    let n_mentions = mentions.len();
    let found = mentions.iter().filter(|m| m.found.is_some()).count();
    let exact = mentions.iter().filter(|m| m.digits_exact).count();
    let rate_ok = mentions.iter().filter(|m| m.rate_ok).count();
    let extra: usize = files.iter().map(|f| f.extra_mentions.len()).sum();
    let numbers_right = files.iter().filter(|f| f.numbers_right).count();
    let rate_err = abs_all(mentions.iter().filter_map(|m| m.rate_error));
    let starts = abs_all(mentions.iter().filter_map(|m| m.start_error_ms));
    let ends = abs_all(mentions.iter().filter_map(|m| m.end_error_ms));

    let wpms: Vec<_> = files.iter().filter_map(|f| f.wpm.as_ref()).collect();
    let wpm_ok = wpms.iter().filter(|w| w.ok).count();
    let wpm_err = abs_all(wpms.iter().filter_map(|w| w.error));

    let spans: Vec<_> = files.iter().filter_map(|f| f.speech.as_ref()).collect();
    let span_ok = spans.iter().filter(|s| s.ok).count();
    let span_start = abs_all(spans.iter().filter_map(|s| s.start_error_ms));
    let span_end = abs_all(spans.iter().filter_map(|s| s.end_error_ms));

    let rules: Vec<_> = files.iter().flat_map(|f| &f.rules).collect();
    let rules_right = rules.iter().filter(|r| r.right()).count();
    let false_fire = rules.iter().filter(|r| r.fired && !r.expected).count();
    let missed = rules.iter().filter(|r| !r.fired && r.expected).count();

    let fillers: Vec<_> = files.iter().filter_map(|f| f.fillers.as_ref()).collect();
    let f_truth: usize = fillers.iter().map(|f| f.truth).sum();
    let f_found: usize = fillers.iter().map(|f| f.found.len()).sum();
    let f_matched: usize = fillers.iter().map(|f| f.matched).sum();
    let f_times: Vec<f64> = fillers
        .iter()
        .flat_map(|f| f.time_errors_ms.iter().copied())
        .collect();
    let filler_free = fillers.iter().filter(|f| f.truth == 0).count();
    let filler_free_false: usize = fillers
        .iter()
        .filter(|f| f.truth == 0)
        .map(|f| f.found.len())
        .sum();

    let mut figs = vec![
        frac(
            "mentions_found",
            "number mentions found",
            found,
            n_mentions,
            Some("≥ 95%"),
        ),
        frac(
            "digits_exact",
            "digits exactly right",
            exact,
            n_mentions,
            Some("≥ 85%"),
        ),
        frac(
            "numbers_right",
            "mentions per number right (messages)",
            numbers_right,
            files.len(),
            Some("≥ 95%"),
        ),
        frac(
            "rate_within_10pct",
            "digit rate within ±10%",
            rate_ok,
            n_mentions,
            Some("≥ 90%"),
        ),
        Figure {
            key: "extra_mentions",
            label: "mentions found that were not said",
            value: Some(extra as f64),
            count: None,
            better: Better::Lower,
            slack: 0.0,
            target: None,
        },
        lower(
            "rate_error_median",
            "digit rate error, median |rel|",
            median(&rate_err),
            0.001,
        ),
        lower(
            "rate_error_max",
            "digit rate error, worst |rel|",
            max_abs(&rate_err),
            0.001,
        ),
        lower(
            "mention_start_error_ms_median",
            "mention start error, median |ms|",
            median(&starts),
            1.0,
        ),
        lower(
            "mention_start_error_ms_max",
            "mention start error, worst |ms|",
            max_abs(&starts),
            1.0,
        ),
        lower(
            "mention_end_error_ms_median",
            "mention end error, median |ms|",
            median(&ends),
            1.0,
        ),
        lower(
            "mention_end_error_ms_max",
            "mention end error, worst |ms|",
            max_abs(&ends),
            1.0,
        ),
        frac(
            "wpm_within_5pct",
            "WPM within ±5% (messages)",
            wpm_ok,
            wpms.len(),
            Some("≥ 90%"),
        ),
        lower(
            "wpm_error_median",
            "WPM error, median |rel|",
            median(&wpm_err),
            0.001,
        ),
        lower(
            "wpm_error_max",
            "WPM error, worst |rel|",
            max_abs(&wpm_err),
            0.001,
        ),
        frac(
            "speech_within_150ms",
            "speech start and end within ±150 ms",
            span_ok,
            spans.len(),
            Some("≥ 90%"),
        ),
        lower(
            "speech_start_error_ms_median",
            "speech start error, median |ms|",
            median(&span_start),
            1.0,
        ),
        lower(
            "speech_start_error_ms_max",
            "speech start error, worst |ms|",
            max_abs(&span_start),
            1.0,
        ),
        lower(
            "speech_end_error_ms_median",
            "speech end error, median |ms|",
            median(&span_end),
            1.0,
        ),
        lower(
            "speech_end_error_ms_max",
            "speech end error, worst |ms|",
            max_abs(&span_end),
            1.0,
        ),
        frac(
            "rules_right",
            "rule decisions right",
            rules_right,
            rules.len(),
            Some("≥ 95%"),
        ),
        Figure {
            key: "rules_false_fire",
            label: "rules fired that must not",
            value: Some(false_fire as f64),
            count: None,
            better: Better::Lower,
            slack: 0.0,
            target: None,
        },
        Figure {
            key: "rules_missed",
            label: "rules missed that must fire",
            value: Some(missed as f64),
            count: None,
            better: Better::Lower,
            slack: 0.0,
            target: None,
        },
    ];
    if !fillers.is_empty() {
        figs.extend([
            frac(
                "filler_recall",
                "filler (um/uh) recall, ±250 ms",
                f_matched,
                f_truth,
                Some("≥ 0.85"),
            ),
            frac(
                "filler_precision",
                "filler precision",
                f_matched,
                f_found,
                Some("≥ 0.9"),
            ),
            Figure {
                key: "filler_false_per_clean_message",
                label: "false fillers per filler-free message",
                value: (filler_free > 0).then(|| filler_free_false as f64 / filler_free as f64),
                count: Some((filler_free_false, filler_free)),
                better: Better::Lower,
                slack: 0.0,
                target: Some("≤ 0.1"),
            },
            lower(
                "filler_time_error_ms_median",
                "filler start error, median |ms|",
                median(&f_times),
                1.0,
            ),
        ]);
    }
    figs
}

/// The figures as a JSON object, key → value (null when not measured).
pub fn figures_json(figs: &[Figure]) -> Value {
    let mut m = Map::new();
    for f in figs {
        m.insert(
            f.key.to_string(),
            f.value.map_or(Value::Null, |v| {
                serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
            }),
        );
    }
    Value::Object(m)
}

/// A figure that got worse than in the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Regression {
    pub key: &'static str,
    pub baseline: f64,
    pub now: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("baseline is not JSON: {0}")]
    Json(String),
    #[error("baseline has no \"totals\" object of figures")]
    NoTotals,
}

/// Compare with a baseline: the JSON `vmcoach eval --json` printed (its
/// `totals`), or a bare object of figures. A figure missing or null on
/// either side is not compared; one measured in the baseline but not now
/// (the set lost every filler, say) is.
pub fn regressions(figs: &[Figure], baseline: &[u8]) -> Result<Vec<Regression>, BaselineError> {
    let v: Value =
        serde_json::from_slice(baseline).map_err(|e| BaselineError::Json(e.to_string()))?;
    let totals = match v.get("totals") {
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(BaselineError::NoTotals),
        None => match v {
            Value::Object(m)
                if m.values().all(|x| x.is_number() || x.is_null()) && !m.is_empty() =>
            {
                m
            }
            _ => return Err(BaselineError::NoTotals),
        },
    };
    let mut out = Vec::new();
    for f in figs {
        let Some(base) = totals.get(f.key).and_then(Value::as_f64) else {
            continue;
        };
        let worse = match (f.value, f.better) {
            (None, _) => true,
            (Some(now), Better::Higher) => now < base - f.slack - 1e-9,
            (Some(now), Better::Lower) => now > base + f.slack + 1e-9,
        };
        if worse {
            out.push(Regression {
                key: f.key,
                baseline: base,
                now: f.value.unwrap_or(f64::NAN),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn a_worse_figure_is_a_regression_and_a_better_one_is_not() {
        let figs = vec![
            frac("digits_exact", "", 9, 10, None),
            lower("speech_start_error_ms_median", "", Some(120.0), 1.0),
            lower("wpm_error_median", "", Some(0.02), 0.001),
        ];
        let base = br#"{"totals":{"digits_exact":0.8,"speech_start_error_ms_median":100.0,"wpm_error_median":0.0205,"gone":1}}"#;
        let r = regressions(&figs, base).unwrap();
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].key, "speech_start_error_ms_median");
        // Within the slack: not worse.
        let base = br#"{"speech_start_error_ms_median":119.5}"#;
        assert!(regressions(&figs, base).unwrap().is_empty());
        assert!(regressions(&figs, b"[1,2]").is_err());
        assert!(regressions(&figs, b"{not json").is_err());
    }
}
