//! One module per subcommand. `run` is a table of modes, as in ripgrep.

pub mod check;
pub mod compare;
pub mod eval;
pub mod history;
pub mod inputs;
pub mod models;
pub mod output;
pub mod record;
pub mod rules;
pub mod score;
pub mod settings;

use crate::cli::{Cli, Command};

/// What the process exits with: 0, 1 or 2 (ruff's convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Ran, no error-severity findings.
    Success,
    /// Ran, and found something at error severity.
    Failure,
    /// Could not do the job (bad input, usage).
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// Run the command the user asked for.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Score(args) => score::run(args),
        Command::Check(args) => check::run(args),
        Command::Rules(args) => rules::run_list(args),
        Command::Rule(args) => rules::run_explain(args),
        Command::Models(args) => models::run(args),
        Command::Devices(args) => record::run_devices(args),
        Command::Record(args) => record::run(args),
        Command::Eval(args) => eval::run(args),
        Command::History(args) => history::run(args),
        Command::Compare(args) => compare::run(args),
    }
}

/// The error and its causes on one line, as the user sees it. A cause that
/// a message already quotes (thiserror's `{source}` in the text) is not
/// repeated.
pub fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    // Error text quotes file names: nothing in one may reach the terminal
    // as a control sequence.
    crate::report::escape::terminal_line(&line.replace('\n', " ")).into_owned()
}
