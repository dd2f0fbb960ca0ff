//! The whisper-rs runner: one context and state per model, English, the
//! free cores (see `threads`), token timestamps on, whisper.cpp's printing and logging off.

use super::model::check_model;
use super::words::{self, Segment, Token};
use super::{TranscribeError, TranscribeOptions};
use crate::dsp::SAMPLE_RATE;
use crate::message::Transcript;
use std::path::{Path, PathBuf};
use std::sync::Once;
use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

/// A loaded model, ready to transcribe any number of recordings. The
/// command that needs one loads it once and lends it to every recording.
pub struct Transcriber {
    ctx: WhisperContext,
    state: WhisperState,
    path: PathBuf,
    /// `--threads` (0: decide per recording from the free cores).
    requested: usize,
    n_audio_state: i32,
}

static SILENCE: Once = Once::new();

/// Route whisper.cpp's and ggml's log to nowhere unless `verbose`. whisper-rs
/// only honours the first call and it cannot be undone, so a verbose first
/// call leaves the log on for the process (the CLI decides once per run).
fn silence_logs(verbose: bool) {
    if !verbose {
        SILENCE.call_once(whisper_rs::install_logging_hooks);
    }
}

impl Transcriber {
    /// Check the file, then load it into whisper.cpp.
    pub fn load(path: &Path, opts: &TranscribeOptions) -> Result<Self, TranscribeError> {
        let info = check_model(path)?;
        silence_logs(opts.verbose);
        let load_err = |e: whisper_rs::WhisperError| TranscribeError::Load {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let mut params = WhisperContextParameters::default();
        params.use_gpu(false);
        let ctx = WhisperContext::new_with_params(path, params).map_err(load_err)?;
        let state = ctx.create_state().map_err(load_err)?;
        Ok(Transcriber {
            ctx,
            state,
            path: path.to_path_buf(),
            requested: opts.threads,
            n_audio_state: info.hparams.n_audio_state,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Threads whisper.cpp would run with now (see [`super::threads`]).
    pub fn n_threads(&self) -> usize {
        super::threads::now(self.requested, self.n_audio_state)
    }

    /// Transcribe mono samples at [`SAMPLE_RATE`] (16 kHz). Silence or audio too short for
    /// Whisper gives an empty transcript, not an error.
    pub fn transcribe(&mut self, pcm: &[f32]) -> Result<Transcript, TranscribeError> {
        if let Some(index) = pcm.iter().position(|s| !s.is_finite()) {
            return Err(TranscribeError::BadSample { index });
        }
        let duration = pcm.len() as f64 / f64::from(SAMPLE_RATE);
        if pcm.is_empty() {
            return Ok(Transcript::default());
        }
        let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        params.set_n_threads(i32::try_from(self.n_threads()).unwrap_or(1));
        params.set_language(Some("en"));
        params.set_translate(false);
        params.set_token_timestamps(true);
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        self.state
            .full(params, pcm)
            .map_err(|e| TranscribeError::Run {
                reason: e.to_string(),
            })?;

        let eot = self.ctx.token_eot();
        let mut segments = Vec::new();
        for seg in self.state.as_iter() {
            let mut tokens = Vec::new();
            for i in 0..seg.n_tokens() {
                let Some(tok) = seg.get_token(i) else {
                    continue;
                };
                let data = tok.token_data();
                // Ids from end-of-text up are special and timestamp tokens.
                if data.id >= eot {
                    continue;
                }
                let Ok(bytes) = tok.to_bytes() else {
                    continue;
                };
                let time = (data.t0 >= 0 && data.t1 >= 0)
                    .then(|| (data.t0 as f64 / 100.0, data.t1 as f64 / 100.0));
                tokens.push(Token {
                    bytes: bytes.to_vec(),
                    time,
                    p: Some(data.p),
                });
            }
            // Segment times are centiseconds too.
            let (t0, t1) = (seg.start_timestamp(), seg.end_timestamp());
            segments.push(Segment {
                time: (t0 >= 0 && t1 >= 0).then(|| (t0 as f64 / 100.0, t1 as f64 / 100.0)),
                tokens,
            });
        }
        Ok(words::words_from_segments(&segments, Some(duration)))
    }
}
