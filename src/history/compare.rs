//! What got better and what got worse between two takes, and over many.
//! The one place that decides which way is "better" for each measure, so
//! `vmcoach compare` and `vmcoach history` never disagree.

use serde::Serialize;

use super::{FindingCode, TakeFigures};
use crate::rules::RuleConfig;

/// Which way a measure moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Better,
    Worse,
    Same,
    /// One side has no value (no number said, no word times).
    Unknown,
}

/// The measures a take is judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Score,
    Speech,
    WordsPerMinute,
    NumberCount,
    DigitsPerSecond,
}

impl Measure {
    pub const ALL: [Measure; 5] = [
        Measure::Score,
        Measure::Speech,
        Measure::WordsPerMinute,
        Measure::NumberCount,
        Measure::DigitsPerSecond,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Measure::Score => "score",
            Measure::Speech => "speech length",
            Measure::WordsPerMinute => "words/minute",
            Measure::NumberCount => "number said",
            Measure::DigitsPerSecond => "number's digits/s",
        }
    }

    pub fn value(self, f: &TakeFigures) -> Option<f64> {
        match self {
            Measure::Score => Some(f64::from(f.score)),
            Measure::Speech => f.speech,
            Measure::WordsPerMinute => f.words_per_minute,
            Measure::NumberCount => Some(f.number_count as f64),
            Measure::DigitsPerSecond => f.digits_per_second,
        }
    }

    /// How far a value is from good, 0 when it is good; lower is better.
    /// Ranges are the rules' thresholds, so "better" means what the rules mean.
    fn badness(self, v: f64, cfg: &RuleConfig) -> f64 {
        let outside = |lo: f64, hi: f64| (lo - v).max(0.0) + (v - hi).max(0.0);
        match self {
            Measure::Score => 100.0 - v,
            Measure::Speech => outside(cfg.too_short_s, cfg.too_long_warning_s),
            Measure::WordsPerMinute => outside(cfg.min_wpm, cfg.max_wpm),
            Measure::NumberCount => (cfg.min_number_mentions as f64 - v).max(0.0),
            Measure::DigitsPerSecond => (v - cfg.max_digits_per_second).max(0.0),
        }
    }

    /// Which way going from `a` to `b` is.
    pub fn judge(self, a: Option<f64>, b: Option<f64>, cfg: &RuleConfig) -> Verdict {
        let (Some(a), Some(b)) = (a, b) else {
            return Verdict::Unknown;
        };
        let (ba, bb) = (self.badness(a, cfg), self.badness(b, cfg));
        // Differences below display precision are no change.
        if (ba - bb).abs() < 0.05 {
            Verdict::Same
        } else if bb < ba {
            Verdict::Better
        } else {
            Verdict::Worse
        }
    }
}

/// One measure, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub measure: Measure,
    pub label: &'static str,
    pub a: Option<f64>,
    pub b: Option<f64>,
    pub verdict: Verdict,
}

/// Two takes side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub changes: Vec<Change>,
    /// Rules that fired on A and not on B.
    pub fixed: Vec<FindingCode>,
    /// Rules that fired on B and not on A.
    pub new: Vec<FindingCode>,
    /// Rules that fired on both.
    pub still: Vec<FindingCode>,
}

impl Comparison {
    pub fn improved(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .changes
            .iter()
            .filter(|c| c.verdict == Verdict::Better)
            .map(|c| c.label.to_string())
            .collect();
        out.extend(
            self.fixed
                .iter()
                .map(|f| format!("{} {} fixed", f.code, f.name)),
        );
        out
    }

    pub fn worse(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .changes
            .iter()
            .filter(|c| c.verdict == Verdict::Worse)
            .map(|c| c.label.to_string())
            .collect();
        out.extend(
            self.new
                .iter()
                .map(|f| format!("{} {} new", f.code, f.name)),
        );
        out
    }
}

/// Compare take A (before) with take B (after).
pub fn compare(a: &TakeFigures, b: &TakeFigures, cfg: &RuleConfig) -> Comparison {
    let changes = Measure::ALL
        .iter()
        .map(|&m| {
            let (va, vb) = (m.value(a), m.value(b));
            Change {
                measure: m,
                label: m.label(),
                a: va,
                b: vb,
                verdict: m.judge(va, vb, cfg),
            }
        })
        .collect();
    let has = |list: &[FindingCode], code: &str| list.iter().any(|f| f.code == code);
    Comparison {
        changes,
        fixed: a
            .findings
            .iter()
            .filter(|f| !has(&b.findings, &f.code))
            .cloned()
            .collect(),
        new: b
            .findings
            .iter()
            .filter(|f| !has(&a.findings, &f.code))
            .cloned()
            .collect(),
        still: b
            .findings
            .iter()
            .filter(|f| has(&a.findings, &f.code))
            .cloned()
            .collect(),
    }
}

