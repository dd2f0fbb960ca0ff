//! Recording live: the worker that turns captured audio into a saved,
//! measured WAV, and the terminal display that shows it as it happens.

pub(crate) mod display;
pub mod meter;
pub mod worker;
