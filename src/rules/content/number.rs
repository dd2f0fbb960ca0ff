//! VM201 no-callback-number and VM202 number-not-repeated: is the callback
//! number said, and said twice?

use super::super::{declare_rule, CheckInput, Evidence, Finding, Rule};
use crate::analyze::PhoneMention;

declare_rule!(NoCallbackNumber, "VM201", "no-callback-number", Error, Text);
declare_rule!(
    NumberNotRepeated,
    "VM202",
    "number-not-repeated",
    Warning,
    Text
);

/// The digits that identify a number: no punctuation, no leading country code 1.
fn core_digits(s: &str) -> String {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    match d.strip_prefix('1') {
        Some(rest) if d.len() == 11 => rest.to_string(),
        _ => d,
    }
}

/// A number as it is read: 555-212-3456, 555-1212, 1-555-212-3456.
pub fn format_number(digits: &str) -> String {
    let d: String = digits.chars().filter(char::is_ascii_digit).collect();
    let g = |s: &str| -> String {
        match s.len() {
            10 => format!("{}-{}-{}", &s[..3], &s[3..6], &s[6..]),
            7 => format!("{}-{}", &s[..3], &s[3..]),
            _ => s.to_string(),
        }
    };
    match d.strip_prefix('1') {
        Some(rest) if d.len() == 11 => format!("1-{}", g(rest)),
        _ => g(&d),
    }
}

/// RULES.md: same digits ignoring a leading 1, or a 7-digit tail of a 10-digit number.
fn same_number(a: &str, b: &str) -> bool {
    let (a, b) = (core_digits(a), core_digits(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a == b
        || (a.len() == 7 && b.len() == 10 && b.ends_with(&a))
        || (b.len() == 7 && a.len() == 10 && a.ends_with(&b))
}

/// The mentions of the callback number: the one given (`--number`), else
/// the number said most often (ties: the first said).
fn callback_mentions<'a>(input: &'a CheckInput) -> (Option<String>, Vec<&'a PhoneMention>) {
    let mentions = &input.analysis.phone_mentions;
    let target = match input.message.context.number.as_deref() {
        Some(n) if !core_digits(n).is_empty() => Some(n.to_string()),
        _ => {
            let mut best: Option<(&str, usize)> = None;
            for m in mentions {
                let n = mentions
                    .iter()
                    .filter(|o| same_number(&o.digits, &m.digits))
                    .count();
                if best.is_none_or(|(_, c)| n > c) {
                    best = Some((&m.digits, n));
                }
            }
            best.map(|(d, _)| d.to_string())
        }
    };
    let said = match &target {
        Some(t) => mentions
            .iter()
            .filter(|m| same_number(&m.digits, t))
            .collect(),
        None => Vec::new(),
    };
    (target, said)
}

impl Rule for NoCallbackNumber {
    /// VM201
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let (target, said) = callback_mentions(input);
        if !said.is_empty() {
            return;
        }
        let message = match (
            &input.message.context.number,
            input.analysis.phone_mentions.is_empty(),
        ) {
            (Some(n), false) => format!("You give a number, but never your callback number {n}."),
            (Some(n), true) => format!("You never say your callback number ({n})."),
            (None, _) => "You never say a callback number.".to_string(),
        };
        let _ = target;
        out.push(Finding::new(
            &Self::META,
            message,
            "Say your number slowly near the start and again at the end: \"my number is 555 … 212 … 3456\".",
        ));
    }
}

impl Rule for NumberNotRepeated {
    /// VM202
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let (target, said) = callback_mentions(input);
        let min = input.config.min_number_mentions;
        if said.is_empty() || said.len() >= min {
            return;
        }
        let number = format_number(&target.unwrap_or_default());
        let times = if said.len() == 1 {
            "once".to_string()
        } else {
            format!("{} times", said.len())
        };
        let mut f = Finding::new(
            &Self::META,
            format!("You say your number {number} only {times}; say it {min} times."),
            "Repeat the number at the end, slowly: \"again, that's 555 … 212 … 3456\".",
        );
        for m in said {
            f.evidence
                .extend(Evidence::words(input.message, m.words.clone()));
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::same_number;

    #[test]
    fn seven_digit_tail_is_the_same_number() {
        assert!(same_number("2123456", "15552123456"));
        assert!(!same_number("2123457", "5552123456"));
    }
}
