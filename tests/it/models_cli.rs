//! `vmcoach models …` through the binary: listing, checking, resolution
//! errors, and downloads from a tiny HTTP server on 127.0.0.1 (never the
//! internet).

use crate::support::{
    assert_one_line_error, files_in, http_exchange, make_test_model, models_bin, root, sha256_hex,
    stderr, stdout, work_dirs,
};
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;
use std::thread::JoinHandle;

/// Run the binary in `cwd` with a private cache folder and none of the
/// model variables or proxies of the caller's environment.
fn vmcoach(cwd: &Path, cache: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = models_bin(cwd, cache);
    // The package index, when a test reaches it, is a closed loopback port.
    c.env("VMCOACH_INDEX_URL", "http://127.0.0.1:9/simple");
    c.args(args).envs(env.iter().copied());
    c.output().expect("vmcoach runs")
}

/// Serve `body` with `status` to up to `conns` requests; returns the base
/// URL and a handle yielding the request lines seen.
fn serve(status: u16, body: Vec<u8>, conns: usize) -> (String, JoinHandle<Vec<String>>) {
    let len = body.len();
    serve_claiming(status, body, len, conns)
}

/// As [`serve`], but the Content-Length header claims `claimed` bytes (a
/// connection cut short when it exceeds the body).
fn serve_claiming(
    status: u16,
    body: Vec<u8>,
    claimed: usize,
    conns: usize,
) -> (String, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for stream in listener.incoming().take(conns) {
            let Ok(stream) = stream else { break };
            http_exchange(stream, |line| {
                seen.push(line.trim_end().to_string());
                (status, "application/octet-stream", body.as_slice(), claimed)
            });
        }
        seen
    });
    (format!("http://{addr}"), handle)
}

