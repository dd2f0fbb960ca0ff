//! `vmcoach score`: score recorded voicemails, one file or a folder.

use std::path::{Path, PathBuf};

use anyhow::bail;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::inputs;
use super::output::OutputArgs;
use super::settings::{RuleSettingsArgs, WordArgs};
use super::ExitStatus;
use crate::audio::AudioLimits;
use crate::history::History;
use crate::pipeline::{self, ScoreOptions, Stage, WordSource};
use crate::report::{escape, Report};
use crate::rules::Severity;

/// Score recorded voicemails.
///
/// Give a recording, several, or a folder (searched recursively). WAV
/// (PCM, float, A-law, µ-law, ADPCM, RF64), MP3, M4A/AAC, FLAC, Ogg/Vorbis,
/// AIFF, CAF and WebM are read; other files in a folder are listed as skipped.
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
    /// Recordings, or folders of them.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub words: WordArgs,

    /// Refuse recordings longer than this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = AudioLimits::default().max_seconds)]
    pub max_seconds: f64,

    /// Exit 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,

    #[command(flatten)]
    pub settings: RuleSettingsArgs,

    /// No progress display.
    #[arg(short, long)]
    pub quiet: bool,

    /// Don't log this take in the practice history (`vmcoach history`).
    #[arg(long)]
    pub no_history: bool,
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
    limits: AudioLimits,
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
    let inputs::Inputs { files, skipped } = inputs::expand(&args.paths)?;
    let batch = files.len() > 1 || args.paths.iter().any(|p| p.is_dir());
    if args.words.transcript.is_some() && batch {
        bail!(
            "--transcript goes with a single WAV file, not {} files",
            files.len()
        );
    }
    let mut emitter = args.output.emitter(batch)?;
    // No report replaces a recording, and a batch's pages get one unique
    // name each.
    emitter.protect_inputs(&files)?;
    let limits = AudioLimits {
        max_seconds: args.max_seconds,
        ..AudioLimits::default()
    };
    let opts = score_options(&args.settings, limits)?;
    let mut words = args.words.source();
    let show_progress = !args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());

    if !batch {
        let Some((shown, file)) = files.first() else {
            bail!("nothing to score");
        };
        let file = file.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        let report = match score_one(file, &opts, &mut words, show_progress) {
            Ok(r) => r,
            Err(e) => {
                // JSON readers get an error object, as for a file of a folder.
                emitter.error(shown, &super::one_line(&e))?;
                return Err(e);
            }
        };
        log_take(&mut open_history(args.no_history), file, &report);
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
    for (shown, why) in &skipped {
        bar.suspend(|| eprintln!("vmcoach: skipped {}: {why}", escape::terminal_line(shown)));
    }
    let mut history = open_history(args.no_history);
    let mut any_error = false;
    let mut any_fail = false;
    for (shown, file) in &files {
        bar.set_message(shown.clone());
        let outcome = match file {
            Ok(path) => {
                let scored = score_one(path, &opts, &mut words, false);
                if let Ok(report) = &scored {
                    bar.suspend(|| log_take(&mut history, path, report));
                }
                scored.map_err(|e| super::one_line(&e))
            }
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
    let spinner = spinner(show_progress);
    let mut bar = false;
    let mut progress = |stage: Stage| {
        spinner.set_message(match stage {
            Stage::Reading => "reading audio…",
            Stage::Transcribing => "transcribing with Whisper…",
            Stage::Checking => "checking…",
            Stage::Progress {
                done_seconds,
                total_seconds,
            } => {
                // A long recording: the spinner becomes a bar with the time left.
                if !bar {
                    bar = true;
                    spinner.set_style(
                        ProgressStyle::with_template(
                            "{spinner} {msg} {bar:30} {pos}/{len} s of audio, {eta} left",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    );
                    spinner.set_length(total_seconds);
                    spinner.reset_eta();
                }
                spinner.set_position(done_seconds);
                return;
            }
        });
    };
    let report = pipeline::score_file(path, opts, words, &mut progress);
    spinner.finish_and_clear();
    Ok(report?)
}

/// The practice history, unless the user opted out (`--no-history`). A
/// history that cannot be opened is a warning: the score is still worth having.
pub fn open_history(off: bool) -> Option<History> {
    if off {
        return None;
    }
    History::open_default()
        .map_err(|e| eprintln!("vmcoach: warning: not logging this take: {e}"))
        .ok()
}

/// Log a scored take (`score` and `record` alike); a failure is a warning,
/// not a lost score.
pub fn log_take(history: &mut Option<History>, path: &Path, report: &Report) {
    if let Some(h) = history {
        if let Err(e) = crate::history::log_report(h, path, report) {
            eprintln!("vmcoach: warning: not logging this take: {e}");
        }
    }
}

fn spinner(show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let s = ProgressBar::new_spinner();
    s.enable_steady_tick(std::time::Duration::from_millis(100));
    s
}
