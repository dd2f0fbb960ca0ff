//! `vmcoach rules` and `vmcoach rule CODE`.

use super::ExitStatus;
use crate::rules::{self, Rule};
use anstyle::Style;
use serde::Serialize;
use std::io::Write;

/// List every rule: code, name, default severity, what it needs, summary.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Print JSON: an array of {code, name, severity, needs, summary}.
    #[arg(long)]
    pub json: bool,
}

/// Explain one rule: what it does, why, an example and what to say instead.
#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// The rule's code or name, e.g. VM203 or name-not-twice.
    #[arg(value_name = "CODE|NAME")]
    pub code: String,
    /// Print JSON: {code, name, severity, needs, summary, explanation}.
    #[arg(long)]
    pub json: bool,
}

/// One rule, as `--json` shows it.
#[derive(Debug, Serialize)]
pub struct Explanation {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub needs: &'static str,
    pub summary: String,
    /// The rule's Markdown documentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<&'static str>,
}

impl Explanation {
    fn of(rule: &dyn Rule, full: bool) -> Self {
        let m = rule.meta();
        Explanation {
            code: m.code,
            name: m.name,
            severity: m.severity.as_str(),
            needs: m.needs.as_str(),
            summary: m.summary(),
            explanation: full.then_some(m.doc),
        }
    }
}

pub fn run_list(args: RulesArgs) -> anyhow::Result<ExitStatus> {
    let mut out = anstream::stdout();
    if args.json {
        let all: Vec<Explanation> = rules::RULES
            .iter()
            .map(|r| Explanation::of(*r, false))
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&all)?)?;
        return Ok(ExitStatus::Success);
    }
    let bold = Style::new().bold();
    writeln!(
        out,
        "{bold}{:<6} {:<22} {:<8} {:<6} summary{bold:#}",
        "code", "name", "severity", "needs"
    )?;
    // The summary wraps, whole words, under its own column.
    const SUMMARY_COL: usize = 6 + 1 + 22 + 1 + 8 + 1 + 6 + 1;
    let width = crate::report::width::stdout_width().max(SUMMARY_COL + 30);
    let hang = " ".repeat(SUMMARY_COL);
    for r in rules::RULES {
        let m = r.meta();
        let style = crate::report::style::severity_style(m.severity);
        let summary = crate::report::width::wrap(&m.summary(), SUMMARY_COL, width, &hang);
        writeln!(
            out,
            "{:<6} {:<22} {style}{:<8}{style:#} {:<6} {summary}",
            m.code,
            m.name,
            m.severity.as_str(),
            m.needs.as_str()
        )?;
    }
    writeln!(out, "\nExplain one with `vmcoach rule CODE`.")?;
    Ok(ExitStatus::Success)
}

/// A rule by its code (VM101, vm101) or its name (too-long).
fn find(given: &str) -> Option<&'static dyn Rule> {
    rules::by_code(given).or_else(|| {
        let name = given.trim();
        rules::RULES
            .iter()
            .copied()
            .find(|r| r.name().eq_ignore_ascii_case(name))
    })
}

pub fn run_explain(args: RuleArgs) -> anyhow::Result<ExitStatus> {
    let Some(rule) = find(&args.code) else {
        let up = args.code.trim().to_ascii_uppercase();
        let family: Vec<&str> = rules::RULES
            .iter()
            .map(|r| r.code())
            .filter(|c| !up.is_empty() && c.starts_with(&up))
            .collect();
        let near: Vec<&str> = rules::RULES
            .iter()
            .map(|r| r.code())
            .filter(|c| up.len() == 5 && up.get(..4).is_some_and(|p| c.starts_with(p)))
            .collect();
        let hint = if !family.is_empty() {
            format!(
                "{up} is a family of rules, explain one of: {}",
                family.join(", ")
            )
        } else if !near.is_empty() {
            format!("did you mean one of {}?", near.join(", "))
        } else if let Some(close) = rules::RULES.iter().find(|r| {
            let n = args.code.trim().to_ascii_lowercase();
            n.len() >= 3 && r.name().contains(n.as_str())
        }) {
            format!("did you mean {} {}?", close.code(), close.name())
        } else {
            "`vmcoach rules` lists them".to_string()
        };
        anyhow::bail!("no rule {:?}; {hint}", args.code);
    };
    let mut out = anstream::stdout();
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&Explanation::of(rule, true))?
        )?;
    } else {
        write!(out, "{}", rule.meta().doc)?;
    }
    Ok(ExitStatus::Success)
}