/// A measure over a series of takes: first, last, best, and which way it went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub measure: Measure,
    pub label: &'static str,
    /// Takes with a value for this measure.
    pub takes: usize,
    pub first: Option<f64>,
    pub last: Option<f64>,
    /// The mean of the last three takes against the first three's (or
    /// fewer when there are fewer than six): steadier than first → last.
    pub verdict: Verdict,
}

/// The trend of each measure over takes given oldest first.
pub fn trend(takes: &[&TakeFigures], cfg: &RuleConfig) -> Vec<Trend> {
    Measure::ALL
        .iter()
        .map(|&m| {
            let values: Vec<f64> = takes.iter().filter_map(|t| m.value(t)).collect();
            let k = (values.len() / 2).clamp(1, 3);
            let mean = |s: &[f64]| (!s.is_empty()).then(|| s.iter().sum::<f64>() / s.len() as f64);
            let early = mean(values.get(..k.min(values.len())).unwrap_or(&[]));
            let late = mean(values.get(values.len().saturating_sub(k)..).unwrap_or(&[]));
            let verdict = if values.len() < 2 {
                Verdict::Unknown
            } else {
                m.judge(early, late, cfg)
            };
            Trend {
                measure: m,
                label: m.label(),
                takes: values.len(),
                first: values.first().copied(),
                last: values.last().copied(),
                verdict,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;

    fn take(score: u32, speech: f64, wpm: f64, count: usize, dps: Option<f64>) -> TakeFigures {
        TakeFigures {
            score,
            duration: Some(speech + 1.0),
            speech: Some(speech),
            words_per_minute: Some(wpm),
            number_count: count,
            digits_per_second: dps,
            findings: Vec::new(),
        }
    }

    fn code(c: &str) -> FindingCode {
        FindingCode {
            code: c.into(),
            name: "x".into(),
            severity: Severity::Warning,
        }
    }

    #[test]
    fn better_means_what_the_rules_mean() {
        let cfg = RuleConfig::default();
        let mut a = take(52, 26.0, 190.0, 1, Some(3.4));
        a.findings = vec![code("VM101"), code("VM202")];
        let mut b = take(84, 18.0, 160.0, 2, Some(2.2));
        b.findings = vec![code("VM202"), code("VM209")];
        let c = compare(&a, &b, &cfg);
        let v: Vec<Verdict> = c.changes.iter().map(|c| c.verdict).collect();
        assert_eq!(v, [Verdict::Better; 5]);
        assert_eq!(c.fixed, [code("VM101")]);
        assert_eq!(c.new, [code("VM209")]);
        assert_eq!(c.still, [code("VM202")]);
        // Backwards, everything got worse.
        let back = compare(&b, &a, &cfg);
        assert!(back.changes.iter().all(|c| c.verdict == Verdict::Worse));
        assert!(back.worse().iter().any(|w| w.contains("VM101")));
    }

    #[test]
    fn inside_the_good_range_is_no_change() {
        let cfg = RuleConfig::default();
        // 130 → 160 wpm: both inside 110–170.
        assert_eq!(
            Measure::WordsPerMinute.judge(Some(130.0), Some(160.0), &cfg),
            Verdict::Same
        );
        // Too slow is bad too: 90 → 120 is better.
        assert_eq!(
            Measure::WordsPerMinute.judge(Some(90.0), Some(120.0), &cfg),
            Verdict::Better
        );
        assert_eq!(
            Measure::DigitsPerSecond.judge(None, Some(2.0), &cfg),
            Verdict::Unknown
        );
        // Saying the number a third time is no better than twice.
        assert_eq!(
            Measure::NumberCount.judge(Some(2.0), Some(3.0), &cfg),
            Verdict::Same
        );
    }

    #[test]
    fn trend_over_takes() {
        let cfg = RuleConfig::default();
        let takes = [
            take(40, 30.0, 200.0, 1, Some(4.0)),
            take(52, 24.0, 185.0, 1, Some(3.2)),
            take(76, 19.0, 165.0, 2, Some(2.4)),
            take(84, 18.0, 160.0, 2, Some(2.2)),
        ];
        let refs: Vec<&TakeFigures> = takes.iter().collect();
        let t = trend(&refs, &cfg);
        assert!(t.iter().all(|t| t.verdict == Verdict::Better), "{t:?}");
        assert_eq!(t[0].first, Some(40.0));
        assert_eq!(t[0].last, Some(84.0));
        let one = trend(&refs[..1], &cfg);
        assert!(one.iter().all(|t| t.verdict == Verdict::Unknown));
    }
}
