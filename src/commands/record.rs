//! `vmcoach record` and `vmcoach devices`.

use super::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct RecordArgs {}

#[derive(Debug, clap::Args)]
pub struct DevicesArgs {}

pub fn run(_args: RecordArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`vmcoach record` is not built yet")
}

pub fn run_devices(_args: DevicesArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`vmcoach devices` is not built yet")
}
