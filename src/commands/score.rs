//! `vmcoach score`.

use super::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {}

pub fn run(_args: ScoreArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`vmcoach score` is not built yet")
}
