//! `vmcoach models`.

use super::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct ModelsArgs {}

pub fn run(_args: ModelsArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`vmcoach models` is not built yet")
}
