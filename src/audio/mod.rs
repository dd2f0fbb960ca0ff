//! Getting audio in: WAV files (hound), the microphone (cpal), and
//! resampling to 16 kHz (rubato).

pub mod capture;
pub mod created;
pub mod resample;
pub mod wav;
pub mod wav_writer;
