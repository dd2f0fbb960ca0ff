//! Turning speech into timed words: Whisper model files, the whisper-rs
//! runner, and transcripts read from files (`--transcript`).

use crate::message::Transcript;
use std::path::PathBuf;

/// Errors while finding, checking, loading or running a model, or reading a transcript file.
#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    #[error("{0}")]
    Other(String),
}

/// How to transcribe.
#[derive(Debug, Clone)]
pub struct TranscribeOptions {
    /// Model path, if given on the command line.
    pub model: Option<PathBuf>,
    /// Model name used when resolving ("tiny.en").
    pub model_name: String,
    pub threads: usize,
    /// Show whisper.cpp's own log.
    pub verbose: bool,
}

/// Transcribe 16 kHz mono audio into timed words.
pub fn transcribe(
    _pcm_16k: &[f32],
    _opts: &TranscribeOptions,
) -> Result<Transcript, TranscribeError> {
    Err(TranscribeError::Other(
        "transcription is not built yet".into(),
    ))
}
