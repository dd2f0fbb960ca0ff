//! Where one number ends and the next begins inside a run of digits.

use super::groups::{digit_len, Group};
use super::number::is_north_american;

/// Split groups at sentence ends, then join back the parts of one number
/// said as separate sentences ("Five five five. Two one two. Three four five
/// six."): parts join only as a number's own groups do — area code and
/// exchange (3 + 3), then the line (3 + 4, 6 + 4), after a "1 800" (4 + 3,
/// 7 + 4) — and only when the joined parts make a whole number. "10001.
/// 90210. 01803." and "Room 204. 555-1212." stay apart.
pub(super) fn join_sentences(groups: Vec<Group>) -> Vec<Vec<Group>> {
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
    let digits = |parts: &[Vec<Group>]| -> String {
        parts.iter().flatten().map(|g| g.digits.as_str()).collect()
    };
    let continues = |have: &str, next: usize| match (have.len(), next) {
        (3, 3) | (3, 4) | (6, 4) => true,
        (4, 3) | (7, 4) => have.starts_with('1'),
        _ => false,
    };
    let mut out: Vec<Vec<Group>> = Vec::new();
    let mut chain: Vec<Vec<Group>> = Vec::new();
    let close = |chain: &mut Vec<Vec<Group>>, out: &mut Vec<Vec<Group>>| {
        if chain.len() > 1 && is_north_american(&digits(chain)) {
            out.push(chain.drain(..).flatten().collect());
        } else {
            out.append(chain);
        }
    };
    for sentence in sentences {
        let joins = !chain.is_empty() && continues(&digits(&chain), digit_len(&sentence));
        if !joins {
            close(&mut chain, &mut out);
        }
        chain.push(sentence);
    }
    close(&mut chain, &mut out);
    out
}

/// A run longer than one number ("555-1212, 555-1212", "five five five ...
/// five five five ..." with no break) is split at group boundaries into
/// numbers of 7, 10 or 11 (starting with 1) digits that use every group,
/// with as few pieces as possible. A run that cannot be split that way is
/// kept whole ("+44 20 7946 0958" is one number, and so is a string of
/// digits nobody could divide); the caller drops it if it is too long.
pub(super) fn split_numbers(groups: &[Group]) -> Vec<&[Group]> {
    if digit_len(groups) <= 11 {
        return vec![groups];
    }
    let n = groups.len();
    // fewest[j]: fewest pieces covering groups[..j] exactly, and where the last began.
    let mut fewest: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    fewest[0] = Some((0, 0));
    for j in 1..=n {
        for i in 0..j {
            let Some((pieces, _)) = fewest[i] else {
                continue;
            };
            if !is_whole_number(&groups[i..j]) {
                continue;
            }
            if fewest[j].is_none_or(|(best, _)| pieces + 1 < best) {
                fewest[j] = Some((pieces + 1, i));
            }
        }
    }
    if fewest[n].is_none() {
        return vec![groups];
    }
    let mut pieces = Vec::new();
    let mut j = n;
    while j > 0 {
        let Some((_, i)) = fewest[j] else {
            break;
        };
        pieces.push(&groups[i..j]);
        j = i;
    }
    pieces.reverse();
    pieces
}

/// The groups make a whole North American number (7, 10 or 11 digits).
pub(super) fn is_whole_number(piece: &[Group]) -> bool {
    let digits: String = piece.iter().map(|g| g.digits.as_str()).collect();
    is_north_american(&digits)
}
