//! What strangers can put in front of vmcoach: file names and transcripts
//! with markup, quotes, bidi overrides and terminal escape sequences, and
//! folders with odd names — escaped in every output, never written outside
//! the output folder, never over an input, never over each other.

use crate::support::{bin, fixtures, formats, make_test_model};
use std::path::{Path, PathBuf};
use std::process::Output;

const HOSTILE: &str = "<script>alert(1)</script></textarea>\"quoted\" 'single' \u{202E}gpj.exe \u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m";

/// No byte of a terminal control sequence, and no bidi override, in `out`.
fn assert_no_controls(out: &str, what: &str) {
    for (i, c) in out.char_indices() {
        let bad = (c.is_control() && c != '\n') || ('\u{202A}'..='\u{202E}').contains(&c);
        assert!(!bad, "{what}: control {c:?} at byte {i} in {out:?}");
    }
}

/// A vmcoach transcript file whose words carry the hostile text.
fn hostile_transcript(dir: &Path) -> PathBuf {
    let words: Vec<String> = format!(
        "Hi Sarah {HOSTILE} this is Mike from Acme call me at five five five two one two three four five six"
    )
    .split(' ')
    .map(str::to_string)
    .collect();
    let json_words: Vec<serde_json::Value> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            serde_json::json!({"text": w, "start": 0.5 + i as f64 * 0.3, "end": 0.7 + i as f64 * 0.3})
        })
        .collect();
    let doc =
        serde_json::json!({"schema_version": 1, "text": words.join(" "), "words": json_words});
    let p = dir.join("hostile.transcript.json");
    std::fs::write(&p, serde_json::to_string(&doc).unwrap()).unwrap();
    p
}

#[test]
fn a_hostile_transcript_is_escaped_in_text_json_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let t = hostile_transcript(dir.path());
    let wav = formats("tone.mp3");
    let html = dir.path().join("r.html");
    let score = |extra: &[&str]| {
        bin()
            .arg("score")
            .arg(&wav)
            .arg("--transcript")
            .arg(&t)
            .args(extra)
            .output()
            .unwrap()
    };
    let o = score(&["--html", html.to_str().unwrap()]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(matches!(o.status.code(), Some(0 | 1)), "{text}");
    assert_no_controls(&text, "text report");
    assert!(
        text.contains("\\x1b]0;owned\\x07") && text.contains("\\u{202e}"),
        "{text}"
    );

    let page = std::fs::read_to_string(&html).unwrap();
    assert_no_controls(&page, "html");
    // The page's own script is the only one; the words' markup is text.
    assert!(!page.contains("<script>alert") && !page.contains("</textarea>"));
    assert_eq!(page.matches("<script").count(), 1);
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;/textarea&gt;"));
    assert!(page.contains("&quot;quoted&quot;") && page.contains("&#39;single&#39;"));

    let o = score(&["--json"]);
    let json = String::from_utf8(o.stdout).unwrap();
    assert_no_controls(&json, "json");
    assert!(json.contains("\\u202e") && json.contains("\\u001b"));
    // Escaped, not lost: a JSON reader gets the words back as they were.
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(doc["transcript"]["text"]
        .as_str()
        .unwrap()
        .contains("\u{202E}gpj.exe \u{1b}]0;owned"));
}

#[cfg(unix)]
#[test]
fn a_hostile_file_name_is_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let name = "msg \u{1b}[31mred\u{1b}]0;title\u{7} \u{202E}vaw.exe <b>\"x\"<i>.mp3";
    let p = dir.path().join(name);
    std::fs::copy(formats("tone.mp3"), &p).unwrap();
    let t = fixtures().join("good.transcript.json");
    let html = dir.path().join("page.html");
    // Text (stdout) and HTML.
    let o = bin()
        .args(["score", p.to_str().unwrap(), "--transcript"])
        .arg(&t)
        .arg("--html")
        .arg(&html)
        .output()
        .unwrap();
    assert!(matches!(o.status.code(), Some(0 | 1)));
    assert_no_controls(&String::from_utf8(o.stdout).unwrap(), "text");
    let page = std::fs::read_to_string(&html).unwrap();
    assert_no_controls(&page, "html");
    assert!(!page.contains("<b>\"x\"<i>") && page.contains("&lt;b&gt;&quot;x&quot;&lt;i&gt;"));
    // JSON.
    let o = bin()
        .args(["score", p.to_str().unwrap(), "--json", "--transcript"])
        .arg(&t)
        .output()
        .unwrap();
    assert_no_controls(&String::from_utf8(o.stdout).unwrap(), "json");
    // An error naming the file (stderr).
    let bad = dir.path().join(format!("{name}.wav"));
    std::fs::write(&bad, b"not audio at all").unwrap();
    let o = bin().arg("score").arg(&bad).output().unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_no_controls(&err, "stderr");
    assert!(err.contains("\\x1b[31mred"), "{err}");
}

/// Score `dir/in` with `--html dir/out`: returns the output and `out`.
fn score_folder(dir: &Path, extra: &[&str]) -> (Output, PathBuf) {
    let out = dir.join("out");
    let o = bin()
        .arg("score")
        .arg(dir.join("in"))
        .args(["--html"])
        .arg(&out)
        .args(extra)
        .output()
        .unwrap();
    (o, out)
}

