//! VM201 no-callback-number and VM202 number-not-repeated: is the callback
//! number said, and said twice? Which number is the callback number, and
//! which mentions are it, the phone module decides (`analyze::phone`); these
//! rules only read its answer.

use super::super::{declare_rule, examples, CheckInput, Evidence, Finding, Rule};
use crate::analyze::phone::format_number;

declare_rule!(NoCallbackNumber, "VM201", "no-callback-number", Error, Text);
declare_rule!(
    NumberNotRepeated,
    "VM202",
    "number-not-repeated",
    Warning,
    Text
);

impl Rule for NoCallbackNumber {
    /// VM201. A number heard but not readable (cut short, garbled) is no
    /// number a listener can call: the finding says it was hard to make out.
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let analysis = input.analysis;
        let callback = analysis.callback.as_ref();
        if callback.is_some_and(|c| !c.mentions.is_empty()) {
            return;
        }
        let given = callback
            .filter(|c| c.given)
            .map(|c| format_number(&c.digits));
        let unclear = analysis.unclear_mentions();
        let number = examples::number(input);
        let mut suggestion = format!(
            "Say your number slowly near the start and again at the end: \"my number is {number}\"."
        );
        let message = if let Some(first) = unclear.first() {
            suggestion = format!(
                "Say it slowly, in groups, as if writing it down: \"{number}\", then say it again."
            );
            let heard = format_number(&first.digits);
            let pace = first
                .time
                .map(|t| format!(", {} digits in {:.1} s", first.digits.len(), t.duration()))
                .unwrap_or_default();
            match &given {
                Some(n) => format!("Your callback number {n} was hard to make out: it was heard as {heard}{pace}, probably said too fast."),
                None => format!("A number was heard but could not be made out ({heard}{pace}): probably said too fast."),
            }
        } else {
            match (&given, analysis.phone_mentions.is_empty()) {
                (Some(n), false) => {
                    format!("You give a number, but never your callback number {n}.")
                }
                (Some(n), true) => format!("You never say your callback number ({n})."),
                (None, _) => "You never say a callback number.".to_string(),
            }
        };
        let mut f = Finding::new(&Self::META, message, suggestion);
        for m in unclear {
            f.evidence
                .extend(Evidence::words(input.message, m.words.clone()));
        }
        out.push(f);
    }
}

impl Rule for NumberNotRepeated {
    /// VM202
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let Some(callback) = &input.analysis.callback else {
            return;
        };
        let said = &callback.mentions;
        let min = input.config.min_number_mentions;
        if said.is_empty() || said.len() >= min {
            return;
        }
        let number = format_number(&callback.digits);
        let (times, want) = (crate::text::times(said.len()), crate::text::times(min));
        let mut f = Finding::new(
            &Self::META,
            format!("You say your number {number} only {times}; say it {want}."),
            format!(
                "Repeat the number at the end, slowly: \"again, that's {}\".",
                examples::number(input)
            ),
        );
        for &i in said {
            if let Some(m) = input.analysis.phone_mentions.get(i) {
                f.evidence
                    .extend(Evidence::words(input.message, m.words.clone()));
            }
        }
        out.push(f);
    }
}
