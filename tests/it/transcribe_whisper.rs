//! The real whisper-rs path on a generated model: load, run on real speech,
//! and turn tokens into well-formed words; and every kind of bad model file
//! becomes a typed error before whisper.cpp sees it.

use crate::support::{eval_audio, make_test_model, one_thread, read_16k, test_model_in};
use std::path::{Path, PathBuf};
use vmcoach::transcribe::model::{check_model, ModelError};
use vmcoach::transcribe::test_model::test_hparams;
use vmcoach::transcribe::whisper::Transcriber;
use vmcoach::transcribe::{TranscribeError, TranscribeOptions};

/// Words must be ordered, inside the audio, with non-empty text, and the
/// transcript text must be the words joined with spans pointing at them.
fn assert_well_formed(t: &vmcoach::message::Transcript, duration: f64) {
    let mut prev_end = 0.0;
    for w in &t.words {
        assert!(!w.text.trim().is_empty(), "empty word in {t:?}");
        assert_eq!(&t.text[w.span.range()], w.text);
        let r = w.time.expect("whisper words are timed");
        assert!(r.start.is_finite() && r.end.is_finite(), "{w:?}");
        assert!(r.start <= r.end, "{w:?}");
        assert!(r.start >= prev_end - 1e-9, "{w:?} starts before {prev_end}");
        assert!(r.end <= duration + 1e-9, "{w:?} ends after {duration}");
        prev_end = r.end;
        if let Some(p) = w.probability {
            assert!((0.0..=1.0).contains(&p), "{w:?}");
        }
    }
}

#[test]
fn generated_model_passes_our_check_and_loads_in_whisper_cpp() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = test_model_in(dir.path(), 1);
    let info = check_model(&path).expect("generated model is well-formed");
    assert_eq!(info.hparams, test_hparams());
    assert_eq!(info.n_tokens, 50256);
    // 7 encoder-level + 15 per encoder layer + 4 decoder-level + 24 per decoder layer.
    assert_eq!(info.n_tensors, 7 + 15 + 4 + 24);
    let size = std::fs::metadata(&path).expect("meta").len();
    assert!(size < 10_000_000, "test model is small: {size}");
    let t = Transcriber::load(&path, &one_thread()).expect("whisper.cpp loads the generated model");
    assert_eq!(t.n_threads(), 1);
    // Automatic threads: one for a model this narrow.
    let auto = TranscribeOptions::default();
    let t = Transcriber::load(&path, &auto).expect("loads");
    assert_eq!(t.n_threads(), 1);
}

#[test]
fn transcribes_real_speech_into_well_formed_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = test_model_in(dir.path(), 1);
    let pcm = read_16k(&eval_audio("jfk_16k.wav"));
    let duration = pcm.len() as f64 / 16_000.0;
    let mut t = Transcriber::load(&path, &one_thread()).expect("loads");
    let transcript = t.transcribe(&pcm).expect("runs on 11 s of speech");
    // Random weights still write text on 11 s of speech; with no words the
    // well-formedness check would check nothing.
    assert!(!transcript.words.is_empty(), "no words: {transcript:?}");
    assert_well_formed(&transcript, duration);
    // The same model reused on a short piece of the clip, and on silence.
    let part = t.transcribe(&pcm[..16_000 * 3]).expect("runs again");
    assert_well_formed(&part, 3.0);
    let silence = t
        .transcribe(&vec![0.0; 16_000 * 2])
        .expect("runs on silence");
    assert_well_formed(&silence, 2.0);
    let nothing = t
        .transcribe(&[])
        .expect("empty audio is an empty transcript");
    assert!(nothing.words.is_empty());
}

#[test]
fn several_seeds_all_give_well_formed_words_and_some_words_appear() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pcm = read_16k(&eval_audio("timit_LDC93S1_16k.wav"));
    let duration = pcm.len() as f64 / 16_000.0;
    let mut total_words = 0;
    for seed in [2, 3, 4] {
        let path = dir.path().join(format!("ggml-{seed}.bin"));
        make_test_model(&path, seed);
        let mut t = Transcriber::load(&path, &one_thread()).expect("loads");
        let transcript = t.transcribe(&pcm).expect("runs");
        assert_well_formed(&transcript, duration);
        total_words += transcript.words.len();
    }
    // Random weights still emit text tokens; if none ever came out, the
    // token → word path would be untested.
    assert!(total_words > 0, "no words from any seed");
}

#[test]
fn non_finite_samples_are_a_typed_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = test_model_in(dir.path(), 1);
    let mut t = Transcriber::load(&path, &one_thread()).expect("loads");
    let mut pcm = vec![0.0f32; 16_000];
    pcm[8_000] = f32::NAN;
    match t.transcribe(&pcm) {
        Err(TranscribeError::BadSample { index }) => assert_eq!(index, 8_000),
        other => panic!("expected BadSample, got {other:?}"),
    }
}

fn load_err(path: &Path) -> TranscribeError {
    match Transcriber::load(path, &one_thread()) {
        Ok(_) => panic!("{} loaded", path.display()),
        Err(e) => e,
    }
}

