//! The command line: clap derive, one subcommand per job. Each subcommand's
//! arguments live beside its code in `commands/`.

use crate::commands;
use clap::{Parser, Subcommand};

/// A local, private voicemail coach for sales reps.
///
/// vmcoach listens to a voicemail (recorded from the microphone or loaded
/// from a WAV file), transcribes it on this machine with Whisper, measures
/// how it was said and checks it against the voicemail rules. Nothing leaves
/// the machine.
///
/// Exit status: 0 no error-severity findings, 1 at least one, 2 usage or input error.
#[derive(Debug, Parser)]
#[command(name = "vmcoach", version, about, long_about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    // The help text, with examples, is ScoreArgs' doc comment.
    Score(commands::score::ScoreArgs),
    // The help text, with examples, is CheckArgs' doc comment.
    Check(commands::check::CheckArgs),
    /// List every rule.
    Rules(commands::rules::RulesArgs),
    /// Explain one rule, by code or name: vmcoach rule VM203, vmcoach rule too-long.
    Rule(commands::rules::RuleArgs),
    /// List, download or verify Whisper models.
    Models(commands::models::ModelsArgs),
    /// List audio input devices.
    Devices(commands::record::DevicesArgs),
    // The help text, with examples, is RecordArgs' doc comment.
    Record(commands::record::RecordArgs),
    // The help text, with examples, is EvalArgs' doc comment.
    Eval(commands::eval::EvalArgs),
    // The help text, with examples, is HistoryArgs' doc comment.
    History(commands::history::HistoryArgs),
    // The help text, with examples, is CompareArgs' doc comment.
    Compare(commands::compare::CompareArgs),
}
