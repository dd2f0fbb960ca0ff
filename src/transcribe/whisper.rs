//! The whisper-rs runner: one context and state per model, English, the
//! free cores (see `threads`), whisper.cpp's printing and logging off.
//! Token times come from whisper.cpp's DTW alignment (cross-attention of the
//! model's alignment heads) when the model is one whose heads whisper.cpp
//! knows; otherwise from its timestamp tokens, which the audio
//! reconciliation then corrects (see `analyze::align`).

use super::cache::WordsCache;
use super::ggml::Hparams;
use super::model::check_model;
use super::words::{self, Segment, Token};
use super::{TranscribeError, TranscribeOptions};
use crate::dsp::SAMPLE_RATE;
use crate::message::Transcript;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Once;
use whisper_rs::{
    DtwMode, DtwModelPreset, DtwParameters, FullParams, SamplingStrategy, WhisperContext,
    WhisperContextParameters, WhisperState,
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
    settings: Settings,
    /// Whisper's output kept from earlier runs (`vmcoach eval --words-cache`);
    /// boxed, so a transcriber without one stays small.
    cache: Option<Box<WordsCache>>,
    /// Read doubtful phone numbers again ([`Transcriber::reread_number`]).
    reread_numbers: bool,
}

/// Everything given to whisper.cpp that can change what it returns for a
/// model and a recording: all of its settings but the thread count and the
/// printing. [`Transcriber::transcribe`] sets Whisper's parameters from
/// these fields only, and the words cache keys on their `Debug` form
/// ([`Settings::cache_key`]), so a field added here is in the key too.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Settings {
    pub(crate) decoding: Decoding,
    /// Text Whisper reads as if said before the audio (`set_initial_prompt`).
    pub(crate) prompt: Option<String>,
    pub(crate) language: &'static str,
    pub(crate) token_timestamps: bool,
    /// True when word times come from DTW alignment (chosen at load).
    pub(crate) dtw: bool,
    /// How much of Whisper's 30 s encoder context a recording gets.
    pub(crate) audio_context: AudioContext,
}

/// How much of Whisper's encoder context (1500 frames, 30 s) a recording
/// gets. The encoder's cost grows with its context, and so does each decoder
/// step's cross-attention, so a 20 s message in a 30 s context pays for 10 s
/// of silence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioContext {
    /// All of it, whatever the recording's length (whisper.cpp's default).
    Full,
    /// The recording's length and `margin_ms` more, when that is less than
    /// 30 s; else all of it (see [`fitted_audio_ctx`]).
    Fit { margin_ms: u32 },
}

impl std::fmt::Display for AudioContext {
    /// As `--audio-context` takes it: `full` or `fit:MS`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AudioContext::Full => f.write_str("full"),
            AudioContext::Fit { margin_ms } => write!(f, "fit:{margin_ms}"),
        }
    }
}

impl std::str::FromStr for AudioContext {
    type Err = String;

    /// `full`, `fit` (the default margin) or `fit:MS` (`--audio-context`).
    fn from_str(s: &str) -> Result<Self, String> {
        match s.split_once(':') {
            None if s == "full" => Ok(AudioContext::Full),
            None if s == "fit" => Ok(AudioContext::Fit {
                margin_ms: DEFAULT_FIT_MARGIN_MS,
            }),
            Some(("fit", ms)) => ms
                .parse()
                .map(|margin_ms| AudioContext::Fit { margin_ms })
                .map_err(|_| format!("`{ms}` is not a margin in milliseconds (fit:2000)")),
            _ => Err(format!("`{s}`: expected `full`, `fit` or `fit:MS`")),
        }
    }
}

/// The margin of `--audio-context fit`.
pub const DEFAULT_FIT_MARGIN_MS: u32 = 2000;

