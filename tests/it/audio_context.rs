//! `--audio-context fit`: Whisper's encoder given the recording and a margin
//! instead of a whole 30 s window (`transcribe::whisper::fitted_audio_ctx`),
//! on the real tiny.en model. Where the model is missing the test says by
//! name that it skipped.

use crate::support::{bin, fixtures, mention_digits, real_model, score_real, stderr};

#[test]
fn a_fitted_context_hears_the_whole_message_and_its_number() {
    let Some(model) = real_model("a_fitted_context_hears_the_whole_message_and_its_number") else {
        return;
    };
    // 19.5 s: a context of 1075 frames (21.5 s) instead of 1500. Without
    // the second listen, so the first pass alone is what is checked.
    let wav = fixtures().join("good.wav");
    let (r, _) = score_real(
        &model,
        &wav,
        &["--audio-context", "fit", "--reread-numbers", "false"],
    );
    let text = r["transcript"]["text"].as_str().expect("text");
    assert_eq!(mention_digits(&r), ["5552123456", "5552123456"], "{text}");
    // One window to the end: the last words, timed inside the recording.
    assert!(text.trim_end().ends_with("3, 4, 5, 6."), "{text}");
    let words = r["transcript"]["words"].as_array().expect("words");
    let last_end = words.last().expect("words")["time"]["end"]
        .as_f64()
        .expect("end");
    let duration = r["audio"]["duration"].as_f64().expect("duration");
    assert!(
        last_end > duration - 1.5 && last_end <= duration,
        "{last_end} of {duration}"
    );
}

#[test]
fn a_bad_audio_context_is_a_usage_error() {
    for bad in ["half", "fit:2s"] {
        let o = bin()
            .args(["score", "--audio-context", bad])
            .arg(fixtures().join("good.wav"))
            .output()
            .expect("run vmcoach");
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.lines().next().unwrap_or("").contains("--audio-context"),
            "{bad}: {err}"
        );
    }
}
