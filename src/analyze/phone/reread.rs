//! A second listen to the numbers the first pass may have got wrong.
//!
//! Greedy decoding of a whole message misreads digits ("441a",
//! "5125551191") that beam search reads right on the same audio. Decoding
//! the whole message with beams costs a third more time; decoding only the
//! few seconds around a doubtful number costs a fraction of that. So after
//! the first pass, the numbers in doubt are cut out of the audio (their
//! span plus a margin, its edges moved to the nearest quiet moment) and
//! read again, and the second reading replaces the first only when it is
//! clearly better.
//!
//! In doubt ([`Because`]): a mention that is not a whole number, a run of
//! digits too short for one where a callback number goes (a fragment), the
//! mentions of a number heard two ways, and a mention one digit off the
//! rep's own number.
//!
//! Clearly better ([`decide`]): the re-read is a whole number, it contains
//! what the first pass heard (all but one digit of it, in order: nothing is
//! invented where no number was heard), and either the first read was not
//! whole, or the re-read agrees with another mention of the message (whose
//! own re-read, if any, does not contradict it) or with the rep's
//! `--number` where the first read did not. The first pass's word times
//! stay: only the digits change, and this module's reader reads them.
//!
//! A number heard twice exactly alike ("552123456" and "552123456") is
//! decoded once: when that re-read is taken, the other mention gets the
//! same digits (decided with its own witnesses, its own times kept); when
//! it is not, the other clip is read for itself.
//!
//! Where the audio comes from and how it is decoded is the caller's (see
//! `transcribe::whisper::Transcriber::reread_number`); this module chooses,
//! cuts and decides.

use super::number::{format_number, is_whole, national, near_number, parse_given, same_number};
use super::{group, scan, PhoneMention};
use crate::message::{TimeRange, Transcript};
use serde::Serialize;
use std::ops::Range;

/// Audio kept either side of a number's span, seconds, before the edges
/// are moved to a quiet moment. 0.5 rather than 0.3 let the re-read hear
/// the first digits of numbers whose first-pass span started late
/// (`n21_joe_long_pause`, `f03_joe_no_fillers_phone8k` on the development set).
pub const MARGIN_S: f64 = 0.5;
/// How far an edge may move to find a quiet moment, seconds.
const SNAP_S: f64 = 0.15;
/// The prompt the re-read decodes with: a number written as digits, so the
/// decoder expects digits. Its own number is never taken from a re-read.
pub const PROMPT: &str = "My number is 555-0134.";
const PROMPT_DIGITS: &str = "5550134";

/// Why a number was read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Because {
    /// Seven digits or more that no listener could dial.
    NotWhole,
    /// Four to six digits where a callback number goes.
    Fragment,
    /// Another mention of the same number was heard with other digits.
    MentionsDisagree,
    /// One digit off the rep's own number.
    OffGivenNumber,
    /// Words with four digits or more between them that the reader could
    /// not take as a number ("617-442-31-FFTA", "415-050133").
    NumberLike,
}

/// Whether the re-read was taken, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// Taken: a whole number where the first read was not.
    CompletesNumber,
    /// Taken: the same number as another mention of the message.
    AgreesWithOtherMention,
    /// Taken: the rep's own number, where the first read was not.
    AgreesWithGivenNumber,
    /// Kept the first read: the re-read found no number.
    NoNumber,
    /// Kept: the re-read heard the same digits.
    SameDigits,
    /// Kept: the re-read is not a whole number either.
    NotWhole,
    /// Kept: the re-read lost more than one of the digits first heard.
    DigitsDiffer,
    /// Kept: the re-read is the prompt's own number.
    PromptNumber,
    /// Kept: the re-read writes its digits in groups no one says a number
    /// in ("415-55-013-3-3"): a misreading too.
    OddGrouping,
    /// Kept: the re-read is one digit off another mention or the rep's
    /// number, which the grouping forgives anyway.
    OneDigitOff,
    /// Kept: both reads are whole and nothing says which is right.
    Unconfirmed,
    /// Kept: the decoder failed on the clip.
    Failed,
}

impl Why {
    pub fn accepted(self) -> bool {
        matches!(
            self,
            Why::CompletesNumber | Why::AgreesWithOtherMention | Why::AgreesWithGivenNumber
        )
    }
}

/// One number read again, for the report (`number_rereads`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberReread {
    /// The clip that was read again, seconds.
    pub time: TimeRange,
    pub because: Because,
    /// The digits the first pass heard.
    pub before: String,
    /// The digits the re-read heard (the number closest to the first
    /// read), if any.
    pub after: Option<String>,
    /// All the re-read heard.
    pub text: String,
    pub accepted: bool,
    pub why: Why,
    /// Not decoded: heard exactly as the re-read at this index (into the
    /// same list), whose re-read was taken, so its digits were tried here
    /// too; `text` is then empty and `time` the clip it would have read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_as: Option<usize>,
}

