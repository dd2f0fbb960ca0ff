//! Phone numbers: the one place that decides what a number is. Mentions as
//! RULES.md's "Phone numbers, as spoken" defines them, which mentions are
//! the same number, which is the callback number, and how a number is shown.
//! The rules, the reports and the configuration read this module; none
//! re-derives digits.
//!
//! A mention is any run a listener would dial: written digits in any
//! punctuation ("(555) 212-3456", "+1 555 212 3456"), spoken digits ("five
//! five five, two one two"), "oh" for zero, "double five", "eight hundred",
//! two-digit groups ("fifty five", "twelve twelve"), or a mix, at least seven
//! digits long, with an optional extension. Numbers that are not dialled —
//! years, prices, times, dates, counts, percentages — are left out.
//!
//! Whisper's own spellings are read too: a digit written as a word that
//! sounds like it ("775 301 for 418", "441a" for …eight), dots as separators
//! ("801.5555. 0072"). Such a guess stands only when it completes a whole
//! number, so "2019 to 2021" stays two years. A run heard with a digit
//! missing ("552123456") is kept as a mention that is not `whole`: beside a
//! whole form of the same number it counts as that number ([`group`]); on
//! its own it is a number the rep said but no one could make out.
//!
//! The work is done in steps: each transcript word becomes "atoms"
//! (written digit groups, number words, homophones, extension markers,
//! other words); consecutive number atoms form a run, which is read into
//! digit groups (`groups`); the groups are trimmed of context that makes
//! them a year, time or amount (`context`), split where one number ends and
//! the next starts (`split`), and kept when seven digits or more remain.
//! `grouping` then groups the mentions and finds the callback number;
//! `number` holds what a digit string is: whole or not, the same number or
//! not, and its display form.

mod atoms;
mod context;
mod grouping;
mod groups;
pub mod number;
pub mod reread;
mod split;

use crate::message::{TextRange, TimeRange, Transcript};
use atoms::{atomize, Atom, Kind};
use context::{
    hour_prefix, time_prefix, word_after, word_before, year_prefix, TIME_WORDS, UNIT_WORDS,
    YEAR_WORDS,
};
pub use grouping::{callback, group, Callback};
use groups::read_groups;
pub use number::format_number;
use serde::Serialize;
use split::{is_whole_number, join_sentences, split_numbers};
use std::ops::Range;

/// Fewest digits a mention has (a local number without area code).
pub const MIN_DIGITS: usize = 7;
/// Most digits of one mention (the longest international number, E.164).
pub const MAX_DIGITS: usize = 15;
/// Most digits of an extension.
const MAX_EXTENSION_DIGITS: usize = 6;

/// One time a number was said (or written).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhoneMention {
    /// The digits a listener would dial, country code included if said.
    pub digits: String,
    /// Extension digits ("extension 204"), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// Where it stands in the transcript text (the extension included).
    pub span: TextRange,
    /// Indices of the transcript words it covers.
    #[serde(skip)]
    pub words: Range<usize>,
    /// From the start of its first digit word to the end of its last, with
    /// audio. The extension is not part of it: the rate is that of the number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeRange>,
    /// Digit count / duration, with audio.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digits_per_second: Option<f64>,
    /// The digits as heard make a number a listener could dial (see
    /// [`number::is_whole`]); false for a number cut short or garbled
    /// ("552123456"), which counts only beside a whole form of it.
    pub whole: bool,
    /// Said right after a callback cue ("call me at", "my number is").
    #[serde(skip)]
    pub cued: bool,
}

/// Mentions of the same number, grouped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhoneNumber {
    /// The longest whole form of the number that was said (else the
    /// longest form heard).
    pub digits: String,
    /// How many times it was said.
    pub count: usize,
    /// Indices into the mention list.
    pub mentions: Vec<usize>,
    /// Some mention of it is a number a listener could dial.
    pub whole: bool,
    /// Other forms it was heard as, a digit missing, added or changed
    /// ("775301441" beside 7753014418), in the order said.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub heard_as: Vec<String>,
}

/// Find every phone-number mention in a transcript, in order.
pub fn find_mentions(transcript: &Transcript) -> Vec<PhoneMention> {
    scan(transcript).0
}

/// Fewest digits of a fragment: fewer is a time or a count ("call me at 10").
const MIN_FRAGMENT_DIGITS: usize = 4;