/// The encoder context for `samples` at 16 kHz under `policy`; 0 means
/// whisper.cpp's own (all of it).
///
/// whisper.cpp's DTW asserts that the window's audio fits the context, and a
/// recording longer than the context is decoded window by window, so a
/// fitted context is only used when the whole recording fits with its margin.
pub fn fitted_audio_ctx(policy: AudioContext, samples: usize) -> i32 {
    const FULL: usize = 1500;
    match policy {
        AudioContext::Full => 0,
        AudioContext::Fit { margin_ms } => {
            // 50 encoder frames a second: 320 samples each at 16 kHz.
            let frames = samples.div_ceil(320) + (margin_ms as usize).div_ceil(20);
            if frames >= FULL {
                0
            } else {
                frames.max(MIN_REREAD_AUDIO_CTX as usize) as i32
            }
        }
    }
}

impl Settings {
    /// The words cache's settings key: these settings and the whisper.cpp
    /// version (another version may decode differently).
    pub(crate) fn cache_key(&self) -> String {
        format!("whisper.cpp {} {self:?}", whisper_rs::get_whisper_version())
    }
}

/// One segment as whisper.cpp returned it, its text tokens only (special
/// and timestamp tokens dropped): what the words cache stores. Times are
/// whisper.cpp's centiseconds, -1 for none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RawSegment {
    pub(crate) t0: i64,
    pub(crate) t1: i64,
    pub(crate) tokens: Vec<RawToken>,
}

/// One text token of a [`RawSegment`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RawToken {
    pub(crate) bytes: Vec<u8>,
    pub(crate) t0: i64,
    pub(crate) t1: i64,
    /// DTW time of the token (the jump of its alignment row), -1 for none.
    pub(crate) t_dtw: i64,
    /// Stored as its bits, so a cached run reads back the very same number.
    #[serde(with = "f32_bits")]
    pub(crate) p: f32,
}

/// An `f32` written as its bits: exact through JSON.
mod f32_bits {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(v.to_bits())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
        u32::deserialize(d).map(f32::from_bits)
    }
}

/// How Whisper picks tokens. All fall back to sampling at rising
/// temperatures when a window's decoding looks stuck (whisper.cpp's
/// default: +0.2 up to 1.0, on high compression or low log-probability),
/// except [`Decoding::GreedyNoFallback`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    /// The most likely token each step.
    Greedy,
    /// Greedy, and no temperature fallback.
    GreedyNoFallback,
    /// Beam search with this many beams (whisper.cpp's CLI uses 5).
    Beam(u8),
}

/// The beams `score` decodes with (1: greedy). Measured on the development set (`vmcoach
/// eval devset --beam-size N`, 35 messages, 61 number mentions, tiny.en),
/// five beams read 47 of 61 numbers' digits exactly against greedy's 35
/// and got 271 of 280 timing-rule decisions right against 260, for about
/// 0.7 s more per 20 s message on two cores. But on the espeak fixtures
/// said fast, five beams hear "five" as "fine" and lose the rattled number
/// altogether, where greedy reads them; so greedy stays the default until
/// the phone reader copes with those, and `--beam-size 5` is there for
/// natural speech.
pub const DEFAULT_BEAM_SIZE: u8 = 1;

