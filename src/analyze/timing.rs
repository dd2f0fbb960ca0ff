//! Duration, speech span, speaking time, words per minute and pauses, as
//! RULES.md's "Measures the rules use" defines them.

use super::phone::PhoneMention;
use crate::message::{AudioFacts, TimeRange, Transcript, PAUSE_THRESHOLD_S};
use crate::text::numbers;
use serde::Serialize;
use std::ops::Range;

/// When the words' first start or last end reaches further than this
/// outside the audio's detected speech, the audio's edge is taken: the
/// signal is the authority on *when* (DESIGN.md, "Timing you can trust").
pub const SPAN_DISAGREEMENT_S: f64 = 0.15;

/// Timing of a message. Time fields are `None` when neither the transcript
/// nor the audio says when anything was said.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Timing {
    /// Length of the recording, seconds.
    pub duration: Option<f64>,
    /// First word start to last word end; each edge from the audio's
    /// detected speech when the words reach outside it by more than
    /// [`SPAN_DISAGREEMENT_S`], or have no times.
    pub speech: Option<TimeRange>,
    /// Speech span minus pauses over 1 s inside it.
    pub speaking_time: Option<f64>,
    /// Words a listener hears ([`spoken_words`]).
    pub spoken_words: usize,
    pub words_per_minute: Option<f64>,
    /// Pauses over 1 s inside the speech span.
    pub pauses: Vec<TimeRange>,
}

/// Words a listener hears in transcript words `words`: the one count
/// behind words per minute and VM213 (RULES.md, "Measures the rules use").
///
/// Inside a phone-number mention each digit is a word, however it is
/// written ("555 212 3456" and "555-212-3456" are 10 each; "double five" is
/// two words); its extension is said as a short number or digit by digit
/// ([`numbers::extension_word_count`]: "extension 12" is two words,
/// "extension 204" four). Anywhere else a token is the words said for it
/// ([`numbers::spoken_word_count`]: "$1,455" is eight, "at 10" two).
/// Punctuation is nothing.
pub fn spoken_words(
    transcript: &Transcript,
    mentions: &[PhoneMention],
    words: Range<usize>,
) -> usize {
    words
        .filter_map(|i| transcript.words.get(i).map(|w| (i, w)))
        .map(
            |(i, w)| match mentions.iter().find(|m| m.words.contains(&i)) {
                Some(m) => mention_word(transcript, m, i),
                None => numbers::spoken_word_count(&w.text),
            },
        )
        .sum()
}

/// Words said for word `i` of mention `m` (see [`spoken_words`]).
fn mention_word(transcript: &Transcript, m: &PhoneMention, i: usize) -> usize {
    let text = |k: usize| transcript.words.get(k).map_or("", |w| w.text.as_str());
    let is_marker = |k: usize| {
        let t = crate::text::unpunctuated(text(k)).to_ascii_lowercase();
        matches!(t.as_str(), "extension" | "ext" | "x")
    };
    let word = text(i);
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let after_marker = m.extension.is_some() && (m.words.start..i).any(is_marker);
    if after_marker && digits > 0 {
        numbers::extension_word_count(word)
    } else if digits > 0 && !is_marker(i) {
        // "x204" written as one token is the marker and its digits.
        if crate::text::unpunctuated(word).starts_with(['x', 'X']) {
            numbers::spoken_word_count(word)
        } else {
            digits
        }
    } else {
        numbers::spoken_word_count(word)
    }
}

