//! Model files a stranger might hand over, given to `score --model` and
//! `models check`: a header that lies about sizes, a truncated file, a file
//! of zeros, a directory, a FIFO. Each is one line and exit 2 — never an
//! abort inside whisper.cpp, never a hang.

use crate::support::{assert_one_line_error_in, bin, fixtures, make_test_model};
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

/// Run with a deadline: a FIFO must not make vmcoach wait for a writer.
fn vmcoach(cwd: &Path, args: &[&str]) -> Output {
    let mut child = bin()
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vmcoach starts");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("vmcoach {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

#[test]
fn hostile_model_files_are_one_line_each() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let good = d.join("good.bin");
    make_test_model(&good, 1);
    let bytes = std::fs::read(&good).expect("read");

    // Lies: n_audio_layer claims 100 layers (sizes far beyond the file);
    // the first tensor's first dimension claims 2^30 elements (4 GB).
    let mut layers = bytes.clone();
    layers[4 + 4 * 4..4 + 4 * 5].copy_from_slice(&100i32.to_le_bytes());
    std::fs::write(d.join("layers.bin"), layers).expect("write");
    let vocab_at = 4 + 44 + 8 + 80 * 201 * 4;
    let mut pos = vocab_at + 4;
    for _ in 0..50256 {
        let len = u32::from_le_bytes(bytes[pos..pos + 4].try_into().expect("4")) as usize;
        pos += 4 + len;
    }
    let mut dims = bytes.clone();
    dims[pos + 12..pos + 16].copy_from_slice(&(1i32 << 30).to_le_bytes());
    std::fs::write(d.join("dims.bin"), dims).expect("write");
    std::fs::write(d.join("cut.bin"), &bytes[..bytes.len() - 1000]).expect("write");
    std::fs::write(d.join("zeros.bin"), vec![0u8; 1 << 20]).expect("write");
    std::fs::create_dir(d.join("folder.bin")).expect("mkdir");
    let fifo = d.join("fifo.bin");
    let c = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("path");
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");

    let wav = fixtures().join("good.wav");
    let w = wav.to_str().expect("utf-8");
    for (file, want) in [
        ("layers.bin", "truncated"),
        ("dims.bin", "shape"),
        ("cut.bin", "truncated"),
        ("zeros.bin", "not a ggml Whisper model"),
        ("folder.bin", "is a directory, not a model file"),
        ("fifo.bin", "is a FIFO (named pipe), not a model file"),
    ] {
        let o = vmcoach(d, &["score", w, "--model", file, "--threads", "1"]);
        assert_one_line_error_in(&o, want, &format!("score --model {file}"));
        let o = vmcoach(d, &["models", "check", file]);
        assert_one_line_error_in(&o, want, &format!("models check {file}"));
    }
    // VMCOACH_MODEL pointing at the FIFO: the same line, no hang.
    let o = bin()
        .args(["models", "check", "tiny.en"])
        .current_dir(d)
        .env("VMCOACH_MODEL", &fifo)
        .output()
        .expect("runs");
    assert_one_line_error_in(&o, "FIFO", "VMCOACH_MODEL=fifo");
}

#[test]
fn the_ggml_check_is_safe_on_arbitrary_bytes() {
    use vmcoach::transcribe::model::check_model_bytes;
    let tmp = tempfile::tempdir().expect("tempdir");
    let p = tmp.path().join("m.bin");
    make_test_model(&p, 1);
    let bytes = std::fs::read(&p).expect("read");
    assert!(check_model_bytes(&bytes).is_ok());
    // Every prefix up to the vocabulary, and a spread of later ones, fails
    // cleanly; so do single-byte flips in the header.
    for cut in (0..70_000)
        .step_by(7)
        .chain((70_000..bytes.len()).step_by(99_991))
    {
        assert!(check_model_bytes(&bytes[..cut]).is_err(), "cut {cut}");
    }
    for i in 0..200 {
        let mut b = bytes[..70_000].to_vec();
        b[i % 60] ^= 1 << (i % 8);
        let _ = check_model_bytes(&b);
    }
}
