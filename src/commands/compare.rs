//! `vmcoach compare A B`: two takes side by side, what improved and what got worse.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::{bail, Context as _};

use super::history::{decimals, local_time, opt, verdict_word};
use super::settings::{RuleSettingsArgs, WhisperArgs};
use super::ExitStatus;
use crate::audio::AudioLimits;
use crate::history::compare::{self, Comparison, Verdict};
use crate::history::{self, History, TakeFigures};
use crate::pipeline::{self, ScoreOptions, WhisperModel, WordSource};
use crate::report::style::{paint, BOLD, DIM, GREEN, RED};

/// Version of the `compare --json` document.
///
/// `{schema_version, a: {label, file, history_id, figures}, b: {…},
/// changes: [{measure, label, a, b, verdict}], fixed: [{code, name,
/// severity}], new: [...], still: [...], improved: [string], worse:
/// [string]}`; `figures` are as in `history --json`.
pub const COMPARE_SCHEMA_VERSION: u32 = 1;

/// Put two takes side by side: what improved and what got worse.
///
/// A and B are recordings (scored now, as `vmcoach score` would) or ids
/// from `vmcoach history`. A is the earlier take, B the later one.
///
/// Examples:
///   vmcoach compare take.wav take-2.wav
///   vmcoach compare 3 7                 # history ids
///   vmcoach compare 3 take-3.wav --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct CompareArgs {
    /// The earlier take: a recording or a history id.
    #[arg(value_name = "A")]
    pub a: String,

    /// The later take: a recording or a history id.
    #[arg(value_name = "B")]
    pub b: String,

    /// Print one JSON document.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub whisper: WhisperArgs,

    #[command(flatten)]
    pub settings: RuleSettingsArgs,
}

/// One side of the comparison.
#[derive(Debug, serde::Serialize)]
struct Side {
    /// What the user typed.
    label: String,
    file: String,
    history_id: Option<i64>,
    /// When it was scored (history takes only), local time.
    #[serde(skip_serializing_if = "Option::is_none")]
    scored: Option<String>,
    figures: TakeFigures,
}

pub fn run(args: CompareArgs) -> anyhow::Result<ExitStatus> {
    let (context, rules) = args.settings.resolve()?;
    let opts = ScoreOptions {
        limits: AudioLimits::default(),
        context,
        rules: rules.clone(),
    };
    // Loaded on the first recording, if either side is one; then kept.
    let mut words = WordSource::Whisper(WhisperModel::new(args.whisper.options()));
    let a = side(&args.a, &opts, &mut words)?;
    let b = side(&args.b, &opts, &mut words)?;
    let cmp = compare::compare(&a.figures, &b.figures, &rules);
    let mut out = anstream::stdout();
    if args.json {
        let doc = serde_json::json!({
            "schema_version": COMPARE_SCHEMA_VERSION,
            "a": a,
            "b": b,
            "changes": cmp.changes,
            "fixed": cmp.fixed,
            "new": cmp.new,
            "still": cmp.still,
            "improved": cmp.improved(),
            "worse": cmp.worse(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        write!(out, "{}", render(&a, &b, &cmp))?;
    }
    Ok(ExitStatus::Success)
}

/// A file if one exists by that name, else a history id.
fn side(arg: &str, opts: &ScoreOptions, words: &mut WordSource) -> anyhow::Result<Side> {
    let path = Path::new(arg);
    if path.is_file() {
        let report = pipeline::score_file(path, opts, words, &mut |_| {})
            .with_context(|| format!("scoring {arg}"))?;
        return Ok(Side {
            label: arg.to_string(),
            file: arg.to_string(),
            history_id: None,
            scored: None,
            figures: TakeFigures::of(&report),
        });
    }
    let Ok(id) = arg.trim_start_matches('#').parse::<i64>() else {
        bail!("{arg:?} is neither a recording nor a history id (see `vmcoach history`)");
    };
    let db = history::default_path()?;
    if !db.exists() {
        bail!("no take {id}: the practice history is empty");
    }
    let take = History::open(&db)?
        .get(id)?
        .with_context(|| format!("no take {id} in the practice history (see `vmcoach history`)"))?;
    Ok(Side {
        label: format!("#{id}"),
        file: take.file,
        history_id: Some(id),
        scored: Some(local_time(&take.scored_at)),
        figures: take.figures,
    })
}

fn render(a: &Side, b: &Side, cmp: &Comparison) -> String {
    let mut o = String::new();
    let name = |s: &Side| match (&s.history_id, &s.scored) {
        (Some(id), Some(when)) => format!("#{id} {} ({when})", s.file),
        _ => s.file.clone(),
    };
    let _ = writeln!(o, "{} {}", paint(BOLD, "A"), name(a));
    let _ = writeln!(o, "{} {}\n", paint(BOLD, "B"), name(b));
    let _ = writeln!(
        o,
        "{}",
        paint(BOLD, format!("  {:<18} {:>7} {:>7}  change", "", "A", "B"))
    );
    for c in &cmp.changes {
        let d = decimals(c.measure);
        let _ = writeln!(
            o,
            "  {:<18} {:>7} {:>7}  {}",
            c.label,
            opt(c.a, d),
            opt(c.b, d),
            verdict_word(c.verdict)
        );
    }
    let codes = |list: &[crate::history::FindingCode]| -> String {
        list.iter()
            .map(|f| format!("{} {}", f.code, f.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !cmp.fixed.is_empty() {
        let _ = writeln!(o, "  fixed     {}", paint(GREEN, codes(&cmp.fixed)));
    }
    if !cmp.new.is_empty() {
        let _ = writeln!(o, "  new       {}", paint(RED, codes(&cmp.new)));
    }
    if !cmp.still.is_empty() {
        let _ = writeln!(o, "  still     {}", codes(&cmp.still));
    }
    let improved = cmp.improved();
    let worse = cmp.worse();
    let _ = writeln!(o);
    let list = |v: &[String]| {
        if v.is_empty() {
            paint(DIM, "nothing")
        } else {
            v.join(", ")
        }
    };
    let _ = writeln!(o, "{} {}", paint(GREEN, "Improved:"), list(&improved));
    let _ = writeln!(o, "{} {}", paint(RED, "Got worse:"), list(&worse));
    if cmp
        .changes
        .iter()
        .all(|c| matches!(c.verdict, Verdict::Same | Verdict::Unknown))
        && cmp.fixed.is_empty()
        && cmp.new.is_empty()
    {
        let _ = writeln!(o, "{}", paint(DIM, "The two takes score the same."));
    }
    o
}