#[test]
fn list_names_every_known_model_and_where_it_is() {
    let d = work_dirs();
    let o = vmcoach(&d.cwd, &d.cache, &["models"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for name in ["tiny.en", "base.en", "small.en", "large-v3"] {
        assert!(
            out.lines()
                .any(|l| l.starts_with(name) && l.contains("not downloaded")),
            "{name} in {out}"
        );
    }
    assert!(out.contains("921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f"));
    assert!(out.contains("vmcoach models download tiny.en"));

    std::fs::create_dir_all(d.cwd.join("models")).expect("mkdir");
    std::fs::write(d.cwd.join("models/ggml-base.en.bin"), b"x").expect("write");
    let out = stdout(&vmcoach(&d.cwd, &d.cache, &["models", "list"], &[]));
    let line = out
        .lines()
        .find(|l| l.starts_with("base.en"))
        .unwrap_or_default();
    assert!(line.contains("models/ggml-base.en.bin"), "{out}");
}

#[test]
fn check_accepts_a_generated_model_and_rejects_broken_ones() {
    let d = work_dirs();
    let model = d.cwd.join("test.bin");
    // The command writes what the tests' helper writes, with its seed or
    // seed 1.
    for (file, seed) in [("test.bin", Some(3)), ("default.bin", None)] {
        let mut args = vec!["models", "make-test-model", file];
        let s = seed.map(|s: u64| s.to_string());
        if let Some(s) = &s {
            args.extend(["--seed", s.as_str()]);
        }
        let o = vmcoach(&d.cwd, &d.cache, &args, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        let same = d.tmp.path().join("same.bin");
        make_test_model(&same, seed.unwrap_or(1));
        assert!(
            std::fs::read(d.cwd.join(file)).expect("read") == std::fs::read(&same).expect("read"),
            "{file}"
        );
    }
    let o = vmcoach(&d.cwd, &d.cache, &["models", "check", "test.bin"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("ok"), "{}", stdout(&o));

    let bytes = std::fs::read(&model).expect("read");
    std::fs::write(d.cwd.join("half.bin"), &bytes[..bytes.len() / 2]).expect("write");
    let o = vmcoach(&d.cwd, &d.cache, &["models", "check", "half.bin"], &[]);
    assert_one_line_error(&o, "truncated");

    let wav = root().join("../shared/eval-audio/jfk_16k.wav");
    let o = vmcoach(
        &d.cwd,
        &d.cache,
        &["models", "check", wav.to_str().expect("utf-8")],
        &[],
    );
    assert_one_line_error(&o, "not a ggml Whisper model");
}

#[test]
fn a_missing_model_names_every_place_searched_and_the_download_command() {
    let d = work_dirs();
    let o = vmcoach(&d.cwd, &d.cache, &["models", "check", "tiny.en"], &[]);
    assert_one_line_error(&o, "vmcoach models download tiny.en");
    let err = stderr(&o);
    assert!(err.contains("models/ggml-tiny.en.bin"), "{err}");
    let cache = d.cache.join("vmcoach/models/ggml-tiny.en.bin");
    assert!(err.contains(&cache.display().to_string()), "{err}");

    // VMCOACH_MODEL pointing nowhere is named as such.
    let o = vmcoach(
        &d.cwd,
        &d.cache,
        &["models", "check", "tiny.en"],
        &[("VMCOACH_MODEL", "/nonexistent/model.bin")],
    );
    assert_one_line_error(&o, "VMCOACH_MODEL");
}

#[test]
fn download_verifies_sha256_and_renames_into_place() {
    let d = work_dirs();
    let model = d.cwd.join("served.bin");
    make_test_model(&model, 5);
    let body = std::fs::read(&model).expect("read");
    let sha = sha256_hex(&body);
    let (url, server) = serve(200, body.clone(), 2);
    let dest = d.cwd.join("dl");
    let env = [
        ("VMCOACH_MODEL_BASE_URL", url.as_str()),
        ("VMCOACH_MODEL_EXPECTED_SHA256", sha.as_str()),
    ];
    let dl = |extra: &[&str]| {
        let mut args = vec!["models", "download", "tiny.en", "--dir", "dl"];
        args.extend_from_slice(extra);
        vmcoach(&d.cwd, &d.cache, &args, &env)
    };
    let o = dl(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("from whisper.cpp's model host, SHA-256 verified"),
        "{}",
        stdout(&o)
    );
    assert_eq!(files_in(&dest), ["ggml-tiny.en.bin"], "no temp file left");
    assert_eq!(
        std::fs::read(dest.join("ggml-tiny.en.bin")).expect("read"),
        body
    );

    // Present: not fetched again unless forced.
    let o = dl(&[]);
    assert!(stdout(&o).contains("already there"), "{}", stdout(&o));
    let o = dl(&["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let seen = server.join().expect("server");
    assert_eq!(
        seen,
        [
            "GET /ggml-tiny.en.bin HTTP/1.1",
            "GET /ggml-tiny.en.bin HTTP/1.1"
        ]
    );
}

#[test]
fn download_to_the_cache_is_found_by_resolution() {
    let d = work_dirs();
    let model = d.cwd.join("served.bin");
    make_test_model(&model, 6);
    let body = std::fs::read(&model).expect("read");
    let sha = sha256_hex(&body);
    let (url, _server) = serve(200, body, 1);
    let env = [
        ("VMCOACH_MODEL_BASE_URL", url.as_str()),
        ("VMCOACH_MODEL_EXPECTED_SHA256", sha.as_str()),
    ];
    let o = vmcoach(&d.cwd, &d.cache, &["models", "download", "base.en"], &env);
    assert!(o.status.success(), "{}", stderr(&o));
    let cached = d.cache.join("vmcoach/models/ggml-base.en.bin");
    assert!(cached.is_file());
    let out = stdout(&vmcoach(&d.cwd, &d.cache, &["models"], &[]));
    let line = out
        .lines()
        .find(|l| l.starts_with("base.en"))
        .unwrap_or_default();
    assert!(line.contains(&cached.display().to_string()), "{out}");
    // Resolution finds it; it is well-formed but not the published base.en:
    // a warning, not an error.
    let o = vmcoach(&d.cwd, &d.cache, &["models", "check", "base.en"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: "), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not the published base.en"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_checksum_mismatch_saves_nothing() {
    let d = work_dirs();
    // Not the published tiny.en, so its real SHA-256 cannot match.
    let body: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let (url, _server) = serve(200, body, 1);
    let o = vmcoach(
        &d.cwd,
        &d.cache,
        &[
            "models", "download", "tiny.en", "--dir", "dl", "--source", "host",
        ],
        &[("VMCOACH_MODEL_BASE_URL", url.as_str())],
    );
    assert_one_line_error(&o, "does not match its SHA-256");
    assert!(stderr(&o).contains("921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f"));
    assert!(files_in(&d.cwd.join("dl")).is_empty(), "temp file removed");
}

#[test]
fn http_errors_and_unknown_names_are_one_line() {
    let d = work_dirs();
    let (url, _server) = serve(404, b"Not Found".to_vec(), 1);
    let o = vmcoach(
        &d.cwd,
        &d.cache,
        &[
            "models", "download", "tiny.en", "--dir", "dl", "--source", "host",
        ],
        &[("VMCOACH_MODEL_BASE_URL", url.as_str())],
    );
    assert_one_line_error(&o, "HTTP 404");
    assert!(files_in(&d.cwd.join("dl")).is_empty());

    let o = vmcoach(&d.cwd, &d.cache, &["models", "download", "huge.xx"], &[]);
    assert_one_line_error(&o, "not a model vmcoach knows");
    let o = vmcoach(&d.cwd, &d.cache, &["models", "download", "../evil"], &[]);
    assert_one_line_error(&o, "not a model name");

    // Nothing listens on this port once the listener is dropped.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let dead = format!("http://127.0.0.1:{port}");
    let o = vmcoach(
        &d.cwd,
        &d.cache,
        &[
            "models", "download", "tiny.en", "--dir", "dl", "--source", "host",
        ],
        &[("VMCOACH_MODEL_BASE_URL", dead.as_str())],
    );
    assert_one_line_error(&o, "download of");
}

#[test]
fn a_connection_cut_short_saves_nothing() {
    let d = work_dirs();
    let body = vec![7u8; 100_000];
    let sha = sha256_hex(&body);
    let (url, _server) = serve_claiming(200, body, 300_000, 1);
    let o = vmcoach(
        &d.cwd,
        &d.cache,
        &[
            "models", "download", "tiny.en", "--dir", "dl", "--source", "host",
        ],
        &[
            ("VMCOACH_MODEL_BASE_URL", url.as_str()),
            ("VMCOACH_MODEL_EXPECTED_SHA256", sha.as_str()),
        ],
    );
    assert_one_line_error(&o, "download of");
    assert!(files_in(&d.cwd.join("dl")).is_empty(), "temp file removed");
}