/// A number in doubt.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The transcript words of its digits (an extension left out).
    pub words: Range<usize>,
    /// From its first digit to its last, seconds.
    pub time: TimeRange,
    pub digits: String,
    pub whole: bool,
    /// Index into the mentions; `None` for a fragment.
    pub mention: Option<usize>,
    pub because: Because,
}

/// Another whole mention of the message, as a witness for a re-read.
#[derive(Debug, Clone, PartialEq)]
pub struct Witness {
    pub digits: String,
    /// What its own re-read heard as a whole number, if it was read again.
    pub reread: Option<String>,
}

/// The numbers of `transcript` worth a second listen, in the order said.
/// Only timed mentions can be cut out of the audio.
pub fn select(transcript: &Transcript, given: Option<&str>) -> Vec<Candidate> {
    let (mentions, fragments) = scan(transcript);
    let numbers = group(&mentions);
    let given = given.and_then(given_digits);
    let mut out = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        let disagree = numbers
            .iter()
            .any(|n| n.mentions.contains(&i) && !n.heard_as.is_empty());
        let off_given = given
            .as_deref()
            .is_some_and(|g| near_number(&m.digits, g) && !same_number(&m.digits, g));
        let because = if !m.whole {
            Because::NotWhole
        } else if disagree {
            Because::MentionsDisagree
        } else if off_given {
            Because::OffGivenNumber
        } else {
            continue;
        };
        out.extend(candidate(transcript, m, Some(i), because));
    }
    for f in &fragments {
        out.extend(candidate(transcript, f, None, Because::Fragment));
    }
    let read: Vec<Range<usize>> = mentions
        .iter()
        .chain(&fragments)
        .map(|m| m.words.clone())
        .collect();
    out.extend(number_like_runs(transcript, &read));
    out.sort_by_key(|c| c.words.start);
    // A word read as part of two numbers is read again once.
    out.dedup_by(|b, a| b.words.start < a.words.end);
    out
}

fn candidate(
    transcript: &Transcript,
    m: &PhoneMention,
    mention: Option<usize>,
    because: Because,
) -> Option<Candidate> {
    let time = m.time?;
    // The extension's words are not part of the number's span.
    let end = m
        .words
        .clone()
        .rev()
        .find(|&w| {
            transcript.words[w]
                .time
                .is_some_and(|t| t.start < time.end || w == m.words.start)
        })
        .map_or(m.words.end, |w| w + 1);
    Some(Candidate {
        words: m.words.start..end,
        time,
        digits: m.digits.clone(),
        whole: m.whole,
        mention,
        because,
    })
}

/// Short words that end a number-like run rather than stand for a digit
/// misheard ("Jubel" for double, "A" for eight may sit inside one).
const NOT_IN_NUMBERS: &[&str] = &[
    "in", "on", "at", "by", "the", "and", "or", "of", "is", "it", "from", "with", "this", "that",
    "me", "my", "i", "am", "pm", "and", "then", "call", "thanks",
];

/// Fewest digits of a number-like run worth a second listen.
const NUMBER_LIKE_DIGITS: usize = 4;

