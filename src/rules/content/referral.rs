//! VM215 no-mutual-connection: a referral or shared contact.

use super::super::{declare_rule, examples, lexicon, CheckInput, Finding, Rule};
use crate::text::{intro, names};

declare_rule!(
    NoMutualConnection,
    "VM215",
    "no-mutual-connection",
    Info,
    Text
);

/// "Dana Reyes thought we could …", "Carlos said you …": a third person,
/// by name, vouching for the call. Neither the caller nor the prospect.
fn named_referrer(input: &CheckInput) -> bool {
    let view = input.text;
    let cased = names::has_case(view);
    let own = intro::introduction(view).name;
    let prospect = input
        .prospect
        .map(|p| names::name_matchers(&p.name))
        .unwrap_or_default();
    // "Our CEO said" is not a referral: a name has no determiner before it;
    // nor is "your competitor Acme mentioned …".
    let determiner = |i: usize| {
        i > 0
            && matches!(
                view.norm(i - 1),
                "our" | "my" | "the" | "a" | "an" | "your" | "their" | "competitor" | "competitors"
            )
    };
    let is_other = |i: usize| {
        names::name_like(view, i, cased)
            && !determiner(i)
            && !own.as_ref().is_some_and(|r| r.contains(&i))
            && !prospect.iter().any(|p| p.matches(view.norm(i)))
    };
    let vouches = |w: &str| {
        matches!(
            w,
            "thought"
                | "thinks"
                | "said"
                | "says"
                | "mentioned"
                | "suggested"
                | "recommended"
                | "told"
                | "asked"
                | "felt"
                | "figured"
        )
    };
    (0..view.tokens.len()).any(|i| {
        is_other(i) && (vouches(view.norm(i + 1)) || (is_other(i + 1) && vouches(view.norm(i + 2))))
    })
}

impl Rule for NoMutualConnection {
    /// VM215
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        if lexicon::referral().any(input.text) || named_referrer(input) {
            return;
        }
        out.push(Finding::new(
            &Self::META,
            "No mutual connection mentioned.",
            format!(
                "If you share a contact, lead with it: \"Hi {}, [your shared contact] suggested I call you.\" (check LinkedIn)",
                examples::prospect_first(input)
            ),
        ));
    }
}