/// Mentions and fragments, in one pass over the transcript. Fragments are
/// runs of 4 to 6 digits said right where a callback number goes ("my
/// number is 555-21.", "call me at five five two one"): too short for a
/// number, so the rep said one that was not heard whole — rattled off or
/// garbled. Shaped like mentions (never `whole`), in order.
pub fn scan(transcript: &Transcript) -> (Vec<PhoneMention>, Vec<PhoneMention>) {
    let atoms = atomize(transcript);
    let mut mentions = Vec::new();
    let mut fragments = Vec::new();
    let mut i = 0;
    while i < atoms.len() {
        if !atoms[i].kind.starts_run() {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < atoms.len() && atoms[end].kind.in_run() {
            end += 1;
        }
        let cued = callback_cue(&atoms, i);
        let mut found = read_run(&atoms, i..end);
        if found.is_empty() && cued {
            found.extend(read_cued_run(&atoms, i..end));
        }
        // An extension belongs to the number that ends the run.
        let ends_at_run_end = found
            .last()
            .is_some_and(|m| last_number_atom(&atoms, i..end) == Some(m.last_atom));
        let mut next = end;
        if ends_at_run_end {
            if let Some((extension, last_atom, after)) = read_extension(&atoms, end) {
                if let Some(m) = found.last_mut() {
                    m.extension = Some(extension);
                    m.ext_last_atom = Some(last_atom);
                }
                next = after;
            }
        }
        if found.is_empty() && cued {
            fragments.extend(read_fragment(&atoms, i..end).map(|m| m.finish(&atoms, transcript)));
        }
        mentions.extend(found.into_iter().map(|m| PhoneMention {
            cued,
            ..m.finish(&atoms, transcript)
        }));
        i = next.max(i + 1);
    }
    (mentions, fragments)
}

/// The words before atom `start` say a callback number comes next: "call
/// me at" (or, as Whisper writes it, "call me that"), "reach me back at",
/// "my number is", "number's".
fn callback_cue(atoms: &[Atom], start: usize) -> bool {
    let mut words = atoms[..start]
        .iter()
        .rev()
        .filter(|a| a.kind != Kind::Sep)
        .map(|a| match &a.kind {
            Kind::Other(w) => w.as_str(),
            _ => "",
        });
    let (w1, w2, w3) = (
        words.next().unwrap_or(""),
        words.next().unwrap_or(""),
        words.next().unwrap_or(""),
    );
    // Whisper often writes "call me at" as "call me that".
    matches!(
        (w2, w1),
        ("me" | "back", "at") | ("number", "is") | (_, "number" | "number's" | "number’s")
    ) || (w3, w2, w1) == ("call", "me", "that")
}

/// After a callback cue, written digits that Whisper grouped so that no
/// group can be read with its neighbours ("415-050133", "312806-749",
/// "5125, 01912": a group of 5, 6, 8 or 9 digits stands alone), together
/// 7 to 11 digits in one sentence: the callback number as heard, in one
/// mention (not whole unless it is). Spoken digits are read by their own
/// groups.
fn read_cued_run(atoms: &[Atom], run: Range<usize>) -> Option<Found> {
    let segments = read_groups(atoms, run, false);
    let mut groups: Vec<groups::Group> = Vec::new();
    'sentence: for segment in &segments {
        for g in segment {
            if g.form != groups::Form::Written || g.guessed {
                return None;
            }
            groups.push(g.clone());
            if g.stop_after {
                break 'sentence;
            }
        }
    }
    let digits: String = groups.iter().map(|g| g.digits.as_str()).collect();
    // "call me at 10, 20045": an hour first is a time, not an area code.
    if !(MIN_DIGITS..=MAX_CUED_DIGITS).contains(&digits.len()) || hour_prefix(&groups) > 0 {
        return None;
    }
    Found::spanning(digits, &groups)
}

/// Most digits [`read_cued_run`] takes: a North American number with its 1.
const MAX_CUED_DIGITS: usize = 11;