/// Measure a message's timing from its words (times, when they have them)
/// and, failing that, from the audio's own speech detection.
///
/// `unwritten` are sounds a listener hears as words that the transcript
/// does not have — the fillers only the audio found. RULES.md counts
/// fillers in WPM, and a gap holding one is not silence. `retimed` are
/// where the audio heard fillers the transcript has but times elsewhere
/// (`analyze::fillers`): not counted again, but their gap is not silence
/// either.
pub fn analyze(
    transcript: &Transcript,
    mentions: &[PhoneMention],
    audio: Option<&AudioFacts>,
    unwritten: &[TimeRange],
    retimed: &[TimeRange],
) -> Timing {
    let spoken_words =
        spoken_words(transcript, mentions, 0..transcript.words.len()) + unwritten.len();
    let duration = audio.map(|a| a.duration);

    let mut timed: Vec<TimeRange> = transcript.words.iter().filter_map(|w| w.time).collect();
    let all_timed = !timed.is_empty() && timed.len() == transcript.words.len();
    if all_timed && !(unwritten.is_empty() && retimed.is_empty()) {
        timed.extend_from_slice(unwritten);
        timed.extend_from_slice(retimed);
        timed.sort_by(|a, b| a.start.total_cmp(&b.start));
    }
    let (speech, pauses) = if all_timed {
        let start = timed.iter().map(|t| t.start).fold(f64::INFINITY, f64::min);
        let end = timed
            .iter()
            .map(|t| t.end)
            .fold(f64::NEG_INFINITY, f64::max);
        let mut pauses = Vec::new();
        let mut last_end = start;
        for t in &timed {
            if t.start - last_end > PAUSE_THRESHOLD_S {
                pauses.push(TimeRange::new(last_end, t.start));
            }
            last_end = last_end.max(t.end);
        }
        let span = audio_edges(TimeRange::new(start, end), audio.and_then(|a| a.speech));
        // A gap the audio's span leaves out is silence before or after the
        // message, not a pause in it.
        let pauses = pauses
            .into_iter()
            .map(|p| TimeRange::new(p.start.max(span.start), p.end.min(span.end)))
            .filter(|p| p.duration() > PAUSE_THRESHOLD_S)
            .collect();
        (Some(span), pauses)
    } else if let Some(a) = audio {
        (
            a.speech,
            a.pauses
                .iter()
                .filter(|p| p.duration() > PAUSE_THRESHOLD_S)
                .copied()
                .collect(),
        )
    } else {
        (None, Vec::new())
    };

    let speaking_time = speech.map(|s| {
        let paused: f64 = pauses.iter().map(TimeRange::duration).sum();
        (s.duration() - paused).max(0.0)
    });
    let words_per_minute = speaking_time
        .filter(|t| *t > 0.0 && spoken_words > 0)
        .map(|t| spoken_words as f64 / t * 60.0);

    Timing {
        duration,
        speech,
        speaking_time,
        spoken_words,
        words_per_minute,
        pauses,
    }
}

