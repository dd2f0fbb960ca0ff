//! Phone-number mentions, as RULES.md's "Phone numbers, as spoken" defines them.
//!
//! A mention is any run a listener would dial: written digits in any
//! punctuation ("(555) 212-3456", "+1 555 212 3456"), spoken digits ("five
//! five five, two one two"), "oh" for zero, "double five", "eight hundred",
//! two-digit groups ("fifty five", "twelve twelve"), or a mix, at least seven
//! digits long, with an optional extension. Numbers that are not dialled —
//! years, prices, times, dates, counts, percentages — are left out.
//!
//! The work is done in three steps: each transcript word becomes "atoms"
//! (written digit groups, number words, extension markers, other words);
//! consecutive number atoms form a run, which is read into digit groups;
//! the groups are trimmed of context that makes them a year, time or
//! amount, split where one number ends and the next starts, and kept when
//! seven digits or more remain.

use crate::message::{TextRange, TimeRange, Transcript};
use crate::text::numbers::{number_word, parse_number_words, NumberWord};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;

/// Fewest digits a mention has (a local number without area code).
pub const MIN_DIGITS: usize = 7;
/// Most digits of one mention (an international number with its country code).
pub const MAX_DIGITS: usize = 13;
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

/// Find every phone-number mention in a transcript, in order.
pub fn find_mentions(transcript: &Transcript) -> Vec<PhoneMention> {
    let atoms = atomize(transcript);
    let mut mentions = Vec::new();
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
        let found = read_run(&atoms, i..end);
        let ends_at_run_end = found
            .last()
            .is_some_and(|m| last_number_atom(&atoms, i..end) == Some(m.last_atom));
        let mut next = end;
        let mut found = found;
        if ends_at_run_end {
            if let Some((extension, last_atom, after)) = read_extension(&atoms, end) {
                if let Some(m) = found.last_mut() {
                    m.extension = Some(extension);
                    m.ext_last_atom = Some(last_atom);
                }
                next = after;
            }
        }
        mentions.extend(found.into_iter().map(|m| m.finish(&atoms, transcript)));
        i = next.max(i + 1);
    }
    mentions
}

/// Group mentions of the same number, most said first (ties: first said first).
pub fn group(mentions: &[PhoneMention]) -> Vec<PhoneNumber> {
    // The number without a leading country code 1.
    fn national(d: &str) -> &str {
        if d.len() == 11 {
            d.strip_prefix('1').unwrap_or(d)
        } else {
            d
        }
    }
    let mut groups: Vec<PhoneNumber> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // Full numbers first, so a 7-digit mention can find the 10-digit one it
    // is the tail of, whichever was said first.
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&i| (national(&mentions[i].digits).len() == 7, i));
    for i in order {
        let digits = &mentions[i].digits;
        let key = national(digits);
        let found = by_key.get(key).copied().or_else(|| {
            if key.len() != 7 {
                return None;
            }
            groups.iter().position(|g| {
                let n = national(&g.digits);
                n.len() == 10 && n.ends_with(key)
            })
        });
        match found {
            Some(g) => {
                let group = &mut groups[g];
                group.count += 1;
                group.mentions.push(i);
                if digits.len() > group.digits.len() {
                    group.digits = digits.clone();
                }
            }
            None => {
                by_key.insert(key.to_string(), groups.len());
                groups.push(PhoneNumber {
                    digits: digits.clone(),
                    count: 1,
                    mentions: vec![i],
                });
            }
        }
    }
    for g in &mut groups {
        g.mentions.sort_unstable();
    }
    groups.sort_by_key(|g| (std::cmp::Reverse(g.count), g.mentions.first().copied()));
    groups
}

// ---------------------------------------------------------------------------
// Atoms: the pieces of each word that matter for numbers.

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A group of written digits ("555" of "555-1212").
    Digits(String),
    /// A number word ("five", "oh", "fifty", "double").
    Word(NumberWord),
    /// "extension", "ext.", "x".
    Ext,
    /// A written extension, "x204".
    ExtDigits(String),
    /// Punctuation on its own ("-", ",").
    Sep,
    /// A written number that is not part of a phone number: "$1,455",
    /// "4:30", "50%", "23rd", "11/23", "1.5".
    Block,
    /// Any other word, lower-cased without punctuation.
    Other(String),
}

