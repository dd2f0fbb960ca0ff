//! vmcoach: a local, private voicemail coach.
//!
//! The data path (see DESIGN.md): audio → 16 kHz mono → DSP (voice activity,
//! level, pitch) → Whisper words → timing and phone analysis → rules →
//! report. Each stage is a module named for what it does.

pub mod analyze;
pub mod audio;
mod cli;
mod commands;
mod config;
pub mod dsp;
pub mod eval;
/// The fuzzer's targets and mutator (issue 13); driven by `examples/fuzz.rs`.
#[doc(hidden)]
pub mod fuzz;
pub mod history;
pub mod live;
pub mod message;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod text;
pub mod transcribe;

pub use cli::Cli;
pub use commands::{one_line, run, ExitStatus};
