//! VM211 filler-words and VM212 weak-close: words that make the caller sound unsure.

use super::super::{declare_rule, examples, lexicon, CheckInput, Finding, Rule};
use super::{dedupe, quote};
use crate::text::fillers::find_fillers;

declare_rule!(FillerWords, "VM211", "filler-words", Warning, Text);
declare_rule!(WeakClose, "VM212", "weak-close", Warning, Text);

impl Rule for FillerWords {
    /// VM211
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        for r in find_fillers(input.text) {
            let (q, e) = quote(input, r);
            let q = q.to_lowercase();
            let at = e
                .as_ref()
                .and_then(|e| e.time)
                .map(|t| format!(" at {:.1} s", t.start))
                .unwrap_or_default();
            out.push(
                Finding::new(
                    &Self::META,
                    format!("Filler \"{q}\"{at}."),
                    format!("Script the line and pause silently where you'd say \"{q}\"."),
                )
                .evidence(e),
            );
        }
    }
}

impl Rule for WeakClose {
    /// VM212
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        for m in dedupe(lexicon::weak_close().find_all(input.text)) {
            let (q, e) = quote(input, m.tokens);
            out.push(
                Finding::new(
                    &Self::META,
                    format!("\"{q}\" sounds unsure and gives them a reason not to call."),
                    format!(
                        "Close with a plan: \"I'll try you Thursday at 10; if sooner suits, my number is {}.\"",
                        examples::number(input)
                    ),
                )
                .evidence(e),
            );
        }
    }
}
