//! The one rule for a test or benchmark whose input is missing here (the
//! real model, the shared files, a sound server): say so by name, and fail
//! under CI. `tests/it/support.rs` and the benches include this file.

/// A test cannot run here because `what` is missing. Locally it says so by
/// name and the test passes as skipped; under CI (`CI` set, as CI services
/// do; CI has the shared files, the model, ALSA and PulseAudio) it fails,
/// so a missing part can never pass unseen.
pub fn skip(what: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    assert!(!ci, "not skipped under CI: {what}");
    eprintln!("SKIPPED: {what}");
}
