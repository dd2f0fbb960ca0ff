//! VM208 selling: prices, offers and feature lists in a voicemail.

use super::super::{declare_rule, lexicon, CheckInput, Evidence, Finding, Rule};
use super::{dedupe, quote};
use std::ops::Range;

declare_rule!(Selling, "VM208", "selling", Warning, Text);

/// A money amount used as a price: "$99", "for only $49", "99 dollars a month".
fn price_tokens(input: &CheckInput) -> Vec<Range<usize>> {
    let view = input.text;
    let words = &input.message.transcript.words;
    let mut out = Vec::new();
    for (i, t) in view.tokens.iter().enumerate() {
        let raw = words.get(t.word).map(|w| w.text.as_str()).unwrap_or("");
        let is_money = (raw.contains(['$', '€', '£'])
            && t.norm.starts_with(|c: char| c.is_ascii_digit()))
            || matches!(view.norm(i + 1), "dollars" | "bucks" | "euros" | "pounds");
        // Only the first token of a written amount ("$1,455" is "1" "455").
        let continues = i > 0 && view.tokens.get(i - 1).is_some_and(|p| p.word == t.word);
        if !is_money || continues {
            continue;
        }
        let prev = if i > 0 { view.norm(i - 1) } else { "" };
        if matches!(
            prev,
            "only"
                | "just"
                | "for"
                | "costs"
                | "cost"
                | "at"
                | "is"
                | "pay"
                | "price"
                | "priced"
                | "from"
                | "under"
        ) {
            out.push(i..i + 1);
        }
    }
    out
}

impl Rule for Selling {
    /// VM208
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let mut hits: Vec<Range<usize>> = dedupe(lexicon::selling().find_all(input.text))
            .into_iter()
            .map(|m| m.tokens)
            .collect();
        hits.extend(price_tokens(input));
        let features = dedupe(lexicon::features().find_all(input.text));
        let strong_feature = features.iter().any(|m| m.id <= 2);
        if features.len() >= 2 || strong_feature {
            hits.extend(features.into_iter().map(|m| m.tokens));
        }
        if hits.is_empty() {
            return;
        }
        hits.sort_by_key(|r| r.start);
        let (q, _) = quote(input, hits[0].clone());
        let mut f = Finding::new(
            &Self::META,
            format!("\"{q}\": a voicemail can't close a sale; pitching makes them delete it."),
            "Drop prices, offers and features; give one outcome and ask for a conversation.",
        );
        for h in hits {
            f.evidence.extend(Evidence::tokens(input, h));
        }
        out.push(f);
    }
}