/// Every file under `root`, relative, sorted.
fn tree(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[cfg(unix)]
#[test]
fn folder_mode_reads_every_format_names_pages_uniquely_and_writes_only_into_out() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    for sub in ["a", "b", "odd names"] {
        std::fs::create_dir_all(input.join(sub)).unwrap();
    }
    // Two `msg` recordings in different folders, in different formats.
    std::fs::copy(formats("tone-ulaw.wav"), input.join("a/msg.wav")).unwrap();
    std::fs::copy(formats("tone.mp3"), input.join("b/msg.mp3")).unwrap();
    std::fs::copy(formats("tone.m4a"), input.join("b/memo.m4a")).unwrap();
    std::fs::copy(formats("tone.flac"), input.join("b/x.flac")).unwrap();
    // Spaces, a newline, a path-like name, and bytes that are not UTF-8.
    let odd = input.join("odd names");
    std::fs::copy(formats("tone.ogg"), odd.join("with space.ogg")).unwrap();
    std::fs::copy(formats("tone.ogg"), odd.join("new\nline.ogg")).unwrap();
    std::fs::copy(formats("tone.ogg"), odd.join("..%2F..%2Fescape.ogg")).unwrap();
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9.ogg");
    std::fs::copy(formats("tone.ogg"), odd.join(latin1)).unwrap();
    // Not audio: listed as skipped, with why.
    std::fs::write(input.join("notes.txt"), "call list").unwrap();
    std::fs::write(input.join("b/cover.jpg"), [0xFF, 0xD8, 0xFF, 0xE0]).unwrap();
    let before: Vec<(PathBuf, Vec<u8>)> = tree(&input)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(input.join(&p)).unwrap();
            (p, bytes)
        })
        .collect();

    // Score with the same transcript for all: folder mode takes no
    // --transcript, so use a model-free word source — the generated model.
    let model = dir.path().join("ggml-test.bin");
    make_test_model(&model, 1);
    let (o, out) = score_folder(
        dir.path(),
        &[
            "--model",
            model.to_str().unwrap(),
            "--fail-on",
            "never",
            "--threads",
            "1",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}\n{stdout}");
    assert_no_controls(&stdout, "summary");
    assert_no_controls(&err, "stderr");
    // Every recording scored, every other file listed as skipped, with why.
    assert!(
        err.contains("skipped") && err.contains("notes.txt") && err.contains("(.txt)"),
        "{err}"
    );
    assert!(err.contains("cover.jpg"), "{err}");
    assert_eq!(stdout.matches(".ogg").count(), 4, "{stdout}");
    for name in ["msg.wav", "msg.mp3", "memo.m4a", "x.flac"] {
        assert!(stdout.contains(name), "{name} missing from {stdout}");
    }

    // One page per recording, uniquely named, all directly in out/, with
    // the folder's index and CSV.
    let mut pages = tree(&out);
    for own in ["index.html", "summary.csv"] {
        let at = pages.iter().position(|p| p == Path::new(own));
        pages.remove(at.unwrap_or_else(|| panic!("no {own} in {pages:?}")));
    }
    assert_eq!(pages.len(), 8, "{pages:?}");
    let names: Vec<String> = pages.iter().map(|p| p.display().to_string()).collect();
    assert!(names.contains(&"a-msg.html".to_string()), "{names:?}");
    assert!(names.contains(&"b-msg.html".to_string()), "{names:?}");
    for n in &names {
        assert!(
            !n.contains('/') && !n.contains('\n') && n.ends_with(".html"),
            "{n:?}"
        );
    }
    // The two `msg` pages are different reports (b did not overwrite a).
    let a = std::fs::read_to_string(out.join("a-msg.html")).unwrap();
    let b = std::fs::read_to_string(out.join("b-msg.html")).unwrap();
    assert!(a.contains("msg.wav") && b.contains("msg.mp3"));
    // The index and the CSV show the odd names, escaped, never as controls.
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_no_controls(&index, "index");
    assert_eq!(index.matches("<tr>").count(), 1 + 8, "{index}");
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(csv.contains("\"") && csv.contains("new\nline.ogg"), "{csv}");

    // Nothing written outside out/, no input touched.
    let after: Vec<(PathBuf, Vec<u8>)> = tree(&input)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(input.join(&p)).unwrap();
            (p, bytes)
        })
        .collect();
    assert_eq!(before, after);
    let mut top: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["ggml-test.bin", "in", "out"]);
}

#[test]
fn a_folder_with_no_recordings_says_what_it_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "x").unwrap();
    std::fs::write(dir.path().join("b.pdf"), "%PDF").unwrap();
    let o = bin().arg("score").arg(dir.path()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("no audio files")
            && err.contains("2 other file(s) skipped")
            && err.contains(".mp3"),
        "{err}"
    );
}

#[test]
fn html_never_replaces_the_recording_itself() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("take.html");
    std::fs::copy(formats("tone.mp3"), &p).unwrap();
    let before = std::fs::read(&p).unwrap();
    let o = bin()
        .arg("score")
        .arg(&p)
        .arg("--transcript")
        .arg(fixtures().join("good.transcript.json"))
        .arg("--html")
        .arg(&p)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("would overwrite a recording"), "{err}");
    assert_eq!(std::fs::read(&p).unwrap(), before);
}