/// The words' span with each edge replaced by the audio's where they disagree.
fn audio_edges(words: TimeRange, audio: Option<TimeRange>) -> TimeRange {
    let Some(a) = audio else {
        return words;
    };
    // The audio's edge only when the words reach outside it: Whisper's
    // first word at 0.00 s after dead air, or a segment's words piled past
    // the last sound. Words well inside the detected speech have been laid
    // on its sound already (`analyze::align`); the detection's own edge
    // then holds noise or a breath (on the development set's noisy
    // messages it ran a steady 0.49 s past the last word).
    let start = if words.start < a.start - SPAN_DISAGREEMENT_S {
        a.start
    } else {
        words.start
    };
    let end = if words.end > a.end + SPAN_DISAGREEMENT_S {
        a.end
    } else {
        words.end
    };
    if end > start {
        TimeRange::new(start, end)
    } else {
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timed(words: &[(&str, f64, f64)]) -> Transcript {
        Transcript::from_timed_words(
            words
                .iter()
                .map(|(w, s, e)| (w.to_string(), Some(TimeRange::new(*s, *e)), None)),
        )
    }

    /// Seven words, a 1.5 s pause after the fifth.
    fn with_a_pause() -> Transcript {
        timed(&[
            ("Hi", 0.5, 0.7),
            ("Sarah,", 0.75, 1.1),
            ("this", 1.2, 1.4),
            ("is", 1.45, 1.55),
            ("Mike.", 1.6, 2.0),
            ("Call", 3.5, 3.8),
            ("me.", 3.85, 4.0),
        ])
    }

    #[test]
    fn span_pauses_and_wpm_from_word_times() {
        let t = with_a_pause();
        let timing = analyze(&t, &[], None, &[], &[]);
        let speech = timing.speech.unwrap();
        assert!((speech.start - 0.5).abs() < 1e-9 && (speech.end - 4.0).abs() < 1e-9);
        assert_eq!(timing.pauses.len(), 1);
        assert!((timing.pauses[0].duration() - 1.5).abs() < 1e-9);
        let speaking = timing.speaking_time.unwrap();
        assert!((speaking - 2.0).abs() < 1e-9, "{speaking}");
        assert_eq!(timing.spoken_words, 7);
        assert!((timing.words_per_minute.unwrap() - 7.0 / 2.0 * 60.0).abs() < 1e-9);
    }

    #[test]
    fn a_filler_only_the_audio_heard_is_a_word_and_breaks_the_pause() {
        let t = with_a_pause();
        // An "um" from 2.4 to 2.9 s leaves 0.4 s and 0.6 s of silence: no pause.
        let timing = analyze(&t, &[], None, &[TimeRange::new(2.4, 2.9)], &[]);
        assert!(timing.pauses.is_empty(), "{:?}", timing.pauses);
        assert_eq!(timing.spoken_words, 8);
        let speaking = timing.speaking_time.unwrap();
        assert!((speaking - 3.5).abs() < 1e-9, "{speaking}");
        assert!((timing.words_per_minute.unwrap() - 8.0 / 3.5 * 60.0).abs() < 1e-9);
        // One at the very start moves the span's start.
        let early = analyze(&t, &[], None, &[TimeRange::new(0.0, 0.4)], &[]);
        assert!((early.speech.unwrap().start - 0.0).abs() < 1e-9);
    }

    #[test]
    fn a_filler_written_but_heard_elsewhere_breaks_the_pause_without_counting_twice() {
        let t = with_a_pause();
        // The transcript's words already hold the "um"; the audio heard it
        // in the gap.
        let timing = analyze(&t, &[], None, &[], &[TimeRange::new(2.4, 2.9)]);
        assert!(timing.pauses.is_empty(), "{:?}", timing.pauses);
        assert_eq!(timing.spoken_words, 7);
        assert!((timing.words_per_minute.unwrap() - 7.0 / 3.5 * 60.0).abs() < 1e-9);
    }

    #[test]
    fn a_written_number_counts_its_digits() {
        let t = timed(&[("Call", 0.0, 0.3), ("555-0199", 0.4, 3.0)]);
        let timing = analyze(&t, &[], None, &[], &[]);
        assert_eq!(timing.spoken_words, 8);
    }

    /// The count of words said, as WPM and VM213 both use it.
    fn said(text: &str) -> usize {
        let t = Transcript::from_text(text);
        let mentions = crate::analyze::phone::find_mentions(&t);
        spoken_words(&t, &mentions, 0..t.words.len())
    }

    #[test]
    fn a_phone_number_is_a_word_per_digit_however_written() {
        // Three digit groups are ten digits said, not "five hundred fifty
        // five, two hundred twelve, thirty four fifty six".
        assert_eq!(said("Call 555 212 3456."), 11);
        assert_eq!(said("Call 555-212-3456."), 11);
        assert_eq!(said("Call (555) 212-3456."), 11);
        assert_eq!(
            said("Call five five five two one two three four five six."),
            11
        );
        // Outside a number, the words said for it: "at ten", "twelve percent".
        assert_eq!(said("I'll try you at 10."), 5);
        assert_eq!(said("We cut costs 12%."), 5);
        // WPM counts the same way.
        let t = timed(&[
            ("Call", 0.0, 0.3),
            ("555", 0.4, 1.0),
            ("212", 1.0, 1.6),
            ("3456.", 1.6, 2.4),
        ]);
        let mentions = crate::analyze::phone::find_mentions(&t);
        assert_eq!(mentions.len(), 1);
        assert_eq!(analyze(&t, &mentions, None, &[], &[]).spoken_words, 11);
    }

    #[test]
    fn an_extension_is_a_short_number_or_its_digits() {
        // "extension twelve": the marker and one word.
        assert_eq!(said("Call 555-245-8080 extension 12."), 13);
        assert_eq!(said("Call 555-245-8080 extension 30."), 13);
        // "extension two oh four": a word per digit.
        assert_eq!(said("Call 555-245-8080 extension 204."), 15);
        assert_eq!(said("Call 555-245-8080 x204."), 15);
        assert_eq!(said("Call 555-245-8080 x12."), 13);
    }

    /// One word without a time makes the word times incomplete: the span
    /// and pauses come from the audio, as for an untimed transcript (a
    /// mutant reading "some words timed" as enough went uncaught).
    #[test]
    fn partly_timed_words_use_audio_speech() {
        let t = Transcript::from_timed_words([
            ("Hi".to_string(), Some(TimeRange::new(0.2, 0.4)), None),
            ("there".to_string(), None, None),
        ]);
        let audio = AudioFacts {
            duration: 5.0,
            speech: Some(TimeRange::new(1.0, 4.0)),
            pauses: vec![TimeRange::new(2.0, 3.5)],
            prosody: None,
            filler_candidates: Vec::new(),
        };
        let timing = analyze(&t, &[], Some(&audio), &[TimeRange::new(0.5, 0.9)], &[]);
        assert_eq!(timing.speech, Some(TimeRange::new(1.0, 4.0)));
        assert_eq!(timing.pauses, [TimeRange::new(2.0, 3.5)]);
        assert_eq!(timing.spoken_words, 3);
    }

    #[test]
    fn the_audio_edge_is_taken_only_past_the_disagreement_margin() {
        let audio = |s: f64, e: f64| Some(TimeRange::new(s, e));
        let words = |s: f64, e: f64| TimeRange::new(s, e);
        // Exactly at the margin: the words' edges stand.
        let at = words(2.0 - SPAN_DISAGREEMENT_S, 5.0 + SPAN_DISAGREEMENT_S);
        assert_eq!(audio_edges(at, audio(2.0, 5.0)), at);
        // Well past it: the audio's.
        assert_eq!(
            audio_edges(words(0.0, 7.0), audio(2.0, 5.0)),
            words(2.0, 5.0)
        );
        // Edges that would meet (the words end where the audio starts):
        // the words' span stays, never an empty one.
        assert_eq!(
            audio_edges(words(0.0, 5.0), audio(5.0, 6.0)),
            words(0.0, 5.0)
        );
    }

    #[test]
    fn pauses_of_exactly_the_threshold_are_not_pauses_and_no_speaking_time_has_no_rate() {
        let t = Transcript::from_text("Hi there");
        let audio = AudioFacts {
            duration: 5.0,
            speech: Some(TimeRange::new(1.0, 4.0)),
            pauses: vec![TimeRange::new(2.0, 2.0 + PAUSE_THRESHOLD_S)],
            prosody: None,
            filler_candidates: Vec::new(),
        };
        let timing = analyze(&t, &[], Some(&audio), &[], &[]);
        assert!(timing.pauses.is_empty(), "{:?}", timing.pauses);
        // A gap the audio's span cuts down to exactly the threshold: Whisper's
        // first word at 0.00 s, the speech heard from 1.5 s, the next word at
        // 2.5 s. What is left of the gap is no pause either.
        let t = timed(&[("Hi", 0.0, 0.25), ("there", 2.5, 3.0), ("Sam", 3.0, 3.5)]);
        let audio = AudioFacts {
            speech: Some(TimeRange::new(1.5, 3.5)),
            pauses: Vec::new(),
            ..audio
        };
        let timing = analyze(&t, &[], Some(&audio), &[], &[]);
        assert_eq!(timing.speech, Some(TimeRange::new(1.5, 3.5)));
        assert!(timing.pauses.is_empty(), "{:?}", timing.pauses);
        // Words all at one instant: no speaking time, so no rate.
        let t = timed(&[("Hi", 1.0, 1.0), ("there", 1.0, 1.0)]);
        let timing = analyze(&t, &[], None, &[], &[]);
        assert_eq!(timing.speaking_time, Some(0.0));
        assert_eq!(timing.words_per_minute, None);
        // Speech heard but no words: no rate either (not 0 wpm).
        let timing = analyze(&Transcript::default(), &[], Some(&audio), &[], &[]);
        assert_eq!(timing.spoken_words, 0);
        assert_eq!(timing.words_per_minute, None);
    }

    #[test]
    fn untimed_text_uses_audio_speech() {
        let t = Transcript::from_text("Hi there");
        let audio = AudioFacts {
            duration: 5.0,
            speech: Some(TimeRange::new(1.0, 4.0)),
            pauses: vec![TimeRange::new(2.0, 3.5), TimeRange::new(3.6, 3.9)],
            prosody: None,
            filler_candidates: Vec::new(),
        };
        let timing = analyze(&t, &[], Some(&audio), &[], &[]);
        assert_eq!(timing.duration, Some(5.0));
        assert_eq!(timing.pauses.len(), 1);
        assert!((timing.speaking_time.unwrap() - 1.5).abs() < 1e-9);
    }

    #[test]
    fn typed_text_has_no_times() {
        let timing = analyze(
            &Transcript::from_text("Hi Sarah, call me."),
            &[],
            None,
            &[],
            &[],
        );
        assert_eq!(timing.speech, None);
        assert_eq!(timing.words_per_minute, None);
        assert_eq!(timing.spoken_words, 4);
    }

    #[test]
    fn the_audio_decides_the_span_when_the_words_disagree() {
        // Whisper's first word at 0.00 s after 3.2 s of silence.
        let t = timed(&[("Hi", 0.0, 1.0), ("there.", 3.5, 4.0)]);
        let audio = AudioFacts {
            duration: 5.0,
            speech: Some(TimeRange::new(3.2, 4.05)),
            ..AudioFacts::default()
        };
        let timing = analyze(&t, &[], Some(&audio), &[], &[]);
        // Start from the audio (3.2 s away); end within 150 ms: the words'.
        assert_eq!(timing.speech, Some(TimeRange::new(3.2, 4.0)));
        assert!(timing.pauses.is_empty(), "{:?}", timing.pauses);
        // Nothing to disagree with: the words' own span.
        assert_eq!(
            analyze(&t, &[], None, &[], &[]).speech,
            Some(TimeRange::new(0.0, 4.0))
        );
        // Words inside the detected speech keep their edges: the detection
        // ran on through noise after the last word.
        let t = timed(&[("Hi", 3.3, 3.6), ("there.", 3.7, 4.0)]);
        let noisy = AudioFacts {
            duration: 5.0,
            speech: Some(TimeRange::new(3.2, 4.5)),
            ..AudioFacts::default()
        };
        assert_eq!(
            analyze(&t, &[], Some(&noisy), &[], &[]).speech,
            Some(TimeRange::new(3.3, 4.0))
        );
    }
}
