//! `vmcoach eval`: score a folder of recordings with truth files and print
//! how right the measurements are (the logic is in `crate::eval`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context as _};

use super::settings::WhisperArgs;
use super::ExitStatus;
use crate::audio::AudioLimits;
use crate::eval::render::{self, FailedFile};
use crate::eval::{self, FileEval, Truth};
use crate::message::Context;
use crate::pipeline::{self, ScoreOptions, WhisperModel, WordSource};
use crate::rules::RuleConfig;
use crate::transcribe::WordsCache;

/// Benchmark the measurements on recordings with known truth.
///
/// Scores every NAME.wav in DIR that has a NAME.truth.json beside it (as
/// devset/ and fixtures/ hold), as `vmcoach score` would with the default
/// rule settings, and prints per file and in total: number mentions found,
/// exact digits, times each number was said, digit rate within ±10%,
/// mention edge errors, WPM error, speech span error, each timing rule's
/// decision against the truth, and fillers.
///
/// Exit status: 0, or 1 when --baseline is given and a figure got worse,
/// or 2 when a file could not be scored.
///
/// Examples:
///   vmcoach eval devset --threads 1
///   vmcoach eval devset --json > today.json
///   vmcoach eval devset --save today.json     (the table, and the JSON in a file)
///   vmcoach eval devset --baseline today.json
///   vmcoach eval devset --transcripts target/fw-transcripts
///   vmcoach eval devset --words-cache target/words   (Whisper once; reruns reuse its output)
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct EvalArgs {
    /// Folder of NAME.wav + NAME.truth.json.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Print one JSON document (its "totals" is what --baseline reads).
    #[arg(long)]
    pub json: bool,

    /// text (the table) or json; --json is the same as --format json.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    pub format: Option<EvalFormat>,

    /// Also write the JSON document to this file (a baseline for next time).
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,

    /// A previous `vmcoach eval --json` output: exit 1 when a figure is worse now.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Take each recording's words from NAME.json in this folder instead of
    /// running Whisper (whisper.cpp `-ojf` JSON or vmcoach's transcript JSON).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["model", "threads"])]
    pub transcripts: Option<PathBuf>,

    #[command(flatten)]
    pub whisper: WhisperArgs,

    /// Keep Whisper's output for each recording in this folder (made if
    /// missing), and reuse it when the model file, the decoding settings and
    /// the audio are the same: a rerun after a change to the analysis or
    /// the rules does not run Whisper. The thread count is not part of it.
    #[arg(long, value_name = "DIR", conflicts_with = "transcripts")]
    pub words_cache: Option<PathBuf>,

    /// Decode with this initial prompt (text Whisper reads as if said just
    /// before the audio), to measure what a prompt does to the figures.
    #[arg(long, value_name = "TEXT", conflicts_with = "transcripts")]
    pub prompt: Option<String>,

    /// No progress lines on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// How `eval` prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EvalFormat {
    Text,
    Json,
}

