//! `vmcoach models`: list the known Whisper models, download one, check a
//! model file, and (hidden, for tests) write a tiny random test model.

use super::ExitStatus;
use crate::transcribe::download::{self, Downloaded};
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
    /// Download a model from whisper.cpp's host, verifying its SHA-256.
    Download(DownloadArgs),
    /// Check that a model file is complete and well-formed (and, for a known model, its SHA-256).
    Check(CheckArgs),
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
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// A model file, or a model name to resolve as `score` would.
    pub model: String,
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
    let progress = std::io::stderr().is_terminal();
    match download::download(&a.name, &dir, a.force, progress)? {
        Downloaded::Fetched { path, bytes } => {
            println!(
                "downloaded {} ({:.1} MB, SHA-256 verified)",
                path.display(),
                bytes as f64 / 1e6
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

fn check(a: CheckArgs) -> anyhow::Result<ExitStatus> {
    let path = PathBuf::from(&a.model);
    let path = if path.is_file() {
        path
    } else {
        let opts = crate::transcribe::TranscribeOptions {
            model: None,
            model_name: a.model.clone(),
            threads: 0,
            verbose: false,
        };
        model::resolve_model(&opts)?
    };
    let info = model::check_model(&path)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("ggml-"))
        .and_then(|n| n.strip_suffix(".bin"));
    let known = name.and_then(model::known_model);
    let hash = match known {
        Some(k) => {
            let actual = download::sha256_file(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            if actual != k.sha256 {
                anyhow::bail!(
                    "{} is well-formed but its SHA-256 is {actual}, not the published {} of {}",
                    path.display(),
                    k.sha256,
                    k.name
                );
            }
            ", SHA-256 matches the published file"
        }
        None => "",
    };
    println!(
        "{}: ok ({}, {} tensors, {} bytes{hash})",
        path.display(),
        info.describe(),
        info.n_tensors,
        info.file_len
    );
    Ok(ExitStatus::Success)
}
