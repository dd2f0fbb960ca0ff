//! Context that makes digits something other than a phone number: a year
//! ("in 2025"), a time ("at ten thirty"), an amount or a count ("fifty-five
//! dollars", "200 customers").

use super::atoms::{Atom, Kind};
use super::groups::{Form, Group};

/// Words after which a number is a year ("in 2025", "since nineteen ninety").
pub(super) const YEAR_WORDS: &[&str] = &[
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
pub(super) const TIME_WORDS: &[&str] = &[
    "at", "around", "by", "before", "after", "until", "till", "about", "from", "between",
];
/// Words after which the last number said was an amount, a count or a time.
pub(super) const UNIT_WORDS: &[&str] = &[
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
pub(super) fn word_before(atoms: &[Atom], i: usize) -> Option<&str> {
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
pub(super) fn word_after(atoms: &[Atom], i: usize) -> Option<&str> {
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

pub(super) fn two_digit_value(g: &Group) -> Option<u32> {
    (g.digits.len() == 2)
        .then(|| g.digits.parse().ok())
        .flatten()
}

/// How many leading groups say a year: "2025", "twenty twenty five",
/// "nineteen ninety", "two thousand twenty".
pub(super) fn year_prefix(groups: &[Group]) -> usize {
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

/// The first group is an hour said alone ("at 11", "at nine"): one or two
/// digits from 1 to 12, written or spoken, with no sentence end after it.
/// Said right before a number ("call me monday at 11 555 787 2323"), it is
/// a time, not the number's first digits, when the digits after it make a
/// whole number and the run with it does not (the caller checks that: "at
/// 1 800 555 1212" is one 11-digit number).
pub(super) fn hour_prefix(groups: &[Group]) -> usize {
    let Some(hour) = groups.first() else {
        return 0;
    };
    let short = matches!(hour.form, Form::Single | Form::Pair)
        || (hour.form == Form::Written && hour.digits.len() <= 2);
    let hour_ok = short
        && !hour.stop_after
        && hour
            .digits
            .parse::<u32>()
            .is_ok_and(|h| (1..=12).contains(&h));
    usize::from(hour_ok && groups.len() > 1)
}

/// How many leading groups say a time of day: an hour then minutes ("ten
/// thirty", "nine fifteen", "four oh five").
pub(super) fn time_prefix(groups: &[Group]) -> usize {
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
