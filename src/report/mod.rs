//! Rendering a scored message: text for people, JSON for machines, HTML
//! for sharing. Rendering only: every number here was computed elsewhere.
//!
//! # JSON schema (`schema_version` 1)
//!
//! `vmcoach score --json` prints one [`Report`] per file (one JSON object per
//! line for a folder). Field names are stable; new fields may be added
//! within a schema version, none removed or renamed.
//!
//! | field | meaning |
//! |---|---|
//! | `schema_version` | 1 |
//! | `file` | the WAV path as given, or null for a typed script |
//! | `audio` | `{format, codec, sample_rate, channels, bits_per_sample, sample_format, frames, duration, clipped_samples}` of the input file: `format` the container (`wav`, `rf64`, `mp3`, `mp4`, `adts`, `flac`, `ogg`, `aiff`, `caf`, `mkv`), `codec` (`pcm`, `float`, `a_law`, `mu_law`, `adpcm`, `mp3`, `aac`, `flac`, `vorbis`, `other`); `bits_per_sample` and `sample_format` (`int`/`float`) are null for compressed codecs; `clipped_samples` counted at the file's own rate |
//! | `transcript_source` | `{kind: "whisper"\|"file"\|"text", path}`: the model or transcript file used (`text`: a typed script, `vmcoach check`) |
//! | `transcript` | `{text, words: [{text, span: {start,end}, time: {start,end}, probability}]}`; times in seconds, spans are byte offsets in `text` |
//! | `signal` | `{duration, speech: {start,end}, pauses: [{start,end}], prosody: {pitch, level, rate}}` measured from the audio alone |
//! | `timing` | `{duration, speech, speaking_time, spoken_words, words_per_minute, pauses}` from the words (RULES.md measures) |
//! | `phone_mentions` | `[{digits, extension, span, time, digits_per_second, whole}]`; `whole` false for digits no listener could dial (cut short, garbled) |
//! | `phone_numbers` | `[{digits, count, mentions: [index into phone_mentions], whole, heard_as}]`; `heard_as` lists other forms heard (a digit missing or changed), absent when all agree |
//! | `findings` | `[{code, name, severity, message, suggestion, evidence: [{text, span, time}]}]` |
//! | `skipped` | `[{code, name, reason}]` rules that could not run |
//! | `score` | `{value: 0..100, breakdown: [{code, points}]}` |
//! | `rate_check` | `{transcript_wpm, audio_wpm, difference, disagree}`: the words' pace against the audio's syllable-based estimate; `disagree` when over 25% apart |
//! | `notes` | `[string]` how the message was read (e.g. where the prospect's name came from) |
//! | `fillers` | `[{kind, time: {start,end}, witness: "transcript"\|"audio", confidence}]` filled pauses and filler words in time order: `transcript` ones the words say (um, uh, like, you know), `audio` ones a steady voiced stretch no word covers (um/uh; confidence 0..1) |
//! | `prospect` | `{name, source: "given"\|"greeting"}` the prospect's name the rules used, or null |
//! | `top_fixes` | `[{code, name, severity, points, fix, how, why, count, finding}]`: at most three things to fix first, best first (errors, then points lost); `fix` a headline in plain words, `how` the suggestion with the rep's own number and names, `finding` the index of its finding in `findings` |
//!
//! `vmcoach check --json` prints the same document for a typed script:
//! `file` is the script's path (`-` for standard input), `audio`, `signal`
//! and `rate_check` are null.

pub(crate) mod csv;
pub(crate) mod escape;
pub(crate) mod fillers;
pub(crate) mod fixes;
pub mod html;
pub(crate) mod script;
pub(crate) mod style;
pub(crate) mod text;
pub(crate) mod width;

use crate::analyze::fillers::Filler;
use crate::analyze::phone::reread::NumberReread;
use crate::analyze::{Analysis, PhoneMention, PhoneNumber, Timing};
use crate::audio::AudioInfo;
use crate::dsp::Outline;
use crate::message::{AudioFacts, Transcript};
use crate::rules::{Finding, Prospect, RuleResults, Score, Severity, Skipped};
pub use fixes::TopFix;
use serde::Serialize;

/// The version of the JSON report layout.
pub const SCHEMA_VERSION: u32 = 1;

/// How a report is written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people, in the terminal.
    Text,
    /// One JSON document (`schema_version` 1; see the module docs).
    Json,
    /// One self-contained page.
    Html,
}