/// The first digit groups of a run cued as a callback number, when they
/// are too few for a number but more than a time or a count.
fn read_fragment(atoms: &[Atom], run: Range<usize>) -> Option<Found> {
    let groups = read_groups(atoms, run, false).into_iter().next()?;
    let digits: String = groups.iter().map(|g| g.digits.as_str()).collect();
    let year = digits.len() == 4
        && digits
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2099).contains(&y));
    // "call me at ten thirty" is a time, "my number is twenty twenty five" a year.
    let dated = time_prefix(&groups) > 0 || year_prefix(&groups) > 0;
    if !(MIN_FRAGMENT_DIGITS..MIN_DIGITS).contains(&digits.len()) || year || dated {
        return None;
    }
    Found::spanning(digits, &groups)
}

/// What the report adds after a number: "" when every mention was heard
/// alike, " (heard as 775-301-4418 and 775-301-441)" when one was heard with
/// a digit missing or changed, " (not a whole number)" for digits no
/// listener could dial.
pub fn heard_note(n: &PhoneNumber) -> String {
    let mut note = String::new();
    if !n.heard_as.is_empty() {
        let forms: Vec<String> = std::iter::once(&n.digits)
            .chain(&n.heard_as)
            .map(|d| format_number(d))
            .collect();
        let (last, rest) = forms.split_last().unwrap_or((&n.digits, &[]));
        note = format!(" (heard as {} and {last})", rest.join(", "));
    }
    if !n.whole {
        note.push_str(" (not a whole number)");
    }
    note
}

/// A mention before its times and spans are filled in.
struct Found {
    digits: String,
    extension: Option<String>,
    first_atom: usize,
    last_atom: usize,
    ext_last_atom: Option<usize>,
}

impl Found {
    /// `digits` read from `groups`, spanning their atoms; `None` for no groups.
    fn spanning(digits: String, groups: &[groups::Group]) -> Option<Found> {
        Some(Found {
            digits,
            extension: None,
            first_atom: groups.first()?.first_atom,
            last_atom: groups.last()?.last_atom,
            ext_last_atom: None,
        })
    }

    fn finish(self, atoms: &[Atom], transcript: &Transcript) -> PhoneMention {
        let first = &atoms[self.first_atom];
        let last = &atoms[self.last_atom];
        let end_atom = &atoms[self.ext_last_atom.unwrap_or(self.last_atom)];
        let time = match (
            transcript.words.get(first.word).and_then(|w| w.time),
            transcript.words.get(last.word).and_then(|w| w.time),
        ) {
            (Some(a), Some(b)) => Some(TimeRange::new(a.start, b.end)),
            _ => None,
        };
        let digits_per_second = time
            .map(|t| t.duration())
            .filter(|d| *d > 0.0)
            .map(|d| self.digits.len() as f64 / d);
        // An international number is written with its "+".
        let plus = transcript
            .text
            .get(first.span.range())
            .is_some_and(|t| t.starts_with('+'));
        PhoneMention {
            cued: false,
            whole: number::is_whole(&self.digits, plus),
            digits: self.digits,
            extension: self.extension,
            span: TextRange::new(first.span.start, end_atom.span.end),
            words: first.word..end_atom.word + 1,
            time,
            digits_per_second,
        }
    }
}

fn last_number_atom(atoms: &[Atom], run: Range<usize>) -> Option<usize> {
    run.rev().find(|&i| atoms[i].kind.starts_run())
}