impl Kind {
    fn starts_run(&self) -> bool {
        matches!(self, Kind::Digits(_) | Kind::Word(_))
    }
    fn in_run(&self) -> bool {
        matches!(self, Kind::Digits(_) | Kind::Word(_) | Kind::Sep)
    }
}

#[derive(Debug, Clone)]
struct Atom {
    kind: Kind,
    /// Index of the transcript word it comes from.
    word: usize,
    /// Byte span in the transcript text.
    span: TextRange,
    /// Punctuation follows it (a comma or a full stop): a spoken pair is
    /// not read across it ("fifty, five" is not 55).
    punct_after: bool,
    /// A sentence ends after it ('.', '!' or '?').
    stop_after: bool,
}

/// Split every transcript word into atoms.
fn atomize(transcript: &Transcript) -> Vec<Atom> {
    let mut atoms = Vec::new();
    for (index, word) in transcript.words.iter().enumerate() {
        // Offsets inside the word map onto the text only when the word's span
        // really holds its text; otherwise every atom gets the whole span.
        let exact = transcript.text.get(word.span.range()) == Some(word.text.as_str());
        for piece in word_atoms(&word.text) {
            let span = if exact {
                TextRange::new(
                    word.span.start + piece.range.start,
                    word.span.start + piece.range.end,
                )
            } else {
                word.span
            };
            atoms.push(Atom {
                kind: piece.kind,
                word: index,
                span,
                punct_after: piece.punct_after,
                stop_after: piece.stop_after,
            });
        }
    }
    atoms
}

struct Piece {
    kind: Kind,
    range: Range<usize>,
    punct_after: bool,
    stop_after: bool,
}

fn is_stop(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ';')
}

/// The atoms of one word, with byte ranges inside it.
fn word_atoms(w: &str) -> Vec<Piece> {
    let core_start = w
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric() || matches!(c, '(' | '+' | '$' | '€' | '£'))
        .map(|(i, _)| i);
    let core_end = w
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric() || matches!(c, ')' | '%'))
        .map(|(i, c)| i + c.len_utf8());
    let (start, end) = match (core_start, core_end) {
        (Some(s), Some(e)) if s < e => (s, e),
        _ => {
            return vec![Piece {
                kind: Kind::Sep,
                range: 0..w.len(),
                punct_after: true,
                stop_after: w.chars().any(is_stop),
            }]
        }
    };
    let core = &w[start..end];
    let trailing = &w[end..];
    let lower = core.to_lowercase();
    // "ext." ends in an abbreviation dot, not a full stop.
    let abbreviation = lower == "ext" && trailing.starts_with('.');
    let punct_after = !trailing.is_empty() && !abbreviation;
    let stop_after = if abbreviation {
        trailing.chars().skip(1).any(is_stop)
    } else {
        trailing.chars().any(is_stop)
    };

    let mut pieces = if core.chars().any(|c| c.is_ascii_digit()) {
        written_atoms(core)
    } else {
        word_pieces(core, &lower)
    };
    for p in &mut pieces {
        p.range = p.range.start + start..p.range.end + start;
    }
    if let Some(last) = pieces.last_mut() {
        last.punct_after = punct_after;
        last.stop_after = stop_after;
    }
    pieces
}

fn piece(kind: Kind, range: Range<usize>) -> Piece {
    Piece {
        kind,
        range,
        punct_after: false,
        stop_after: false,
    }
}