pub fn run(args: EvalArgs) -> anyhow::Result<ExitStatus> {
    let meta = std::fs::metadata(&args.dir)
        .with_context(|| format!("cannot open {}", args.dir.display()))?;
    if !meta.is_dir() {
        bail!("{} is not a folder", args.dir.display());
    }
    if let Some(t) = &args.transcripts {
        if !t.is_dir() {
            bail!("--transcripts {} is not a folder", t.display());
        }
    }
    // Read the baseline first: a bad one is a usage error before any work.
    let baseline = match &args.baseline {
        Some(p) => Some(
            std::fs::read(p).with_context(|| format!("cannot read baseline {}", p.display()))?,
        ),
        None => None,
    };
    if let (Some(bytes), Some(p)) = (&baseline, &args.baseline) {
        eval::regressions(&[], bytes).with_context(|| format!("baseline {}", p.display()))?;
    }
    // A --save file that cannot be written fails now, not after the run.
    if let Some(p) = &args.save {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
            .with_context(|| format!("cannot write {}", p.display()))?;
    }
    let (samples, _without_truth) = eval::find_samples(&args.dir)
        .with_context(|| format!("cannot read folder {}", args.dir.display()))?;
    if samples.is_empty() {
        bail!(
            "no NAME.wav with a NAME{} beside it in {}",
            eval::TRUTH_SUFFIX,
            args.dir.display()
        );
    }

    let opts = ScoreOptions {
        limits: AudioLimits::default(),
        // The truth files' decisions assume RULES.md's defaults and no
        // context: no config file, no flags.
        context: Context::default(),
        rules: RuleConfig::default(),
    };
    // Whisper is loaded once, before the first file; with --transcripts
    // each file reads its own transcript instead.
    let (mut whisper, mut source) = match &args.transcripts {
        Some(dir) => (
            None,
            serde_json::json!({"kind": "transcripts", "path": dir.display().to_string()}),
        ),
        None => {
            let mut model = WhisperModel::new(args.whisper.options());
            let t = model.load()?;
            t.set_initial_prompt(args.prompt.as_deref());
            if let Some(dir) = &args.words_cache {
                t.set_words_cache(Some(WordsCache::open(dir, t.path())?));
            }
            let mut source = serde_json::json!({"kind": "whisper",
                "path": t.path().display().to_string(), "threads": t.n_threads(),
                "beam_size": args.whisper.beam_size,
                "reread_numbers": args.whisper.reread_numbers,
                "audio_context": args.whisper.audio_context.to_string()});
            if let Some(p) = &args.prompt {
                source["prompt"] = p.as_str().into();
            }
            (Some(WordSource::Whisper(model)), source)
        }
    };

    let mut files: Vec<FileEval> = Vec::new();
    let mut failed: Vec<FailedFile> = Vec::new();
    for (i, s) in samples.iter().enumerate() {
        if !args.quiet {
            eprintln!("[{}/{}] {}", i + 1, samples.len(), s.name);
        }
        let mut from_file;
        let words = match (&args.transcripts, whisper.as_mut()) {
            (None, Some(w)) => w,
            (dir, _) => {
                from_file =
                    WordSource::File(eval::transcript_for(dir.as_deref().unwrap_or(&args.dir), s));
                &mut from_file
            }
        };
        let outcome = Truth::load(&s.truth)
            .map_err(anyhow::Error::from)
            .and_then(|truth| {
                let report = pipeline::score_file(&s.wav, &opts, words, &mut |_| {})?;
                Ok(eval::compare(&s.name, &report, &truth))
            });
        match outcome {
            Ok(f) => files.push(f),
            Err(e) => {
                let error = super::one_line(&e);
                eprintln!("vmcoach: error: {}: {error}", s.name);
                failed.push(FailedFile {
                    file: s.name.clone(),
                    error,
                });
            }
        }
    }

    if let Some(cache) = whisper
        .as_ref()
        .and_then(WordSource::transcriber)
        .and_then(|t| t.words_cache())
    {
        source["words_cache"] = serde_json::json!({"path": cache.dir().display().to_string(),
            "hits": cache.hits(), "misses": cache.misses()});
    }
    let figures = eval::totals(&files);
    let regressions = match &baseline {
        Some(b) => Some(eval::regressions(&figures, b).with_context(|| {
            format!(
                "baseline {}",
                args.baseline
                    .as_deref()
                    .unwrap_or(std::path::Path::new(""))
                    .display()
            )
        })?),
        None => None,
    };
    let mut stdout = anstream::stdout();
    let doc = render::json(&files, &failed, &figures, &source, regressions.as_deref());
    let doc = serde_json::to_string_pretty(&doc)?;
    if let Some(p) = &args.save {
        std::fs::write(p, format!("{doc}\n"))
            .with_context(|| format!("cannot write {}", p.display()))?;
    }
    if args.json || args.format == Some(EvalFormat::Json) {
        writeln!(stdout, "{doc}")?;
    } else {
        let mut shown = match &source {
            serde_json::Value::Object(m) => format!(
                "{} {}",
                m.get("kind").and_then(|v| v.as_str()).unwrap_or(""),
                m.get("path").and_then(|v| v.as_str()).unwrap_or("")
            ),
            _ => String::new(),
        };
        if let Some(c) = source.get("words_cache") {
            shown.push_str(&format!(
                " (words cache {}: {} reused, {} transcribed)",
                c["path"].as_str().unwrap_or(""),
                c["hits"],
                c["misses"]
            ));
        }
        write!(
            stdout,
            "{}",
            render::text(&files, &failed, &figures, &shown, regressions.as_deref())
        )?;
    }
    Ok(if !failed.is_empty() {
        ExitStatus::Error
    } else if regressions.is_some_and(|r| !r.is_empty()) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
