//! The integration tests, one binary: each module is one area (CLI, DSP,
//! phone numbers, rules, recording, transcription). One binary links
//! whisper.cpp once instead of once per file. The allocation-counting tests
//! (`dsp_alloc`, `record_alloc`) stay separate binaries, each with its own
//! global allocator, and so does the Whisper evaluation (`eval_whisper`).

mod audio_context;
mod audio_formats;
mod check_cli;
mod dsp_bad_input;
mod dsp_fixtures;
mod dsp_pitch;
mod eval_cli;
mod exit_codes;
mod fillers_real;
mod fuzz;
mod hostile_inputs;
mod html_browser;
mod html_report;
mod long_input;
mod model_files;
mod models_cli;
mod models_download;
mod models_import;
mod phone_cases;
mod phone_fixtures;
mod practice_cli;
mod record_alsa;
mod record_pulse;
mod reread_real;
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

/// Every `vmcoach` these tests start logs its takes to a practice history
/// under `target/`, never in the real user's data folder (CI runs as root).
/// Set before `main`, so before any test thread reads the environment; a
/// test that looks at the history sets its own folder.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static KEEP_HISTORY_UNDER_TARGET: extern "C" fn() = keep_history_under_target;

#[cfg(target_os = "linux")]
extern "C" fn keep_history_under_target() {
    std::env::set_var(
        "VMCOACH_DATA_DIR",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/vmcoach-data"),
    );
}