/// A word without digits: number words (hyphenated ones split), an
/// extension marker, or another word.
fn word_pieces(core: &str, lower: &str) -> Vec<Piece> {
    if matches!(lower, "extension" | "ext" | "x") {
        return vec![piece(Kind::Ext, 0..core.len())];
    }
    let mut pieces = Vec::new();
    let mut offset = 0;
    for part in core.split('-') {
        let range = offset..offset + part.len();
        offset += part.len() + 1;
        if part.is_empty() {
            continue;
        }
        match number_word(part) {
            Some(n) => pieces.push(piece(Kind::Word(n), range)),
            None => return vec![piece(Kind::Other(lower.to_string()), 0..core.len())],
        }
    }
    if pieces.is_empty() {
        pieces.push(piece(Kind::Other(lower.to_string()), 0..core.len()));
    }
    pieces
}

/// A token holding digits.
fn written_atoms(core: &str) -> Vec<Piece> {
    let block = || vec![piece(Kind::Block, 0..core.len())];
    if core.contains(['$', '€', '£', '%', ':', '/', '\'', '’']) {
        return block();
    }
    // Letters: "x204", "ext204", "555-1212x204", "23rd", "3pm", "50k".
    if let Some(alpha) = core.find(|c: char| c.is_alphabetic()) {
        let (head, tail) = core.split_at(alpha);
        let tail_lower = tail.to_lowercase();
        let ext_digits = ["extension", "ext.", "ext", "x"].iter().find_map(|p| {
            let rest = tail_lower.strip_prefix(p)?;
            (!rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())).then(|| rest.to_string())
        });
        let Some(ext) = ext_digits else {
            return block();
        };
        let head_trimmed = head.trim_end_matches(|c: char| !c.is_ascii_digit());
        let mut pieces = if head_trimmed.is_empty() {
            Vec::new()
        } else {
            match digit_groups(head_trimmed) {
                Some(p) => p,
                None => return block(),
            }
        };
        pieces.push(piece(Kind::ExtDigits(ext), head.len()..core.len()));
        return pieces;
    }
    digit_groups(core).unwrap_or_else(block)
}

/// Digits with separators → one atom per digit group, or `None` when the
/// punctuation says it is not a phone number (thousands commas, a decimal
/// point, a date).
fn digit_groups(s: &str) -> Option<Vec<Piece>> {
    if s.chars()
        .any(|c| !(c.is_ascii_digit() || matches!(c, '-' | '.' | '(' | ')' | '+' | ',')))
    {
        return None;
    }
    let mut groups: Vec<Range<usize>> = Vec::new();
    let mut current: Option<usize> = None;
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() {
            current.get_or_insert(i);
        } else if let Some(st) = current.take() {
            groups.push(st..i);
        }
    }
    if let Some(st) = current {
        groups.push(st..s.len());
    }
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let first_len = *lens.first()?;
    let inner = s
        .get(groups.first()?.end..groups.last()?.start)
        .unwrap_or("");
    // "1,455" / "12,500,000": an amount.
    if inner.contains(',') && first_len <= 3 && lens.iter().skip(1).all(|&l| l == 3) {
        return None;
    }
    let dots = inner.matches('.').count();
    // "1.5", "19.99": a decimal, unless it is "555.1212".
    if dots == 1 && lens.len() == 2 && lens != [3, 4] && inner.trim() == "." {
        return None;
    }
    // "2026-11-23", "11.23.2026": a date.
    if lens.len() == 3
        && !inner.contains(['(', ')', '+'])
        && ((lens[0] == 4 && lens[1] <= 2 && lens[2] <= 2)
            || (lens[0] <= 2 && lens[1] <= 2 && (lens[2] == 4 || lens[2] == 2)))
    {
        return None;
    }
    let mut pieces: Vec<Piece> = groups
        .into_iter()
        .map(|g| {
            let digits = s[g.clone()].to_string();
            piece(Kind::Digits(digits), g)
        })
        .collect();
    // The number as written starts at its "(" or "+".
    if let Some(first) = pieces.first_mut() {
        first.range.start = 0;
    }
    Some(pieces)
}

// ---------------------------------------------------------------------------
// Runs of number atoms → digit groups → mentions.

