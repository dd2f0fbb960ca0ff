//! Filler words: "um", "uh", "ah", "er", "hmm", and "like" / "you know"
//! when they carry no meaning.
//!
//! "like" is a verb after a subject or modal ("I'd like to", "you like"), a
//! preposition before an object ("companies like yours", "sounds like a
//! plan"), and a filler when it is set off by commas or dropped between a
//! verb and what follows ("it's, like, ten minutes", "we like help teams").
//! "you know" is a filler unless it is the verb ("let you know", "do you
//! know", "as you know").

use super::tokens::TextView;
use std::ops::Range;

const HESITATIONS: &[&str] = &[
    "um", "umm", "ummm", "uh", "uhh", "uhm", "uh-huh", "ah", "ahh", "er", "erm", "hmm", "hm", "mm",
    "mmm",
];

/// Words after which "like" is the verb.
const LIKE_VERB_BEFORE: &[&str] = &[
    "i", "you", "we", "they", "he", "she", "would", "to", "not", "will", "might", "may", "could",
    "should", "really", "also", "people", "who", "did", "do", "does", "if", "might",
];

/// Words after which "like" is a preposition ("looks like", "something like").
const LIKE_PREP_BEFORE: &[&str] = &[
    "look",
    "looks",
    "looked",
    "sound",
    "sounds",
    "sounded",
    "feel",
    "feels",
    "felt",
    "seem",
    "seems",
    "something",
    "anything",
    "nothing",
    "just",
    "more",
    "much",
    "companies",
    "teams",
    "firms",
    "businesses",
    "people",
    "folks",
    "leaders",
    "clients",
    "customers",
    "brands",
    "things",
    "ones",
    "one",
    "exactly",
    "act",
    "acts",
    "works",
    "work",
    "is",
    "was",
    "be",
    "are",
    "were",
];

/// Words after "like" that make it a preposition or conjunction.
const LIKE_PREP_AFTER: &[&str] = &[
    "yours", "you", "this", "that", "these", "those", "ours", "a", "an", "the", "it", "them", "me",
    "us", "him", "her", "to", "what", "how", "new", "your", "our", "their", "my", "his",
];

/// Words before "you know" that make it the verb.
const KNOW_VERB_BEFORE: &[&str] = &[
    "let", "do", "did", "not", "if", "as", "would", "will", "might", "may", "whether", "to",
    "that", "so", "could", "should", "can", "because", "what", "how", "when", "where", "who",
];

/// Token ranges of filler words, in order.
pub fn find_fillers(view: &TextView) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let n = view.tokens.len();
    let mut i = 0;
    while i < n {
        let t = view.norm(i);
        if HESITATIONS.contains(&t) || (t == "like" && like_is_filler(view, i)) {
            out.push(i..i + 1);
        } else if t == "you" && view.norm(i + 1) == "know" && you_know_is_filler(view, i) {
            out.push(i..i + 2);
            i += 2;
            continue;
        }
        i += 1;
    }
    out
}

fn comma_before(view: &TextView, i: usize) -> bool {
    i > 0
        && view
            .tokens
            .get(i - 1)
            .is_some_and(|t| matches!(t.punct_after, Some(',' | '-' | '—' | '…')))
}

fn like_is_filler(view: &TextView, i: usize) -> bool {
    let prev = if i > 0 { view.norm(i - 1) } else { "" };
    let next = view.norm(i + 1);
    let comma_after = view
        .tokens
        .get(i)
        .is_some_and(|t| matches!(t.punct_after, Some(',' | '—' | '…')));
    // "like totally", "like really": an intensifier after "like" marks the filler.
    if matches!(
        next,
        "totally" | "really" | "literally" | "basically" | "honestly" | "super" | "actually"
    ) && prev != "would"
    {
        return true;
    }
    // ", like Acme did", ", like the teams you …": after a comma but not
    // before one, "like" followed by a name or a determiner is "such as".
    let next_capital = view.tokens.get(i + 1).is_some_and(|t| t.capitalized);
    if comma_before(view, i) && !comma_after && (next_capital || LIKE_PREP_AFTER.contains(&next)) {
        return false;
    }
    let set_off = comma_before(view, i) || comma_after;
    // Set off by commas, unless it is "I'd like, um, to …" (verb, comma only after).
    if set_off && (comma_before(view, i) || !LIKE_VERB_BEFORE.contains(&prev)) {
        // "it's, like, ten minutes" / "we, like, help" / "like, we help".
        return !(comma_after && !comma_before(view, i) && LIKE_PREP_BEFORE.contains(&prev));
    }
    if LIKE_VERB_BEFORE.contains(&prev) || LIKE_PREP_BEFORE.contains(&prev) {
        return false;
    }
    if LIKE_PREP_AFTER.contains(&next) {
        return false;
    }
    // A "like" between a subject-ish word and a verb or number: "we like
    // help teams", "it takes like ten minutes", "so like".
    matches!(
        prev,
        "so" | "and" | "but" | "um" | "uh" | "takes" | "took" | "about"
    ) || (next.chars().next().is_some_and(|c| c.is_ascii_digit()))
        || matches!(
            next,
            "two"
                | "three"
                | "four"
                | "five"
                | "ten"
                | "twenty"
                | "really"
                | "totally"
                | "super"
                | "literally"
                | "basically"
                | "honestly"
        )
}

fn you_know_is_filler(view: &TextView, i: usize) -> bool {
    let prev = if i > 0 { view.norm(i - 1) } else { "" };
    if KNOW_VERB_BEFORE.contains(&prev) {
        return false;
    }
    // "you know what", "you know him", "you know about": the verb with an object.
    let next = view.norm(i + 2);
    let set_off = comma_before(view, i)
        || view
            .tokens
            .get(i + 1)
            .is_some_and(|t| matches!(t.punct_after, Some(',' | '—' | '…')));
    if set_off {
        return true;
    }
    !matches!(
        next,
        "what"
            | "who"
            | "how"
            | "that"
            | "him"
            | "her"
            | "them"
            | "about"
            | "it"
            | "the"
            | "a"
            | "where"
            | "when"
            | "if"
            | "whether"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Transcript;

    fn fillers(s: &str) -> Vec<String> {
        let v = TextView::new(&Transcript::from_text(s));
        find_fillers(&v)
            .into_iter()
            .map(|r| {
                r.map(|i| v.norm(i).to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn hesitations() {
        assert_eq!(
            fillers("Hi, um, this is, uh, Mike. Hmm."),
            ["um", "uh", "hmm"]
        );
    }

    #[test]
    fn like_verb_preposition_and_filler() {
        assert!(fillers("I'd like to show you something.").is_empty());
        assert!(fillers("Companies like yours save time.").is_empty());
        assert!(fillers("That sounds like a plan. You might like it.").is_empty());
        assert_eq!(fillers("It's, like, ten minutes."), ["like"]);
        assert_eq!(fillers("We help teams, so like, grow."), ["like"]);
        assert_eq!(fillers("It takes like ten minutes."), ["like"]);
        assert!(fillers("Teams cut hiring time with us, like Acme did.").is_empty());
    }

    #[test]
    fn you_know_verb_and_filler() {
        assert!(
            fillers("I'll let you know Thursday. Do you know Sam? As you know, we help.")
                .is_empty()
        );
        assert_eq!(fillers("It's, you know, a quick call."), ["you know"]);
        assert_eq!(fillers("We help teams you know grow."), ["you know"]);
    }
}
