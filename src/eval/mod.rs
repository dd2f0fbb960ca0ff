//! `vmcoach eval`: the regression benchmark on sample audio.
//!
//! Every recording with a truth file beside it (`NAME.wav` +
//! `NAME.truth.json`, as `devset/` and `fixtures/` hold) is scored the way
//! `vmcoach score` scores it, and the report is held against the truth:
//! number mentions found, exact digits, times each number was said, digit
//! rate within ±10%, mention edge errors, words per minute, the speech span,
//! each timing rule's decision, and fillers.
//!
//! - [`truth`]: reading and checking a truth file.
//! - [`compare`]: one report against its truth.
//! - [`summary`]: the figures over a set, and the comparison with a baseline.
//! - [`render`]: the table and the JSON document.

pub mod compare;
pub mod render;
pub mod summary;
pub mod truth;

pub use compare::{compare, FileEval};
pub use summary::{regressions, totals, Figure, Regression};
pub use truth::{Truth, TruthError};

use std::path::{Path, PathBuf};

/// A recording of the set and its truth file.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// `NAME` of `NAME.wav`: the key for a transcript in `--transcripts DIR`.
    pub name: String,
    pub wav: PathBuf,
    pub truth: PathBuf,
}

/// The suffix of a truth file beside `NAME.wav`.
pub const TRUTH_SUFFIX: &str = ".truth.json";

/// The recordings in `dir` (not its subfolders) that have a truth file,
/// sorted by name, and how many WAVs had none.
pub fn find_samples(dir: &Path) -> std::io::Result<(Vec<Sample>, usize)> {
    let mut out = Vec::new();
    let mut without = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let is_wav = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("wav"));
        if !is_wav || !path.is_file() {
            continue;
        }
        let Some(name) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        let truth = dir.join(format!("{name}{TRUTH_SUFFIX}"));
        if truth.is_file() {
            out.push(Sample {
                name,
                wav: path,
                truth,
            });
        } else {
            without += 1;
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((out, without))
}

/// The transcript for a sample in a folder of transcripts: `NAME.json`, or
/// `NAME.transcript.json` (as `fixtures/` names them) when that is absent.
pub fn transcript_for(dir: &Path, sample: &Sample) -> PathBuf {
    let plain = dir.join(format!("{}.json", sample.name));
    let fixture = dir.join(format!("{}.transcript.json", sample.name));
    if !plain.exists() && fixture.exists() {
        fixture
    } else {
        plain
    }
}