/// Read one run of number atoms into mentions (without extensions).
fn read_run(atoms: &[Atom], run: Range<usize>) -> Vec<Found> {
    let run_start = run.start;
    let run_end = run.end;
    let segments = read_groups(atoms, run, false);
    let segment_count = segments.len();
    let mut found = Vec::new();
    for (s, mut groups) in segments.into_iter().enumerate() {
        // Context before: "in 2025", "at ten thirty".
        if s == 0 {
            if let Some(before) = word_before(atoms, run_start) {
                let mut strip = 0;
                if YEAR_WORDS.contains(&before) {
                    strip = year_prefix(&groups);
                }
                if strip == 0 && TIME_WORDS.contains(&before) {
                    strip = time_prefix(&groups);
                }
                // "at five fifty-five, two one two, ..." is the area code, not
                // a time: keep the digits when they already make a whole number.
                let strip = strip.min(groups.len());
                if strip > 0 && !is_whole_number(&groups) {
                    groups.drain(..strip);
                }
                // "at 11 555 787 2323", "at nine five five five ...": an hour
                // alone, then a whole number. "at 1 800 555 1212" is whole
                // with its first digit, and keeps it.
                if strip == 0
                    && TIME_WORDS.contains(&before)
                    && hour_prefix(&groups) == 1
                    && !is_whole_number(&groups)
                    && is_whole_number(&groups[1..])
                {
                    groups.remove(0);
                }
            }
        }
        // Context after: "fourteen fifty-five dollars", "200 customers".
        if s + 1 == segment_count {
            let last = last_number_atom(atoms, run_start..run_end);
            let ends_run = groups.last().map(|g| g.last_atom) == last;
            if let (true, Some(last)) = (ends_run, last) {
                // Only a number standing on its own is a quantity: the last
                // group of "555-212-3456" is not, and "555-1212, second
                // line" has a comma between.
                let alone = groups.len() < 2
                    || groups
                        .get(groups.len().saturating_sub(2))
                        .is_some_and(|prev| atoms[prev.last_atom].word != atoms[last].word);
                if alone
                    && !atoms[last].punct_after
                    && word_after(atoms, last).is_some_and(|w| UNIT_WORDS.contains(&w))
                {
                    groups.pop();
                }
            }
        }
        for sentence in join_sentences(groups) {
            for piece in split_numbers(&sentence)
                .into_iter()
                .flat_map(drop_unsure_guesses)
            {
                let digits: String = piece.iter().map(|g| g.digits.as_str()).collect();
                if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) {
                    continue;
                }
                found.extend(Found::spanning(digits, piece));
            }
        }
    }
    found
}

/// A piece that reads a homophone as a digit ("775 301 for 418") stands
/// only when it is a whole number; otherwise the homophones were words
/// ("2019 to 2021") and the piece splits at them.
fn drop_unsure_guesses(piece: &[groups::Group]) -> Vec<&[groups::Group]> {
    if !piece.iter().any(|g| g.guessed) || is_whole_number(piece) {
        return vec![piece];
    }
    piece
        .split(|g| g.guessed)
        .filter(|p| !p.is_empty())
        .collect()
}

