//! `vmcoach rules` and `vmcoach rule CODE`.

use super::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct RulesArgs {}

#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// The rule's code, e.g. VM203.
    pub code: String,
}

pub fn run_list(_args: RulesArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`vmcoach rules` is not built yet")
}

pub fn run_explain(_args: RuleArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`vmcoach rule` is not built yet")
}
