//! VM205 cryptic-purpose and VM210 no-reason-for-them: why the call, and
//! what is in it for the listener.

use super::super::{declare_rule, examples, lexicon, CheckInput, Evidence, Finding, Rule};
use super::{dedupe, name_mask, outside_names, quote};
use crate::text::names;
use crate::text::phrases::PhraseSet;
use std::ops::Range;

declare_rule!(CrypticPurpose, "VM205", "cryptic-purpose", Error, Text);
declare_rule!(
    NoReasonForThem,
    "VM210",
    "no-reason-for-them",
    Warning,
    Text
);

/// A result the caller claims for a client: "we helped Acme cut …", "we
/// trimmed freight costs 12%", "we usually save owners about 15%". The
/// subject is "we" or "I", then at most two helpers ("just", "have",
/// "usually"), then a verb of [`lexicon::RESULT_VERBS`]. "We grew" and "we
/// opened an office" are about the caller and do not count.
fn result_claim(input: &CheckInput) -> Option<Range<usize>> {
    let view = input.text;
    for i in 0..view.tokens.len() {
        if !matches!(view.norm(i), "we" | "i") {
            continue;
        }
        let mut j = i + 1;
        while j < i + 3 && lexicon::RESULT_HELPERS.contains(&view.norm(j)) {
            j += 1;
        }
        if lexicon::RESULT_VERBS.contains(&view.norm(j)) {
            return Some(i..j + 1);
        }
    }
    None
}

/// Is a reason for the call stated? (VM205; see its doc for the grammar.)
/// Words inside a name ("Keystone Benefits") say nothing.
fn reason_stated(input: &CheckInput) -> bool {
    let view = input.text;
    let mask = name_mask(input);
    let said = |set: &PhraseSet| !outside_names(set.find_all(view), &mask).is_empty();
    said(lexicon::purpose())
        || said(lexicon::pretext_topic())
        || said(lexicon::selling())
        || said(lexicon::features())
        || result_claim(input).is_some()
        || benefit_sentence(input).is_some()
}

/// Is there a sentence with an outcome for the listener in it? An outcome
/// word inside a name ("Pinecrest Savings", "Summit Growth Partners") is
/// not one.
fn benefit_sentence(input: &CheckInput) -> Option<Range<usize>> {
    let view = input.text;
    let mask = name_mask(input);
    let prospect_parts = input
        .prospect
        .map(|p| names::name_matchers(&p.name))
        .unwrap_or_default();
    for s in &view.sentences {
        if outside_names(lexicon::benefit().find_in(view, s.clone()), &mask).is_empty() {
            continue;
        }
        let about_them = s.clone().any(|i| {
            let t = view.norm(i);
            matches!(t, "you" | "your" | "yours" | "yourself")
                || prospect_parts.iter().any(|p| p.matches(t))
        });
        if about_them {
            return Some(s.clone());
        }
    }
    None
}

impl Rule for CrypticPurpose {
    /// VM205
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        if reason_stated(input) {
            return;
        }
        let hooks = dedupe(lexicon::cryptic_hooks().find_all(input.text));
        let mut f = match hooks.first() {
            Some(h) => {
                let (q, _) = quote(input, h.tokens.clone());
                Finding::new(
                    &Self::META,
                    format!("\"{q}\" with no reason why: a cryptic message gets deleted."),
                    why_suggestion(input),
                )
            }
            None => Finding::new(
                &Self::META,
                "You never say why you're calling.",
                why_suggestion(input),
            ),
        };
        for h in hooks {
            f.evidence.extend(Evidence::tokens(input, h.tokens));
        }
        out.push(f);
    }
}

impl Rule for NoReasonForThem {
    /// VM210
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        // An outcome about them, or one won for a client like them ("we
        // cut Acme's onboarding time in half") that they can want too.
        if benefit_sentence(input).is_some() || result_claim(input).is_some() {
            return;
        }
        out.push(Finding::new(
            &Self::META,
            "Nothing in it for them: no outcome or benefit for the listener.",
            format!(
                "Give them a reason to take your next call: \"{}, {} helped [a team like yours] [cut what, by how much]; I have an idea for your team.\"",
                examples::prospect_first(input),
                examples::company(input)
            ),
        ));
    }
}

/// VM205's advice, in the rep's own names.
fn why_suggestion(input: &CheckInput) -> String {
    format!(
        "Say why you're calling in one sentence about them: \"{}, I'm calling because {} helps teams like yours [cut what, by how much].\"",
        examples::prospect_first(input),
        examples::company(input)
    )
}