/// An extension after a number: "extension 204", "ext. two oh four",
/// "x204". Returns its digits, its last atom and the atom after it.
fn read_extension(atoms: &[Atom], start: usize) -> Option<(String, usize, usize)> {
    let mut i = start;
    while atoms.get(i).is_some_and(|a| a.kind == Kind::Sep) {
        i += 1;
    }
    match &atoms.get(i)?.kind {
        Kind::ExtDigits(d) if d.len() <= MAX_EXTENSION_DIGITS => Some((d.clone(), i, i + 1)),
        Kind::Ext => {
            let mut j = i + 1;
            while atoms.get(j).is_some_and(|a| a.kind == Kind::Sep) {
                j += 1;
            }
            let mut end = j;
            while end < atoms.len() && atoms[end].kind.in_run() {
                end += 1;
            }
            let segments = read_groups(atoms, j..end, true);
            let first = segments.into_iter().next()?;
            // The extension's own digits start right after the marker.
            if first.first()?.first_atom != j {
                return None;
            }
            let digits: String = first.iter().map(|g| g.digits.as_str()).collect();
            if digits.is_empty() || digits.len() > MAX_EXTENSION_DIGITS {
                return None;
            }
            let last = first.last()?.last_atom;
            Some((digits, last, last + 1))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits_of(text: &str) -> Vec<String> {
        find_mentions(&Transcript::from_text(text))
            .into_iter()
            .map(|m| m.digits)
            .collect()
    }

    #[test]
    fn written_and_spoken_basics() {
        assert_eq!(digits_of("call 555-212-3456 today"), ["5552123456"]);
        assert_eq!(
            digits_of("five five five, two one two, three four five six."),
            ["5552123456"]
        );
        assert_eq!(digits_of("in 2025 we grew"), Vec::<String>::new());
    }

    #[test]
    fn odd_groups_after_a_callback_cue_are_the_number_as_heard() {
        // Whisper's writings of 415-555-0133, 312-806-7749 and 512-555-0191
        // on the development set: one mention each, not whole.
        for (text, digits) in [
            ("Call me that. 415-050133. Thanks Nadia.", "415050133"),
            ("Call me at 312806-749. I'll call you again.", "312806749"),
            ("Well, reach me at 5125, 01912.", "512501912"),
            ("My number is 775-3014418.", "7753014418"),
        ] {
            let mentions = find_mentions(&Transcript::from_text(text));
            assert_eq!(mentions.len(), 1, "{text}");
            assert_eq!(mentions[0].digits, digits, "{text}");
            assert_eq!(mentions[0].whole, digits.len() == 10, "{text}");
        }
        // Without the cue, or across a sentence, or fewer than 7 digits: no
        // number.
        for text in [
            "We shipped 415-050133 last week.",
            "Call me at 415. 050133 is the order.",
            "Call me at 10, 20045.",
            "Tell me that 415-050133 arrived.",
        ] {
            assert_eq!(digits_of(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn a_number_said_once_after_a_cue_at_a_followable_pace_one_digit_off_is_the_callback() {
        // Times: "Call me that." then the number over `secs` seconds.
        let callback_of = |text: &str, secs: Option<f64>| {
            let mut t = Transcript::from_text(text);
            if let Some(secs) = secs {
                let n = t.words.len();
                for (k, w) in t.words.iter_mut().enumerate() {
                    let start = k as f64 * 0.4;
                    let end = if k + 2 == n {
                        start + secs
                    } else {
                        start + 0.3
                    };
                    w.time = Some(TimeRange::new(start, end));
                }
            }
            let mentions = find_mentions(&t);
            callback(&mentions, &group(&mentions), None, 2.5).map(|c| (c.digits, c.mentions))
        };
        let text = "Call me that. 415-050133. Thanks.";
        // Nine digits in 5 s (1.8 a second): Whisper lost one.
        assert_eq!(
            callback_of(text, Some(5.0)),
            Some(("415050133".to_string(), vec![0]))
        );
        // Rattled off (9 in 2 s), or no time known: could not be made out.
        assert_eq!(callback_of(text, Some(2.0)), None);
        assert_eq!(callback_of(text, None), None);
        // Not cued, or two digits off: no callback.
        assert_eq!(
            callback_of("We shipped 415-55-0133 today. Thanks.", Some(5.0)),
            None
        );
        assert_eq!(
            callback_of("Call me at 4150-5013. Thanks.", Some(5.0)),
            None
        );
    }

    #[test]
    fn an_hour_before_a_number_is_not_its_first_digits() {
        // Written hour, then a written number (tuning script 118).
        assert_eq!(
            digits_of("call me monday at 11 555 787 2323"),
            ["5557872323"]
        );
        assert_eq!(
            digits_of("i'll try you wednesday at 9 555 632 1190 again 555 632 1190"),
            ["5556321190", "5556321190"]
        );
        // Spoken hour, then spoken digits (tuning script 120).
        assert_eq!(
            digits_of(
                "i'll try you wednesday at nine five five five six three two one one nine zero"
            ),
            ["5556321190"]
        );
        assert_eq!(
            digits_of("call me by eleven five five five two one two three four five six"),
            ["5552123456"]
        );
        assert_eq!(digits_of("around 10 555 1212"), ["5551212"]);
        // Before "am": the hour ends where the word does.
        assert_eq!(digits_of("tomorrow at 11 am 555 787 2323"), ["5557872323"]);
        // The span starts at the number, not the hour.
        let t = Transcript::from_text("call me at 11 555 787 2323");
        let m = find_mentions(&t);
        assert_eq!(t.text.get(m[0].span.range()), Some("555 787 2323"));
    }

    #[test]
    fn digits_that_make_a_whole_number_with_the_first_are_kept() {
        // A real 11-digit number after "at": the 1 is the country code.
        assert_eq!(digits_of("call me at 1 800 555 1212"), ["18005551212"]);
        assert_eq!(
            digits_of("reach me at one eight hundred five five five one two one two"),
            ["18005551212"]
        );
        // "at 555 …" is the area code.
        assert_eq!(digits_of("call me at 555 212 3456"), ["5552123456"]);
        assert_eq!(
            digits_of("call me at five five five two one two three four five six"),
            ["5552123456"]
        );
        // An hour before digits that do not make a number on their own
        // changes nothing: the run stays as heard.
        assert_eq!(digits_of("at 9 555 632 119"), ["9555632119"]);
        // No cue word before: nothing is taken away.
        assert_eq!(digits_of("it's 9 555 632 1190"), ["95556321190"]);
    }
}
