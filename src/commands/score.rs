//! `vmcoach score`: score recorded voicemails, one file or a folder.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::output::OutputArgs;
use super::settings::{RuleSettingsArgs, WordArgs};
use super::ExitStatus;
use crate::audio::wav::WavLimits;
use crate::message::{LeftAt, LeftAtSource};
use crate::pipeline::{self, ScoreOptions, Stage, WordSource};
use crate::report::Report;
use crate::rules::Severity;

/// Score recorded voicemails.
///
/// Give a WAV file, several, or a folder (searched recursively for *.wav).
/// Each recording is transcribed on this machine with Whisper (or words are
/// read from --transcript), measured and checked against the voicemail rules.
///
/// Examples:
///   vmcoach score msg.wav
///   vmcoach score msg.wav --format json > msg.json
///   vmcoach score calls/ --format json > scores.jsonl
///   vmcoach score msg.wav --transcript msg.ojf.json --prospect "Sarah Lee"
///   vmcoach score msg.wav --format html --output report.html
///   vmcoach score calls/ --format html --output pages/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ScoreArgs {
    /// WAV files, or folders of them.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub words: WordArgs,

    /// Refuse recordings longer than this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = WavLimits::default().max_seconds)]
    pub max_seconds: f64,

    /// Exit 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,

    #[command(flatten)]
    pub settings: RuleSettingsArgs,

    /// No progress display.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The severity at which the exit status turns to 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

impl FailOn {
    fn fails(self, worst: Option<Severity>) -> bool {
        match (self, worst) {
            (_, None) | (FailOn::Never, _) => false,
            (FailOn::Error, Some(s)) => s >= Severity::Error,
            (FailOn::Warning, Some(s)) => s >= Severity::Warning,
        }
    }
}

impl FailOn {
    /// The exit status of a run that scored everything it was given.
    pub fn status(self, worst: Option<Severity>) -> ExitStatus {
        if self.fails(worst) {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        }
    }
}

/// How a recording is scored, from the flags and `vmcoach.toml`.
pub fn score_options(
    settings: &RuleSettingsArgs,
    limits: WavLimits,
) -> anyhow::Result<ScoreOptions> {
    let (context, rules) = settings.resolve()?;
    Ok(ScoreOptions {
        limits,
        context,
        rules,
    })
}

pub fn run(args: ScoreArgs) -> anyhow::Result<ExitStatus> {
    if !(args.max_seconds.is_finite() && args.max_seconds > 0.0) {
        bail!("--max-seconds must be a positive number of seconds");
    }
    let files = expand_paths(&args.paths)?;
    let batch = files.len() > 1 || args.paths.iter().any(|p| p.is_dir());
    if args.words.transcript.is_some() && batch {
        bail!(
            "--transcript goes with a single WAV file, not {} files",
            files.len()
        );
    }
    let mut emitter = args.output.emitter(batch)?;
    let limits = WavLimits {
        max_seconds: args.max_seconds,
        ..WavLimits::default()
    };
    let opts = score_options(&args.settings, limits)?;
    let mut words = args.words.source();
    let show_progress = !args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());

    if !batch {
        let Some((shown, file)) = files.first() else {
            bail!("nothing to score");
        };
        let file = file.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        let report = score_one(file, &opts, &mut words, show_progress)?;
        emitter.report(shown, &report)?;
        return Ok(args.fail_on.status(report.worst_severity()));
    }

    // Every file of a batch needs the same model: find and load it once, so
    // a missing or broken one is one error (exit 2) before any file is read.
    if let WordSource::Whisper(whisper) = &mut words {
        let spinner = spinner(show_progress);
        spinner.set_message("loading the Whisper model…");
        whisper.load()?;
        spinner.finish_and_clear();
    }

    // A folder or several files: keep going past bad ones, report them, exit 2 at the end.
    let bar = if show_progress {
        let b =
            ProgressBar::with_draw_target(Some(files.len() as u64), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let mut any_error = false;
    let mut any_fail = false;
    for (shown, file) in &files {
        bar.set_message(shown.clone());
        let outcome = match file {
            Ok(path) => score_one(path, &opts, &mut words, false).map_err(|e| super::one_line(&e)),
            Err(e) => Err(e.clone()),
        };
        bar.inc(1);
        match outcome {
            Ok(report) => {
                any_fail |= args.fail_on.fails(report.worst_severity());
                emitter.report(shown, &report)?;
            }
            Err(e) => {
                any_error = true;
                bar.suspend(|| eprintln!("vmcoach: error: {e}"));
                emitter.error(shown, &e)?;
            }
        }
    }
    bar.finish_and_clear();
    emitter.finish()?;
    Ok(if any_error {
        ExitStatus::Error
    } else if any_fail {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Score one recording, with a spinner when `show_progress`. `record`
/// scores its take here too.
pub fn score_one(
    path: &Path,
    opts: &ScoreOptions,
    words: &mut WordSource,
    show_progress: bool,
) -> anyhow::Result<Report> {
    let mut opts = opts.clone();
    // Neither a flag nor vmcoach.toml said when: the recording's own time.
    if opts.context.left_at.is_none() {
        opts.context.left_at = file_mtime_local(path);
    }
    let spinner = spinner(show_progress);
    let mut progress = |stage: Stage| {
        spinner.set_message(match stage {
            Stage::Reading => "reading audio…",
            Stage::Transcribing => "transcribing with Whisper…",
            Stage::Checking => "checking…",
        });
    };
    let report = pipeline::score_file(path, &opts, words, &mut progress);
    spinner.finish_and_clear();
    Ok(report?)
}

/// The recording's modification time as local "YYYY-MM-DDTHH:MM", for VM301.
fn file_mtime_local(path: &Path) -> Option<LeftAt> {
    let modified = fs::metadata(path).ok()?.modified().ok()?;
    let local: chrono::DateTime<chrono::Local> = modified.into();
    Some(LeftAt {
        local: local.format("%Y-%m-%dT%H:%M").to_string(),
        source: LeftAtSource::FileMtime,
    })
}

fn spinner(show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let s = ProgressBar::new_spinner();
    s.enable_steady_tick(std::time::Duration::from_millis(100));
    s
}

/// Files to score, each with the name to show; a folder entry that cannot
/// be used is kept as an error so the batch reports it and goes on.
type Entry = (String, Result<PathBuf, String>);

fn expand_paths(paths: &[PathBuf]) -> anyhow::Result<Vec<Entry>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = fs::metadata(p).with_context(|| format!("cannot open {}", p.display()))?;
        if meta.is_dir() {
            let before = out.len();
            walk(p, &mut out).with_context(|| format!("cannot read folder {}", p.display()))?;
            if out.len() == before {
                bail!("no .wav files in {}", p.display());
            }
        } else {
            out.push((p.display().to_string(), Ok(p.clone())));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<Entry>) -> std::io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect();
    entries.sort_by_key(|e| e.as_ref().map(|e| e.file_name()).ok());
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.push((
                    dir.display().to_string(),
                    Err(format!("cannot read an entry of {}: {e}", dir.display())),
                ));
                continue;
            }
        };
        let path = entry.path();
        let shown = path.display().to_string();
        let is_wav = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("wav"));
        match fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, out)?,
            Ok(_) if is_wav => out.push((shown, Ok(path))),
            Ok(_) => {}
            Err(e) if is_wav => out.push((shown.clone(), Err(format!("cannot open {shown}: {e}")))),
            Err(_) => {}
        }
    }
    Ok(())
}
