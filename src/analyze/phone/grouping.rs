//! Which mentions are the same number, and which number is the callback
//! number. Mentions are grouped exactly first (RULES.md: same digits
//! ignoring a country code 1, or a 7-digit tail), then groups one misheard
//! digit apart are merged (see [`near_number`]), so a number said twice and
//! heard once with a digit wrong is one number said twice — and the report
//! says how it was heard.

use super::number::{self, national, near_number, parse_given, same_number};
use super::{PhoneMention, PhoneNumber};
use serde::Serialize;
use std::cmp::Reverse;

/// The rep's callback number and where in the message it was said.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Callback {
    /// The digits: the rep's own number when given, else the number said
    /// most often (ties: the first said).
    pub digits: String,
    /// It came from `--number` or the config file, not from the message.
    pub given: bool,
    /// Indices of its mentions, a misheard digit forgiven; empty when a
    /// given number is never said.
    pub mentions: Vec<usize>,
}

/// Group mentions of the same number, most said first (ties: first said first).
pub fn group(mentions: &[PhoneMention]) -> Vec<PhoneNumber> {
    let mut groups: Vec<PhoneNumber> = Vec::new();
    // Full numbers first, so a 7-digit mention can find the 10-digit one it
    // is the tail of, whichever was said first.
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&i| (national(&mentions[i].digits).len() == 7, i));
    for i in order {
        let m = &mentions[i];
        let found = groups.iter().position(|g| {
            let n = national(&g.digits);
            n == national(&m.digits)
                || (national(&m.digits).len() == 7 && same_number(n, &m.digits))
        });
        match found {
            Some(g) => groups[g].mentions.push(i),
            None => groups.push(PhoneNumber {
                digits: m.digits.clone(),
                count: 0,
                mentions: vec![i],
                whole: false,
                heard_as: Vec::new(),
            }),
        }
    }
    // Then one misheard digit: merge into the group that is a whole number
    // and said more often (ties: said first).
    loop {
        let strength = |g: &PhoneNumber| {
            let whole = g.mentions.iter().any(|&i| mentions[i].whole);
            (
                Reverse(whole),
                Reverse(g.mentions.len()),
                g.mentions.iter().min().copied(),
            )
        };
        let mut pair = None;
        'search: for a in 0..groups.len() {
            for b in a + 1..groups.len() {
                let near = groups[a].mentions.iter().any(|&i| {
                    groups[b]
                        .mentions
                        .iter()
                        .any(|&j| near_number(&mentions[i].digits, &mentions[j].digits))
                });
                if near {
                    pair = Some((a, b));
                    break 'search;
                }
            }
        }
        let Some((a, b)) = pair else {
            break;
        };
        let (keep, gone) = if strength(&groups[a]) <= strength(&groups[b]) {
            (a, b)
        } else {
            (b, a)
        };
        let moved = std::mem::take(&mut groups[gone].mentions);
        groups[keep].mentions.extend(moved);
        groups.remove(gone);
    }
    for g in &mut groups {
        g.mentions.sort_unstable();
        g.count = g.mentions.len();
        // The number is the longest whole form said, else the longest heard.
        let best = g
            .mentions
            .iter()
            .map(|&i| &mentions[i])
            .min_by_key(|m| (Reverse(m.whole), Reverse(m.digits.len())));
        if let Some(best) = best {
            g.digits = best.digits.clone();
            g.whole = best.whole;
        }
        // The forms that are not simply this number, in the order said.
        for &i in &g.mentions {
            let d = &mentions[i].digits;
            if !same_number(d, &g.digits) && !g.heard_as.contains(d) {
                g.heard_as.push(d.clone());
            }
        }
    }
    groups.sort_by_key(|g| (Reverse(g.count), g.mentions.first().copied()));
    groups
}

/// The callback number: the rep's own (`given`, matched as forgivingly as
/// mentions are grouped), else the whole number said most often, else a
/// number said at least twice, each time one digit off a whole number (a
/// rep who says "415 double-five 5 0133" twice, clearly, said a number;
/// tiny Whisper models write it "415-550-133" both times), else a number
/// said once right after a callback cue, one digit off a whole number, at
/// no more than `readable_rate` digits a second ("call me at 415-050133"
/// said at 1.8 digits/s: Whisper lost a digit of a number a listener could
/// follow; said faster, or with no time known, it stays a number that
/// could not be made out). `None` when no number is given and none of
/// these was said.
pub fn callback(
    mentions: &[PhoneMention],
    numbers: &[PhoneNumber],
    given: Option<&str>,
    readable_rate: f64,
) -> Option<Callback> {
    let given = given.and_then(|g| {
        parse_given(g).ok().or_else(|| {
            let d: String = g.chars().filter(char::is_ascii_digit).collect();
            (!d.is_empty()).then_some(d)
        })
    });
    match given {
        Some(digits) => {
            let mut said: Vec<usize> = numbers
                .iter()
                .filter(|n| {
                    near_number(&n.digits, &digits)
                        || n.mentions
                            .iter()
                            .any(|&i| near_number(&mentions[i].digits, &digits))
                })
                .flat_map(|n| n.mentions.iter().copied())
                .collect();
            said.sort_unstable();
            Some(Callback {
                digits,
                given: true,
                mentions: said,
            })
        }
        None => numbers
            .iter()
            .find(|n| n.whole)
            .or_else(|| {
                numbers
                    .iter()
                    .find(|n| heard_twice_one_digit_off(mentions, n))
            })
            .or_else(|| {
                numbers
                    .iter()
                    .find(|n| said_once_at_a_pace_one_digit_off(mentions, n, readable_rate))
            })
            .map(|n| Callback {
                digits: n.digits.clone(),
                given: false,
                mentions: n.mentions.clone(),
            }),
    }
}

/// Said once, right after a callback cue, one digit off a whole number,
/// at no more than `readable_rate` digits a second.
fn said_once_at_a_pace_one_digit_off(
    mentions: &[PhoneMention],
    n: &PhoneNumber,
    readable_rate: f64,
) -> bool {
    match n.mentions.as_slice() {
        [i] => mentions.get(*i).is_some_and(|m| {
            m.cued
                && m.digits_per_second.is_some_and(|r| r <= readable_rate)
                && number::one_digit_off_whole(national(&m.digits))
        }),
        _ => false,
    }
}

/// Said at least twice, every time one digit off a whole number.
fn heard_twice_one_digit_off(mentions: &[PhoneMention], n: &PhoneNumber) -> bool {
    n.mentions.len() >= 2
        && n.mentions.iter().all(|&i| {
            mentions
                .get(i)
                .is_some_and(|m| number::one_digit_off_whole(national(&m.digits)))
        })
}