/// How a group of digits was said.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Form {
    /// Written in digits.
    Written,
    /// One spoken digit (or "double five").
    Single,
    /// "fifty five", "twelve", "fifty".
    Pair,
    /// "eight hundred", "two thousand", "four hundred fifty five".
    Scaled,
}

#[derive(Debug, Clone)]
struct Group {
    digits: String,
    form: Form,
    first_atom: usize,
    last_atom: usize,
    stop_after: bool,
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
        PhoneMention {
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

/// The number word of atom `i`, if it is one.
fn word_at(atoms: &[Atom], i: usize) -> Option<NumberWord> {
    match atoms.get(i).map(|a| &a.kind) {
        Some(Kind::Word(w)) => Some(*w),
        _ => None,
    }
}

/// Read atoms `run` (number atoms and separators) into segments of digit
/// groups; a segment ends where something in the run cannot be part of a
/// phone number ("one thousand four hundred", a lone "oh").
fn read_groups(atoms: &[Atom], run: Range<usize>, leading_oh: bool) -> Vec<Vec<Group>> {
    let mut segments: Vec<Vec<Group>> = Vec::new();
    let mut current: Vec<Group> = Vec::new();
    let end = run.end;
    let mut i = run.start;
    // Atom `i` is followed directly by atom `i + 1` with nothing between.
    let joined = |i: usize| -> bool {
        i + 1 < end
            && !atoms[i].punct_after
            && matches!(atoms[i + 1].kind, Kind::Word(_) | Kind::Digits(_))
    };
    let flush = |current: &mut Vec<Group>, segments: &mut Vec<Vec<Group>>| {
        if !current.is_empty() {
            segments.push(std::mem::take(current));
        }
    };
    while i < end {
        let atom = &atoms[i];
        let single = |digits: String, form: Form, last: usize| Group {
            digits,
            form,
            first_atom: i,
            last_atom: last,
            stop_after: atoms[last].stop_after,
        };
        match &atom.kind {
            Kind::Sep => {
                if atom.stop_after {
                    if let Some(g) = current.last_mut() {
                        g.stop_after = true;
                    }
                }
                i += 1;
            }
            Kind::Digits(d) => {
                current.push(single(d.clone(), Form::Written, i));
                i += 1;
            }
            Kind::Word(w) => {
                let next = if joined(i) {
                    word_at(atoms, i + 1)
                } else {
                    None
                };
                let after = if joined(i) && joined(i + 1) {
                    word_at(atoms, i + 2)
                } else {
                    None
                };
                match *w {
                    NumberWord::Digit(d) | NumberWord::Teen(d) => {
                        let value = u32::from(d);
                        match next {
                            Some(NumberWord::Hundred) => {
                                // "four hundred fifty five" is 455; "eight hundred" is 800.
                                match after {
                                    Some(NumberWord::Teen(t)) => {
                                        current.push(single(
                                            format!("{}", value * 100 + u32::from(t)),
                                            Form::Scaled,
                                            i + 2,
                                        ));
                                        i += 3;
                                    }
                                    Some(NumberWord::Tens(t)) => {
                                        let unit = if joined(i + 2) {
                                            word_at(atoms, i + 3).and_then(|w| match w {
                                                NumberWord::Digit(u) => Some(u),
                                                _ => None,
                                            })
                                        } else {
                                            None
                                        };
                                        let v = value * 100
                                            + u32::from(t)
                                            + u32::from(unit.unwrap_or(0));
                                        let last = if unit.is_some() { i + 3 } else { i + 2 };
                                        current.push(single(format!("{v}"), Form::Scaled, last));
                                        i = last + 1;
                                    }
                                    _ => {
                                        current.push(single(
                                            format!("{}", value * 100),
                                            Form::Scaled,
                                            i + 1,
                                        ));
                                        i += 2;
                                    }
                                }
                            }
                            Some(NumberWord::Thousand) => {
                                let continues = matches!(
                                    after,
                                    Some(
                                        NumberWord::Digit(_)
                                            | NumberWord::Teen(_)
                                            | NumberWord::Tens(_)
                                            | NumberWord::Hundred
                                    )
                                );
                                if continues {
                                    // "one thousand four hundred fifty five": an amount.
                                    flush(&mut current, &mut segments);
                                    i += cardinal_len(atoms, i, end).max(2);
                                } else {
                                    current.push(single(
                                        format!("{}", value * 1000),
                                        Form::Scaled,
                                        i + 1,
                                    ));
                                    i += 2;
                                }
                            }
                            Some(NumberWord::Million | NumberWord::Billion) => {
                                flush(&mut current, &mut segments);
                                i += 2;
                            }
                            _ => {
                                let form = if d >= 10 { Form::Pair } else { Form::Single };
                                current.push(single(format!("{value}"), form, i));
                                i += 1;
                            }
                        }
                    }
                    NumberWord::Tens(t) => match next {
                        Some(NumberWord::Digit(u)) if u > 0 => {
                            current.push(single(format!("{}", t + u), Form::Pair, i + 1));
                            i += 2;
                        }
                        _ => {
                            current.push(single(format!("{t}"), Form::Pair, i));
                            i += 1;
                        }
                    },
                    NumberWord::Oh => {
                        // "oh" is zero inside a number, an interjection elsewhere.
                        let inside = current.last().is_some_and(|g| !g.stop_after);
                        if inside || (leading_oh && current.is_empty()) {
                            current.push(single("0".to_string(), Form::Single, i));
                        } else {
                            flush(&mut current, &mut segments);
                        }
                        i += 1;
                    }
                    NumberWord::Double | NumberWord::Triple => {
                        let times = if *w == NumberWord::Double { 2 } else { 3 };
                        match next.and_then(NumberWord::digit) {
                            Some(d) => {
                                let digits: String =
                                    std::iter::repeat_n(char::from(b'0' + d), times).collect();
                                current.push(single(digits, Form::Single, i + 1));
                                i += 2;
                            }
                            None => {
                                flush(&mut current, &mut segments);
                                i += 1;
                            }
                        }
                    }
                    NumberWord::Hundred
                    | NumberWord::Thousand
                    | NumberWord::Million
                    | NumberWord::Billion => {
                        flush(&mut current, &mut segments);
                        i += 1;
                    }
                }
            }
            Kind::Ext | Kind::ExtDigits(_) | Kind::Block | Kind::Other(_) => {
                flush(&mut current, &mut segments);
                i += 1;
            }
        }
    }
    flush(&mut current, &mut segments);
    segments
}

/// How many atoms from `start` a cardinal phrase takes ("one thousand four
/// hundred fifty five" → 6), read with the shared number-word reader.
fn cardinal_len(atoms: &[Atom], start: usize, end: usize) -> usize {
    let mut words: Vec<&'static str> = Vec::new();
    for a in atoms.iter().take(end).skip(start) {
        match &a.kind {
            Kind::Word(w) => words.push(word_name(*w)),
            _ => break,
        }
    }
    parse_number_words(&words).map_or(1, |(_, used)| used)
}

/// A spelling of a number word, for the shared cardinal reader.
fn word_name(w: NumberWord) -> &'static str {
    const DIGITS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    const TEENS: [&str; 10] = [
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    match w {
        NumberWord::Digit(d) => DIGITS.get(usize::from(d)).copied().unwrap_or(""),
        NumberWord::Teen(t) => TEENS
            .get(usize::from(t).saturating_sub(10))
            .copied()
            .unwrap_or(""),
        NumberWord::Tens(t) => TENS
            .get((usize::from(t) / 10).saturating_sub(2))
            .copied()
            .unwrap_or(""),
        NumberWord::Oh => "oh",
        NumberWord::Hundred => "hundred",
        NumberWord::Thousand => "thousand",
        NumberWord::Million => "million",
        NumberWord::Billion => "billion",
        NumberWord::Double => "double",
        NumberWord::Triple => "triple",
    }
}

/// Words after which a number is a year ("in 2025", "since nineteen ninety").
const YEAR_WORDS: &[&str] = &[
    "in",
    "since",
    "of",
    "from",
    "until",
    "till",
    "by",
    "year",
    "circa",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
/// Words after which a number is a time of day ("at ten thirty").
const TIME_WORDS: &[&str] = &[
    "at", "around", "by", "before", "after", "until", "till", "about", "from", "between",
];
/// Words after which the last number said was an amount, a count or a time.
const UNIT_WORDS: &[&str] = &[
    "dollar",
    "dollars",
    "bucks",
    "cents",
    "cent",
    "percent",
    "per",
    "grand",
    "k",
    "customers",
    "customer",
    "clients",
    "people",
    "users",
    "employees",
    "reps",
    "seats",
    "licenses",
    "locations",
    "stores",
    "members",
    "accounts",
    "companies",
    "calls",
    "times",
    "units",
    "years",
    "year",
    "months",
    "month",
    "weeks",
    "week",
    "days",
    "day",
    "hours",
    "hour",
    "minutes",
    "minute",
    "mins",
    "seconds",
    "second",
    "miles",
    "am",
    "pm",
    "a.m",
    "p.m",
    "o'clock",
    "o’clock",
    "oclock",
];

/// The other word just before atom `i` (skipping punctuation), if any.
fn word_before(atoms: &[Atom], i: usize) -> Option<&str> {
    atoms[..i]
        .iter()
        .rev()
        .find(|a| a.kind != Kind::Sep)
        .and_then(|a| match &a.kind {
            Kind::Other(w) => Some(w.as_str()),
            _ => None,
        })
}

/// The other word just after atom `i` (skipping punctuation), if any.
fn word_after(atoms: &[Atom], i: usize) -> Option<&str> {
    atoms
        .get(i + 1..)
        .unwrap_or(&[])
        .iter()
        .find(|a| a.kind != Kind::Sep)
        .and_then(|a| match &a.kind {
            Kind::Other(w) => Some(w.as_str()),
            _ => None,
        })
}

fn two_digit_value(g: &Group) -> Option<u32> {
    (g.digits.len() == 2)
        .then(|| g.digits.parse().ok())
        .flatten()
}

/// How many leading groups say a year: "2025", "twenty twenty five",
/// "nineteen ninety", "two thousand twenty".
fn year_prefix(groups: &[Group]) -> usize {
    let Some(first) = groups.first() else {
        return 0;
    };
    match first.form {
        Form::Written => {
            let year = first.digits.len() == 4
                && first
                    .digits
                    .parse::<u32>()
                    .is_ok_and(|y| (1900..=2099).contains(&y));
            usize::from(year)
        }
        Form::Pair if matches!(first.digits.as_str(), "19" | "20") => {
            let second = groups.get(1).filter(|g| g.form == Form::Pair);
            match second {
                // "twenty twenty" alone is 2020.
                Some(g) if two_digit_value(g).is_some() && !first.stop_after => 2,
                _ => 0,
            }
        }
        Form::Scaled if first.digits == "2000" => {
            let second = groups
                .get(1)
                .filter(|g| matches!(g.form, Form::Pair | Form::Single) && !first.stop_after);
            1 + usize::from(second.is_some())
        }
        _ => 0,
    }
}

/// How many leading groups say a time of day: an hour then minutes ("ten
/// thirty", "nine fifteen", "four oh five").
fn time_prefix(groups: &[Group]) -> usize {
    let (Some(hour), Some(minute)) = (groups.first(), groups.get(1)) else {
        return 0;
    };
    let hour_ok = matches!(hour.form, Form::Single | Form::Pair)
        && hour
            .digits
            .parse::<u32>()
            .is_ok_and(|h| (1..=12).contains(&h))
        && !hour.stop_after;
    if !hour_ok {
        return 0;
    }
    if minute.form == Form::Pair && two_digit_value(minute).is_some_and(|m| (10..=59).contains(&m))
    {
        return 2;
    }
    // "four oh five"
    if minute.digits == "0" && !minute.stop_after {
        if let Some(m) = groups.get(2) {
            if m.form == Form::Single && m.digits.len() == 1 {
                return 3;
            }
        }
    }
    0
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
                groups.drain(..strip.min(groups.len()));
            }
        }
        // Context after: "fourteen fifty-five dollars", "200 customers".
        if s + 1 == segment_count {
            let last = last_number_atom(atoms, run_start..run_end);
            let ends_run = groups.last().map(|g| g.last_atom) == last;
            if let (true, Some(last)) = (ends_run, last) {
                if word_after(atoms, last).is_some_and(|w| UNIT_WORDS.contains(&w)) {
                    groups.pop();
                }
            }
        }
        for sentence in join_sentences(groups) {
            for piece in split_numbers(&sentence) {
                let digits: String = piece.iter().map(|g| g.digits.as_str()).collect();
                if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) {
                    continue;
                }
                let (Some(first), Some(last)) = (piece.first(), piece.last()) else {
                    continue;
                };
                found.push(Found {
                    digits,
                    extension: None,
                    first_atom: first.first_atom,
                    last_atom: last.last_atom,
                    ext_last_atom: None,
                });
            }
        }
    }
    found
}

