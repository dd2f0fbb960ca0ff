//! `vmcoach check`.

use super::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {}

pub fn run(_args: CheckArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`vmcoach check` is not built yet")
}
