//! VM213 rambling and VM214 self-focused: how much is said, and about whom.

use super::super::{declare_rule, examples, lexicon, CheckInput, Evidence, Finding, Rule};
use crate::analyze::timing;
use std::ops::Range;

declare_rule!(Rambling, "VM213", "rambling", Warning, Text);
declare_rule!(SelfFocused, "VM214", "self-focused", Warning, Text);

/// Words as a listener hears them: the count words per minute uses
/// ([`timing::spoken_words`]).
fn spoken_words(input: &CheckInput, words: Range<usize>) -> usize {
    timing::spoken_words(
        &input.message.transcript,
        &input.analysis.phone_mentions,
        words,
    )
}

/// Sentences as spoken. With sentence punctuation, the text's own. Without
/// any (some Whisper output), a new sentence is taken to start where a
/// subject ("I", "we", "you", "my", "this is", "it is") follows a word that
/// does not carry the sentence on, so a run-on joined by "and … so …"
/// stays one sentence while plain sentences are not glued together; and a
/// phone number said is a sentence of its own, as a listener hears it
/// ("… give me a call | 555 313 6262 | 555 313 6262").
fn spoken_sentences(input: &CheckInput) -> Vec<Range<usize>> {
    let view = input.text;
    let punctuated = view
        .tokens
        .iter()
        .any(|t| matches!(t.punct_after, Some('.' | '?' | '!')));
    if punctuated || view.tokens.is_empty() {
        return view.sentences.clone();
    }
    let starts = |i: usize| {
        let subject = match view.norm(i) {
            "i" | "we" | "you" | "my" => true,
            "this" | "it" => view.norm(i + 1) == "is",
            _ => false,
        };
        subject && i > 0 && !lexicon::CARRY_ON.contains(&view.norm(i - 1))
    };
    // The tokens where a phone-number mention starts, and where one ends.
    let mut number_edges = Vec::new();
    for m in &input.analysis.phone_mentions {
        let first = view.tokens.iter().position(|t| m.words.contains(&t.word));
        let last = view.tokens.iter().rposition(|t| m.words.contains(&t.word));
        if let (Some(f), Some(l)) = (first, last) {
            number_edges.push(f);
            number_edges.push(l + 1);
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..view.tokens.len() {
        if starts(i) || number_edges.contains(&i) {
            out.push(start..i);
            start = i;
        }
    }
    out.push(start..view.tokens.len());
    out
}

impl Rule for Rambling {
    /// VM213
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let cfg = input.config;
        let total = spoken_words(input, 0..input.message.transcript.words.len());
        if total > cfg.max_words {
            out.push(Finding::new(
                &Self::META,
                format!(
                    "{total} words as spoken (a phone number is a word per digit); over {} is rambling.",
                    cfg.max_words
                ),
                format!(
                    "Cut to four sentences: who you are, why them, when you'll call, your number: \"{}\"",
                    examples::short_message(input)
                ),
            ));
        }
        for s in spoken_sentences(input) {
            let Some(words) = input.text.word_range(s) else {
                continue;
            };
            let n = spoken_words(input, words.clone());
            if n > cfg.max_sentence_words {
                out.push(
                    Finding::new(
                        &Self::META,
                        format!(
                            "A {n}-word sentence; over {} loses the listener.",
                            cfg.max_sentence_words
                        ),
                        "Split it into short sentences of one idea each.",
                    )
                    .evidence(Evidence::words(input.message, words)),
                );
            }
        }
    }
}

impl Rule for SelfFocused {
    /// VM214
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let view = input.text;
        let mut me = 0usize;
        let mut you = 0usize;
        for t in &view.tokens {
            match t.norm.as_str() {
                "i" | "me" | "my" | "mine" | "myself" | "we" | "us" | "our" | "ours"
                | "ourselves" => me += 1,
                "you" | "your" | "yours" | "yourself" | "yourselves" => you += 1,
                _ => {}
            }
        }
        let cfg = input.config;
        if me >= cfg.min_self_references && me as f64 > cfg.max_self_ratio * you as f64 {
            out.push(Finding::new(
                &Self::META,
                format!(
                    "You say I/we/our {} and you/your {}: it's about you, not them.",
                    crate::text::times(me),
                    crate::text::times(you)
                ),
                "Turn sentences around them: \"you'll get …\", \"your team …\".",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze::analyze;
    use crate::message::{Message, Transcript};
    use crate::rules::{check, RuleConfig};

    fn fires(code: &str, text: &str) -> bool {
        let msg = Message {
            transcript: Transcript::from_text(text),
            ..Default::default()
        };
        let a = analyze(&msg);
        check(&msg, &a, &RuleConfig::default())
            .findings
            .iter()
            .any(|f| f.code == code)
    }

    fn words(n: usize) -> String {
        vec!["word"; n].join(" ")
    }

    /// VM213 at 60 words and 30 words a sentence, one word either side.
    #[test]
    fn rambling_limits() {
        let cfg = RuleConfig::default();
        // Sentences of 20 words, so only the total counts.
        let message = |n: usize| {
            (0..n / 20)
                .map(|_| words(20) + ".")
                .chain((!n.is_multiple_of(20)).then(|| words(n % 20) + "."))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert!(!fires("VM213", &message(cfg.max_words)));
        assert!(fires("VM213", &message(cfg.max_words + 1)));
        let sentence = |n: usize| words(n) + ".";
        assert!(!fires("VM213", &sentence(cfg.max_sentence_words)));
        assert!(fires("VM213", &sentence(cfg.max_sentence_words + 1)));
        // A 10-digit number said is 10 words: 50 words and one number is 60.
        let with_number = |n: usize| format!("{} Call 555-212-3456.", message(n));
        assert!(!fires("VM213", &with_number(cfg.max_words - 11)));
        assert!(fires("VM213", &with_number(cfg.max_words - 10)));
    }

    /// Without punctuation a phone number said is a sentence of its own:
    /// 20 words and a number said twice is not a 40-word sentence, but a
    /// run-on of 31 words still is one.
    #[test]
    fn unpunctuated_numbers_are_their_own_sentences() {
        let text = "hey marcus it's lena from bluewater staffing just touching base about \
                    the contract call me back when you have a minute marcus \
                    555 919 4040 555 919 4040";
        assert!(!fires("VM213", text));
        // The same words run on past 30 before the number: still rambling.
        let long = format!("hey marcus {} 555 919 4040 555 919 4040", words(31));
        assert!(fires("VM213", &long));
        let short = format!("hey marcus {} 555 919 4040 555 919 4040", words(28));
        assert!(!fires("VM213", &short));
    }

    /// An extension is said as a short number: 47 words, "Call", ten digits
    /// and "extension twelve" are 60 words (61 if "12" were two digit
    /// words); 48 words and the same are 61.
    #[test]
    fn extension_counts_as_said() {
        let message = |n: usize| {
            let mut m = words(n % 20) + ".";
            for _ in 0..n / 20 {
                m.push(' ');
                m += &(words(20) + ".");
            }
            format!("{m} Call 555-212-3456 extension 12.")
        };
        assert!(!fires("VM213", &message(47)));
        assert!(fires("VM213", &message(48)));
    }

    /// VM214 at 2 to 1 with at least 3 self-references, a step either side.
    #[test]
    fn self_focus_limits() {
        // 4 "we" to 2 "you" is 2 to 1 exactly: not more than 2 to 1.
        assert!(!fires("VM214", "We we we we help you and you."));
        assert!(fires("VM214", "We we we we we help you and you."));
        // Under 3 self-references never fires, even with no "you".
        assert!(!fires("VM214", "We we help."));
        assert!(fires("VM214", "We we we help."));
    }
}