/// Runs of words written with digits ("415-050133", "617-442-31-FFTA",
/// "5125, 01912"; one short word without digits may sit between two with:
/// "312. A-06. Jubel 749.") holding [`NUMBER_LIKE_DIGITS`] digits or more,
/// timed, that share no word with a mention or fragment (`read`) — a
/// number the reader could not take as one. A lone year is not one.
fn number_like_runs(transcript: &Transcript, read: &[Range<usize>]) -> Vec<Candidate> {
    let words = &transcript.words;
    let digits_of =
        |i: usize| -> String { words[i].text.chars().filter(char::is_ascii_digit).collect() };
    let short = |i: usize| {
        let w = words[i]
            .text
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        w.chars().count() <= 6 && !NOT_IN_NUMBERS.contains(&w.as_str())
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if digits_of(i).is_empty() {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        loop {
            if end < words.len() && !digits_of(end).is_empty() {
                end += 1;
            } else if end + 1 < words.len() && short(end) && !digits_of(end + 1).is_empty() {
                end += 2;
            } else {
                break;
            }
        }
        let run = i..end;
        i = end;
        let digits: String = run.clone().map(digits_of).collect();
        let year = run.len() == 1
            && digits.len() == 4
            && digits
                .parse::<u32>()
                .is_ok_and(|y| (1900..=2099).contains(&y));
        let overlaps = read.iter().any(|r| r.start < run.end && run.start < r.end);
        if digits.len() < NUMBER_LIKE_DIGITS || year || overlaps {
            continue;
        }
        let (Some(a), Some(b)) = (words[run.start].time, words[run.end - 1].time) else {
            continue;
        };
        out.push(Candidate {
            words: run,
            time: TimeRange::new(a.start, b.end),
            whole: is_whole(&digits, false),
            digits,
            mention: None,
            because: Because::NumberLike,
        });
    }
    out
}

/// The rep's own number as digits (as `grouping::callback` reads it).
fn given_digits(g: &str) -> Option<String> {
    parse_given(g).ok().or_else(|| {
        let d: String = g.chars().filter(char::is_ascii_digit).collect();
        (!d.is_empty()).then_some(d)
    })
}

/// The clip to read again for a number said over `time`, in a recording of
/// `pcm` (16 kHz): the span widened by [`MARGIN_S`] each side, each edge
/// then moved (at most [`SNAP_S`], never into the number) to the quietest
/// 20 ms around it, so no word is cut in half.
pub fn clip(time: TimeRange, pcm: &[f32], rate: u32) -> TimeRange {
    let rate = f64::from(rate);
    let len = pcm.len() as f64 / rate;
    let start = quietest(pcm, rate, time.start - MARGIN_S, time.start - 0.05);
    let end = quietest(pcm, rate, time.end + MARGIN_S, time.end + 0.05);
    TimeRange::new(start.clamp(0.0, len), end.clamp(0.0, len))
}

/// The middle of the quietest 20 ms frame (10 ms steps) within [`SNAP_S`]
/// of `at`, never past `limit` (towards the number).
fn quietest(pcm: &[f32], rate: f64, at: f64, limit: f64) -> f64 {
    const FRAME_S: f64 = 0.020;
    let (lo, hi) = if limit > at {
        (at - SNAP_S, (at + SNAP_S).min(limit))
    } else {
        ((at - SNAP_S).max(limit), at + SNAP_S)
    };
    let energy = |t: f64| {
        let a = ((t - FRAME_S / 2.0) * rate).max(0.0) as usize;
        let b = (((t + FRAME_S / 2.0) * rate).max(0.0) as usize).min(pcm.len());
        pcm.get(a..b)
            .map_or(f32::INFINITY, |s| s.iter().map(|x| x * x).sum::<f32>())
    };
    let mut best = (energy(at), at);
    let mut t = lo;
    while t <= hi {
        let e = energy(t);
        if e < best.0 {
            best = (e, t);
        }
        t += 0.010;
    }
    best.1
}

/// The number of a re-read closest to what the first pass heard: the
/// mention sharing most digits with `before`, then a whole one, then the
/// longest. `None` when the re-read heard no number.
pub fn closest_number(reread: &Transcript, before: &str) -> Option<Heard> {
    scan(reread)
        .0
        .into_iter()
        .min_by_key(|m| {
            (
                edits_into(before, &m.digits),
                !m.whole,
                std::cmp::Reverse(m.digits.len()),
            )
        })
        .map(|m| Heard {
            plain: plain_layout(reread.text.get(m.span.range()).unwrap_or_default()),
            digits: m.digits,
        })
}

/// A number a re-read heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heard {
    pub digits: String,
    /// Written the way numbers are said ([`plain_layout`]).
    pub plain: bool,
}

/// The digits of `text` are written the way a number is said: one by one
/// ("5 1 2 5 5 5"), or in the groups of a North American number (555-1212,
/// 512 555 0191, 1-800-555-2012, 5125550191), or spelled out. A misreading
/// shows in odd groups ("415-55-013-3-3" for 415-555-0133).
pub fn plain_layout(text: &str) -> bool {
    let groups: Vec<usize> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    if groups.iter().all(|&g| g == 1) {
        return true;
    }
    let total: usize = groups.iter().sum();
    // Where a group may end, counted from the start of the national number:
    // after the area code, the exchange, and the middle of the last four
    // ("442-31-58"); a country code 1 shifts it all by one.
    let (lead, national) = match total {
        11 if groups[0] == 1 => (1, 10),
        n => (0, n),
    };
    let allowed: &[usize] = match national {
        10 => &[3, 6, 8, 10],
        7 => &[3, 5, 7],
        _ => return false,
    };
    let mut at = 0;
    groups.iter().enumerate().all(|(k, &g)| {
        at += g;
        (k == 0 && lead == 1 && g == 1) || allowed.contains(&(at - lead))
    })
}

/// Edits (a digit changed, dropped or added) that make `before` a run
/// of `after`'s digits: `after` may have digits before and after it free,
/// as a re-read of a number heard in part adds the part that was missing.
fn edits_into(before: &str, after: &str) -> usize {
    let (a, b) = (before.as_bytes(), after.as_bytes());
    // row[j]: fewest edits taking a[..i] to a run of b ending at j.
    let mut row = vec![0usize; b.len() + 1];
    for (i, &x) in a.iter().enumerate() {
        let mut next = vec![i + 1; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            let change = row[j] + usize::from(x != y);
            next[j + 1] = change.min(row[j + 1] + 1).min(next[j] + 1);
        }
        row = next;
    }
    row.into_iter().min().unwrap_or(a.len())
}

/// Edits a re-read may make to the digits first heard ([`edits_into`]):
/// none to a fragment (a few digits match some run of any number by
/// chance), one to seven digits, two to eight or more ("415-050133" for
/// 415-555-0133 is a digit changed and one dropped).
fn edits_allowed(before: &str) -> usize {
    match before.len() {
        0..=6 => 0,
        7 => 1,
        _ => 2,
    }
}