fn digit_len(groups: &[Group]) -> usize {
    groups.iter().map(|g| g.digits.len()).sum()
}

/// Split groups at sentence ends, then join back the parts of one number
/// said as separate sentences ("Five five five. Two one two. ..."): a part
/// of 3 to 6 digits is joined to the next when the two make at most 11.
fn join_sentences(groups: Vec<Group>) -> Vec<Vec<Group>> {
    let mut sentences: Vec<Vec<Group>> = Vec::new();
    let mut current = Vec::new();
    for g in groups {
        let stop = g.stop_after;
        current.push(g);
        if stop {
            sentences.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    let mut joined: Vec<Vec<Group>> = Vec::new();
    for sentence in sentences {
        if let Some(prev) = joined.last_mut() {
            let have = digit_len(prev);
            if (3..MIN_DIGITS).contains(&have) && have + digit_len(&sentence) <= 11 {
                prev.extend(sentence);
                continue;
            }
        }
        joined.push(sentence);
    }
    joined
}

/// A run longer than one number ("555-1212, 555-1212", "five five five ...
/// five five five ..." with no break) is split at group boundaries into
/// numbers of 7, 10 or 11 (starting with 1) digits, covering as many
/// digits as possible with as few pieces as possible.
fn split_numbers(groups: &[Group]) -> Vec<&[Group]> {
    if digit_len(groups) <= 11 {
        return vec![groups];
    }
    let n = groups.len();
    // best[i]: (digits covered, -pieces) for groups[..i], and where it came from.
    let mut best: Vec<(usize, isize)> = vec![(0, 0); n + 1];
    let mut from: Vec<Option<(usize, bool)>> = vec![None; n + 1];
    for j in 1..=n {
        // Leave group j-1 out of every number.
        best[j] = best[j - 1];
        from[j] = Some((j - 1, false));
        for i in 0..j {
            let piece = &groups[i..j];
            let len = digit_len(piece);
            let valid = len == 7
                || len == 10
                || (len == 11 && piece.first().is_some_and(|g| g.digits.starts_with('1')));
            if !valid {
                continue;
            }
            let candidate = (best[i].0 + len, best[i].1 - 1);
            if candidate > best[j] {
                best[j] = candidate;
                from[j] = Some((i, true));
            }
        }
    }
    if best[n].0 == 0 {
        return vec![groups];
    }
    let mut pieces = Vec::new();
    let mut j = n;
    while let Some((i, is_piece)) = from[j] {
        if is_piece {
            pieces.push(&groups[i..j]);
        }
        if i == 0 {
            break;
        }
        j = i;
    }
    pieces.reverse();
    pieces
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
    fn word_name_round_trips() {
        for w in [
            "zero", "seven", "ten", "nineteen", "twenty", "ninety", "hundred", "thousand",
        ] {
            let n = number_word(w).unwrap();
            assert_eq!(word_name(n), w);
        }
    }
}
