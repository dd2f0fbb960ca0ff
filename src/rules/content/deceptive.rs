//! VM206 deceptive-opener and VM207 again: openers that fake a relationship
//! or remind them they haven't called back.

use super::super::{declare_rule, lexicon, CheckInput, Finding, Rule};
use super::{dedupe, quote};

declare_rule!(DeceptiveOpener, "VM206", "deceptive-opener", Error, Text);
declare_rule!(Again, "VM207", "again", Warning, Text);

impl Rule for DeceptiveOpener {
    /// VM206
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let set = if input.config.prior_contact {
            lexicon::competitor()
        } else {
            lexicon::deceptive()
        };
        for m in dedupe(set.find_all(input.text)) {
            let (q, e) = quote(input, m.tokens);
            out.push(
                Finding::new(
                    &Self::META,
                    format!("\"{q}\" fakes a relationship you don't have yet; it costs you their trust."),
                    "Be straight about a first call: \"We haven't spoken yet; I'm calling because …\".",
                )
                .evidence(e),
            );
        }
    }
}

impl Rule for Again {
    /// VM207
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        for m in dedupe(lexicon::again().find_all(input.text)) {
            let (q, e) = quote(input, m.tokens);
            out.push(
                Finding::new(
                    &Self::META,
                    format!("\"{q}\" reminds them they haven't called you back."),
                    "Say \"I'm sorry we haven't connected yet\" instead.",
                )
                .evidence(e),
            );
        }
    }
}