/// One report in `format`, whole. (Several reports as JSON are one
/// [`Report::to_json_line`] each; several as text, a summary table.)
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text::render(report),
        Format::Json => report.to_json_pretty() + "\n",
        Format::Html => html::render(report, &html::PageOptions::linked_as_given(report)),
    }
}

/// Where the words came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TranscriptSource {
    pub kind: SourceKind,
    /// The model file or transcript file used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// What made the words: Whisper, a transcript file, or a typed script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Whisper,
    File,
    Text,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Whisper => "whisper",
            SourceKind::File => "file",
            SourceKind::Text => "text",
        }
    }
}

impl std::fmt::Display for SourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything vmcoach says about one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub file: Option<String>,
    pub audio: Option<AudioInfo>,
    pub transcript_source: TranscriptSource,
    pub transcript: Transcript,
    pub signal: Option<AudioFacts>,
    pub timing: Timing,
    pub phone_mentions: Vec<PhoneMention>,
    pub phone_numbers: Vec<PhoneNumber>,
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
    pub score: Score,
    /// How the message was read, e.g. "prospect's name taken from the greeting: Sarah".
    pub notes: Vec<String>,
    /// The words' rate against the audio's own syllable-based estimate.
    pub rate_check: Option<RateCheck>,
    /// The prospect's name the rules used, and where it came from.
    pub prospect: Option<Prospect>,
    /// Fillers from both witnesses, in time order.
    pub fillers: Vec<Filler>,
    /// At most three things to fix first (`report::fixes`).
    pub top_fixes: Vec<TopFix>,
    /// Phone numbers read a second time, and whether the re-read was taken.
    pub number_rereads: Vec<NumberReread>,
    /// The recording drawn small, for the HTML page (not in the JSON).
    #[serde(skip)]
    pub outline: Option<Outline>,
}

/// Two witnesses of the pace: words per minute from the transcript, and
/// the estimate from syllable nuclei in the audio. When they disagree by
/// more than [`RATE_DISAGREEMENT`], one of them is wrong (a transcript
/// that dropped words, or an unusual voice) and the report says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateCheck {
    pub transcript_wpm: f64,
    pub audio_wpm: f64,
    /// |audio − transcript| / transcript.
    pub difference: f64,
    pub disagree: bool,
}

/// Relative difference above which the two rates are flagged (issue 5: 25%).
pub const RATE_DISAGREEMENT: f64 = 0.25;

impl RateCheck {
    fn of(timing: &Timing, signal: Option<&AudioFacts>) -> Option<Self> {
        let transcript_wpm = timing.words_per_minute.filter(|w| *w > 0.0)?;
        let audio_wpm = f64::from(signal?.prosody.as_ref()?.rate.estimated_wpm?);
        let difference = (audio_wpm - transcript_wpm).abs() / transcript_wpm;
        Some(RateCheck {
            transcript_wpm,
            audio_wpm,
            difference,
            disagree: difference > RATE_DISAGREEMENT,
        })
    }
}

impl Report {
    /// Put the pieces together.
    pub fn new(
        file: Option<String>,
        audio: Option<AudioInfo>,
        transcript_source: TranscriptSource,
        transcript: Transcript,
        signal: Option<AudioFacts>,
        analysis: Analysis,
        results: RuleResults,
    ) -> Self {
        let rate_check = RateCheck::of(&analysis.timing, signal.as_ref());
        let top_fixes = fixes::top_fixes(&results.findings, &results.score);
        Report {
            schema_version: SCHEMA_VERSION,
            file,
            audio,
            transcript_source,
            transcript,
            signal,
            timing: analysis.timing,
            phone_mentions: analysis.phone_mentions,
            phone_numbers: analysis.phone_numbers,
            findings: results.findings,
            skipped: results.skipped,
            score: results.score,
            notes: results.notes,
            rate_check,
            prospect: results.prospect,
            fillers: analysis.fillers,
            top_fixes,
            number_rereads: Vec::new(),
            outline: None,
        }
    }

    /// A typed script (`vmcoach check`), not a recording.
    pub fn is_script(&self) -> bool {
        self.transcript_source.kind == SourceKind::Text
    }

    /// The most severe finding, if any.
    pub fn worst_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// "VM301 (no time known); …": the rules that could not run, and why.
    pub fn skipped_summary(&self) -> String {
        let list: Vec<String> = self
            .skipped
            .iter()
            .map(|s| format!("{} ({})", s.code, s.reason))
            .collect();
        list.join("; ")
    }

    /// One line of JSON.
    pub fn to_json_line(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        escape::json_line(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Pretty JSON.
    pub fn to_json_pretty(&self) -> String {
        escape::json_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}
