//! VM204 caller-not-identified: the caller's own name and company.

use super::super::{declare_rule, examples, CheckInput, Finding, Rule};
use crate::text::{intro, names};

declare_rule!(
    CallerNotIdentified,
    "VM204",
    "caller-not-identified",
    Error,
    Text
);

impl Rule for CallerNotIdentified {
    /// VM204
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let ctx = &input.message.context;
        let intro = intro::introduction(input.text);
        let name_said = match ctx.caller.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(c) => !names::find_person(input.text, c).is_empty(),
            None => intro.name.is_some(),
        };
        let company_said = match ctx.company.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(c) => !names::find_company(input.text, c).is_empty(),
            None => intro.company.is_some(),
        };
        let caller = examples::caller(input);
        let company = examples::company(input);
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
