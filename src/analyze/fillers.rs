//! The one fillers list (issue 16): what the transcript wrote (um, uh,
//! like, you know — `text::fillers` decides which are fillers) and what
//! the audio heard where no word is (`dsp::fillers`). VM211, the report
//! and `vmcoach eval` all read this list.

use serde::Serialize;

use crate::dsp::fillers::{uncovered, FillerCandidate, MIN_CONFIDENCE};
use crate::message::{Message, TimeRange};
use crate::text::fillers::find_fillers;
use crate::text::TextView;

/// Which witness found a filler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Witness {
    /// The transcript has the word.
    Transcript,
    /// A steady voiced stretch no word covers.
    Audio,
}

/// One filler.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Filler {
    /// "um", "uh", "like", "you know", …
    pub kind: String,
    /// When it was said; `None` for an untimed transcript.
    pub time: Option<TimeRange>,
    pub witness: Witness,
    /// 1 for the transcript's; the audio detector's score otherwise.
    pub confidence: f32,
    /// The transcript words it is (byte range of the text), transcript fillers only.
    #[serde(skip)]
    pub words: Option<std::ops::Range<usize>>,
}

/// Seconds a word can plausibly take per digit and per letter, and at least.
const DIGIT_S: f64 = 0.6;
const LETTER_S: f64 = 0.1;
/// A short word can still be drawn out ("we" said slowly takes 0.3 s in
/// the `rattled` fixture): capping it shorter made its own vowel a filler.
const MIN_WORD_S: f64 = 0.35;

/// A word's time cut to what its letters could take. Whisper (tiny.en,
/// without aligned times) stretches the word before a filler over it —
/// "Dana," 0.51–1.39 s around an "um" at 1.26 s — which is exactly the
/// "swallowed" filler; the word cannot have lasted that long.
fn plausible(text: &str, t: TimeRange) -> TimeRange {
    let max = text
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                DIGIT_S
            } else if c.is_alphabetic() {
                LETTER_S
            } else {
                0.0
            }
        })
        .sum::<f64>()
        .max(MIN_WORD_S);
    TimeRange::new(t.start, t.end.min(t.start + max))
}

/// Where the audio may hold a filled pause, for the word placement
/// (`analyze::align::reconcile_around`): the steady voiced islands with
/// [`MIN_CONFIDENCE`].
pub fn possible(candidates: &[FillerCandidate]) -> Vec<TimeRange> {
    candidates
        .iter()
        .filter(|c| c.is_island() && c.confidence >= MIN_CONFIDENCE)
        .map(|c| c.time)
        .collect()
}

/// Both witnesses' fillers, in time order (untimed ones last). `numbers`
/// are the times of the phone-number mentions: a digit said alone between
/// short pauses ("five … five … five") is a steady voiced island too, and
/// never a filler.
pub fn find(message: &Message, text: &TextView, numbers: &[TimeRange]) -> Vec<Filler> {
    let words = &message.transcript.words;
    let mut out: Vec<Filler> = find_fillers(text)
        .into_iter()
        .filter_map(|toks| {
            let wr = text.word_range(toks)?;
            let ws = words.get(wr.clone())?;
            let kind = ws
                .iter()
                .map(|w| {
                    w.text
                        .chars()
                        .filter(|c| c.is_alphabetic() || *c == '\'')
                        .flat_map(char::to_lowercase)
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join(" ");
            let time = match (ws.first()?.time, ws.last()?.time) {
                (Some(a), Some(b)) => Some(TimeRange::new(a.start, b.end.max(a.start))),
                _ => None,
            };
            Some(Filler {
                kind,
                time,
                witness: Witness::Transcript,
                confidence: 1.0,
                words: Some(wr),
            })
        })
        .collect();
    if let Some(audio) = &message.audio {
        let timed: Vec<TimeRange> = words
            .iter()
            .filter_map(|w| w.time.map(|t| plausible(&w.text, t)))
            .collect();
        let in_number = |t: TimeRange| numbers.iter().any(|n| t.start < n.end && t.end > n.start);
        for c in uncovered(&audio.filler_candidates, &timed, MIN_CONFIDENCE)
            .into_iter()
            .filter(|c| !in_number(c.time))
        {
            out.push(Filler {
                kind: if c.nasal_end { "um" } else { "uh" }.to_string(),
                time: Some(c.time),
                witness: Witness::Audio,
                confidence: (c.confidence * 100.0).round() / 100.0,
                words: None,
            });
        }
    }
    out.sort_by(|a, b| {
        let k = |f: &Filler| f.time.map_or(f64::INFINITY, |t| t.start);
        k(a).total_cmp(&k(b))
    });
    out
}
