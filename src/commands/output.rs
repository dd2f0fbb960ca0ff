//! Where reports go, for `score`, `check` and `record` alike: `--format
//! text|json|html` to standard output or `--output PATH`, one recording or
//! a batch. `--json` and `--html PATH` are the older spellings, kept so
//! scripts don't break.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use super::inputs::{self, Entry, OutputNames};
use crate::report::escape;
use crate::report::html::{self, index::IndexFigures, IndexRow, PageOptions};
use crate::report::text::{self, SummaryFigures, SummaryRow};
use crate::report::{self, Format, Report};

/// A folder of HTML pages gets an index page and a CSV table by these names.
const INDEX_PAGE: &str = "index.html";
const SUMMARY_CSV: &str = "summary.csv";

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

    /// Put the recording inside the HTML page (base64), so the page plays
    /// on its own when mailed or moved; by default the page links the
    /// recording where it is.
    #[arg(long)]
    pub embed_audio: bool,
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
            embed_audio: self.embed_audio,
            paths: HashMap::new(),
            index: Vec::new(),
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
    /// `--embed-audio`: pages carry their recording.
    embed_audio: bool,
    /// Each recording's path by the name it is shown as, for the pages'
    /// audio links.
    paths: HashMap<String, PathBuf>,
    /// A batch's rows for `index.html` and `summary.csv`.
    index: Vec<IndexRow>,
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
                    for own in [INDEX_PAGE, SUMMARY_CSV] {
                        if is_one_of(&to.join(own), files) {
                            bail!(
                                "{} would overwrite a recording; give another --output folder",
                                escape::terminal_line(&to.join(own).display().to_string())
                            );
                        }
                    }
                    let mut names = OutputNames::new(to, files);
                    // The folder's own index is never a recording's page.
                    names.reserve(INDEX_PAGE);
                    self.names = Some(names);
                }
            }
        }
        self.collide = inputs::colliding_stems(files);
        self.paths = files
            .iter()
            .filter_map(|(shown, p)| Some((shown.clone(), p.as_ref().ok()?.clone())))
            .collect();
        Ok(())
    }

    /// One scored recording or script; `shown` is its name as the user gave it.
    pub fn report(&mut self, shown: &str, report: &Report) -> anyhow::Result<()> {
        let mut stdout = anstream::stdout();
        for sink in &mut self.sinks {
            match (&sink.to, self.batch, sink.format) {
                (Some(path), false, Format::Html) => {
                    let opts =
                        page_options(&self.paths, self.embed_audio, shown, report, path.parent())?;
                    write_file(path, Format::Html, &html::render(report, &opts))?;
                }
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
                    let opts =
                        page_options(&self.paths, self.embed_audio, shown, report, Some(dir))?;
                    write_file(&path, Format::Html, &html::render(report, &opts))?;
                    self.index.push(IndexRow {
                        file: shown.to_string(),
                        page: path.file_name().map(|n| html::url_path(Path::new(n))),
                        outcome: Ok(IndexFigures::of(report)),
                    });
                }
                (Some(_), true, Format::Json) => {
                    sink.buffer.push_str(&report.to_json_line());
                    sink.buffer.push('\n');
                }
                (None, false, Format::Html) => {
                    let opts = page_options(&self.paths, self.embed_audio, shown, report, None)?;
                    write!(stdout, "{}", html::render(report, &opts))?;
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
            match (sink.format, &sink.to) {
                // One recording: its file holds the error object, one line
                // as on standard output (and no score: nothing was heard).
                (Format::Json, Some(path)) if !self.batch => {
                    write_file(path, Format::Json, &(escape::json_line(&line)? + "\n"))?;
                }
                (Format::Json, Some(_)) => {
                    sink.buffer.push_str(&escape::json_line(&line)?);
                    sink.buffer.push('\n');
                }
                (Format::Json, None) => {
                    writeln!(anstream::stdout(), "{}", escape::json_line(&line)?)?
                }
                (Format::Html, Some(_)) if self.batch => {
                    self.index.push(IndexRow {
                        file: shown.to_string(),
                        page: None,
                        outcome: Err(error.to_string()),
                    });
                }
                _ => {}
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
                // The folder's pages are written; now its index and table.
                (Some(dir), Format::Html) => {
                    let index = html::index::render(&self.index);
                    write_atomic(&dir.join(INDEX_PAGE), "HTML index", &index)?;
                    let table = report::csv::summary(&self.index);
                    write_atomic(&dir.join(SUMMARY_CSV), "CSV summary", &table)?;
                }
                (None, Format::Html) => {}
                (Some(path), format) => write_file(path, format, &sink.buffer)?,
                (None, _) => write!(anstream::stdout(), "{}", sink.buffer)?,
            }
        }
        Ok(())
    }
}

/// The page options for `report` written into `page_dir` (`None`:
/// standard output, the page wherever the user puts it). `paths` maps the
/// names recordings are shown by to their paths.
fn page_options(
    paths: &HashMap<String, PathBuf>,
    embed: bool,
    shown: &str,
    report: &Report,
    page_dir: Option<&Path>,
) -> anyhow::Result<PageOptions> {
    if !embed && page_dir.is_none() {
        return Ok(PageOptions::linked_as_given(report));
    }
    let audio = paths
        .get(shown)
        .cloned()
        .unwrap_or_else(|| PathBuf::from(shown));
    let dir = match page_dir {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    PageOptions::for_page(report, &audio, &dir, embed).with_context(|| {
        format!(
            "cannot read {} to put it in the page",
            escape::terminal_line(shown)
        )
    })
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

/// Write a report file. Text loses its colour codes: a file is not a terminal.
fn write_file(path: &Path, format: Format, content: &str) -> anyhow::Result<()> {
    let plain;
    let content = if format == Format::Text {
        plain = anstream::adapter::strip_str(content).to_string();
        &plain
    } else {
        content
    };
    write_atomic(path, &format!("{} report", describe(format)), content)
}

/// Write beside the target, then rename, so a reader never sees half a file.
fn write_atomic(path: &Path, what: &str, content: &str) -> anyhow::Result<()> {
    let fail = || format!("cannot write {what} {}", path.display());
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
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