impl Decoding {
    /// `--beam-size N`: 1 is greedy, more is beam search.
    pub const fn from_beam_size(n: u8) -> Self {
        if n <= 1 {
            Decoding::Greedy
        } else {
            Decoding::Beam(n)
        }
    }
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

/// whisper.cpp's alignment-head preset for a standard model, told apart by
/// its widths; `None` for anything else (a custom or generated model), whose
/// heads whisper.cpp would reject. Large v1 and v2 share their shape: v2's
/// heads are used for both (v1 is rare; its alignment is then rougher).
fn dtw_preset(h: &Hparams) -> Option<DtwModelPreset> {
    let en = !h.is_multilingual();
    let shape = (h.n_text_state, h.n_text_layer, h.n_text_head);
    Some(match shape {
        (384, 4, 6) if en => DtwModelPreset::TinyEn,
        (384, 4, 6) => DtwModelPreset::Tiny,
        (512, 6, 8) if en => DtwModelPreset::BaseEn,
        (512, 6, 8) => DtwModelPreset::Base,
        (768, 12, 12) if en => DtwModelPreset::SmallEn,
        (768, 12, 12) => DtwModelPreset::Small,
        (1024, 24, 16) if en => DtwModelPreset::MediumEn,
        (1024, 24, 16) => DtwModelPreset::Medium,
        (1280, 4, 20) if h.n_mels == 128 => DtwModelPreset::LargeV3Turbo,
        (1280, 32, 20) if h.n_mels == 128 => DtwModelPreset::LargeV3,
        (1280, 32, 20) => DtwModelPreset::LargeV2,
        _ => return None,
    })
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
        let preset = dtw_preset(&info.hparams);
        let dtw = preset.is_some();
        let mut params = WhisperContextParameters::default();
        params.use_gpu(false);
        // Flash attention switches DTW off; it stays off (the default).
        params.flash_attn(false);
        if let Some(model_preset) = preset {
            params.dtw_parameters(DtwParameters {
                mode: DtwMode::ModelPreset { model_preset },
                ..DtwParameters::default()
            });
        }
        let ctx = WhisperContext::new_with_params(path, params).map_err(load_err)?;
        let state = ctx.create_state().map_err(load_err)?;
        Ok(Transcriber {
            ctx,
            state,
            path: path.to_path_buf(),
            requested: opts.threads,
            n_audio_state: info.hparams.n_audio_state,
            settings: Settings {
                decoding: Decoding::from_beam_size(opts.beam_size),
                prompt: None,
                language: "en",
                token_timestamps: true,
                dtw,
                audio_context: opts.audio_context,
            },
            cache: None,
            reread_numbers: opts.reread_numbers,
        })
    }

    /// Keep Whisper's output in `cache` and take it from there when the
    /// model, the settings and the samples are the same (`None`: no cache).
    pub fn set_words_cache(&mut self, cache: Option<WordsCache>) {
        self.cache = cache.map(Box::new);
    }

    /// The words cache, if one is set (for its hit and miss counts).
    pub fn words_cache(&self) -> Option<&WordsCache> {
        self.cache.as_deref()
    }

