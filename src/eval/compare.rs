//! One recording's report held against its truth: which number mentions
//! were found and how well, the pace, the speech span, each rule's
//! decision and the fillers.

use super::truth::{national, Truth, TruthMention};
use crate::report::Report;
use serde::Serialize;

/// A found mention is matched to a truth mention when their time spans are
/// at most this far apart (0 when they overlap). Generous on purpose: a
/// mention whose words all collapsed onto one instant is still *found*; how
/// wrong its times are is what the edge errors measure.
pub const MATCH_WINDOW_S: f64 = 2.0;
/// A digit rate is right within this relative error (issue 9: ±10%).
pub const RATE_TOLERANCE: f64 = 0.10;
/// Words per minute are right within this relative error (issue 9: ±5%).
pub const WPM_TOLERANCE: f64 = 0.05;
/// A speech edge is right within this many seconds (issue 9: ±150 ms).
pub const SPAN_TOLERANCE_S: f64 = 0.150;
/// A found filler is the truth's when their starts are this close (issue 16: ±250 ms).
pub const FILLER_WINDOW_S: f64 = 0.250;
/// The filled pauses the filler figures count; "like", "you know" are text
/// fillers the truth files do not time.
pub const FILLED_PAUSES: [&str; 8] = ["um", "uh", "uhm", "umm", "uhh", "er", "erm", "ah"];

/// A mention as vmcoach reported it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundMention {
    pub digits: String,
    pub start: Option<f64>,
    pub end: Option<f64>,
    pub digits_per_second: Option<f64>,
}

/// One truth mention and what was found for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionEval {
    pub truth_digits: String,
    pub truth_start: f64,
    pub truth_end: f64,
    pub truth_digits_per_second: Option<f64>,
    pub found: Option<FoundMention>,
    pub digits_exact: bool,
    /// found − truth, relative.
    pub rate_error: Option<f64>,
    pub rate_ok: bool,
    /// found − truth, milliseconds.
    pub start_error_ms: Option<f64>,
    pub end_error_ms: Option<f64>,
}

/// The pace against the truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WpmEval {
    pub truth: f64,
    pub found: Option<f64>,
    /// found − truth, relative.
    pub error: Option<f64>,
    pub ok: bool,
}

/// The speech span against the truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanEval {
    pub truth_start: f64,
    pub truth_end: f64,
    pub found_start: Option<f64>,
    pub found_end: Option<f64>,
    /// found − truth, milliseconds.
    pub start_error_ms: Option<f64>,
    pub end_error_ms: Option<f64>,
    /// Both edges within [`SPAN_TOLERANCE_S`].
    pub ok: bool,
}

/// One rule's decision against the truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleEval {
    pub code: String,
    pub expected: bool,
    pub fired: bool,
}

impl RuleEval {
    pub fn right(&self) -> bool {
        self.expected == self.fired
    }
}

/// A filler as vmcoach reported it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundFiller {
    pub kind: String,
    pub start: f64,
    pub end: f64,
}

/// Fillers found against the truth's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FillerEval {
    pub truth: usize,
    pub found: Vec<FoundFiller>,
    /// Truth fillers with a found filler within [`FILLER_WINDOW_S`].
    pub matched: usize,
    /// |found start − truth start| of each match, milliseconds.
    pub time_errors_ms: Vec<f64>,
}

impl FillerEval {
    /// Found fillers that match no truth filler.
    pub fn false_found(&self) -> usize {
        self.found.len().saturating_sub(self.matched)
    }
}

/// One recording scored against its truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileEval {
    pub file: String,
    pub mentions: Vec<MentionEval>,
    /// Found mentions that match no truth mention.
    pub extra_mentions: Vec<FoundMention>,
    /// Times each number was said, most first: the truth's and vmcoach's.
    pub number_counts_truth: Vec<usize>,
    pub number_counts_found: Vec<usize>,
    pub numbers_right: bool,
    pub wpm: Option<WpmEval>,
    pub speech: Option<SpanEval>,
    pub rules: Vec<RuleEval>,
    pub fillers: Option<FillerEval>,
    /// Phone numbers read a second time (`--reread-numbers`), as the report has them.
    pub number_rereads: Vec<crate::analyze::phone::reread::NumberReread>,
}