/// Take the re-read `after` of a number first heard as `before` (whole or
/// not)? `others` are the message's other whole mentions, `given` the
/// rep's own number. See the module's notes.
pub fn decide(
    before: &str,
    before_whole: bool,
    after: Option<&Heard>,
    others: &[Witness],
    given: Option<&str>,
) -> Why {
    let Some(Heard {
        digits: after,
        plain,
    }) = after
    else {
        return Why::NoNumber;
    };
    let after = after.as_str();
    if national(after) == national(before) {
        return Why::SameDigits;
    }
    if !is_whole(after, false) {
        return Why::NotWhole;
    }
    if national(after) == PROMPT_DIGITS || national(after).ends_with(PROMPT_DIGITS) {
        return Why::PromptNumber;
    }
    // A re-read shorter by two digits or more lost what the first heard.
    if edits_into(before, after) > edits_allowed(before) || after.len() + 1 < before.len() {
        return Why::DigitsDiffer;
    }
    if !plain {
        return Why::OddGrouping;
    }
    let given = given.and_then(given_digits);
    if let Some(g) = given.as_deref() {
        if same_number(after, g) {
            return if same_number(before, g) {
                Why::SameDigits
            } else {
                Why::AgreesWithGivenNumber
            };
        }
        if near_number(after, g) {
            return Why::OneDigitOff;
        }
    }
    // Another mention heard this number, and its own re-read (if any) did
    // not hear another.
    let agrees = others.iter().any(|w| {
        same_number(&w.digits, after) && w.reread.as_deref().is_none_or(|r| same_number(r, after))
    });
    if !before_whole {
        if !agrees && others.iter().any(|w| near_number(&w.digits, after)) {
            return Why::OneDigitOff;
        }
        return if agrees {
            Why::AgreesWithOtherMention
        } else {
            Why::CompletesNumber
        };
    }
    let first_agrees = others.iter().any(|w| same_number(&w.digits, before));
    if agrees && !first_agrees {
        Why::AgreesWithOtherMention
    } else {
        Why::Unconfirmed
    }
}

/// Read the numbers in doubt again and take the re-reads that are clearly
/// better into `transcript` (the first pass's times kept). `pcm` is the
/// recording at `rate` Hz; `read` decodes one clip (`None` when it failed).
/// Returns what was read again and what came of it, in the order said.
///
/// A number in doubt heard exactly as an earlier one ([`reuse_source`]:
/// the same digits, the same doubt — "552123456" twice for a number said
/// twice) is not decoded when the earlier one's re-read was taken: the same
/// digits are tried for it (and decided with its own witnesses), its times
/// its own first pass's. Only when the earlier re-read was not taken is its
/// own clip read, since the clips differ and may read differently.
pub fn reread_numbers(
    transcript: &mut Transcript,
    given: Option<&str>,
    pcm: &[f32],
    rate: u32,
    read: &mut dyn FnMut(&[f32]) -> Option<Transcript>,
) -> Vec<NumberReread> {
    let candidates = select(transcript, given);
    if candidates.is_empty() {
        return Vec::new();
    }
    let spans: Vec<TimeRange> = candidates.iter().map(|c| clip(c.time, pcm, rate)).collect();
    let mut decode = |span: TimeRange| -> Option<Transcript> {
        let (a, b) = (
            (span.start * f64::from(rate)) as usize,
            ((span.end * f64::from(rate)) as usize).min(pcm.len()),
        );
        pcm.get(a..b).and_then(&mut *read)
    };
    let source: Vec<Option<usize>> = (0..candidates.len())
        .map(|k| reuse_source(&candidates, k))
        .collect();
    let mentions = scan(transcript).0;
    let hear = |c: &Candidate, t: &Option<Transcript>| {
        t.as_ref().and_then(|t| closest_number(t, &c.digits))
    };
    // What each clip's decoding gave (`None`: not decoded, its digits
    // reused) and the number it heard.
    let mut heard: Vec<Option<Option<Transcript>>> = vec![None; candidates.len()];
    let mut afters: Vec<Option<Heard>> = vec![None; candidates.len()];
    for (k, c) in candidates.iter().enumerate() {
        if source[k].is_none() {
            let t = decode(spans[k]);
            afters[k] = hear(c, &t);
            heard[k] = Some(t);
        }
    }
    for k in 0..candidates.len() {
        if let Some(j) = source[k] {
            afters[k] = afters[j].clone();
        }
    }
    // An earlier re-read not taken: read the later clips for themselves.
    for j in 0..candidates.len() {
        if !source.contains(&Some(j)) {
            continue;
        }
        let taken = heard[j].as_ref().is_some_and(Option::is_some)
            && judge(j, &candidates, &mentions, &afters, given).accepted();
        if taken {
            continue;
        }
        for k in (0..candidates.len()).filter(|&k| source[k] == Some(j)) {
            let t = decode(spans[k]);
            afters[k] = hear(&candidates[k], &t);
            heard[k] = Some(t);
        }
    }
    let mut out = Vec::new();
    let mut taken = Vec::new();
    for (k, c) in candidates.iter().enumerate() {
        let same_as = match heard[k] {
            Some(_) => None,
            None => source[k],
        };
        // A reused re-read has no text of its own; a failed decoding none.
        let text = match &heard[k] {
            Some(t) => t.as_ref().map(|t| t.text.clone()),
            None => Some(String::new()),
        };
        let why = match text {
            None => Why::Failed,
            Some(_) => judge(k, &candidates, &mentions, &afters, given),
        };
        if why.accepted() {
            if let Some(a) = &afters[k] {
                taken.push((c.words.clone(), a.digits.clone()));
            }
        }
        out.push(NumberReread {
            time: spans[k],
            because: c.because,
            before: c.digits.clone(),
            after: afters[k].as_ref().map(|h| h.digits.clone()),
            text: text.unwrap_or_default(),
            accepted: why.accepted(),
            why,
            same_as,
        });
    }
    if !taken.is_empty() {
        *transcript = replace_digits(transcript, &taken);
    }
    out
}

