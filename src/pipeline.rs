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
    audio_facts(audio, crate::dsp::analyze_signal(&audio.samples))
}

fn audio_facts(audio: &Audio16k, signal: crate::dsp::SignalAnalysis) -> AudioFacts {
    let mut signal = signal;
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

/// Lay Whisper's words onto the audio (`analyze::align`); a note when the
/// times could not be checked against the audio or came without DTW.
fn align_words(
    transcript: &mut Transcript,
    audio: &Audio16k,
    segments: &[crate::message::TimeRange],
    dtw: bool,
    notes: &mut Vec<String>,
) {
    use analyze::align::{reconcile, NotAligned, Starts};
    let starts = if dtw {
        Starts::Whisper
    } else {
        Starts::AudioOnly
    };
    match reconcile(transcript, &audio.samples, segments, starts) {
        Ok(_) if !dtw => notes.push(
            "the model has no alignment heads whisper.cpp knows (a custom model): \
             word times come from the audio alone"
                .into(),
        ),
        Ok(_) | Err(NotAligned::Untimed) => {}
        Err(NotAligned::NoSpeech) => notes.push(
            "no speech detected in the audio: word times are Whisper's own, unchecked".into(),
        ),
        Err(NotAligned::TooManyWords) => notes.push(
            "more words than the detected speech has room for: word times are Whisper's own, unchecked"
                .into(),
        ),
    }
}

/// A one-line warning when a transcript file's words run past the audio
/// or leave most of its speech untouched: it is probably for another file.
fn check_transcript_fits(
    path: &Path,
    transcript: &Transcript,
    facts: &AudioFacts,
) -> Option<String> {
    let end = transcript
        .words
        .iter()
        .filter_map(|w| w.time)
        .map(|t| t.end)
        .fold(None, |m: Option<f64>, e| Some(m.map_or(e, |m| m.max(e))))?;
    let speech_end = facts.speech.map(|s| s.end);
    let too_long = end > facts.duration + 0.5;
    let too_short = speech_end.is_some_and(|s| end + 2.0 < s);
    (too_long || too_short).then(|| {
        format!(
            "vmcoach: warning: transcript {} ends at {end:.1} s but the audio is {:.1} s long{}; is it for another recording?",
            path.display(),
            facts.duration,
            speech_end.map(|s| format!(" with speech until {s:.1} s")).unwrap_or_default(),
        )
    })
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
    let signal = crate::dsp::analyze_signal(&audio.samples);
    let segments = signal.segments.clone();
    // What the HTML page draws, from what the analysis already measured.
    let outline = crate::dsp::outline(&audio.samples, &signal.pitch_track, &segments);
    let facts = audio_facts(&audio, signal);
    let mut notes = Vec::new();

    let (transcript, source) = match words {
        WordSource::File(p) => {
            let words = transcribe::load_transcript(p)?;
            if let Some(warning) = check_transcript_fits(p, &words, &facts) {
                eprintln!("{warning}");
            }
            (
                words,
                TranscriptSource {
                    kind: SourceKind::File,
                    path: Some(p.display().to_string()),
                },
            )
        }
        WordSource::Whisper(whisper) => {
            progress(Stage::Transcribing);
            let model = whisper.load()?;
            let mut words = model.transcribe(&audio.samples)?;
            align_words(&mut words, &audio, &segments, model.has_dtw(), &mut notes);
            (
                words,
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
    let mut report = score_message(
        Some(path.display().to_string()),
        Some(audio.info),
        source,
        transcript,
        Some(facts),
        opts,
    );
    report.notes.extend(notes);
    report.outline = Some(outline);
    Ok(report)
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
