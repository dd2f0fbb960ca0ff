//! The rep's own words in a suggestion: their number, the prospect's name,
//! their own name and company, taken from the message (or the settings)
//! when it has them, so "say it like this" reads as their message and not
//! a stranger's. Where the message has none, a placeholder in brackets
//! ("[your number]") says what goes there: never a made-up number or name
//! a rep could mistake for theirs.

use super::CheckInput;
use crate::analyze::phone::format_number;
use crate::text::{intro, names};
use std::ops::Range;

/// What goes where a message has none of its own.
const NO_NUMBER: &str = "[your number]";
const NO_PROSPECT: &str = "[their name]";
const NO_CALLER: &str = "[your name]";
const NO_COMPANY: &str = "[your company]";

/// A number as the phone module writes it ("555-212-3456"), in the groups
/// a listener writes it down in: "555 … 212 … 3456".
pub fn spoken_groups(digits: &str) -> String {
    format_number(digits).replace('-', " … ")
}

/// The callback number in spoken groups (`phone::callback` chose it: the
/// rep's own, else the first whole number said, else one heard one digit
/// off the same way twice); a placeholder when the message has no number a
/// listener could dial.
pub fn number(input: &CheckInput) -> String {
    input
        .analysis
        .callback
        .as_ref()
        .map_or_else(|| NO_NUMBER.to_string(), |c| spoken_groups(&c.digits))
}

/// Mention `i` as its whole number, in spoken groups (a misheard mention
/// shows the number it is a form of).
pub fn mention_number(input: &CheckInput, i: usize) -> String {
    let a = input.analysis;
    let whole = a.whole_number_of(i).map(|n| n.digits.as_str());
    match whole.or_else(|| a.phone_mentions.get(i).map(|m| m.digits.as_str())) {
        Some(d) => spoken_groups(d),
        None => number(input),
    }
}

/// A name's first part, capitalised ("sarah lee" → "Sarah"); `None` when
/// it has no part worth saying.
pub fn first_name(name: &str) -> Option<String> {
    names::name_parts(name)
        .into_iter()
        .next()
        .map(|n| capitalise(&n))
}

/// The prospect's first name (given, or from the greeting), else a
/// placeholder.
pub fn prospect_first(input: &CheckInput) -> String {
    input
        .prospect
        .and_then(|p| first_name(&p.name))
        .unwrap_or_else(|| NO_PROSPECT.to_string())
}

/// The caller's name: the one in the settings, else the one they said
/// ("it's Mike Jones"), else a placeholder.
pub fn caller(input: &CheckInput) -> String {
    given(input.message.context.caller.as_deref())
        .or_else(|| {
            intro::introduction(input.text)
                .name
                .and_then(|r| said(input, r))
        })
        .unwrap_or_else(|| NO_CALLER.to_string())
}

/// The caller's company: set, said ("from Butler Street"), else a
/// placeholder.
pub fn company(input: &CheckInput) -> String {
    given(input.message.context.company.as_deref())
        .or_else(|| {
            intro::introduction(input.text)
                .company
                .and_then(|r| said(input, r))
        })
        .unwrap_or_else(|| NO_COMPANY.to_string())
}

/// A short message in the rep's own names and number, the shape a long
/// one is cut to: who, one reason, when you'll call, the number twice.
pub fn short_message(input: &CheckInput) -> String {
    let number = number(input);
    format!(
        "Hi {}, this is {} from {}. [One reason that matters to them.] I'll try you Thursday at 10; my number is {number}, again, {number}.",
        prospect_first(input),
        caller(input),
        company(input)
    )
}

fn given(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The transcript words behind a token range, without the punctuation
/// around them ("Butler Street." → "Butler Street").
fn said(input: &CheckInput, tokens: Range<usize>) -> Option<String> {
    let mut parts = input.text.words_said(&input.message.transcript, tokens)?;
    parts.retain(|w| !w.is_empty());
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::analyze;
    use crate::message::{Message, Transcript};
    use crate::rules::{resolve_prospect, RuleConfig};
    use crate::text::TextView;

    fn with<T>(text: &str, f: impl FnOnce(&CheckInput) -> T) -> T {
        let message = Message {
            transcript: Transcript::from_text(text),
            ..Message::default()
        };
        let analysis = analyze(&message);
        let view = TextView::new(&message.transcript);
        let prospect = resolve_prospect(&message, &view);
        let config = RuleConfig::default();
        let input = CheckInput {
            message: &message,
            analysis: &analysis,
            config: &config,
            text: &view,
            prospect: prospect.as_ref(),
        };
        f(&input)
    }

    #[test]
    fn the_message_s_own_number_and_names() {
        with(
            "Hi Priya, this is Tom Reed from Northwind. Call me at 415-555-0133.",
            |i| {
                assert_eq!(number(i), "415 … 555 … 0133");
                assert_eq!(prospect_first(i), "Priya");
                assert_eq!(caller(i), "Tom Reed");
                assert_eq!(company(i), "Northwind");
                assert_eq!(
                    short_message(i),
                    "Hi Priya, this is Tom Reed from Northwind. [One reason that matters to them.] \
                     I'll try you Thursday at 10; my number is 415 … 555 … 0133, again, 415 … 555 … 0133."
                );
            },
        );
    }

    #[test]
    fn placeholders_only_when_the_message_has_none() {
        with("I have a question for you. Give me a call.", |i| {
            assert_eq!(number(i), "[your number]");
            assert_eq!(prospect_first(i), "[their name]");
            assert_eq!(caller(i), "[your name]");
            assert_eq!(company(i), "[your company]");
        });
        assert_eq!(spoken_groups("15552123456"), "1 … 555 … 212 … 3456");
    }
}
