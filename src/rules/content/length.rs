//! VM213 rambling and VM214 self-focused: how much is said, and about whom.

use super::super::{declare_rule, CheckInput, Evidence, Finding, Rule};
use std::ops::Range;

declare_rule!(Rambling, "VM213", "rambling", Warning, Text);
declare_rule!(SelfFocused, "VM214", "self-focused", Warning, Text);

/// Words that count toward length: words with a letter or digit, outside phone numbers.
fn counted_words(input: &CheckInput, words: Range<usize>) -> usize {
    let mentions = &input.analysis.phone_mentions;
    input
        .message
        .transcript
        .words
        .get(words.clone())
        .unwrap_or(&[])
        .iter()
        .zip(words)
        .filter(|(w, i)| {
            w.text.chars().any(char::is_alphanumeric)
                && !mentions.iter().any(|m| m.words.contains(i))
        })
        .count()
}

impl Rule for Rambling {
    /// VM213
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let cfg = input.config;
        let total = counted_words(input, 0..input.message.transcript.words.len());
        if total > cfg.max_words {
            out.push(Finding::new(
                &Self::META,
                format!(
                    "{total} words (phone numbers not counted); over {} is rambling.",
                    cfg.max_words
                ),
                "Cut to four sentences: who you are, why them, when you'll call, your number.",
            ));
        }
        for s in &input.text.sentences {
            let Some(words) = input.text.word_range(s.clone()) else {
                continue;
            };
            let n = counted_words(input, words.clone());
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
                format!("You say I/we/our {me} times and you/your {you} times: it's about you, not them."),
                "Turn sentences around them: \"you'll get …\", \"your team …\".",
            ));
        }
    }
}
