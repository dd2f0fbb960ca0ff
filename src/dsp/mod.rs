//! Frame-level signal processing: framing and spectra (realfft), voice
//! activity, level, pitch and syllable rate. Every stage here is streaming:
//! built once with its buffers, then fed blocks of 16 kHz mono f32, keeping
//! its own state, so the microphone and a file run through the same code.

pub(crate) mod analyzer;
pub mod fillers;
pub mod frames;
pub(crate) mod kernels;
pub(crate) mod level;
pub mod outline;
pub mod pitch;
pub(crate) mod syllables;
#[cfg(test)]
mod test_signals;
pub mod vad;

pub use crate::message::{LevelSummary, PitchSummary, Prosody, RateSummary};
pub use analyzer::{
    analyze_signal, analyze_signal_with, DspConfig, LiveStatus, SignalAnalysis, SignalAnalyzer,
};
pub use outline::{outline, Outline, OutlineBuilder};

/// The sample rate every DSP stage (and Whisper) works at.
pub const SAMPLE_RATE: u32 = 16_000;