/// Score one report against its truth.
pub fn compare(file: &str, report: &Report, truth: &Truth) -> FileEval {
    let found: Vec<FoundMention> = report
        .phone_mentions
        .iter()
        .map(|m| FoundMention {
            digits: m.digits.clone(),
            start: m.time.map(|t| t.start),
            end: m.time.map(|t| t.end),
            digits_per_second: m.digits_per_second,
        })
        .collect();
    let pairs = match_mentions(&truth.phone_mentions, &found);
    let mut used = vec![false; found.len()];
    let mentions = truth
        .phone_mentions
        .iter()
        .zip(&pairs)
        .map(|(t, p)| {
            if let Some(i) = *p {
                used[i] = true;
            }
            mention_eval(t, p.map(|i| found[i].clone()))
        })
        .collect();
    let extra_mentions = found
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(f, _)| f.clone())
        .collect();

    let number_counts_truth = truth.number_counts();
    let mut number_counts_found: Vec<usize> =
        report.phone_numbers.iter().map(|n| n.count).collect();
    number_counts_found.sort_unstable_by(|a, b| b.cmp(a));
    let numbers_right = number_counts_truth == number_counts_found;

    let wpm = truth.wpm.map(|t| {
        let found = report.timing.words_per_minute;
        let error = found.filter(|_| t > 0.0).map(|f| (f - t) / t);
        WpmEval {
            truth: t,
            found,
            error,
            ok: error.is_some_and(|e| e.abs() <= WPM_TOLERANCE),
        }
    });

    let speech = truth.speech.map(|t| {
        let f = report.timing.speech;
        let start_error_ms = f.map(|f| (f.start - t.start) * 1000.0);
        let end_error_ms = f.map(|f| (f.end - t.end) * 1000.0);
        let within =
            |e: Option<f64>| e.is_some_and(|e| e.abs() <= SPAN_TOLERANCE_S * 1000.0 + 1e-6);
        SpanEval {
            truth_start: t.start,
            truth_end: t.end,
            found_start: f.map(|f| f.start),
            found_end: f.map(|f| f.end),
            start_error_ms,
            end_error_ms,
            ok: within(start_error_ms) && within(end_error_ms),
        }
    });

    let rules = truth
        .decisions()
        .into_iter()
        .map(|(code, expected)| {
            let fired = report.findings.iter().any(|f| f.code == code);
            RuleEval {
                code,
                expected,
                fired,
            }
        })
        .collect();

    let fillers = truth.fillers.as_ref().map(|t| {
        let found = found_fillers(report);
        let mut taken = vec![false; found.len()];
        let mut time_errors_ms = Vec::new();
        for tf in t {
            let best = found
                .iter()
                .enumerate()
                .filter(|(i, f)| !taken[*i] && (f.start - tf.start).abs() <= FILLER_WINDOW_S)
                .min_by(|a, b| {
                    (a.1.start - tf.start)
                        .abs()
                        .total_cmp(&(b.1.start - tf.start).abs())
                });
            if let Some((i, f)) = best {
                taken[i] = true;
                time_errors_ms.push((f.start - tf.start).abs() * 1000.0);
            }
        }
        FillerEval {
            truth: t.len(),
            matched: time_errors_ms.len(),
            found,
            time_errors_ms,
        }
    });

    FileEval {
        file: file.to_string(),
        mentions,
        extra_mentions,
        number_counts_truth,
        number_counts_found,
        numbers_right,
        wpm,
        speech,
        rules,
        fillers,
        number_rereads: report.number_rereads.clone(),
    }
}

/// The filled pauses the report found, with times: its fillers list
/// (both witnesses), the um/uh-like kinds only.
pub fn found_fillers(report: &Report) -> Vec<FoundFiller> {
    report
        .fillers
        .iter()
        .filter(|f| FILLED_PAUSES.contains(&f.kind.as_str()))
        .filter_map(|f| {
            let t = f.time?;
            Some(FoundFiller {
                kind: f.kind.clone(),
                start: t.start,
                end: t.end,
            })
        })
        .collect()
}

