//! VM204 caller-not-identified: the caller's own name and company.

use super::super::{declare_rule, lexicon, CheckInput, Finding, Rule};
use crate::text::names;
use crate::text::phrases::PhraseMatch;

declare_rule!(
    CallerNotIdentified,
    "VM204",
    "caller-not-identified",
    Error,
    Text
);

/// Does the message name the caller's company, without being told it?
fn company_said(input: &CheckInput) -> bool {
    let view = input.text;
    for m in lexicon::company_intro().find_all(view) {
        // "from Butler Street", "with Acme": a capitalised name right after.
        let next = m.tokens.end - usize::from(is_wild_end(view, &m));
        let cased = names::has_case(view);
        if names::name_like(view, next, cased) && !is_name_of_day(view.norm(next)) {
            return true;
        }
    }
    false
}

/// The company-intro patterns ending in `*` include the next word itself.
fn is_wild_end(view: &crate::text::TextView, m: &PhraseMatch) -> bool {
    matches!(view.norm(m.tokens.start), "from" | "with" | "at") && m.tokens.len() == 2
}

fn is_name_of_day(s: &str) -> bool {
    matches!(
        s,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "january"
            | "february"
            | "march"
            | "april"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "linkedin"
    )
}

impl Rule for CallerNotIdentified {
    /// VM204
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let ctx = &input.message.context;
        let name_said = match ctx.caller.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(c) => !names::find_person(input.text, c).is_empty(),
            None => names::self_introduction(input.text).is_some(),
        };
        let company_said = match ctx.company.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(c) => !names::find_company(input.text, c).is_empty(),
            None => company_said(input),
        };
        let caller = ctx.caller.as_deref().unwrap_or("Mike Jones");
        let company = ctx.company.as_deref().unwrap_or("Butler Street");
        let message = match (name_said, company_said) {
            (true, true) => return,
            (false, false) => "You never say who you are or where you work.",
            (true, false) => "You give your name but not your company.",
            (false, true) => "You name your company but not yourself.",
        };
        out.push(Finding::new(
            &Self::META,
            message,
            format!("Say both up front: \"this is {caller} from {company}\"."),
        ));
    }
}