/// The earlier candidate whose re-read candidate `k` may reuse: the first
/// one heard with the very same digits for the same reason.
fn reuse_source(candidates: &[Candidate], k: usize) -> Option<usize> {
    let c = &candidates[k];
    candidates[..k]
        .iter()
        .position(|o| o.digits == c.digits && o.whole == c.whole && o.because == c.because)
}

/// [`decide`] for candidate `k`, its witnesses the message's other whole
/// mentions with their own re-reads (`afters`).
fn judge(
    k: usize,
    candidates: &[Candidate],
    mentions: &[PhoneMention],
    afters: &[Option<Heard>],
    given: Option<&str>,
) -> Why {
    let c = &candidates[k];
    let others: Vec<Witness> = mentions
        .iter()
        .enumerate()
        .filter(|&(i, m)| m.whole && Some(i) != c.mention)
        .map(|(i, m)| Witness {
            digits: m.digits.clone(),
            reread: candidates
                .iter()
                .position(|o| o.mention == Some(i))
                .and_then(|o| afters[o].as_ref())
                .map(|h| h.digits.clone())
                .filter(|r| is_whole(r, false)),
        })
        .collect();
    decide(&c.digits, c.whole, afters[k].as_ref(), &others, given)
}

/// `transcript` with each range of words replaced by one word, `digits`
/// written as a number (with the last word's closing punctuation), timed
/// from the first word's start to the last one's end.
pub fn replace_digits(transcript: &Transcript, taken: &[(Range<usize>, String)]) -> Transcript {
    let mut words = Vec::with_capacity(transcript.words.len());
    let mut i = 0;
    while i < transcript.words.len() {
        let Some((range, digits)) = taken.iter().find(|(r, _)| r.start == i && r.end > i) else {
            let w = &transcript.words[i];
            words.push((w.text.clone(), w.time, w.probability));
            i += 1;
            continue;
        };
        let end = range.end.min(transcript.words.len());
        let span = &transcript.words[i..end];
        let closing: String = span
            .last()
            .map(|w| {
                let kept = w.text.trim_end_matches(|c: char| ".,?!;:".contains(c));
                w.text[kept.len()..].to_string()
            })
            .unwrap_or_default();
        let times: Vec<TimeRange> = span.iter().filter_map(|w| w.time).collect();
        let time = match (times.first(), times.last()) {
            (Some(a), Some(b)) => Some(TimeRange::new(a.start, b.end)),
            _ => None,
        };
        words.push((format!("{}{closing}", format_number(digits)), time, None));
        i = end;
    }
    Transcript::from_timed_words(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(d: &str) -> Witness {
        Witness {
            digits: d.to_string(),
            reread: None,
        }
    }

    fn h(d: &str) -> Heard {
        Heard {
            digits: d.to_string(),
            plain: true,
        }
    }

    fn timed(words: &[(&str, f64, f64)]) -> Transcript {
        Transcript::from_timed_words(
            words
                .iter()
                .map(|&(t, a, b)| (t.to_string(), Some(TimeRange::new(a, b)), None)),
        )
    }

    #[test]
    fn a_whole_reread_completes_a_number_heard_short() {
        // "775 301 441a" read as 9 digits; the re-read hears all ten.
        let why = decide("775301441", false, Some(&h("7753014418")), &[], None);
        assert_eq!(why, Why::CompletesNumber);
        assert!(why.accepted());
        // A fragment where the callback number goes, completed.
        assert_eq!(
            decide("55521", false, Some(&h("5552123456")), &[], None),
            Why::CompletesNumber
        );
        // A 7-digit local number is whole too.
        assert_eq!(
            decide("55512", false, Some(&h("5551212")), &[], None),
            Why::CompletesNumber
        );
    }

    #[test]
    fn nothing_is_invented() {
        assert_eq!(decide("775301441", false, None, &[], None), Why::NoNumber);
        // The re-read must hold what the first pass heard, a digit or two
        // changed at most, in one run.
        assert_eq!(
            decide("775301441", false, Some(&h("2065550142")), &[], None),
            Why::DigitsDiffer
        );
        assert_eq!(
            decide("55521", false, Some(&h("2065550142")), &[], None),
            Why::DigitsDiffer
        );
        // The prompt's own number is the prompt talking, not the rep.
        assert_eq!(
            decide("5550134", false, Some(&h("5550134")), &[], None),
            Why::SameDigits
        );
        assert_eq!(
            decide("555013", false, Some(&h("5550134")), &[], None),
            Why::PromptNumber
        );
    }

    #[test]
    fn a_reread_in_odd_groups_is_a_misreading_too() {
        // "415-55-013-3-3": ten digits, but no one says a number like that.
        assert!(!plain_layout("that 415-55-013-3-3."));
        let odd = Heard {
            digits: "4155501333".into(),
            plain: false,
        };
        assert_eq!(
            decide("415550133", false, Some(&odd), &[], None),
            Why::OddGrouping
        );
        for plain in [
            "512 555 0191.",
            "775-301-4418",
            "1-800-555-2012",
            "5125550191",
            "555-1212",
            "5 1 2 5 5 5 0 1 9 1",
            "five one two",
        ] {
            assert!(plain_layout(plain), "{plain}");
        }
        assert!(!plain_layout("512-5555-0191"));
        // The last four said as two pairs.
        assert!(plain_layout("617-442-31-58"));
        assert!(!plain_layout("4155-501-333"));
        // A number heard whole but shorter by two digits lost the area code.
        assert_eq!(
            decide("415550133", false, Some(&h("5550133")), &[], None),
            Why::DigitsDiffer
        );
    }

    #[test]
    fn a_reread_no_better_is_not_taken() {
        assert_eq!(
            decide("775301441", false, Some(&h("775301441")), &[], None),
            Why::SameDigits
        );
        assert_eq!(
            decide("775301441", false, Some(&h("77530144")), &[], None),
            Why::NotWhole
        );
        // Both whole, nothing to say which is right: the first read stays.
        let why = decide("5125551191", true, Some(&h("5125550191")), &[], None);
        assert_eq!(why, Why::Unconfirmed);
        assert!(!why.accepted());
    }

    #[test]
    fn another_mention_or_the_reps_number_decides_between_whole_reads() {
        // Said twice, heard 5125551191 then 5125550191: the first mention's
        // re-read agrees with the second.
        assert_eq!(
            decide(
                "5125551191",
                true,
                Some(&h("5125550191")),
                &[w("5125550191")],
                None
            ),
            Why::AgreesWithOtherMention
        );
        // The rep's own number decides.
        assert_eq!(
            decide(
                "5125551191",
                true,
                Some(&h("5125550191")),
                &[],
                Some("512-555-0191")
            ),
            Why::AgreesWithGivenNumber
        );
        // One digit off the rep's number: the grouping forgives it anyway.
        assert_eq!(
            decide(
                "512555119",
                false,
                Some(&h("5125551191")),
                &[],
                Some("512-555-0191")
            ),
            Why::OneDigitOff
        );
    }

    #[test]
    fn two_rereads_that_contradict_each_other_change_nothing() {
        // The first mention re-read as the second's digits, the second
        // re-read as the first's: neither is taken (no swap).
        let second = Witness {
            digits: "5125550191".into(),
            reread: Some("5125551191".into()),
        };
        assert_eq!(
            decide("5125551191", true, Some(&h("5125550191")), &[second], None),
            Why::Unconfirmed
        );
        // A whole first read that agrees with another mention stays.
        assert_eq!(
            decide(
                "5125550191",
                true,
                Some(&h("5125551191")),
                &[w("5125550191"), w("5125551191")],
                None
            ),
            Why::Unconfirmed
        );
    }

    #[test]
    fn a_completed_number_one_digit_off_another_mention_is_left_to_the_grouping() {
        assert_eq!(
            decide(
                "775301441",
                false,
                Some(&h("7753014413")),
                &[w("7753014418")],
                None
            ),
            Why::OneDigitOff
        );
        assert_eq!(
            decide(
                "775301441",
                false,
                Some(&h("7753014418")),
                &[w("7753014418")],
                None
            ),
            Why::AgreesWithOtherMention
        );
    }

    #[test]
    fn number_like_runs_the_reader_could_not_take_are_read_again() {
        let t = timed(&[
            ("Call", 0.0, 0.2),
            ("me", 0.2, 0.4),
            ("that.", 0.4, 0.6),
            ("415-050133.", 0.8, 4.0),
            ("Give", 4.5, 4.7),
            ("me", 4.7, 4.8),
            ("a", 4.8, 4.9),
            ("call", 4.9, 5.1),
            ("at", 5.1, 5.2),
            ("617-442-31-FFTA.", 5.3, 9.0),
            ("In", 9.5, 9.6),
            ("2025", 9.6, 10.0),
            ("at", 10.0, 10.1),
            ("10.", 10.1, 10.4),
            ("My", 11.0, 11.1),
            ("number", 11.1, 11.3),
            ("is", 11.3, 11.4),
            ("312.", 11.5, 12.0),
            ("A-06.", 12.1, 12.6),
            ("Jubel", 12.7, 13.0),
            ("749.", 13.1, 13.6),
        ]);
        let got: Vec<_> = select(&t, None)
            .into_iter()
            .map(|c| (c.digits, c.because, c.words))
            .collect();
        assert_eq!(
            got,
            [
                // After "call me at": the callback number as heard.
                ("415050133".to_string(), Because::NotWhole, 3..4),
                ("61744231".to_string(), Because::NumberLike, 9..10),
                ("31206749".to_string(), Because::NumberLike, 17..21),
            ]
        );
    }

    #[test]
    fn selects_the_numbers_in_doubt() {
        let t = timed(&[
            ("My", 0.0, 0.2),
            ("number", 0.2, 0.5),
            ("is", 0.5, 0.6),
            ("512-555-1191.", 0.7, 3.0),
            ("Again,", 3.5, 3.9),
            ("512-555-0191.", 4.0, 6.0),
            ("Or", 6.5, 6.6),
            ("775", 6.7, 7.0),
            ("301", 7.1, 7.5),
            ("441.", 7.6, 8.0),
        ]);
        let c = select(&t, None);
        let got: Vec<_> = c
            .iter()
            .map(|c| (c.digits.as_str(), c.because, c.words.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("5125551191", Because::MentionsDisagree, 3..4),
                ("5125550191", Because::MentionsDisagree, 5..6),
                ("775301441", Because::NotWhole, 7..10),
            ]
        );
        // A number heard whole once, nothing else: no second listen.
        let t = timed(&[("Call", 0.0, 0.3), ("512-555-0191.", 0.4, 3.0)]);
        assert!(select(&t, None).is_empty());
        // ... unless it is one digit off the rep's own number.
        let c = select(&t, Some("512-555-0192"));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].because, Because::OffGivenNumber);
        // A fragment where the callback number goes.
        let t = timed(&[
            ("My", 0.0, 0.2),
            ("number", 0.2, 0.5),
            ("is", 0.5, 0.6),
            ("555-21.", 0.7, 2.0),
        ]);
        let c = select(&t, None);
        assert_eq!(c.len(), 1);
        assert_eq!(
            (c[0].because, c[0].digits.as_str()),
            (Because::Fragment, "55521")
        );
    }

    #[test]
    fn a_taken_reread_keeps_the_first_times_and_is_read_as_one_number() {
        let mut t = timed(&[
            ("Call", 0.0, 0.3),
            ("775", 0.5, 1.0),
            ("301", 1.2, 1.7),
            ("441a.", 1.9, 2.6),
            ("Bye.", 3.0, 3.3),
        ]);
        // 3 s of silence with a louder stretch: any clip will do here.
        let pcm = vec![0.0f32; 16_000 * 4];
        let mut clips = Vec::new();
        let rereads = reread_numbers(&mut t, None, &pcm, 16_000, &mut |clip| {
            clips.push(clip.len());
            Some(Transcript::from_text("is 775-301-4418."))
        });
        // "441a" is read as …4418 already (a homophone completing a whole
        // number), so nothing was in doubt.
        assert!(rereads.is_empty() && clips.is_empty());

        let mut t = timed(&[
            ("Call", 0.0, 0.3),
            ("775", 0.5, 1.0),
            ("301", 1.2, 1.7),
            ("441.", 1.9, 2.6),
            ("Bye.", 3.0, 3.3),
        ]);
        let rereads = reread_numbers(&mut t, None, &pcm, 16_000, &mut |_| {
            Some(Transcript::from_text("is 775-301-4418."))
        });
        assert_eq!(rereads.len(), 1);
        let r = &rereads[0];
        assert!(r.accepted, "{r:?}");
        assert_eq!(r.why, Why::CompletesNumber);
        assert_eq!(
            (r.before.as_str(), r.after.as_deref()),
            ("775301441", Some("7753014418"))
        );
        // The clip holds the number and a margin, inside the recording.
        assert!(r.time.start < 0.5 && r.time.start >= 0.0 && r.time.end > 2.6);
        assert_eq!(t.text, "Call 775-301-4418. Bye.");
        assert_eq!(t.words[1].time, Some(TimeRange::new(0.5, 2.6)));
        let m = crate::analyze::phone::find_mentions(&t);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].digits, "7753014418");
        assert_eq!(m[0].time, Some(TimeRange::new(0.5, 2.6)));

        // A failed decode keeps the first read.
        let mut t2 = timed(&[
            ("Call", 0.0, 0.3),
            ("775", 0.5, 1.0),
            ("301", 1.2, 1.7),
            ("441.", 1.9, 2.6),
        ]);
        let before = t2.clone();
        let rereads = reread_numbers(&mut t2, None, &pcm, 16_000, &mut |_| None);
        assert_eq!(rereads[0].why, Why::Failed);
        assert_eq!(t2, before);
    }

    /// "Call me at 552 123 456. Again, 552 123 456.": a number said twice,
    /// heard twice the same way one digit short (fixtures/good.wav).
    fn heard_twice_short() -> Transcript {
        timed(&[
            ("Call", 0.0, 0.3),
            ("552", 0.5, 1.0),
            ("123", 1.2, 1.7),
            ("456.", 1.9, 2.6),
            ("Again,", 3.0, 3.3),
            ("552", 3.5, 4.0),
            ("123", 4.2, 4.7),
            ("456.", 4.9, 5.6),
        ])
    }

    #[test]
    fn a_taken_reread_is_reused_for_a_mention_heard_the_same_way() {
        let pcm = vec![0.0f32; 16_000 * 6];
        let mut t = heard_twice_short();
        let mut decoded = 0;
        let rereads = reread_numbers(&mut t, None, &pcm, 16_000, &mut |_| {
            decoded += 1;
            Some(Transcript::from_text("at 555-212-3456."))
        });
        // One decoding for the two mentions.
        assert_eq!(decoded, 1);
        assert_eq!(rereads.len(), 2);
        assert!(rereads.iter().all(|r| r.accepted), "{rereads:?}");
        assert_eq!(rereads[0].same_as, None);
        assert_eq!(rereads[1].same_as, Some(0));
        assert_eq!(rereads[1].after.as_deref(), Some("5552123456"));
        assert_eq!(rereads[1].text, "");
        // Each mention keeps its own first-pass times.
        assert_eq!(t.text, "Call 555-212-3456. Again, 555-212-3456.");
        let m = crate::analyze::phone::find_mentions(&t);
        let times: Vec<_> = m.iter().map(|m| m.time).collect();
        assert_eq!(
            times,
            [
                Some(TimeRange::new(0.5, 2.6)),
                Some(TimeRange::new(3.5, 5.6))
            ]
        );
        // The clip reported for the second is its own.
        assert!(rereads[1].time.start > 2.6 && rereads[1].time.end > 5.6);
    }

    #[test]
    fn a_reread_not_taken_is_not_reused() {
        let pcm = vec![0.0f32; 16_000 * 6];
        // The first clip hears no number, the second the whole number:
        // each clip is read for itself.
        let mut t = heard_twice_short();
        let mut decoded = 0;
        let rereads = reread_numbers(&mut t, None, &pcm, 16_000, &mut |_| {
            decoded += 1;
            Some(Transcript::from_text(if decoded == 1 {
                "Call me."
            } else {
                "555-212-3456."
            }))
        });
        assert_eq!(decoded, 2);
        let got: Vec<_> = rereads.iter().map(|r| (r.why, r.same_as)).collect();
        assert_eq!(got, [(Why::NoNumber, None), (Why::CompletesNumber, None)]);
        assert_eq!(t.text, "Call 552 123 456. Again, 555-212-3456.");
        // A failed first decoding is not reused either.
        let mut t = heard_twice_short();
        let mut decoded = 0;
        let rereads = reread_numbers(&mut t, None, &pcm, 16_000, &mut |_| {
            decoded += 1;
            (decoded > 1).then(|| Transcript::from_text("555-212-3456."))
        });
        assert_eq!(decoded, 2);
        assert_eq!(rereads[0].why, Why::Failed);
        assert!(rereads[1].accepted && rereads[1].same_as.is_none());
    }

    #[test]
    fn only_the_very_same_first_read_is_reused() {
        let pcm = vec![0.0f32; 16_000 * 6];
        let mut t = timed(&[
            ("Call", 0.0, 0.3),
            ("552", 0.5, 1.0),
            ("123", 1.2, 1.7),
            ("456.", 1.9, 2.6),
            ("Again,", 3.0, 3.3),
            ("552", 3.5, 4.0),
            ("123", 4.2, 4.7),
            ("457.", 4.9, 5.6),
        ]);
        let mut decoded = 0;
        let rereads = reread_numbers(&mut t, None, &pcm, 16_000, &mut |_| {
            decoded += 1;
            Some(Transcript::from_text("555-212-3456."))
        });
        assert_eq!(decoded, 2);
        assert!(rereads.iter().all(|r| r.same_as.is_none()));
    }

    #[test]
    fn clip_edges_move_to_the_quiet_and_stay_in_the_recording() {
        // Sound everywhere but a quiet 40 ms at 0.60–0.64 s.
        let rate = 16_000;
        let mut pcm = vec![0.5f32; rate as usize * 3];
        for s in &mut pcm[9_600..10_240] {
            *s = 0.0;
        }
        let c = clip(TimeRange::new(1.1, 2.0), &pcm, rate);
        assert!((c.start - 0.62).abs() < 0.02, "{c:?}");
        // Never before the recording nor after it.
        let c = clip(TimeRange::new(0.1, 2.9), &pcm, rate);
        assert!(c.start >= 0.0 && c.end <= 3.0, "{c:?}");
        assert_eq!(edits_into("775301441", "7753014418"), 0);
        assert_eq!(edits_into("512550191", "5125550191"), 1);
        assert_eq!(edits_into("415050133", "4155550133"), 2);
        assert_eq!(edits_into("55521", "2065550142"), 1);
        assert_eq!(edits_into("", "2065550142"), 0);
    }
}
