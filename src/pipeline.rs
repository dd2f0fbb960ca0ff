//! The `score` data path for one recording, as DESIGN.md draws it:
//! a recording (any format `audio::open` reads) → mono blocks → 16 kHz → signal analysis → words → timing and phone
//! analysis → rules → report. `vmcoach score` and `vmcoach record` both end
//! here; `vmcoach check` joins at [`score_message`] with a typed script, a
//! message without audio.

use std::path::{Path, PathBuf};

use crate::analyze;
use crate::analyze::phone::reread::NumberReread;
use crate::audio::created::created_at;
use crate::audio::resample::{ResampleError, To16k};
use crate::audio::{self, AudioError, AudioInfo, AudioLimits};
use crate::message::{AudioFacts, Context, LeftAt, Message, TimeRange, Transcript};
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

impl WordSource {
    /// The Whisper model, if this source is one and it has been loaded.
    pub fn transcriber(&self) -> Option<&Transcriber> {
        match self {
            WordSource::Whisper(m) => m.loaded.as_ref(),
            WordSource::File(_) => None,
        }
    }
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
    /// A long recording streamed (over [`WHOLE_SECONDS`]): this many seconds
    /// of its audio done out of its length, for a bar with the time left.
    Progress {
        done_seconds: u64,
        total_seconds: u64,
    },
    Checking,
}

/// Recordings up to this long are read whole and given to Whisper in one
/// call (which windows them itself): every voicemail. Anything longer is
/// streamed — the signal analysis block by block, Whisper one window of at
/// most [`WINDOW_SECONDS`] at a time — so memory stays the same for a
/// 10-minute or an hour-long recording (issue 13).
pub const WHOLE_SECONDS: f64 = 120.0;

/// The longest window a streamed recording gives Whisper: its own context.
pub const WINDOW_SECONDS: f64 = 30.0;

/// A window is cut at its quietest 100 ms after this many seconds, so a
/// word is rarely split between two windows.
const CUT_AFTER_SECONDS: f64 = 20.0;

/// A recording loaded and brought to 16 kHz mono.
pub struct Audio16k {
    /// What the file is; `frames`, `duration` and `clipped_samples` as read.
    pub info: AudioInfo,
    pub samples: Vec<f32>,
}

/// Read a recording in blocks, downmixing and resampling to 16 kHz as it goes.
pub fn load_16k(path: &Path, limits: AudioLimits) -> Result<Audio16k, PipelineError> {
    let mut source = audio::open(path, limits)?;
    // Sized from the header only up to a voicemail's length: a header
    // that lies about hours gets no memory for them up front.
    let cap = (WHOLE_SECONDS * f64::from(crate::dsp::SAMPLE_RATE)) as usize;
    let mut samples = Vec::with_capacity(expected_16k(source.info()).min(cap) + 1);
    let info = read_16k(source.as_mut(), usize::MAX, &mut |s| {
        samples.extend_from_slice(s);
        Ok(())
    })?;
    // With no cap the whole file is always read.
    let info = info.unwrap_or_else(|| source.info().clone());
    Ok(Audio16k { info, samples })
}

/// 16 kHz samples the header promises (0 when it does not say).
fn expected_16k(info: &AudioInfo) -> usize {
    (info.frames as f64 * f64::from(crate::dsp::SAMPLE_RATE) / f64::from(info.sample_rate)).ceil()
        as usize
}

/// [`load_16k`] for a recording up to `whole_seconds` long; `None` for a
/// longer one (decided from the header where it says, else by reading no
/// more than that).
fn load_whole(
    path: &Path,
    limits: AudioLimits,
    whole_seconds: f64,
) -> Result<Option<Audio16k>, PipelineError> {
    let mut source = audio::open(path, limits)?;
    let info = source.info();
    if info.frames > 0 && info.duration > whole_seconds {
        return Ok(None);
    }
    let cap = (whole_seconds * f64::from(crate::dsp::SAMPLE_RATE)) as usize;
    let mut samples = Vec::with_capacity(expected_16k(info).min(cap) + 1);
    let info = read_16k(source.as_mut(), cap, &mut |s| {
        samples.extend_from_slice(s);
        Ok(())
    })?;
    Ok(info.map(|info| Audio16k { info, samples }))
}