/// For each truth mention, the index of the found mention it is matched to.
/// In order: each takes the nearest unused found mention after the last one
/// taken, within [`MATCH_WINDOW_S`]; a found mention without times is taken
/// by digits (the same number) in order.
fn match_mentions(truth: &[TruthMention], found: &[FoundMention]) -> Vec<Option<usize>> {
    let mut out = Vec::with_capacity(truth.len());
    let mut next = 0;
    for t in truth {
        let gap = |f: &FoundMention| -> Option<f64> {
            let (s, e) = (f.start?, f.end?);
            Some((s - t.end).max(t.start - e).max(0.0))
        };
        let best = found
            .iter()
            .enumerate()
            .skip(next)
            .filter_map(|(i, f)| match gap(f) {
                Some(g) if g <= MATCH_WINDOW_S => Some((i, g)),
                Some(_) => None,
                None => (national(&f.digits) == national(&t.digits)).then_some((i, 0.0)),
            })
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        if let Some((i, _)) = best {
            next = i + 1;
        }
        out.push(best.map(|(i, _)| i));
    }
    out
}

fn mention_eval(t: &TruthMention, found: Option<FoundMention>) -> MentionEval {
    let truth_rate = t.rate();
    let (digits_exact, rate_error, start_error_ms, end_error_ms) = match &found {
        Some(f) => (
            national(&f.digits) == national(&t.digits),
            match (f.digits_per_second, truth_rate) {
                (Some(f), Some(t)) if t > 0.0 => Some((f - t) / t),
                _ => None,
            },
            f.start.map(|s| (s - t.start) * 1000.0),
            f.end.map(|e| (e - t.end) * 1000.0),
        ),
        None => (false, None, None, None),
    };
    MentionEval {
        truth_digits: t.digits.clone(),
        truth_start: t.start,
        truth_end: t.end,
        truth_digits_per_second: truth_rate,
        found,
        digits_exact,
        rate_error,
        rate_ok: rate_error.is_some_and(|e| e.abs() <= RATE_TOLERANCE + 1e-9),
        start_error_ms,
        end_error_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tm(d: &str, s: f64, e: f64) -> TruthMention {
        TruthMention {
            digits: d.into(),
            extension: None,
            start: s,
            end: e,
            digits_per_second: None,
        }
    }
    fn fm(d: &str, s: f64, e: f64) -> FoundMention {
        FoundMention {
            digits: d.into(),
            start: Some(s),
            end: Some(e),
            digits_per_second: Some(d.len() as f64 / (e - s).max(1e-3)),
        }
    }

    #[test]
    fn matches_in_order_by_time_and_keeps_extras_apart() {
        let truth = [tm("5552123456", 4.0, 9.0), tm("5552123456", 12.0, 17.0)];
        // A collapsed first mention (one instant at 9.5), a stray 7-digit run
        // far away, and the second mention a little late.
        let found = [
            fm("5552123456", 9.5, 9.5),
            fm("5552123", 30.0, 31.0),
            fm("5552123456", 12.2, 17.3),
        ];
        assert_eq!(match_mentions(&truth, &found), vec![Some(0), Some(2)]);
        let e = mention_eval(&truth[1], Some(found[2].clone()));
        assert!(e.digits_exact);
        assert!((e.start_error_ms.unwrap() - 200.0).abs() < 1e-6);
        assert!((e.end_error_ms.unwrap() - 300.0).abs() < 1e-6);
        // 10 / 5.1 s against 10 / 5 s: 2% slow, within ±10%.
        assert!(e.rate_ok, "{e:?}");
        let e = mention_eval(&truth[0], Some(found[0].clone()));
        assert!(!e.rate_ok);
    }

    #[test]
    fn nothing_found_is_every_figure_wrong() {
        let e = mention_eval(&tm("5552123456", 4.0, 9.0), None);
        assert!(!e.digits_exact && !e.rate_ok);
        assert_eq!(e.start_error_ms, None);
        assert_eq!(match_mentions(&[tm("1", 0.0, 1.0)], &[]), vec![None]);
    }

    #[test]
    fn a_country_code_is_not_a_wrong_digit() {
        let e = mention_eval(
            &tm("18005552012", 1.0, 6.0),
            Some(fm("8005552012", 1.0, 6.0)),
        );
        assert!(e.digits_exact);
    }
}
