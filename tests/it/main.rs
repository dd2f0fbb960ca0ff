//! The integration tests, one binary: each module is one area (CLI, DSP,
//! phone numbers, rules, recording, transcription). One binary links
//! whisper.cpp once instead of once per file. The allocation-counting tests
//! (`dsp_alloc`, `record_alloc`) stay separate binaries, each with its own
//! global allocator, and so does the Whisper evaluation (`eval_whisper`).

mod check_cli;
mod dsp_bad_input;
mod dsp_fixtures;
mod dsp_pitch;
mod model_files;
mod models_cli;
mod models_download;
mod models_import;
mod phone_cases;
mod phone_fixtures;
mod record_alsa;
mod record_pulse;
mod rules_corpus;
mod rules_fixtures;
mod rules_registry;
mod score_cli;
mod support;
mod timing_real;
mod transcribe_cli;
mod transcribe_files;
mod transcribe_whisper;
mod wav_input;
