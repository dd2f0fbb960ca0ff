//! Where reports go, for `score`, `check` and `record` alike: `--format
//! text|json|html` to standard output or `--output PATH`, one recording or
//! a batch. `--json` and `--html PATH` are the older spellings, kept so
//! scripts don't break.

use std::collections::HashSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use super::inputs::{self, Entry, OutputNames};
use crate::report::escape;
use crate::report::text::{self, SummaryFigures, SummaryRow};
use crate::report::{self, Format, Report};

/// How and where to write the reports.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OutputArgs {
    /// How to write the report. For several recordings: text is a summary
    /// table, json one object per line, html one page per recording (needs
    /// --output FOLDER).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Write the report to this file instead of standard output (for HTML
    /// of several recordings, this folder).
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// The same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Also write the HTML report here (a folder when scoring several
    /// files), besides the report on standard output.
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
}

impl OutputArgs {
    /// Only `--json` (or nothing): how `record` asks.
    pub fn json(json: bool) -> Self {
        OutputArgs {
            json,
            ..OutputArgs::default()
        }
    }

    /// The emitter for one recording (`batch` false) or several. Checks
    /// before any work that every destination can be written.
    pub fn emitter(&self, batch: bool) -> anyhow::Result<Emitter> {
        let format = if self.json {
            Format::Json
        } else {
            self.format.unwrap_or(Format::Text)
        };
        let mut sinks = Vec::new();
        if let Some(h) = &self.html {
            sinks.push(Sink::new(Format::Html, Some(h.clone()), batch)?);
        }
        if format == Format::Html && batch && self.output.is_none() {
            bail!(
                "--format html for several recordings writes one page each: give --output FOLDER"
            );
        }
        sinks.push(Sink::new(format, self.output.clone(), batch)?);
        Ok(Emitter {
            sinks,
            batch,
            rows: Vec::new(),
            names: None,
            collide: HashSet::new(),
        })
    }
}

/// One format going to one place.
struct Sink {
    format: Format,
    /// `None`: standard output.
    to: Option<PathBuf>,
    /// A batch's JSON lines or text table collect here when `to` is a file.
    buffer: String,
}

impl Sink {
    fn new(format: Format, to: Option<PathBuf>, batch: bool) -> anyhow::Result<Self> {
        if let Some(path) = &to {
            if batch && format == Format::Html {
                check_writable_dir(path)?;
            } else {
                check_writable_file(path, format)?;
            }
        }
        Ok(Sink {
            format,
            to,
            buffer: String::new(),
        })
    }
}

/// Writes reports as they come (a batch's summary table at the end).
pub struct Emitter {
    sinks: Vec<Sink>,
    batch: bool,
    rows: Vec<SummaryRow>,
    /// A batch's page names, one unique name per recording.
    names: Option<OutputNames>,
    /// File stems that more than one recording of the batch shares.
    collide: HashSet<String>,
}

impl Emitter {
    /// Refuse a report file that is one of the recordings, and name a
    /// batch's pages so none replaces an input or another page.
    pub fn protect_inputs(&mut self, files: &[Entry]) -> anyhow::Result<()> {
        for sink in &self.sinks {
            if let Some(to) = &sink.to {
                if is_one_of(to, files) {
                    bail!(
                        "--output/--html {} would overwrite a recording; name another file",
                        escape::terminal_line(&to.display().to_string())
                    );
                }
                if self.batch && sink.format == Format::Html {
                    self.names = Some(OutputNames::new(to, files));
                }
            }
        }
        self.collide = inputs::colliding_stems(files);
        Ok(())
    }

