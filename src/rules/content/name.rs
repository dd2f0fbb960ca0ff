//! VM203 name-not-twice: the prospect's name, said twice.

use super::super::{declare_rule, examples, CheckInput, Evidence, Finding, NameSource, Rule};
use crate::text::names;

declare_rule!(NameNotTwice, "VM203", "name-not-twice", Warning, Text);

impl Rule for NameNotTwice {
    /// VM203
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let min = input.config.min_name_uses;
        // RULES.md: a message that addresses nobody by name fires too.
        let Some(p) = input.prospect else {
            out.push(Finding::new(
                &Self::META,
                "You never use their name.",
                format!(
                    "Greet them by name and use it again before your number: \"Hi [their name], … [their name], the best number is {}\" (or pass --prospect).",
                    examples::number(input)
                ),
            ));
            return;
        };
        let uses = names::find_person(input.text, &p.name);
        if uses.len() >= min {
            return;
        }
        let first = examples::first_name(&p.name).unwrap_or_default();
        let from = match p.source {
            NameSource::Greeting => " (name taken from your greeting)",
            NameSource::Given => "",
        };
        let message = match uses.len() {
            0 => format!("You never say {}'s name{from}.", p.name),
            n => format!(
                "You say {first}'s name {}{from}; use it {}.",
                crate::text::times(n),
                crate::text::times(min)
            ),
        };
        let mut f = Finding::new(
            &Self::META,
            message,
            format!(
                "Use the name at the start and again before your number: \"{first}, the best number is {}\".",
                examples::number(input)
            ),
        );
        for r in uses {
            f.evidence.extend(Evidence::tokens(input, r));
        }
        out.push(f);
    }
}
