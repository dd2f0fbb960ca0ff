//! `vmcoach history`: the takes scored so far, and which way the rep is going.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use super::ExitStatus;
use crate::history::compare::{self, Measure, Trend, Verdict};
use crate::history::{self, History, Take, TakeFigures};
use crate::report::style::{paint, score_style, BOLD, DIM, GREEN, RED};
use crate::rules::RuleConfig;

/// Version of the `history --json` document.
///
/// `{schema_version, database, takes: [{id, file, sha256, scored_at, score,
/// duration, speech, words_per_minute, number_count, digits_per_second,
/// findings: [{code, name, severity}], transcript}], trend: [{measure,
/// label, takes, first, last, verdict}]}`, takes oldest first; `verdict` is
/// "better" | "worse" | "same" | "unknown".
pub const HISTORY_SCHEMA_VERSION: u32 = 1;

/// List the practice takes scored so far, with the trend of score, pace and number rate.
///
/// Every `vmcoach score` and `vmcoach record` logs its take (unless
/// --no-history) in a local database in your data folder
/// ($VMCOACH_DATA_DIR moves it). Nothing leaves the machine.
///
/// Examples:
///   vmcoach history
///   vmcoach history --limit 5
///   vmcoach history --json
///   vmcoach compare 3 4          # two takes side by side
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct HistoryArgs {
    /// Show only the latest N takes.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 20)]
    pub limit: usize,

    /// Show every take.
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,

    /// Print one JSON document.
    #[arg(long)]
    pub json: bool,

    /// Read settings (thresholds used to judge the trend) from this file
    /// instead of looking for vmcoach.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: HistoryArgs) -> anyhow::Result<ExitStatus> {
    let path = history::default_path()?;
    let rules = crate::config::load(args.config.as_deref())?
        .map(|f| f.rules)
        .unwrap_or_default();
    // Listing never creates the database.
    let takes = if path.exists() {
        History::open(&path)?.list((!args.all).then_some(args.limit))?
    } else {
        Vec::new()
    };
    let figures: Vec<&TakeFigures> = takes.iter().map(|t| &t.figures).collect();
    let trend = compare::trend(&figures, &rules);
    let mut out = anstream::stdout();
    if args.json {
        let doc = serde_json::json!({
            "schema_version": HISTORY_SCHEMA_VERSION,
            "database": path.display().to_string(),
            "takes": takes,
            "trend": trend,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(ExitStatus::Success);
    }
    if takes.is_empty() {
        writeln!(
            out,
            "No takes yet. Score one with `vmcoach score FILE` or `vmcoach record`; \
             each is kept in {}.",
            path.display()
        )?;
        return Ok(ExitStatus::Success);
    }
    write!(out, "{}", render(&takes, &trend, &rules))?;
    Ok(ExitStatus::Success)
}

/// Local "YYYY-MM-DD HH:MM" of an RFC 3339 UTC time.
pub fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// "1.5" or "-" for a missing value.
pub fn opt(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.decimals$}"))
}

/// A verdict as a word, coloured.
pub fn verdict_word(v: Verdict) -> String {
    match v {
        Verdict::Better => paint(GREEN, "better"),
        Verdict::Worse => paint(RED, "worse"),
        Verdict::Same => paint(DIM, "same"),
        Verdict::Unknown => paint(DIM, "-"),
    }
}

/// Precision each measure is shown at.
pub fn decimals(m: Measure) -> usize {
    match m {
        Measure::Score | Measure::WordsPerMinute | Measure::NumberCount => 0,
        Measure::Speech | Measure::DigitsPerSecond => 1,
    }
}

fn render(takes: &[Take], trend: &[Trend], rules: &RuleConfig) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        paint(
            BOLD,
            format!(
                "{:>4}  {:<16}  {:>5}  {:>6}  {:>4}  {:>6}  {:>8}  {:<24}  file",
                "id", "scored", "score", "speech", "wpm", "number", "digits/s", "findings"
            )
        )
    );
    for t in takes {
        let f = &t.figures;
        let codes: Vec<&str> = f.findings.iter().map(|c| c.code.as_str()).collect();
        let codes = if codes.is_empty() {
            "none".to_string()
        } else {
            codes.join(" ")
        };
        let _ = writeln!(
            o,
            "{:>4}  {:<16}  {}  {:>6}  {:>4}  {:>6}  {:>8}  {:<24}  {}",
            t.id,
            local_time(&t.scored_at),
            paint(score_style(f.score), format!("{:>5}", f.score)),
            f.speech.map_or_else(|| "-".into(), |s| format!("{s:.1}s")),
            opt(f.words_per_minute, 0),
            format!("{}×", f.number_count),
            opt(f.digits_per_second, 1),
            codes,
            t.file
        );
    }
    if takes.len() < 2 {
        let _ = writeln!(o, "\nOne take so far: the trend shows from the second.");
        return o;
    }
    let _ = writeln!(
        o,
        "\n{}",
        paint(BOLD, format!("Trend over {} takes", takes.len()))
    );
    for t in trend
        .iter()
        .filter(|t| t.measure != Measure::NumberCount && t.takes > 0)
    {
        let d = decimals(t.measure);
        let _ = writeln!(
            o,
            "  {:<18} {:>6} → {:<6} {}",
            t.label,
            opt(t.first, d),
            opt(t.last, d),
            verdict_word(t.verdict)
        );
    }
    let scores: Vec<u32> = takes.iter().map(|t| t.figures.score).collect();
    let _ = writeln!(o, "  {:<18} {}", "score by take", sparkline(&scores));
    let _ = writeln!(
        o,
        "{}",
        paint(
            DIM,
            format!(
                "(better = nearer the rules' ranges: speech {:.0}–{:.0} s, {:.0}–{:.0} wpm, \
                 number at most {:.1} digits/s; compares the latest takes with the earliest)",
                rules.too_short_s,
                rules.too_long_warning_s,
                rules.min_wpm,
                rules.max_wpm,
                rules.max_digits_per_second
            )
        )
    );
    o
}

/// Scores 0–100 as a row of block characters.
pub fn sparkline(values: &[u32]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|&v| BARS[(v.min(100) as usize * (BARS.len() - 1) + 50) / 100])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_spans_the_range() {
        assert_eq!(sparkline(&[0, 50, 100]), "▁▅█");
    }
}
