//! Phone-number mentions, as RULES.md's "Phone numbers, as spoken" defines them.

use crate::message::{TextRange, TimeRange, Transcript};
use serde::Serialize;
use std::ops::Range;

/// One time a number was said (or written).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhoneMention {
    /// The digits a listener would dial, country code included if said.
    pub digits: String,
    /// Extension digits ("extension 204"), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// Where it stands in the transcript text.
    pub span: TextRange,
    /// Indices of the transcript words it covers.
    #[serde(skip)]
    pub words: Range<usize>,
    /// From the start of its first digit word to the end of its last, with audio.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeRange>,
    /// Digit count / duration, with audio.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digits_per_second: Option<f64>,
}

/// Mentions of the same number, grouped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhoneNumber {
    /// The longest form of the number that was said.
    pub digits: String,
    /// How many times it was said.
    pub count: usize,
    /// Indices into the mention list.
    pub mentions: Vec<usize>,
}

/// Find every phone-number mention in a transcript.
pub fn find_mentions(_transcript: &Transcript) -> Vec<PhoneMention> {
    // Filled in by the phone-number work (issue 2, part 7).
    Vec::new()
}

/// Group mentions of the same number.
pub fn group(_mentions: &[PhoneMention]) -> Vec<PhoneNumber> {
    Vec::new()
}