/// Read a recording in blocks, handing each run of 16 kHz mono samples to
/// `sink` as it is resampled; returns what the file turned out to be.
/// Nothing here grows with the recording's length.
pub fn stream_16k(
    path: &Path,
    limits: AudioLimits,
    sink: &mut dyn FnMut(&[f32]) -> Result<(), PipelineError>,
) -> Result<AudioInfo, PipelineError> {
    let mut source = audio::open(path, limits)?;
    let info = read_16k(source.as_mut(), usize::MAX, sink)?;
    // With no cap the whole file is always read.
    Ok(info.unwrap_or_else(|| source.info().clone()))
}

/// Read `source` to its end through the resampler into `sink`; `None`
/// (having stopped) once more than `cap` samples would have been handed on.
fn read_16k(
    source: &mut dyn audio::SampleSource,
    cap: usize,
    sink: &mut dyn FnMut(&[f32]) -> Result<(), PipelineError>,
) -> Result<Option<AudioInfo>, PipelineError> {
    let rate = source.info().sample_rate;
    let mut resampler = To16k::new(rate)?;
    let mut block = vec![0.0f32; 16_384];
    // What one block resamples to, handed on at once (the resampler's
    // callback cannot fail).
    let mut out = Vec::with_capacity(block.len() * 2);
    let mut total = 0usize;
    loop {
        let n = source.read_block(&mut block)?;
        let last = n == 0;
        if last {
            resampler.finish(&mut |s| out.extend_from_slice(s))?;
        } else {
            resampler.process(&block[..n], &mut |s| out.extend_from_slice(s))?;
        }
        total = total.saturating_add(out.len());
        if total > cap {
            return Ok(None);
        }
        sink(&out)?;
        out.clear();
        if last {
            return Ok(Some(source.info().clone()));
        }
    }
}

/// Measure what the audio itself says: duration, speech span, pauses, delivery.
pub fn measure_signal(audio: &Audio16k) -> AudioFacts {
    audio_facts(&audio.info, crate::dsp::analyze_signal(&audio.samples))
}

fn audio_facts(info: &AudioInfo, signal: crate::dsp::SignalAnalysis) -> AudioFacts {
    let mut signal = signal;
    // Clipping is a property of the file's own samples: the resampler's
    // low-pass rounds a clipped peak off, so the 16 kHz copy would hide it.
    signal.prosody.level.clipped_fraction = info.clipped_fraction() as f32;
    // The file's own duration: the resampled length can differ by a sample.
    AudioFacts {
        duration: info.duration,
        speech: signal.speech,
        pauses: signal.pauses,
        prosody: Some(signal.prosody),
        filler_candidates: signal.filler_candidates,
    }
}

