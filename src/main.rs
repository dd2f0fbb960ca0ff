//! The `vmcoach` binary: parse, run, map the result to an exit code. Nothing else.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = vmcoach::Cli::parse();
    match vmcoach::run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => {
            // A closed pipe (`vmcoach score … | head`) is not an error.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("vmcoach: error: {}", vmcoach::one_line(&err));
            ExitCode::from(vmcoach::ExitStatus::Error.code())
        }
    }
}
