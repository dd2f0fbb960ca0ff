//! Reading a run of number atoms into groups of digits: "fifty five" is
//! 55, "double five" 55, "eight hundred" 800; amounts such as "one thousand
//! four hundred" end a run.

use super::atoms::{word_at, Atom, Kind};
use super::number::is_north_american;
use crate::text::numbers::{parse_number_words, NumberWord};
use std::ops::Range;

/// How a group of digits was said.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Form {
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
pub(super) struct Group {
    pub(super) digits: String,
    pub(super) form: Form,
    pub(super) first_atom: usize,
    pub(super) last_atom: usize,
    pub(super) stop_after: bool,
    /// Read from a homophone ("for" as 4): kept only in a whole number.
    pub(super) guessed: bool,
}

pub(super) fn digit_len(groups: &[Group]) -> usize {
    groups.iter().map(|g| g.digits.len()).sum()
}

/// Read atoms `run` (number atoms and separators) into segments of digit
/// groups; a segment ends where something in the run cannot be part of a
/// phone number ("one thousand four hundred", a lone "oh").
pub(super) fn read_groups(atoms: &[Atom], run: Range<usize>, leading_oh: bool) -> Vec<Vec<Group>> {
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
            guessed: false,
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
                // Numbers are written in groups of 1 to 4 digits, or whole
                // (7, 10, 11 or more): "10001, 90210" are two things, and a
                // 9-digit "552123456" is one run of its own.
                let alone = matches!(d.len(), 5 | 6 | 8 | 9);
                if alone {
                    flush(&mut current, &mut segments);
                }
                current.push(single(d.clone(), Form::Written, i));
                if alone && !glued_homophone_next(atoms, i, end) {
                    flush(&mut current, &mut segments);
                }
                i += 1;
            }
            Kind::Homophone { digit, glued } => {
                // A digit only between digits of a number not yet whole:
                // "775 301 for 418", "441a"; not "555-1212 for 20 minutes".
                let after_digits = current
                    .last()
                    .is_some_and(|g| !g.stop_after && g.last_atom + 1 == i);
                let before_digits = *glued
                    || (i + 1 < end
                        && !atom.punct_after
                        && matches!(atoms[i + 1].kind, Kind::Digits(_) | Kind::Word(_)));
                let sentence = current
                    .iter()
                    .rposition(|g| g.stop_after)
                    .map_or(0, |p| p + 1);
                let so_far: String = current[sentence..]
                    .iter()
                    .map(|g| g.digits.as_str())
                    .collect();
                if after_digits && before_digits && !is_north_american(&so_far) {
                    let mut g = single(digit.to_string(), Form::Single, i);
                    g.guessed = true;
                    current.push(g);
                } else {
                    flush(&mut current, &mut segments);
                }
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
                    NumberWord::Tens(t) => {
                        let (value, last) = match next {
                            Some(NumberWord::Digit(u)) if u > 0 => (u32::from(t + u), i + 1),
                            _ => (u32::from(t), i),
                        };
                        // "thirty-four hundred" is 3400.
                        if joined(last) && word_at(atoms, last + 1) == Some(NumberWord::Hundred) {
                            current.push(single(
                                format!("{}", value * 100),
                                Form::Scaled,
                                last + 1,
                            ));
                            i = last + 2;
                        } else {
                            current.push(single(format!("{value}"), Form::Pair, last));
                            i = last + 1;
                        }
                    }
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
                        let written = match atoms.get(i + 1).map(|a| &a.kind) {
                            Some(Kind::Digits(d)) if joined_to_digits(atoms, i, end) => Some(d),
                            _ => None,
                        };
                        match (next.and_then(NumberWord::digit), written) {
                            (Some(d), _) => {
                                let digits: String =
                                    std::iter::repeat_n(char::from(b'0' + d), times).collect();
                                current.push(single(digits, Form::Single, i + 1));
                                i += 2;
                            }
                            (None, Some(d)) => {
                                current.push(single(after_double(d, times), Form::Single, i + 1));
                                i += 2;
                            }
                            (None, None) => {
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

/// Atom `i` ("double") is followed directly by digits written as digits.
fn joined_to_digits(atoms: &[Atom], i: usize, end: usize) -> bool {
    i + 1 < end && !atoms[i].punct_after
}

/// "double" (`times` = 2) or "triple" (3) before digits Whisper wrote as
/// digits. Said "double five five", Whisper writes "double 55" (the words
/// after "double" as they sound: the first digit is doubled, 555) or
/// "double 555" (the doubling already done). A group of three or more equal
/// digits is taken as already done; anything shorter is read literally.
fn after_double(written: &str, times: usize) -> String {
    let Some(first) = written.chars().next() else {
        return String::new();
    };
    let done = written.len() >= 3 && written.chars().all(|c| c == first);
    if done {
        written.to_string()
    } else {
        let mut digits: String = std::iter::repeat_n(first, times - 1).collect();
        digits.push_str(written);
        digits
    }
}

/// Atom `i` is followed by a letter glued to it that stands for a digit ("441a").
fn glued_homophone_next(atoms: &[Atom], i: usize, end: usize) -> bool {
    i + 1 < end
        && matches!(atoms[i + 1].kind, Kind::Homophone { glued: true, .. })
        && atoms[i + 1].word == atoms[i].word
}

/// How many atoms from `start` a cardinal phrase takes ("one thousand four
/// hundred fifty five" → 6), read with the shared number-word reader.
pub(super) fn cardinal_len(atoms: &[Atom], start: usize, end: usize) -> usize {
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
pub(super) fn word_name(w: NumberWord) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::numbers::number_word;

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