/// Lay Whisper's words onto the audio (`analyze::align`); a note when the
/// times could not be checked against the audio or came without DTW.
fn align_words(
    transcript: &mut Transcript,
    pcm_16k: &[f32],
    segments: &[TimeRange],
    fillers: &[TimeRange],
    dtw: bool,
    notes: &mut Vec<String>,
) {
    use analyze::align::{reconcile_around, NotAligned, Starts};
    let starts = if dtw {
        Starts::Whisper
    } else {
        Starts::AudioOnly
    };
    let note = match reconcile_around(transcript, pcm_16k, segments, starts, fillers) {
        Ok(_) if !dtw => {
            "the model has no alignment heads whisper.cpp knows (a custom model): \
             word times come from the audio alone"
        }
        Ok(_) | Err(NotAligned::Untimed) => return,
        Err(NotAligned::NoSpeech) => {
            "no speech detected in the audio: word times are Whisper's own, unchecked"
        }
        Err(NotAligned::TooManyWords) => {
            "more words than the detected speech has room for: word times are Whisper's own, unchecked"
        }
    };
    // A long recording is aligned a window at a time: each note once.
    if !notes.iter().any(|n| n == note) {
        notes.push(note.to_string());
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

/// What the audio and the words say, before the rules.
struct Heard {
    info: AudioInfo,
    facts: AudioFacts,
    /// What the HTML page draws.
    outline: crate::dsp::Outline,
    transcript: Transcript,
    source: TranscriptSource,
    notes: Vec<String>,
    /// Phone numbers read a second time ([`reread_numbers`]).
    rereads: Vec<NumberReread>,
}

/// Score one recording.
pub fn score_file(
    path: &Path,
    opts: &ScoreOptions,
    words: &mut WordSource,
    progress: &mut dyn FnMut(Stage),
) -> Result<Report, PipelineError> {
    score_file_streamed_after(path, opts, words, progress, WHOLE_SECONDS)
}

/// [`score_file`], streaming recordings longer than `whole_seconds` (at
/// most [`WHOLE_SECONDS`]) rather than only those over [`WHOLE_SECONDS`]:
/// lets a test take the streamed path on a shorter recording.
pub fn score_file_streamed_after(
    path: &Path,
    opts: &ScoreOptions,
    words: &mut WordSource,
    progress: &mut dyn FnMut(Stage),
    whole_seconds: f64,
) -> Result<Report, PipelineError> {
    progress(Stage::Reading);
    let whole_seconds = whole_seconds.clamp(0.0, WHOLE_SECONDS);
    let Heard {
        info,
        facts,
        outline,
        transcript,
        source,
        notes,
        rereads,
    } = match load_whole(path, opts.limits, whole_seconds)? {
        Some(audio) => hear_whole(audio, opts, words, progress)?,
        None => hear_streamed(path, opts.limits, words, progress)?,
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
        Some(info),
        source,
        transcript,
        Some(facts),
        opts,
    );
    report.notes.extend(notes);
    report
        .notes
        .extend(rereads.iter().filter(|r| r.accepted).map(|r| {
            let (before, after) = (
                analyze::phone::format_number(&r.before),
                analyze::phone::format_number(r.after.as_deref().unwrap_or_default()),
            );
            let (start, end) = (r.time.start, r.time.end);
            if r.same_as.is_some() {
                format!(
                    "the phone number at {start:.1}–{end:.1} s, heard as {before} like an earlier \
                     one, was taken as {after} too (that one's re-read)"
                )
            } else {
                format!(
                    "the phone number at {start:.1}–{end:.1} s, heard as {before}, was read again \
                     as {after}"
                )
            }
        }));
    report.number_rereads = rereads;
    report.outline = Some(outline);
    Ok(report)
}

/// Words from a transcript file, with a warning when they do not fit the audio.
fn file_words(
    p: &Path,
    facts: &AudioFacts,
) -> Result<(Transcript, TranscriptSource), PipelineError> {
    let words = transcribe::load_transcript(p)?;
    if let Some(warning) = check_transcript_fits(p, &words, facts) {
        eprintln!("{warning}");
    }
    Ok((
        words,
        TranscriptSource {
            kind: SourceKind::File,
            path: Some(p.display().to_string()),
        },
    ))
}

fn whisper_source(model: &Transcriber) -> TranscriptSource {
    TranscriptSource {
        kind: SourceKind::Whisper,
        path: Some(model.path().display().to_string()),
    }
}

/// A recording held whole: one signal analysis, one Whisper call.
fn hear_whole(
    audio: Audio16k,
    opts: &ScoreOptions,
    words: &mut WordSource,
    progress: &mut dyn FnMut(Stage),
) -> Result<Heard, PipelineError> {
    let signal = crate::dsp::analyze_signal(&audio.samples);
    let segments = signal.segments.clone();
    // What the HTML page draws, from what the analysis already measured.
    let outline = crate::dsp::outline(&audio.samples, &signal.pitch_track, &segments);
    let possible_fillers = analyze::fillers::possible(&signal.filler_candidates);
    let facts = audio_facts(&audio.info, signal);
    let mut notes = Vec::new();
    let mut rereads = Vec::new();
    let (transcript, source) = match words {
        WordSource::File(p) => file_words(p, &facts)?,
        WordSource::Whisper(whisper) => {
            progress(Stage::Transcribing);
            let model = whisper.load()?;
            let mut words = model.transcribe(&audio.samples)?;
            align_words(
                &mut words,
                &audio.samples,
                &segments,
                &possible_fillers,
                model.has_dtw(),
                &mut notes,
            );
            if model.rereads_numbers() {
                rereads = reread_numbers(model, &audio.samples, &mut words, opts);
            }
            (words, whisper_source(model))
        }
    };
    Ok(Heard {
        info: audio.info,
        facts,
        outline,
        transcript,
        source,
        notes,
        rereads,
    })
}

/// Read the phone numbers in doubt again, each from a few seconds of the
/// recording (`analyze::phone::reread`), and take the clearly better reads
/// into `transcript`. A clip the decoder fails on keeps its first read.
fn reread_numbers(
    model: &mut Transcriber,
    pcm_16k: &[f32],
    transcript: &mut Transcript,
    opts: &ScoreOptions,
) -> Vec<NumberReread> {
    use analyze::phone::reread;
    reread::reread_numbers(
        transcript,
        opts.context.number.as_deref(),
        pcm_16k,
        crate::dsp::SAMPLE_RATE,
        &mut |clip| model.reread_number(clip, reread::PROMPT).ok(),
    )
}

/// A recording too long to hold ([`WHOLE_SECONDS`]), read twice in blocks:
/// first for the noise floor the voice-activity detector starts from (what
/// the whole path's scan gives it, so the figures are the same) and the
/// length; then through the signal analysis and, a window at a time,
/// Whisper. Memory is the same for ten minutes or an hour.
fn hear_streamed(
    path: &Path,
    limits: AudioLimits,
    words: &mut WordSource,
    progress: &mut dyn FnMut(Stage),
) -> Result<Heard, PipelineError> {
    let mut floor = crate::dsp::vad::FloorEstimator::new();
    let mut n_16k = 0usize;
    let first = stream_16k(path, limits, &mut |s| {
        floor.push(s);
        n_16k += s.len();
        Ok(())
    })?;
    let total_seconds = first.duration.ceil() as u64;
    let mut analyzer = crate::dsp::SignalAnalyzer::new(crate::dsp::DspConfig::default());
    analyzer.set_floor_hint(floor.finish());
    // The pitch of every 10 ms for the page's outline, as the whole path
    // keeps it (8 bytes per 10 ms: 2.9 MB for an hour).
    analyzer.keep_pitch_track(n_16k / crate::dsp::frames::HOP + 2);
    let mut outline = crate::dsp::OutlineBuilder::new(n_16k);
    // Whisper a window at a time, or words from a file once the audio is known.
    let mut windows = match words {
        WordSource::Whisper(whisper) => {
            progress(Stage::Transcribing);
            Ok(Windows::new(whisper.load()?))
        }
        WordSource::File(p) => Err(p.clone()),
    };
    let mut done = 0u64;
    let mut shown = None;
    progress(Stage::Progress {
        done_seconds: 0,
        total_seconds,
    });
    let info = stream_16k(path, limits, &mut |s| {
        analyzer.process(s);
        outline.push(s);
        if let Ok(w) = windows.as_mut() {
            w.push(s, &analyzer)?;
        }
        done += s.len() as u64;
        let done_seconds = done / u64::from(crate::dsp::SAMPLE_RATE);
        if shown != Some(done_seconds) {
            shown = Some(done_seconds);
            progress(Stage::Progress {
                done_seconds: done_seconds.min(total_seconds),
                total_seconds,
            });
        }
        Ok(())
    })?;
    progress(Stage::Progress {
        done_seconds: total_seconds,
        total_seconds,
    });
    let signal = analyzer.finish();
    let segments = signal.segments.clone();
    let outline = outline.finish(&signal.pitch_track, &segments);
    let facts = audio_facts(&info, signal);
    let (transcript, source, notes) = match windows {
        Ok(w) => w.finish(&segments)?,
        Err(p) => {
            let (t, s) = file_words(&p, &facts)?;
            (t, s, Vec::new())
        }
    };
    Ok(Heard {
        info,
        facts,
        outline,
        transcript,
        source,
        notes,
        // A recording too long to hold is not read again: its audio is gone.
        rereads: Vec::new(),
    })
}

/// Whisper over a streamed recording, one window of at most
/// [`WINDOW_SECONDS`] at a time; each window's words are laid onto its
/// audio and carried to the recording's clock.
struct Windows<'m> {
    model: &'m mut Transcriber,
    /// The window being filled.
    buf: Vec<f32>,
    /// Index (16 kHz) of `buf[0]` in the recording.
    start: u64,
    words: Vec<(String, Option<TimeRange>, Option<f32>)>,
    notes: Vec<String>,
    source: TranscriptSource,
}

impl<'m> Windows<'m> {
    const LEN: usize = (WINDOW_SECONDS * crate::dsp::SAMPLE_RATE as f64) as usize;

    fn new(model: &'m mut Transcriber) -> Self {
        Windows {
            source: whisper_source(model),
            model,
            buf: Vec::with_capacity(Self::LEN),
            start: 0,
            words: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The next samples; a full window is transcribed up to its quietest
    /// moment after [`CUT_AFTER_SECONDS`], the rest starts the next one.
    fn push(
        &mut self,
        mut s: &[f32],
        analyzer: &crate::dsp::SignalAnalyzer,
    ) -> Result<(), PipelineError> {
        while !s.is_empty() {
            let take = (Self::LEN - self.buf.len()).min(s.len());
            self.buf.extend_from_slice(&s[..take]);
            s = &s[take..];
            if self.buf.len() == Self::LEN {
                let cut = quietest_cut(&self.buf);
                let until = self.seconds(cut);
                self.transcribe(cut, &analyzer.segments_so_far(until))?;
            }
        }
        Ok(())
    }

    /// Seconds into the recording of `buf[i]`.
    fn seconds(&self, i: usize) -> f64 {
        (self.start + i as u64) as f64 / f64::from(crate::dsp::SAMPLE_RATE)
    }

    /// Transcribe `buf[..n]`; `segments` are the recording's speech so far.
    fn transcribe(&mut self, n: usize, segments: &[TimeRange]) -> Result<(), PipelineError> {
        let (from, to) = (self.seconds(0), self.seconds(n));
        let local: Vec<TimeRange> = segments
            .iter()
            .filter(|r| r.end > from && r.start < to)
            .map(|r| TimeRange::new((r.start - from).max(0.0), r.end.min(to) - from))
            .collect();
        // A window the voice-activity detector found no speech in is not
        // transcribed: Whisper makes words up in silence.
        if !local.is_empty() {
            let pcm = &self.buf[..n];
            let mut t = self.model.transcribe(pcm)?;
            // A long recording's windows are laid out without the filler
            // hints (the streamed analysis has them only at its end).
            align_words(
                &mut t,
                pcm,
                &local,
                &[],
                self.model.has_dtw(),
                &mut self.notes,
            );
            self.words.extend(t.words.into_iter().map(|w| {
                let time = w.time.map(|r| TimeRange::new(r.start + from, r.end + from));
                (w.text, time, w.probability)
            }));
        }
        self.buf.drain(..n);
        self.start += n as u64;
        Ok(())
    }

    /// The last window, then every word on the recording's clock.
    fn finish(
        mut self,
        segments: &[TimeRange],
    ) -> Result<(Transcript, TranscriptSource, Vec<String>), PipelineError> {
        if !self.buf.is_empty() {
            self.transcribe(self.buf.len(), segments)?;
        }
        let transcript = Transcript::from_timed_words(self.words);
        Ok((transcript, self.source, self.notes))
    }
}

/// Where to end a full window: the middle of its quietest 100 ms after
/// [`CUT_AFTER_SECONDS`] (the end of the window if it is shorter).
fn quietest_cut(buf: &[f32]) -> usize {
    const FRAME: usize = crate::dsp::SAMPLE_RATE as usize / 10;
    let from = (CUT_AFTER_SECONDS * f64::from(crate::dsp::SAMPLE_RATE)) as usize;
    let mut best = (f32::INFINITY, buf.len());
    let mut at = from;
    while at + FRAME <= buf.len() {
        let energy: f32 = buf[at..at + FRAME].iter().map(|x| x * x).sum();
        if energy < best.0 {
            best = (energy, at + FRAME / 2);
        }
        at += FRAME;
    }
    best.1
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
    let analysis = analyze::analyze_with(&message, opts.rules.max_digits_per_second);
    let results = rules::check(&message, &analysis, &opts.rules);
    let Message {
        transcript, audio, ..
    } = message;
    Report::new(file, info, source, transcript, audio, analysis, results)
}
