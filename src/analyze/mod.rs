//! Timing and phone-number analysis of a transcript (with word times when
//! the transcript came from audio).

pub mod align;
pub mod fillers;
pub mod phone;
pub(crate) mod timing;

use crate::message::Message;
use serde::Serialize;

pub use phone::{Callback, PhoneMention, PhoneNumber};
pub use timing::Timing;

/// What the analysis found; the rules read this beside the [`Message`].
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Analysis {
    pub timing: Timing,
    pub phone_mentions: Vec<PhoneMention>,
    /// Mentions grouped by number, most said first.
    pub phone_numbers: Vec<PhoneNumber>,
    /// The callback number (the rep's own, or the one said most) and its
    /// mentions; `None` when none is given and no whole number was said.
    pub callback: Option<Callback>,
    /// Fillers from the transcript and from the audio, in time order.
    pub fillers: Vec<fillers::Filler>,
    /// Runs of 4 to 6 digits where a callback number goes ("my number is
    /// 555-21"): a number said but not heard whole.
    pub phone_fragments: Vec<PhoneMention>,
}

impl Analysis {
    /// The whole number mention `i` is a mention of (perhaps misheard), if
    /// it is one's.
    pub fn whole_number_of(&self, i: usize) -> Option<&PhoneNumber> {
        self.phone_numbers
            .iter()
            .find(|n| n.whole && n.mentions.contains(&i))
    }

    /// Mention `i` can be taken down as a number: its digits are whole, or
    /// it is a misheard form of a whole number said elsewhere, or it is a
    /// mention of the callback number (which may be heard one digit off,
    /// the same way twice: see `phone::callback`).
    pub fn mention_readable(&self, i: usize) -> bool {
        self.phone_mentions.get(i).is_some_and(|m| m.whole)
            || self.whole_number_of(i).is_some()
            || self
                .callback
                .as_ref()
                .is_some_and(|c| c.mentions.contains(&i))
    }

    /// Mention `i` as a finding names it: its number in the one display
    /// format, and how it was heard when that differs ("555-212-3456 (heard
    /// as 552-123-456)").
    pub fn mention_shown(&self, i: usize) -> String {
        let Some(m) = self.phone_mentions.get(i) else {
            return String::new();
        };
        match self.whole_number_of(i) {
            Some(n) if !phone::number::same_number(&n.digits, &m.digits) => format!(
                "{} (heard as {})",
                phone::format_number(&n.digits),
                phone::format_number(&m.digits)
            ),
            _ => phone::format_number(&m.digits),
        }
    }

    /// What was said as a number but cannot be read as one, in the order
    /// said: mentions of numbers that are not whole (cut short, garbled,
    /// rattled off) and not a form of the callback number, and fragments.
    pub fn unclear_mentions(&self) -> Vec<&PhoneMention> {
        let callback = self.callback.as_ref();
        let mut unclear: Vec<&PhoneMention> = self
            .phone_numbers
            .iter()
            .filter(|n| {
                !n.whole
                    && !callback.is_some_and(|c| n.mentions.iter().any(|i| c.mentions.contains(i)))
            })
            .flat_map(|n| {
                n.mentions
                    .iter()
                    .filter_map(|&i| self.phone_mentions.get(i))
            })
            .chain(&self.phone_fragments)
            .collect();
        unclear.sort_by_key(|m| m.span.start);
        unclear
    }
}

/// Run every analysis on a message, with the default rules' digit-rate
/// limit ([`analyze_with`]).
pub fn analyze(message: &Message) -> Analysis {
    analyze_with(
        message,
        crate::rules::RuleConfig::default().max_digits_per_second,
    )
}

