//! The `Message`: the one thing the rules see.
//!
//! A message is a transcript (words, each with a character span in the
//! transcript text and, when it came from audio, its start and end time),
//! optional facts measured from the audio, and context (who left it, for
//! whom, and when). Rules know nothing of WAV files or Whisper.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A character range in the transcript text (byte offsets into a UTF-8 `String`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
    /// The smallest range covering both.
    pub(crate) fn cover(&self, other: &TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A time range in seconds from the start of the recording.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct TimeRange {
    pub start: f64,
    pub end: f64,
}

impl TimeRange {
    pub fn new(start: f64, end: f64) -> Self {
        Self { start, end }
    }
    pub fn duration(&self) -> f64 {
        (self.end - self.start).max(0.0)
    }
}

/// One word of a transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    /// The word as written in the transcript, punctuation attached ("Sarah,").
    pub text: String,
    /// Where the word stands in [`Transcript::text`].
    pub span: TextRange,
    /// When it was said, if the transcript came from audio.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub time: Option<TimeRange>,
    /// Whisper's confidence in the word, 0..1, if known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub probability: Option<f32>,
}

/// Words with their text. `text` is the words joined with single spaces
/// unless the transcript came from typed text, where it is the original.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Transcript {
    pub text: String,
    pub words: Vec<Word>,
}

impl Transcript {
    /// Split typed text into words on whitespace, keeping each word's span.
    pub fn from_text(text: &str) -> Self {
        let mut words = Vec::new();
        let mut start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                if let Some(s) = start.take() {
                    words.push(Word {
                        text: text[s..i].to_string(),
                        span: TextRange::new(s, i),
                        time: None,
                        probability: None,
                    });
                }
            } else if start.is_none() {
                start = Some(i);
            }
        }
        if let Some(s) = start {
            words.push(Word {
                text: text[s..].to_string(),
                span: TextRange::new(s, text.len()),
                time: None,
                probability: None,
            });
        }
        Transcript {
            text: text.to_string(),
            words,
        }
    }

    /// Build from timed words (from Whisper or a transcript file): the text is
    /// the words joined with single spaces and each span is set accordingly.
    pub fn from_timed_words(
        words: impl IntoIterator<Item = (String, Option<TimeRange>, Option<f32>)>,
    ) -> Self {
        let mut text = String::new();
        let mut out = Vec::new();
        for (w, time, probability) in words {
            let w = w.trim();
            if w.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(w);
            out.push(Word {
                text: w.to_string(),
                span: TextRange::new(start, text.len()),
                time,
                probability,
            });
        }
        Transcript { text, words: out }
    }

    /// True when every word has a time.
    pub(crate) fn is_timed(&self) -> bool {
        !self.words.is_empty() && self.words.iter().all(|w| w.time.is_some())
    }
}

/// A silence inside the speech longer than this is a pause, seconds
/// (RULES.md: "every pause longer than 1 s"). The signal analysis and the
/// word timing both use it.
pub const PAUSE_THRESHOLD_S: f64 = 1.0;

/// Facts measured from the audio itself (not the transcript).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AudioFacts {
    /// Length of the recording in seconds.
    pub duration: f64,
    /// First and last detected speech, from the signal (voice activity).
    pub speech: Option<TimeRange>,
    /// Pauses over the pause threshold inside the speech span, from the signal.
    pub pauses: Vec<TimeRange>,
    /// Delivery measures (pitch, level, syllable rate), when computed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub prosody: Option<Prosody>,
    /// Steady voiced stretches, the audio's filler witness (`dsp::fillers`);
    /// the report lists the ones no word covers as `fillers`.
    #[serde(skip, default)]
    pub filler_candidates: Vec<FillerCandidate>,
}

// Summaries of how the message sounds, as reported and as the VM1xx rules
// read them; `dsp` measures them.
/// Delivery measures of a whole message.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Prosody {
    pub pitch: PitchSummary,
    pub level: LevelSummary,
    pub rate: RateSummary,
}

/// Pitch over voiced speech. `None` fields mean no voiced speech was found.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PitchSummary {
    /// Number of 10 ms frames judged voiced.
    pub voiced_frames: usize,
    pub median_hz: Option<f32>,
    /// 10th and 90th percentile of pitch, Hz.
    pub p10_hz: Option<f32>,
    pub p90_hz: Option<f32>,
    /// Standard deviation of pitch in semitones (VM106 reads this).
    pub spread_semitones: Option<f32>,
}

/// Loudness and quality.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LevelSummary {
    /// RMS over speech frames, dBFS. `None` when no speech was found.
    pub speech_rms_dbfs: Option<f32>,
    /// Highest absolute sample, dBFS.
    pub peak_dbfs: f32,
    /// Share of samples at or beyond full scale (0..1).
    pub clipped_fraction: f32,
    /// Level of the quietest non-speech frames, dBFS.
    pub noise_floor_dbfs: Option<f32>,
    /// Speech level over noise floor, dB.
    pub snr_db: Option<f32>,
}

/// Speech rate estimated from the audio alone (syllable nuclei).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RateSummary {
    pub syllables: usize,
    pub syllables_per_second: Option<f32>,
    pub estimated_wpm: Option<f32>,
}

/// Who left the message, for whom, and when.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Context {
    pub prospect: Option<String>,
    pub caller: Option<String>,
    pub company: Option<String>,
    /// The rep's own callback number, if known.
    pub number: Option<String>,
    /// When the message was left (local time), and where that came from.
    pub left_at: Option<LeftAt>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftAt {
    /// ISO-8601 local date and time, "2026-11-23T07:15".
    pub local: String,
    /// Where the time came from.
    pub source: LeftAtSource,
}

/// Where the time a message was left came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeftAtSource {
    /// `--left-at`.
    Flag,
    /// `left_at` in `vmcoach.toml`.
    Config,
    /// The recording's own metadata: a Broadcast Wave `bext` chunk…
    WavBext,
    /// …a WAV `LIST`/`INFO` `ICRD` tag with a time of day…
    WavInfo,
    /// …or an MP4/M4A movie header (`mvhd`). Never the file's
    /// modification time: a practice take is not judged on the clock.
    Mp4Header,
}

/// Everything the rules look at.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    pub transcript: Transcript,
    pub audio: Option<AudioFacts>,
    pub context: Context,
}

/// A steady voiced stretch: a filled pause if no word covers it. `dsp::fillers`
/// finds them; it lives here so the message carries it without importing dsp.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FillerCandidate {
    pub time: TimeRange,
    /// Spread of the pitch over the stretch, semitones (standard deviation).
    pub pitch_spread_st: f32,
    /// Mean spectral flux inside, dB per band per frame.
    pub flux_db: f32,
    /// Level of the last third against the first third, dB (negative: falling).
    pub level_slope_db: f32,
    /// The end of the stretch is quieter and duller than its middle: the
    /// closed-lips "m" of "um".
    pub nasal_end: bool,
    /// Quiet before and after it (within `dsp::fillers`' quiet window), seconds: a filler
    /// said on its own is a voiced island between two short silences.
    pub quiet_before_s: f64,
    pub quiet_after_s: f64,
    /// 0..1, from duration, steadiness and flux (see `dsp::fillers::confidence`).
    pub confidence: f32,
}
