//! Getting audio in: recorded files of every common format through one
//! [`SampleSource`] interface (`source.rs`; WAV in `wav.rs`, compressed
//! formats in `decoded.rs`), the microphone (cpal), and resampling to
//! 16 kHz (rubato).

pub mod capture;
pub mod created;
pub mod decoded;
pub mod resample;
pub mod source;
pub mod wav;
pub mod wav_writer;

pub use source::{open, read_mono, AudioError, AudioInfo, AudioLimits, MonoAudio, SampleSource};