    /// One scored recording or script; `shown` is its name as the user gave it.
    pub fn report(&mut self, shown: &str, report: &Report) -> anyhow::Result<()> {
        let mut stdout = anstream::stdout();
        for sink in &mut self.sinks {
            match (&sink.to, self.batch, sink.format) {
                (Some(path), false, format) => {
                    write_file(path, format, &report::render(report, format))?;
                }
                (Some(dir), true, Format::Html) => {
                    let input = Path::new(shown);
                    let stem = input
                        .file_stem()
                        .map(|s| s.to_string_lossy().to_lowercase())
                        .unwrap_or_default();
                    let collides = self.collide.contains(&stem);
                    let path = match &mut self.names {
                        Some(names) => names.name_for(input, collides, "html"),
                        None => OutputNames::new(dir, &[]).name_for(input, collides, "html"),
                    };
                    let page = report::render(report, Format::Html);
                    write_file(&path, Format::Html, &page)?;
                }
                (Some(_), true, Format::Json) => {
                    sink.buffer.push_str(&report.to_json_line());
                    sink.buffer.push('\n');
                }
                (None, false, format) => {
                    write!(stdout, "{}", report::render(report, format))?;
                }
                (None, true, Format::Json) => writeln!(stdout, "{}", report.to_json_line())?,
                // A batch's text is the summary table at the end; HTML to
                // standard output was refused when the emitter was made.
                (_, true, Format::Text | Format::Html) => {}
            }
        }
        if self.batch {
            self.rows.push(SummaryRow {
                file: shown.to_string(),
                outcome: Ok(SummaryFigures::of(report)),
            });
        }
        Ok(())
    }

    /// A recording of a batch that could not be scored.
    pub fn error(&mut self, shown: &str, error: &str) -> anyhow::Result<()> {
        let line = serde_json::json!({
            "schema_version": crate::report::SCHEMA_VERSION,
            "file": shown,
            "error": error,
        });
        for sink in &mut self.sinks {
            if sink.format == Format::Json {
                match &sink.to {
                    Some(_) => {
                        sink.buffer.push_str(&escape::json_line(&line)?);
                        sink.buffer.push('\n');
                    }
                    None => writeln!(anstream::stdout(), "{}", escape::json_line(&line)?)?,
                }
            }
        }
        self.rows.push(SummaryRow {
            file: shown.to_string(),
            outcome: Err(error.to_string()),
        });
        Ok(())
    }

    /// End of a batch: the summary table, and what was collected for files.
    pub fn finish(self) -> anyhow::Result<()> {
        if !self.batch {
            return Ok(());
        }
        for mut sink in self.sinks {
            if sink.format == Format::Text {
                sink.buffer = text::summary_table(&self.rows);
            }
            match (&sink.to, sink.format) {
                (_, Format::Html) => {}
                (Some(path), format) => write_file(path, format, &sink.buffer)?,
                (None, _) => write!(anstream::stdout(), "{}", sink.buffer)?,
            }
        }
        Ok(())
    }
}

fn describe(format: Format) -> &'static str {
    match format {
        Format::Text => "text",
        Format::Json => "JSON",
        Format::Html => "HTML",
    }
}

/// Fail before any work when a report file cannot be written.
fn check_writable_file(path: &Path, format: Format) -> anyhow::Result<()> {
    let existed = path.exists();
    fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| {
            format!(
                "cannot write {} report {}",
                describe(format),
                path.display()
            )
        })?;
    if !existed {
        let _ = fs::remove_file(path);
    }
    Ok(())
}

/// Fail before any work when the folder for one page per recording cannot be written.
fn check_writable_dir(path: &Path) -> anyhow::Result<()> {
    let fail = || format!("cannot write HTML reports to {}", path.display());
    fs::create_dir_all(path).with_context(fail)?;
    let probe = path.join(".vmcoach-write-test");
    fs::write(&probe, b"").with_context(fail)?;
    let _ = fs::remove_file(probe);
    Ok(())
}

/// Write beside the target, then rename, so a reader never sees half a
/// report. Text loses its colour codes: a file is not a terminal.
fn write_file(path: &Path, format: Format, content: &str) -> anyhow::Result<()> {
    let fail = || {
        format!(
            "cannot write {} report {}",
            describe(format),
            path.display()
        )
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let plain;
    let content = if format == Format::Text {
        plain = anstream::adapter::strip_str(content).to_string();
        &plain
    } else {
        content
    };
    fs::write(&tmp, content).with_context(fail)?;
    fs::rename(&tmp, path).with_context(fail)?;
    Ok(())
}

/// Whether `out` names one of the inputs (the same file by any path).
fn is_one_of(out: &Path, files: &[Entry]) -> bool {
    let Ok(out) = fs::canonicalize(out) else {
        return false;
    };
    files
        .iter()
        .filter_map(|(_, p)| p.as_ref().ok())
        .any(|p| fs::canonicalize(p).is_ok_and(|p| p == out))
}