    /// True when the model's word times come from DTW alignment; false for
    /// a model whose alignment heads whisper.cpp does not know.
    pub fn has_dtw(&self) -> bool {
        self.settings.dtw
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Decode with another strategy (the evaluation compares them).
    pub fn set_decoding(&mut self, decoding: Decoding) {
        self.settings.decoding = decoding;
    }

    /// Decode as if `prompt` had been said just before the audio (`None`:
    /// no prompt). A prompt written with fillers in it is the known way to
    /// make Whisper write them (issue 16; measured with `vmcoach eval
    /// --prompt`). NUL characters are dropped (whisper.cpp reads a C string).
    pub fn set_initial_prompt(&mut self, prompt: Option<&str>) {
        self.settings.prompt = prompt
            .map(|p| p.replace('\0', ""))
            .filter(|p| !p.trim().is_empty());
    }

    /// Threads whisper.cpp would run with now (see [`super::threads`]).
    pub fn n_threads(&self) -> usize {
        super::threads::now(self.requested, self.n_audio_state)
    }

    /// Transcribe mono samples at [`SAMPLE_RATE`] (16 kHz). Silence or audio too short for
    /// Whisper gives an empty transcript, not an error. With a words cache,
    /// Whisper runs only when the cache has no output for these samples.
    pub fn transcribe(&mut self, pcm: &[f32]) -> Result<Transcript, TranscribeError> {
        if let Some(index) = pcm.iter().position(|s| !s.is_finite()) {
            return Err(TranscribeError::BadSample { index });
        }
        let duration = pcm.len() as f64 / f64::from(SAMPLE_RATE);
        if pcm.is_empty() {
            return Ok(Transcript::default());
        }
        let raw = match self.cache.take() {
            None => self.run_whisper(pcm)?,
            Some(mut cache) => {
                let key = cache.key(&self.settings.cache_key(), pcm);
                let raw = match cache.get(&key) {
                    Some(raw) => Ok(raw),
                    None => self.run_whisper(pcm).inspect(|raw| cache.put(&key, raw)),
                };
                self.cache = Some(cache);
                raw?
            }
        };
        Ok(self.words(&raw, duration))
    }

    /// Run whisper.cpp on the samples (finite, not empty).
    fn run_whisper(&mut self, pcm: &[f32]) -> Result<Vec<RawSegment>, TranscribeError> {
        let s = &self.settings;
        let mut params = self.params(s.decoding, s.prompt.as_deref());
        params.set_token_timestamps(s.token_timestamps);
        params.set_audio_ctx(fitted_audio_ctx(s.audio_context, pcm.len()));
        self.state
            .full(params, pcm)
            .map_err(|e| TranscribeError::Run {
                reason: e.to_string(),
            })?;
        Ok(read_raw(&self.ctx, &self.state))
    }

    /// Parameters every decoding shares: the strategy, the prompt, threads,
    /// the language, nothing printed.
    fn params(&self, decoding: Decoding, prompt: Option<&str>) -> FullParams<'static, 'static> {
        let strategy = match decoding {
            Decoding::Greedy => SamplingStrategy::Greedy { best_of: 1 },
            Decoding::GreedyNoFallback => SamplingStrategy::Greedy { best_of: 1 },
            Decoding::Beam(n) => SamplingStrategy::BeamSearch {
                beam_size: i32::from(n.max(1)),
                patience: -1.0,
            },
        };
        let mut params = FullParams::new(strategy);
        if decoding == Decoding::GreedyNoFallback {
            params.set_temperature_inc(0.0);
        }
        params.set_n_threads(i32::try_from(self.n_threads()).unwrap_or(1));
        if let Some(prompt) = prompt {
            params.set_initial_prompt(prompt);
        }
        params.set_language(Some(self.settings.language));
        params.set_translate(false);
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        params
    }

    /// Whether the phone numbers in doubt are read again after the first
    /// pass (`--reread-numbers`, default on).
    pub fn rereads_numbers(&self) -> bool {
        self.reread_numbers
    }

    /// Read a few seconds around a phone number again (see
    /// `analyze::phone::reread`): beam search ([`REREAD_BEAMS`]), a prompt
    /// written in digits (`prompt`), Whisper's context cut to the clip
    /// ([`reread_audio_ctx`]) and a fresh state, so nothing of the first
    /// pass or another clip carries over. The words' times are the clip's
    /// and rough: the caller keeps the first pass's. Never cached.
    pub fn reread_number(
        &mut self,
        clip: &[f32],
        prompt: &str,
    ) -> Result<Transcript, TranscribeError> {
        if let Some(index) = clip.iter().position(|s| !s.is_finite()) {
            return Err(TranscribeError::BadSample { index });
        }
        if clip.is_empty() {
            return Ok(Transcript::default());
        }
        let run = |e: whisper_rs::WhisperError| TranscribeError::Run {
            reason: e.to_string(),
        };
        // A clip under a second is padded with silence (whisper.cpp skips
        // input under 100 ms, and reads a very short one badly).
        let min = SAMPLE_RATE as usize;
        let mut padded;
        let pcm = if clip.len() < min {
            padded = clip.to_vec();
            padded.resize(min, 0.0);
            &padded[..]
        } else {
            clip
        };
        let duration = pcm.len() as f64 / f64::from(SAMPLE_RATE);
        let prompt = prompt.replace('\0', "");
        let mut params = self.params(Decoding::Beam(REREAD_BEAMS), Some(&prompt));
        params.set_audio_ctx(reread_audio_ctx(duration));
        params.set_no_context(true);
        // Timestamp tokens stay on (whisper.cpp's default): tried without
        // them, as one segment, the decoder stopped after the words before
        // the number more often ("Call me that.") on the development set.
        params.set_token_timestamps(false);
        // One decoding, and no more tokens than a number and a few words
        // need: on a clip, a stuck decoder repeated itself ("I'll call you.
        // I'll call you. ...") and the temperature fallback decoded the clip
        // again up to five times, 4 s a clip on one core.
        params.set_temperature_inc(0.0);
        params.set_max_tokens(REREAD_MAX_TOKENS);
        let mut state = self.ctx.create_state().map_err(run)?;
        state.full(params, pcm).map_err(run)?;
        Ok(words_of(&read_raw(&self.ctx, &state), duration, false))
    }

    /// Whisper's segments → words with times (DTW's when the model has them).
    fn words(&self, raw: &[RawSegment], duration: f64) -> Transcript {
        words_of(raw, duration, self.settings.dtw)
    }
}

/// Most tokens a re-read's segment may have: a number said with the words
/// around it ("call me at 512-555-0191. Thanks.") is about 20.
const REREAD_MAX_TOKENS: i32 = 40;

/// Beams of a number's re-read: whisper.cpp's CLI default, which reads
/// the digits greedy decoding misreads (issue 9).
pub const REREAD_BEAMS: u8 = 5;

/// Whisper's encoder context for a clip of `seconds`: 50 frames a second,
/// at least [`MIN_REREAD_AUDIO_CTX`] (on a smaller context tiny.en repeats
/// itself), at most the model's 1500 (30 s).
pub fn reread_audio_ctx(seconds: f64) -> i32 {
    let frames = (seconds.max(0.0) * 50.0).ceil() as i32 + 1;
    frames.clamp(MIN_REREAD_AUDIO_CTX, 1500)
}

/// The smallest encoder context a re-read runs with (5.12 s of audio).
pub const MIN_REREAD_AUDIO_CTX: i32 = 256;

/// The text tokens of a finished decoding, as the words cache keeps them.
fn read_raw(ctx: &WhisperContext, state: &WhisperState) -> Vec<RawSegment> {
    let eot = ctx.token_eot();
    let mut segments = Vec::new();
    for seg in state.as_iter() {
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
            tokens.push(RawToken {
                bytes: bytes.to_vec(),
                t0: data.t0,
                t1: data.t1,
                t_dtw: data.t_dtw,
                p: data.p,
            });
        }
        segments.push(RawSegment {
            t0: seg.start_timestamp(),
            t1: seg.end_timestamp(),
            tokens,
        });
    }
    segments
}

