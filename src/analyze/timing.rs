//! Duration, speech span, speaking time, words per minute and pauses.

use crate::message::{AudioFacts, Pause, TimeRange, Transcript};
use serde::Serialize;

/// Timing of a message. Fields are `None` when the transcript has no times.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Timing {
    /// Length of the recording, seconds.
    pub duration: Option<f64>,
    /// First word start to last word end.
    pub speech: Option<TimeRange>,
    /// Speech span minus pauses over 1 s inside it.
    pub speaking_time: Option<f64>,
    /// Words a listener hears (digits of a written number count one each).
    pub spoken_words: usize,
    pub words_per_minute: Option<f64>,
    /// Pauses over 1 s inside the speech span.
    pub pauses: Vec<Pause>,
}

pub fn analyze(transcript: &Transcript, audio: Option<&AudioFacts>) -> Timing {
    // Filled in by the timing work (issue 2, part 7).
    Timing {
        duration: audio.map(|a| a.duration),
        spoken_words: transcript.words.len(),
        ..Timing::default()
    }
}
