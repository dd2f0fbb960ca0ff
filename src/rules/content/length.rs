//! VM213 rambling and VM214 self-focused: how much is said, and about whom.

use super::super::{declare_rule, examples, lexicon, CheckInput, Evidence, Finding, Rule};
use crate::text::numbers;
use std::ops::Range;

declare_rule!(Rambling, "VM213", "rambling", Warning, Text);
declare_rule!(SelfFocused, "VM214", "self-focused", Warning, Text);

/// Words as a listener hears them (RULES.md, like WPM): each digit of a
/// phone number is a word ("555-212-3456" is 10, so is "555 212 3456"), any
/// other number is the words said for it ("$1,455" is 8), punctuation is none.
fn spoken_words(input: &CheckInput, words: Range<usize>) -> usize {
    let mentions = &input.analysis.phone_mentions;
    let all = &input.message.transcript.words;
    words
        .filter_map(|i| all.get(i).map(|w| (i, w)))
        .map(|(i, w)| {
            let digits = w.text.chars().filter(char::is_ascii_digit).count();
            if digits > 0 && mentions.iter().any(|m| m.words.contains(&i)) {
                digits
            } else {
                numbers::spoken_word_count(&w.text)
            }
        })
        .sum()
}

/// Sentences as spoken. With sentence punctuation, the text's own. Without
/// any (some Whisper output), a new sentence is taken to start where a
/// subject ("I", "we", "you", "my", "this is", "it is") follows a word that
/// does not carry the sentence on, so a run-on joined by "and … so …"
/// stays one sentence while plain sentences are not glued together.
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
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..view.tokens.len() {
        if starts(i) {
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