/// Whisper's segments → words with times (DTW's jumps when `dtw`).
fn words_of(raw: &[RawSegment], duration: f64, dtw: bool) -> Transcript {
    let cs =
        |t0: i64, t1: i64| (t0 >= 0 && t1 >= 0).then(|| (t0 as f64 / 100.0, t1 as f64 / 100.0));
    let mut segments = Vec::with_capacity(raw.len());
    let mut prev_jump = None;
    for seg in raw {
        let mut tokens: Vec<Token> = seg
            .tokens
            .iter()
            .map(|t| Token {
                bytes: t.bytes.clone(),
                time: cs(t.t0, t.t1),
                p: Some(t.p),
            })
            .collect();
        // DTW start of each text token, centiseconds (-1: none).
        let starts: Vec<i64> = seg.tokens.iter().map(|t| t.t_dtw).collect();
        let seg_time = cs(seg.t0, seg.t1);
        if dtw {
            dtw_times(&mut tokens, &starts, seg_time.map(|t| t.0), &mut prev_jump);
        }
        segments.push(Segment {
            time: seg_time,
            tokens,
        });
    }
    words::words_from_segments(&segments, Some(duration))
}

/// DTW gives each text token the moment its row of the alignment path
/// jumps (centiseconds). That moment is where the token *ends*: OpenAI's
/// word timing reads a word's start from the jump of the token before it
/// (the alignment matrix starts one row early, at `<|notimestamps|>`) and
/// its end from the jump of its own last token; on this project's
/// development set, reading the jump as the start put every word, and every
/// phone number's first digit, a word late (median 0.5 s). So a token runs
/// from the previous token's jump to its own; the first token of a
/// recording starts `FIRST_TOKEN_S` before its jump (never before its
/// segment's start time). Punctuation (",", ".", "?") takes no time: it sits
/// where the word before it ended, and the next word starts at its jump. `prev` carries the last jump across
/// segments of the same recording. Used only when every token of the
/// segment has a DTW time, so a segment is never half one clock and half
/// the other.
fn dtw_times(tokens: &mut [Token], jumps: &[i64], seg_start: Option<f64>, prev: &mut Option<f64>) {
    if jumps.is_empty() || jumps.len() != tokens.len() || jumps.iter().any(|&t| t < 0) {
        return;
    }
    for (tok, &jump) in tokens.iter_mut().zip(jumps) {
        let end = jump as f64 / 100.0;
        let start = match *prev {
            Some(p) => p.min(end),
            None => (end - FIRST_TOKEN_S).max(seg_start.unwrap_or(0.0).min(end)),
        };
        // Punctuation ends the word before; its own jump (often in the
        // pause after) is where the next word starts.
        let own_end = if is_punctuation(&tok.bytes) {
            start
        } else {
            end
        };
        tok.time = Some((start, own_end));
        *prev = Some(end);
    }
}

