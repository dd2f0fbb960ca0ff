//! Atoms: the pieces of each transcript word that matter for numbers —
//! written digit groups, number words, extension markers, other words —
//! with their byte spans in the transcript text.

use crate::message::{TextRange, Transcript};
use crate::text::numbers::{number_word, NumberWord};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    /// A group of written digits ("555" of "555-1212").
    Digits(String),
    /// A number word ("five", "oh", "fifty", "double").
    Word(NumberWord),
    /// "extension", "ext.", "x".
    Ext,
    /// A written extension, "x204".
    ExtDigits(String),
    /// A word Whisper writes for a digit it misheard ("for" 4, "to" 2,
    /// "won" 1, "a" 8), or such a letter inside a written number ("441a",
    /// "301-for"). A digit only between digits, and only when the number
    /// it completes is whole (see `groups::read_groups` and `read_run`).
    Homophone { digit: u8, glued: bool },
    /// Punctuation on its own ("-", ",").
    Sep,
    /// A written number that is not part of a phone number: "$1,455",
    /// "4:30", "50%", "23rd", "11/23", "1.5".
    Block,
    /// Any other word, lower-cased without punctuation.
    Other(String),
}

impl Kind {
    pub(super) fn starts_run(&self) -> bool {
        matches!(self, Kind::Digits(_) | Kind::Word(_))
    }
    pub(super) fn in_run(&self) -> bool {
        matches!(
            self,
            Kind::Digits(_) | Kind::Word(_) | Kind::Homophone { .. } | Kind::Sep
        )
    }
}

#[derive(Debug, Clone)]
pub(super) struct Atom {
    pub(super) kind: Kind,
    /// Index of the transcript word it comes from.
    pub(super) word: usize,
    /// Byte span in the transcript text.
    pub(super) span: TextRange,
    /// Punctuation follows it (a comma or a full stop): a spoken pair is
    /// not read across it ("fifty, five" is not 55).
    pub(super) punct_after: bool,
    /// A sentence ends after it ('.', '!' or '?').
    pub(super) stop_after: bool,
}

/// Split every transcript word into atoms.
pub(super) fn atomize(transcript: &Transcript) -> Vec<Atom> {
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
    // "801.5555. 0072": in a number written with dots, a dot before more
    // digits is one more separator, not the end of a sentence ("10001.
    // 90210." has no dot inside and stays two sentences).
    for i in 1..atoms.len() {
        let (before, after) = atoms.split_at_mut(i);
        let (Some(a), Some(b)) = (before.last_mut(), after.first()) else {
            continue;
        };
        if a.stop_after
            && matches!(a.kind, Kind::Digits(_))
            && matches!(b.kind, Kind::Digits(_))
            && a.word != b.word
            && transcript
                .words
                .get(a.word)
                .is_some_and(|w| dotted_number(&w.text))
        {
            a.stop_after = false;
        }
    }
    atoms
}

/// Digits with a dot between them inside one token ("801.5555.").
fn dotted_number(word: &str) -> bool {
    let b = word.as_bytes();
    b.windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit())
}

/// The digit a word stands for when Whisper writes a digit as a word that
/// sounds like it. "oh" and "o" are zero everywhere in a number (see
/// `NumberWord::Oh`); these only between digits.
pub(super) fn homophone_digit(word: &str) -> Option<u8> {
    match word {
        "for" => Some(4),
        "to" | "too" => Some(2),
        "won" => Some(1),
        "a" => Some(8),
        _ => None,
    }
}

pub(super) struct Piece {
    pub(super) kind: Kind,
    pub(super) range: Range<usize>,
    pub(super) punct_after: bool,
    pub(super) stop_after: bool,
}

pub(super) fn is_stop(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ';')
}

/// The atoms of one word, with byte ranges inside it.
pub(super) fn word_atoms(w: &str) -> Vec<Piece> {
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

pub(super) fn piece(kind: Kind, range: Range<usize>) -> Piece {
    Piece {
        kind,
        range,
        punct_after: false,
        stop_after: false,
    }
}

/// A word without digits: number words (hyphenated ones split), an
/// extension marker, or another word.
pub(super) fn word_pieces(core: &str, lower: &str) -> Vec<Piece> {
    if matches!(lower, "extension" | "ext" | "x") {
        return vec![piece(Kind::Ext, 0..core.len())];
    }
    // "five five five dash two one two": the spoken punctuation of a number.
    if matches!(lower, "dash" | "hyphen" | "dot") {
        return vec![piece(Kind::Sep, 0..core.len())];
    }
    if let Some(digit) = homophone_digit(lower) {
        let glued = false;
        return vec![piece(Kind::Homophone { digit, glued }, 0..core.len())];
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
pub(super) fn written_atoms(core: &str) -> Vec<Piece> {
    let block = || vec![piece(Kind::Block, 0..core.len())];
    if core.contains(['$', '€', '£', '%', ':', '/', '\'', '’']) {
        return block();
    }
    if let Some(pieces) = misheard_atoms(core) {
        return pieces;
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

/// Whisper's spelling of a number with a misheard digit written as a word
/// or a letter: "441a" (…eight), "301-for-418", "775.301.441a". Parts split
/// at "-" and "." are digit groups, homophone words, or digits with a
/// trailing "a" or "o"; at least one part has digits.
fn misheard_atoms(core: &str) -> Option<Vec<Piece>> {
    if !core.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut pieces = Vec::new();
    let mut offset = 0;
    for part in core.split(['-', '.']) {
        let start = offset;
        offset += part.len() + 1;
        if part.is_empty() {
            continue;
        }
        let lower = part.to_ascii_lowercase();
        let glued = true;
        if let Some(digit) =
            homophone_digit(&lower).or((lower == "oh" || lower == "o").then_some(0))
        {
            pieces.push(piece(
                Kind::Homophone { digit, glued },
                start..start + part.len(),
            ));
            continue;
        }
        let digits_end = part
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(part.len());
        let letter = match &lower[digits_end..] {
            "" => None,
            "a" => Some(8),
            "o" => Some(0),
            _ => return None,
        };
        if digits_end == 0 {
            return None;
        }
        pieces.push(piece(
            Kind::Digits(part[..digits_end].to_string()),
            start..start + digits_end,
        ));
        if let Some(digit) = letter {
            pieces.push(piece(
                Kind::Homophone { digit, glued },
                start + digits_end..start + part.len(),
            ));
        }
    }
    pieces
        .iter()
        .any(|p| matches!(p.kind, Kind::Digits(_)))
        .then_some(pieces)
}

/// Digits with separators → one atom per digit group, or `None` when the
/// punctuation says it is not a phone number (thousands commas, a decimal
/// point, a date).
pub(super) fn digit_groups(s: &str) -> Option<Vec<Piece>> {
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

/// The number word of atom `i`, if it is one.
pub(super) fn word_at(atoms: &[Atom], i: usize) -> Option<NumberWord> {
    match atoms.get(i).map(|a| &a.kind) {
        Some(Kind::Word(w)) => Some(*w),
        _ => None,
    }
}
