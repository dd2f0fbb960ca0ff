//! The `score` data path for one recording, as DESIGN.md draws it:
//! a recording (any format `audio::open` reads) → mono blocks → 16 kHz → signal analysis → words → timing and phone
//! analysis → rules → report. `vmcoach score` and `vmcoach record` both end
//! here; `vmcoach check` joins at [`score_message`] with a typed script, a
//! message without audio.

use std::path::{Path, PathBuf};

use crate::analyze;
use crate::audio::created::created_at;
use crate::audio::resample::{ResampleError, To16k};
use crate::audio::{self, AudioError, AudioInfo, AudioLimits};
use crate::message::{AudioFacts, Context, LeftAt, Message, Transcript};
use crate::report::{Report, SourceKind, TranscriptSource};
use crate::rules::{self, RuleConfig};
use crate::transcribe::whisper::Transcriber;
use crate::transcribe::{self, TranscribeError, TranscribeOptions};

/// Why a recording could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Audio(#[from] AudioError),
    #[error(transparent)]
    Resample(#[from] ResampleError),
    #[error(transparent)]
    Transcribe(#[from] TranscribeError),
    /// Nothing was said: a score of silence would only mislead.
    #[error("No speech found in {file} — check the microphone")]
    NoSpeech { file: String },
}

/// Where the words come from. The command builds it once and lends it to
/// every recording of the run, so a Whisper model is loaded at most once.
pub enum WordSource {
    /// Run Whisper on the audio.
    Whisper(WhisperModel),
    /// Read words with times from a file (`--transcript`).
    File(PathBuf),
}

/// Whisper as a word source: how to find the model, and the model once
/// loaded. A single recording loads it when its audio has been read (so a
/// bad file is reported as such, not as a missing model); a batch calls
/// [`WhisperModel::load`] before its first file, so a missing or broken
/// model is one error up front.
pub struct WhisperModel {
    options: TranscribeOptions,
    loaded: Option<Transcriber>,
}

impl WhisperModel {
    /// Nothing is loaded yet.
    pub fn new(options: TranscribeOptions) -> Self {
        WhisperModel {
            options,
            loaded: None,
        }
    }

    /// The model, found and loaded on first use.
    pub fn load(&mut self) -> Result<&mut Transcriber, TranscribeError> {
        let model = match self.loaded.take() {
            Some(t) => t,
            None => {
                let path = transcribe::model::resolve_model(&self.options)?;
                Transcriber::load(&path, &self.options)?
            }
        };
        Ok(self.loaded.insert(model))
    }
}

/// Everything that decides how a recording is scored, besides where its
/// words come from.
#[derive(Debug, Clone, Default)]
pub struct ScoreOptions {
    pub limits: AudioLimits,
    pub context: Context,
    pub rules: RuleConfig,
}

/// What the pipeline is doing, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Reading,
    Transcribing,
    Checking,
}

/// A recording loaded and brought to 16 kHz mono.
pub struct Audio16k {
    /// What the file is; `frames`, `duration` and `clipped_samples` as read.
    pub info: AudioInfo,
    pub samples: Vec<f32>,
}

/// Read a recording in blocks, downmixing and resampling to 16 kHz as it goes.
pub fn load_16k(path: &Path, limits: AudioLimits) -> Result<Audio16k, PipelineError> {
    let mut source = audio::open(path, limits)?;
    let rate = source.info().sample_rate;
    let mut resampler = To16k::new(rate)?;
    let expected = (source.info().frames as f64 * f64::from(crate::dsp::SAMPLE_RATE)
        / f64::from(rate))
    .ceil() as usize;
    let mut samples = Vec::with_capacity(expected + 1);
    let mut block = vec![0.0f32; 16_384];
    loop {
        let n = source.read_block(&mut block)?;
        if n == 0 {
            break;
        }
        resampler.process(&block[..n], &mut |s| samples.extend_from_slice(s))?;
    }
    resampler.finish(&mut |s| samples.extend_from_slice(s))?;
    Ok(Audio16k {
        info: source.info().clone(),
        samples,
    })
}

/// Measure what the audio itself says: duration, speech span, pauses, delivery.
pub fn measure_signal(audio: &Audio16k) -> AudioFacts {
    let mut signal = crate::dsp::analyze_signal(&audio.samples);
    // Clipping is a property of the file's own samples: the resampler's
    // low-pass rounds a clipped peak off, so the 16 kHz copy would hide it.
    signal.prosody.level.clipped_fraction = audio.info.clipped_fraction() as f32;
    // The file's own duration: the resampled length can differ by a sample.
    AudioFacts {
        duration: audio.info.duration,
        speech: signal.speech,
        pauses: signal.pauses,
        prosody: Some(signal.prosody),
    }
}

/// Score one recording.
pub fn score_file(
    path: &Path,
    opts: &ScoreOptions,
    words: &mut WordSource,
    progress: &mut dyn FnMut(Stage),
) -> Result<Report, PipelineError> {
    progress(Stage::Reading);
    let audio = load_16k(path, opts.limits)?;
    let facts = measure_signal(&audio);

    let (transcript, source) = match words {
        WordSource::File(p) => (
            transcribe::load_transcript(p)?,
            TranscriptSource {
                kind: SourceKind::File,
                path: Some(p.display().to_string()),
            },
        ),
        WordSource::Whisper(whisper) => {
            progress(Stage::Transcribing);
            let model = whisper.load()?;
            (
                model.transcribe(&audio.samples)?,
                TranscriptSource {
                    kind: SourceKind::Whisper,
                    path: Some(model.path().display().to_string()),
                },
            )
        }
    };
    if transcript.words.is_empty() {
        return Err(PipelineError::NoSpeech {
            file: path.display().to_string(),
        });
    }
    progress(Stage::Checking);
    // Neither a flag nor vmcoach.toml said when it was left: the
    // recording's own creation time, if its metadata has one. Never the
    // file's modification time — a practice take is not judged on the clock.
    let dated;
    let opts = match (&opts.context.left_at, created_at(path)) {
        (None, Some(c)) => {
            let mut o = opts.clone();
            o.context.left_at = Some(LeftAt {
                local: c.local,
                source: c.source,
            });
            dated = o;
            &dated
        }
        _ => opts,
    };
    Ok(score_message(
        Some(path.display().to_string()),
        Some(audio.info),
        source,
        transcript,
        Some(facts),
        opts,
    ))
}

/// Check a typed script: the words without audio, so the rules that need
/// audio say they were skipped. `name` is the script's path as given.
pub fn score_script(name: Option<String>, text: &str, opts: &ScoreOptions) -> Report {
    score_message(
        name,
        None,
        TranscriptSource {
            kind: SourceKind::Text,
            path: None,
        },
        Transcript::from_text(text),
        None,
        opts,
    )
}

/// Analyse, check and report a message whose words are known.
pub fn score_message(
    file: Option<String>,
    info: Option<AudioInfo>,
    source: TranscriptSource,
    transcript: Transcript,
    facts: Option<AudioFacts>,
    opts: &ScoreOptions,
) -> Report {
    let message = Message {
        transcript,
        audio: facts,
        context: opts.context.clone(),
    };
    let analysis = analyze::analyze(&message);
    let results = rules::check(&message, &analysis, &opts.rules);
    let Message {
        transcript, audio, ..
    } = message;
    Report::new(file, info, source, transcript, audio, analysis, results)
}
