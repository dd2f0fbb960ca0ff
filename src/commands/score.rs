//! `vmcoach score`: score recorded voicemails, one file or a folder.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub use super::settings::ContextArgs;
use super::settings::RuleSettingsArgs;
use super::ExitStatus;
use crate::audio::wav::WavLimits;
use crate::message::LeftAt;
use crate::pipeline::{self, ScoreOptions, Stage, WhisperModel, WordSource};
use crate::report::text::{SummaryFigures, SummaryRow};
use crate::report::{html, text, Report};
use crate::rules::Severity;
use crate::transcribe::TranscribeOptions;

/// Score recorded voicemails.
///
/// Give a WAV file, several, or a folder (searched recursively for *.wav).
/// Each recording is transcribed on this machine with Whisper (or words are
/// read from --transcript), measured and checked against the voicemail rules.
///
/// Examples:
///   vmcoach score msg.wav
///   vmcoach score msg.wav --json > msg.json
///   vmcoach score calls/ --json > scores.jsonl
///   vmcoach score msg.wav --transcript msg.ojf.json --prospect "Sarah Lee"
///   vmcoach score msg.wav --html report.html
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ScoreArgs {
    /// WAV files, or folders of them.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Print JSON: one document for one file, one object per line for several.
    #[arg(long)]
    pub json: bool,

    /// Also write a one-page HTML report here (a folder when scoring several files).
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,

    /// Take the words and their times from this file instead of running
    /// Whisper: whisper.cpp's full JSON (`whisper-cli -ojf`) or vmcoach's own
    /// transcript JSON (also a `vmcoach score --json` report). One WAV only.
    #[arg(long, value_name = "FILE")]
    pub transcript: Option<PathBuf>,

    /// Whisper model file. Default: $VMCOACH_MODEL, then models/ggml-<name>.bin,
    /// then the cache folder (see `vmcoach models`).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,

    /// Which model to look for when --model is not given.
    #[arg(long, value_name = "NAME", default_value = "tiny.en")]
    pub model_name: String,

    /// Threads for Whisper (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Refuse recordings longer than this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 600.0)]
    pub max_seconds: f64,

    /// Exit 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,

    #[command(flatten)]
    pub settings: RuleSettingsArgs,

    /// Show whisper.cpp's own log.
    #[arg(short, long)]
    pub verbose: bool,

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

pub fn run(args: ScoreArgs) -> anyhow::Result<ExitStatus> {
    if !(args.max_seconds.is_finite() && args.max_seconds > 0.0) {
        bail!("--max-seconds must be a positive number of seconds");
    }
    let files = expand_paths(&args.paths)?;
    let batch = files.len() > 1 || args.paths.iter().any(|p| p.is_dir());
    if args.transcript.is_some() && batch {
        bail!(
            "--transcript goes with a single WAV file, not {} files",
            files.len()
        );
    }
    if let Some(h) = &args.html {
        check_writable(h, batch)?;
    }
    let (context, rules) = args.settings.resolve()?;

    let opts = ScoreOptions {
        limits: WavLimits {
            max_seconds: args.max_seconds,
            ..WavLimits::default()
        },
        context,
        rules,
    };
    let mut words = match &args.transcript {
        Some(p) => WordSource::File(p.clone()),
        None => WordSource::Whisper(WhisperModel::new(TranscribeOptions {
            model: args.model.clone(),
            model_name: args.model_name.clone(),
            threads: args.threads.unwrap_or(0),
            verbose: args.verbose,
        })),
    };

    let show_progress = !args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());

    // Every file of a batch needs the same model: find and load it once, so
    // a missing or broken one is one error (exit 2) before any file is read.
    if batch {
        if let WordSource::Whisper(whisper) = &mut words {
            let spinner = spinner(show_progress);
            spinner.set_message("loading the Whisper model…");
            whisper.load()?;
            spinner.finish_and_clear();
        }
    }
    let mut stdout = anstream::stdout();

    if !batch {
        let Some((_, file)) = files.first() else {
            bail!("nothing to score");
        };
        let file = file.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        let spinner = spinner(show_progress);
        let report = score_one(file, &opts, &mut words, &spinner)?;
        spinner.finish_and_clear();
        if let Some(h) = &args.html {
            write_html(h, &report)?;
        }
        if args.json {
            writeln!(stdout, "{}", report.to_json_pretty())?;
        } else {
            write!(stdout, "{}", text::render(&report))?;
        }
        return Ok(if args.fail_on.fails(report.worst_severity()) {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        });
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
    let mut rows = Vec::new();
    let mut any_error = false;
    let mut any_fail = false;
    for (shown, file) in &files {
        bar.set_message(shown.clone());
        let outcome = match file {
            Ok(path) => score_one(path, &opts, &mut words, &ProgressBar::hidden())
                .map_err(|e| super::one_line(&e)),
            Err(e) => Err(e.clone()),
        };
        bar.inc(1);
        match outcome {
            Ok(report) => {
                any_fail |= args.fail_on.fails(report.worst_severity());
                if let Some(dir) = &args.html {
                    let name = Path::new(shown)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "report".into());
                    write_html(&dir.join(format!("{name}.html")), &report)?;
                }
                if args.json {
                    writeln!(stdout, "{}", report.to_json_line())?;
                }
                rows.push(SummaryRow {
                    file: shown.clone(),
                    outcome: Ok(SummaryFigures::of(&report)),
                });
            }
            Err(e) => {
                any_error = true;
                bar.suspend(|| eprintln!("vmcoach: error: {e}"));
                if args.json {
                    let line = serde_json::json!({
                        "schema_version": crate::report::SCHEMA_VERSION,
                        "file": shown,
                        "error": e,
                    });
                    writeln!(stdout, "{line}")?;
                }
                rows.push(SummaryRow {
                    file: shown.clone(),
                    outcome: Err(e),
                });
            }
        }
    }
    bar.finish_and_clear();
    if !args.json {
        write!(stdout, "{}", text::summary_table(&rows))?;
    }
    Ok(if any_error {
        ExitStatus::Error
    } else if any_fail {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn score_one(
    path: &Path,
    opts: &ScoreOptions,
    words: &mut WordSource,
    spinner: &ProgressBar,
) -> anyhow::Result<Report> {
    let mut opts = opts.clone();
    // Neither a flag nor vmcoach.toml said when: the recording's own time.
    if opts.context.left_at.is_none() {
        opts.context.left_at = file_mtime_local(path);
    }
    let mut progress = |stage: Stage| {
        spinner.set_message(match stage {
            Stage::Reading => "reading audio…",
            Stage::Transcribing => "transcribing with Whisper…",
            Stage::Checking => "checking…",
        });
    };
    Ok(pipeline::score_file(path, &opts, words, &mut progress)?)
}

/// The recording's modification time as local "YYYY-MM-DDTHH:MM", for VM301.
fn file_mtime_local(path: &Path) -> Option<LeftAt> {
    let modified = fs::metadata(path).ok()?.modified().ok()?;
    let local: chrono::DateTime<chrono::Local> = modified.into();
    Some(LeftAt {
        local: local.format("%Y-%m-%dT%H:%M").to_string(),
        source: "file-mtime".into(),
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

/// Fail before any work when the HTML destination cannot be written.
fn check_writable(path: &Path, dir: bool) -> anyhow::Result<()> {
    if dir {
        fs::create_dir_all(path)
            .with_context(|| format!("cannot write HTML reports to {}", path.display()))?;
        let probe = path.join(".vmcoach-write-test");
        fs::write(&probe, b"")
            .with_context(|| format!("cannot write HTML reports to {}", path.display()))?;
        let _ = fs::remove_file(probe);
    } else {
        let existed = path.exists();
        fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot write HTML report {}", path.display()))?;
        if !existed {
            let _ = fs::remove_file(path);
        }
    }
    Ok(())
}

fn write_html(path: &Path, report: &Report) -> anyhow::Result<()> {
    // Write beside the target, then rename, so a reader never sees half a page.
    let tmp = path.with_extension("html.tmp");
    fs::write(&tmp, html::render(report))
        .with_context(|| format!("cannot write HTML report {}", path.display()))?;
    fs::rename(&tmp, path)
        .with_context(|| format!("cannot write HTML report {}", path.display()))?;
    Ok(())
}