/// How long the very first token is taken to last before its jump, seconds.
const FIRST_TOKEN_S: f64 = 0.3;

/// A token that is only punctuation, no leading space (it joins the word before).
fn is_punctuation(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(u8::is_ascii_punctuation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::test_model::test_hparams;

    fn tok(t: &str) -> Token {
        Token {
            bytes: t.as_bytes().to_vec(),
            time: Some((0.0, 9.0)),
            p: None,
        }
    }

    #[test]
    fn a_fitted_context_is_the_recording_and_its_margin_when_that_is_under_30_s() {
        let fit = |margin_ms| AudioContext::Fit { margin_ms };
        let secs = |s: usize| s * SAMPLE_RATE as usize;
        assert_eq!(fitted_audio_ctx(AudioContext::Full, secs(20)), 0);
        // 20 s is 1000 frames; 2 s more is 100.
        assert_eq!(fitted_audio_ctx(fit(2000), secs(20)), 1100);
        assert_eq!(fitted_audio_ctx(fit(0), secs(20)), 1000);
        // A part frame or a part of 20 ms counts whole: the audio must fit
        // (whisper.cpp's DTW asserts it does).
        assert_eq!(fitted_audio_ctx(fit(0), secs(20) + 1), 1001);
        assert_eq!(fitted_audio_ctx(fit(1), secs(20)), 1001);
        // Never under the floor a short clip needs (tiny.en repeats itself).
        assert_eq!(fitted_audio_ctx(fit(0), secs(1)), MIN_REREAD_AUDIO_CTX);
        // 28 s and 2 s more is the whole window: whisper.cpp's own.
        assert_eq!(fitted_audio_ctx(fit(2000), secs(28) - 320), 1499);
        assert_eq!(fitted_audio_ctx(fit(2000), secs(28)), 0);
        assert_eq!(fitted_audio_ctx(fit(2000), secs(95)), 0);
    }

    #[test]
    fn audio_context_reads_full_fit_and_a_margin() {
        assert_eq!("full".parse(), Ok(AudioContext::Full));
        assert_eq!(
            "fit".parse(),
            Ok(AudioContext::Fit {
                margin_ms: DEFAULT_FIT_MARGIN_MS
            })
        );
        assert_eq!("fit:500".parse(), Ok(AudioContext::Fit { margin_ms: 500 }));
        // Written back as the flag takes it.
        for ctx in [AudioContext::Full, AudioContext::Fit { margin_ms: 500 }] {
            assert_eq!(ctx.to_string().parse(), Ok(ctx));
        }
        for bad in ["", "Fit", "fit:", "fit:-1", "fit:2s", "full:2", "half"] {
            let got: Result<AudioContext, _> = bad.parse();
            assert!(got.is_err(), "{bad:?} read as {got:?}");
        }
    }

    #[test]
    fn the_cache_key_changes_with_every_setting_that_changes_the_output() {
        let base = Settings {
            decoding: Decoding::Greedy,
            prompt: None,
            language: "en",
            token_timestamps: true,
            dtw: true,
            audio_context: AudioContext::Full,
        };
        assert_eq!(base.cache_key(), base.clone().cache_key());
        let mut others = Vec::new();
        for decoding in [
            Decoding::GreedyNoFallback,
            Decoding::Beam(5),
            Decoding::Beam(2),
        ] {
            others.push(Settings {
                decoding,
                ..base.clone()
            });
        }
        others.push(Settings {
            prompt: Some("Um, uh, hi.".into()),
            ..base.clone()
        });
        others.push(Settings {
            prompt: Some("Um, uh, hi!".into()),
            ..base.clone()
        });
        others.push(Settings {
            dtw: false,
            ..base.clone()
        });
        others.push(Settings {
            token_timestamps: false,
            ..base.clone()
        });
        for margin_ms in [2000, 3000] {
            others.push(Settings {
                audio_context: AudioContext::Fit { margin_ms },
                ..base.clone()
            });
        }
        let mut keys: Vec<String> = others.iter().map(Settings::cache_key).collect();
        keys.push(base.cache_key());
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n, "{keys:#?}");
    }

    #[test]
    fn presets_for_standard_shapes_none_for_custom() {
        let mut tiny_en = test_hparams();
        (
            tiny_en.n_text_state,
            tiny_en.n_text_layer,
            tiny_en.n_text_head,
        ) = (384, 4, 6);
        assert!(matches!(dtw_preset(&tiny_en), Some(DtwModelPreset::TinyEn)));
        let mut tiny = tiny_en;
        tiny.n_vocab = 51865;
        assert!(matches!(dtw_preset(&tiny), Some(DtwModelPreset::Tiny)));
        let mut v3 = tiny;
        (v3.n_text_state, v3.n_text_layer, v3.n_text_head, v3.n_mels) = (1280, 32, 20, 128);
        assert!(matches!(dtw_preset(&v3), Some(DtwModelPreset::LargeV3)));
        // The generated test model (64 wide, one layer) has no known heads.
        assert!(dtw_preset(&test_hparams()).is_none());
    }

    #[test]
    fn a_jump_ends_its_token_and_punctuation_ends_the_word() {
        // Jumps at 0.5, 0.8, 0.95, 1.3 s: " Hi" ends at 0.5 (and starts
        // FIRST_TOKEN_S before), "," sits where "Hi" ended, " Dana" runs
        // from the comma's jump to its own, "." where "Dana" ended.
        let mut toks = vec![tok(" Hi"), tok(","), tok(" Dana"), tok(".")];
        let mut prev = None;
        dtw_times(&mut toks, &[50, 80, 95, 130], Some(0.0), &mut prev);
        let times: Vec<_> = toks.iter().map(|t| t.time.unwrap()).collect();
        assert_eq!(times, [(0.2, 0.5), (0.5, 0.5), (0.8, 0.95), (0.95, 0.95)]);
        assert_eq!(prev, Some(1.3));
        // The next segment's first token starts at the last jump before it.
        let mut toks = vec![tok(" again")];
        dtw_times(&mut toks, &[170], Some(1.5), &mut prev);
        assert_eq!(toks[0].time, Some((1.3, 1.7)));
        // The first token never starts before its segment.
        let mut toks = vec![tok(" a")];
        dtw_times(&mut toks, &[40], Some(0.3), &mut None);
        assert_eq!(toks[0].time, Some((0.3, 0.4)));
        // Any token without a DTW time: the segment keeps its other clock.
        let mut toks = vec![tok(" a"), tok(" b")];
        dtw_times(&mut toks, &[10, -1], Some(0.0), &mut None);
        assert_eq!(toks[1].time, Some((0.0, 9.0)));
    }
}