/// Run every analysis on a message. `readable_rate` is the digit rate a
/// listener can follow (VM105's limit, `max_digits_per_second`): a number
/// said once no faster, with a digit lost by Whisper, is still the
/// callback number ([`phone::callback`]).
pub fn analyze_with(message: &Message, readable_rate: f64) -> Analysis {
    let (phone_mentions, phone_fragments) = phone::scan(&message.transcript);
    let phone_numbers = phone::group(&phone_mentions);
    let callback = phone::callback(
        &phone_mentions,
        &phone_numbers,
        message.context.number.as_deref(),
        readable_rate,
    );
    let number_times: Vec<_> = phone_mentions
        .iter()
        .chain(&phone_fragments)
        .filter_map(|m| m.time)
        .collect();
    let fillers = fillers::find(
        message,
        &crate::text::TextView::new(&message.transcript),
        &number_times,
    );
    // Fillers only the audio heard are words a listener hears, too; and
    // where it heard one the transcript times elsewhere is not silence.
    let times_of = |keep: &dyn Fn(&fillers::Filler) -> bool| -> Vec<_> {
        fillers
            .iter()
            .filter(|f| keep(f))
            .filter_map(|f| f.time)
            .collect()
    };
    let unwritten = times_of(&|f| f.witness == fillers::Witness::Audio);
    let retimed = times_of(&|f| f.retimed);
    let timing = timing::analyze(
        &message.transcript,
        &phone_mentions,
        message.audio.as_ref(),
        &unwritten,
        &retimed,
    );
    Analysis {
        timing,
        phone_mentions,
        phone_numbers,
        callback,
        fillers,
        phone_fragments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{Context, Transcript};

    fn analysis(text: &str) -> Analysis {
        analyze(&Message {
            transcript: Transcript::from_text(text),
            audio: None,
            context: Context::default(),
        })
    }

    #[test]
    fn a_mention_is_readable_when_whole_a_form_of_a_whole_number_or_the_callback() {
        // The callback said twice; an office number said whole, then one
        // digit short.
        let a = analysis(
            "My number is 555-212-3456. Again, 555-212-3456. Or my office, \
             555-987-6543, that's 555-987-654.",
        );
        let digits: Vec<_> = a.phone_mentions.iter().map(|m| m.digits.as_str()).collect();
        assert_eq!(
            digits,
            ["5552123456", "5552123456", "5559876543", "555987654"]
        );
        // Whole, not the callback.
        assert!(a.mention_readable(2));
        // Not whole, not the callback, but a form of the office number.
        assert_eq!(
            a.whole_number_of(3).map(|n| n.digits.as_str()),
            Some("5559876543")
        );
        assert!(a.mention_readable(3));
        assert!(a.mention_readable(0) && a.mention_readable(1));
        assert!(!a.mention_readable(4), "no such mention");
    }

    #[test]
    fn fillers_only_the_audio_heard_count_as_words_once() {
        use crate::message::{AudioFacts, FillerCandidate, TimeRange};
        // "Hi Dana, um, this is Sam." with the "um" written, and two "uh"s
        // only the audio heard in the gap before "Sam".
        let timed = [
            ("Hi", 0.5, 0.7),
            ("Dana,", 0.75, 1.1),
            ("um,", 1.3, 1.6),
            ("this", 1.8, 2.0),
            ("is", 2.05, 2.2),
            ("Sam.", 3.1, 3.5),
        ];
        let transcript = Transcript::from_timed_words(
            timed
                .iter()
                .map(|&(w, a, b)| (w.to_string(), Some(TimeRange::new(a, b)), None)),
        );
        let candidate = |a: f64, b: f64| FillerCandidate {
            time: TimeRange::new(a, b),
            pitch_spread_st: 0.2,
            flux_db: 1.0,
            level_slope_db: 0.0,
            nasal_end: false,
            quiet_before_s: 0.2,
            quiet_after_s: 0.2,
            confidence: 1.0,
        };
        let audio = AudioFacts {
            duration: 4.0,
            speech: Some(TimeRange::new(0.5, 3.5)),
            filler_candidates: vec![
                candidate(1.3, 1.6),
                candidate(2.3, 2.55),
                candidate(2.7, 2.95),
            ],
            ..AudioFacts::default()
        };
        let a = analyze(&Message {
            transcript,
            audio: Some(audio),
            context: Context::default(),
        });
        let kinds: Vec<_> = a
            .fillers
            .iter()
            .map(|f| (f.kind.as_str(), f.witness))
            .collect();
        assert_eq!(
            kinds,
            [
                ("um", fillers::Witness::Transcript),
                ("uh", fillers::Witness::Audio),
                ("uh", fillers::Witness::Audio)
            ]
        );
        // Six written words (the "um" among them) and the two heard.
        assert_eq!(a.timing.spoken_words, 8);
    }

    #[test]
    fn a_cut_short_number_of_its_own_is_not_readable() {
        let a = analysis("Call 555-212-3456. Again 555-212-3456. Also 415-331-92.");
        assert_eq!(a.phone_mentions[2].digits, "41533192");
        assert!(a.whole_number_of(2).is_none());
        assert!(!a.mention_readable(2));
        assert_eq!(
            a.whole_number_of(0).map(|n| n.digits.as_str()),
            Some("5552123456")
        );
    }
}
