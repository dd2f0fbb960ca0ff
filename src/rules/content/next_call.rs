//! VM209 no-next-call-time: when you will call again.

use super::super::{declare_rule, lexicon, CheckInput, Finding, Rule};
use super::quote;
use std::ops::Range;

declare_rule!(NoNextCallTime, "VM209", "no-next-call-time", Warning, Text);

/// Does this sentence say when (a day, a time of day, "at 10", "10am")?
fn has_time(input: &CheckInput, s: Range<usize>) -> bool {
    let view = input.text;
    if !lexicon::time_words().find_in(view, s.clone()).is_empty() {
        return true;
    }
    s.clone().any(|i| {
        let t = view.norm(i);
        let next = view.norm(i + 1);
        let numeric = |x: &str| {
            x.starts_with(|c: char| c.is_ascii_digit()) || lexicon::CLOCK_NUMBERS.contains(&x)
        };
        (matches!(t, "at" | "around" | "by" | "after" | "before" | "between") && numeric(next))
            || (t.starts_with(|c: char| c.is_ascii_digit())
                && (t.ends_with("am") || t.ends_with("pm")))
    })
}

impl Rule for NoNextCallTime {
    /// VM209
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let view = input.text;
        let promises = lexicon::will_call().find_all(view);
        for p in &promises {
            let Some(s) = view
                .sentence_of(p.tokens.start)
                .and_then(|s| view.sentences.get(s))
            else {
                continue;
            };
            if has_time(input, s.clone()) {
                return;
            }
        }
        let mut f = match promises.first() {
            Some(p) => {
                let (q, e) = quote(input, p.tokens.clone());
                Finding::new(&Self::META, format!("\"{q}\" — but not when."), "").evidence(e)
            }
            None => Finding::new(&Self::META, "You don't say when you'll call again.", ""),
        };
        f.suggestion = format!(
            "Tell them when you'll try again: \"{}, I'll try you Thursday at 10.\"",
            super::super::examples::prospect_first(input)
        );
        out.push(f);
    }
}