#[test]
fn truncated_model_is_a_typed_error_not_an_abort() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = test_model_in(dir.path(), 1);
    let bytes = std::fs::read(&path).expect("read");
    // Cut at several places: in the header, the filters, the vocabulary, a
    // tensor header and a tensor's data.
    for cut in [2, 30, 1_000, 100_000, bytes.len() / 2, bytes.len() - 1] {
        let p = dir.path().join(format!("cut-{cut}.bin"));
        std::fs::write(&p, &bytes[..cut]).expect("write");
        let e = load_err(&p);
        let msg = e.to_string();
        assert!(
            matches!(
                e,
                TranscribeError::Model(ModelError::Truncated { .. } | ModelError::NotGgml { .. })
            ),
            "cut at {cut}: {msg}"
        );
        assert!(!msg.contains('\n'), "one line: {msg}");
        assert!(
            msg.contains(&p.display().to_string()),
            "names the file: {msg}"
        );
    }
    let half = dir.path().join("cut-half.bin");
    std::fs::write(&half, &bytes[..bytes.len() / 2]).expect("write");
    assert!(load_err(&half).to_string().contains("truncated"));
}

#[test]
fn foreign_files_are_not_ggml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let random: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let rnd = dir.path().join("random.bin");
    std::fs::write(&rnd, random).expect("write");
    let empty = dir.path().join("empty.bin");
    std::fs::write(&empty, b"").expect("write");
    for p in [rnd, empty, eval_audio("jfk_16k.wav")] {
        let e = load_err(&p);
        assert!(
            matches!(e, TranscribeError::Model(ModelError::NotGgml { .. })),
            "{}: {e}",
            p.display()
        );
    }
    let missing = dir.path().join("nope.bin");
    assert!(matches!(
        load_err(&missing),
        TranscribeError::Model(ModelError::Io { .. })
    ));
}

/// Patch the i32 at `offset` in a copy of the model.
fn patched(dir: &Path, bytes: &[u8], offset: usize, value: i32, name: &str) -> PathBuf {
    let mut b = bytes.to_vec();
    b[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
    let p = dir.join(name);
    std::fs::write(&p, b).expect("write");
    p
}

#[test]
fn corrupt_headers_that_would_abort_whisper_cpp_are_caught() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = test_model_in(dir.path(), 1);
    let bytes = std::fs::read(&path).expect("read");
    // Hyper-parameters follow the 4-byte magic: index 10 is ftype (an
    // unknown one trips GGML_ASSERT), 6 is n_text_state (a mismatch trips an
    // assert), 0 is n_vocab.
    let cases = [
        (4 + 4 * 10, 99, "ftype"),
        (4 + 4 * 6, 128, "n_text_state"),
        (4 + 4, -5, "n_audio_ctx"),
        (4, 1 << 30, "n_vocab"),
        (4 + 4 * 11, 7, "mel filters"),
    ];
    for (off, v, want) in cases {
        let p = patched(dir.path(), &bytes, off, v, "patched.bin");
        let msg = load_err(&p).to_string();
        assert!(
            msg.contains("corrupt") && msg.contains(want),
            "{want}: {msg}"
        );
    }

    // The first tensor record starts after header, filters and vocabulary.
    let vocab_at = 4 + 44 + 8 + 80 * 201 * 4;
    let mut pos = vocab_at + 4;
    for _ in 0..50256 {
        let len = u32::from_le_bytes(bytes[pos..pos + 4].try_into().expect("4 bytes")) as usize;
        pos += 4 + len;
    }
    let tensor_at = pos;
    for (delta, v, want) in [
        (0, 9, "dimensions"),  // n_dims
        (4, 1 << 30, "name"),  // name length
        (8, 17, "type id 17"), // tensor type
        (12, 65, "shape"),     // first dimension
    ] {
        let p = patched(dir.path(), &bytes, tensor_at + delta, v, "t.bin");
        let msg = load_err(&p).to_string();
        assert!(msg.contains(want), "{want}: {msg}");
    }
    // A renamed tensor: flip its first name byte.
    let mut b = bytes.clone();
    let n_dims = i32::from_le_bytes(b[tensor_at..tensor_at + 4].try_into().expect("4")) as usize;
    b[tensor_at + 12 + 4 * n_dims] ^= 0x20;
    let p = dir.path().join("renamed.bin");
    std::fs::write(&p, b).expect("write");
    let msg = load_err(&p).to_string();
    assert!(msg.contains("not part of this model"), "{msg}");
    // Trailing garbage after the last tensor.
    let mut b = bytes.clone();
    b.extend_from_slice(&[1, 0, 0, 0, 3, 0, 0, 0]);
    let p = dir.path().join("trailing.bin");
    std::fs::write(&p, b).expect("write");
    assert!(matches!(
        load_err(&p),
        TranscribeError::Model(ModelError::Truncated { .. } | ModelError::Corrupt { .. })
    ));
}
