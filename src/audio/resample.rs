//! Resampling to 16 kHz, as a streaming stage.
