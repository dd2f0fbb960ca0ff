//! The HTML page and the folder index as files (issue 12 parts 2 and 3):
//! the player's audio linked beside the page or inside it, the drawing,
//! the marks and links, nothing from the network; a folder's index and
//! CSV; "fix these first" in every format with the rep's own number and
//! names; an error object in the JSON file when a message has no speech.
//! What the page does in a browser is `html_browser`'s.

use crate::support::{bin, fixtures, make_test_model, run, stderr};
use std::path::Path;
use std::process::Output;

use serde_json::Value;

/// Score fixture `name` with its known words into `page`, with `extra`.
pub fn write_page(name: &str, page: &Path, extra: &[&str]) -> Output {
    let wav = fixtures().join(format!("{name}.wav"));
    let words = fixtures().join(format!("{name}.transcript.json"));
    let mut args = vec![
        "score".to_string(),
        wav.display().to_string(),
        "--transcript".into(),
        words.display().to_string(),
        "--format".into(),
        "html".into(),
        "--output".into(),
        page.display().to_string(),
        "--no-history".into(),
        "--fail-on".into(),
        "never".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    bin().args(&args).output().expect("vmcoach runs")
}

/// The value of the first `attr="…"` after `after` in `page`.
fn attr<'a>(page: &'a str, after: &str, attr: &str) -> &'a str {
    let at = page.find(after).unwrap_or_else(|| panic!("no {after}"));
    let rest = &page[at..];
    let key = format!("{attr}=\"");
    let s = rest.find(&key).unwrap() + key.len();
    let e = rest[s..].find('"').unwrap();
    &rest[s..s + e]
}

#[test]
fn a_page_links_its_recording_and_draws_the_message() {
    // Beside the project (under target/), so the link is relative.
    let d = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let pages = d.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    let page_path = pages.join("rattled.html");
    let o = write_page("rattled", &page_path, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = std::fs::read_to_string(&page_path).unwrap();

    // The player's source is the recording, by a path relative to the page.
    let src = attr(&page, "<audio id=\"player\"", "src");
    assert!(src.starts_with("../"), "{src}");
    let resolved = std::fs::canonicalize(pages.join(src)).unwrap();
    assert_eq!(
        resolved,
        std::fs::canonicalize(fixtures().join("rattled.wav")).unwrap()
    );

    // Readable on a phone; nothing from the network; only its own script.
    assert!(page.contains("name=\"viewport\" content=\"width=device-width"));
    assert!(page.contains("Content-Security-Policy"));
    assert!(page.contains("default-src 'none'"));
    for bad in ["http://", "https://", "//cdn", "<link", "@import", "url("] {
        assert!(!page.contains(bad), "{bad} in the page");
    }
    assert_eq!(page.matches("<script").count(), 1);

    // Waveform, pitch, speech shading, the number marks with their rate.
    assert!(page.contains("<path class=\"env\" d=\"M"), "no waveform");
    assert!(page.contains("<svg class=\"pitch\""), "no pitch contour");
    assert!(page.contains("<rect class=\"speech\""), "no speech shading");
    let marks = page.matches("class=\"mark fast").count();
    assert_eq!(
        marks, 2,
        "both mentions of the rattled number are marked fast"
    );
    assert!(
        page.contains("555-212-3456<br><b>4."),
        "digits/s on the mark"
    );

    // Every timed word seeks; every highlight links to a finding that exists.
    assert!(page.matches("<span class=\"w\" data-s=").count() >= 40);
    let mut refs = 0;
    for part in page.split("class=\"ref ").skip(1) {
        let href = attr(part, "href", "href");
        let id = href.trim_start_matches('#');
        assert!(
            page.contains(&format!("id=\"{id}\"")),
            "{href} goes nowhere"
        );
        refs += 1;
    }
    assert!(refs >= 2, "highlights link to VM105's findings");
    assert!(page.contains("<mark class=\"error\">") || page.contains("<mark class=\"warning\">"));

    // Score with a labelled breakdown, the fixes first, the delivery figures.
    assert!(
        page.contains("VM105</a> number-too-fast"),
        "labelled breakdown"
    );
    let fixes = page.find("id=\"fixes\"").unwrap();
    assert!(fixes < page.find("id=\"listen\"").unwrap());
    assert!(page.contains("Say your number slowly"));
    for row in ["Pace", "Pitch", "Level", "Rate from the audio"] {
        assert!(page.contains(&format!("<th>{row}</th>")), "no {row}");
    }
}

#[test]
fn embed_audio_puts_the_recording_inside_the_page() {
    let d = tempfile::tempdir().unwrap();
    let page_path = d.path().join("good.html");
    let o = write_page("good", &page_path, &["--embed-audio"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = std::fs::read_to_string(&page_path).unwrap();
    let src = attr(&page, "<audio id=\"player\"", "src");
    let data = src
        .strip_prefix("data:audio/wav;base64,")
        .expect("a data URI");
    let wav = std::fs::read(fixtures().join("good.wav")).unwrap();
    assert_eq!(data.len(), wav.len().div_ceil(3) * 4);
    // A good message: nothing to fix, said so.
    assert!(
        page.contains("Nothing to fix"),
        "good.wav has nothing to fix"
    );
}

#[test]
fn a_folder_gets_an_index_and_a_csv() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("calls");
    std::fs::create_dir_all(input.join("a")).unwrap();
    std::fs::create_dir_all(input.join("b")).unwrap();
    std::fs::copy(fixtures().join("formats/tone.mp3"), input.join("a/msg.mp3")).unwrap();
    std::fs::copy(fixtures().join("formats/tone.mp3"), input.join("b/msg.mp3")).unwrap();
    // A recording named like the index gets another page name.
    std::fs::copy(fixtures().join("formats/tone.mp3"), input.join("index.mp3")).unwrap();
    std::fs::write(input.join("bad.wav"), b"RIFF not really").unwrap();
    let model = d.path().join("ggml-test.bin");
    make_test_model(&model, 1);
    let out = d.path().join("out");
    let o = bin()
        .arg("score")
        .arg(&input)
        .args(["--format", "html", "--output"])
        .arg(&out)
        .args(["--model", model.to_str().unwrap(), "--threads", "1"])
        .args(["--fail-on", "never", "--no-history"])
        .output()
        .unwrap();
    // The bad file is an error (exit 2) but the others are scored.
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "a-msg.html",
            "b-msg.html",
            "index-2.html",
            "index.html",
            "summary.csv"
        ],
    );
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for page in ["a-msg.html", "b-msg.html", "index-2.html"] {
        assert!(index.contains(&format!("<a href=\"{page}\">")), "{page}");
    }
    assert!(index.contains("bad.wav") && index.contains("class=\"failed\""));
    assert!(index.contains("data-type=\"num\">Score</th>"), "sortable");
    assert!(index.contains("<script>") && index.contains("aria-sort"));

    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(lines[0].starts_with("file,page,score,"), "{csv}");
    let cols = lines[0].split(',').count();
    // (An error message may hold a comma, quoted: those rows are skipped here.)
    for l in lines[1..].iter().filter(|l| !l.contains('"')) {
        assert_eq!(l.split(',').count(), cols, "{l}");
    }
    assert!(lines
        .iter()
        .any(|l| l.contains("bad.wav") && !l.ends_with(',')));
}

/// A typed script with its own number and names (no audio needed).
const SCRIPT: &str = "Hi Priya, this is Tom Reed from Northwind. We cut onboarding time \
                      in half for teams like yours. Call me at 415-555-0133.";

#[test]
fn fixes_first_quote_the_reps_own_number_and_names() {
    let d = tempfile::tempdir().unwrap();
    let script = d.path().join("s.txt");
    std::fs::write(&script, SCRIPT).unwrap();
    let o = run(&["check", script.to_str().unwrap(), "--format", "json"]);
    let r: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let fixes = r["top_fixes"].as_array().expect("top_fixes");
    assert!(!fixes.is_empty() && fixes.len() <= 3, "{fixes:?}");
    let all = serde_json::to_string(fixes).unwrap();
    // Said once: repeat it — their number, not the canned 555 … 212 … 3456.
    let repeat = fixes
        .iter()
        .find(|f| f["code"] == "VM202")
        .unwrap_or_else(|| panic!("VM202 in {all}"));
    let how = repeat["how"].as_str().unwrap();
    assert!(how.contains("415 … 555 … 0133"), "{how}");
    assert!(!all.contains("212 … 3456"), "{all}");
    assert_eq!(repeat["fix"], "Say your number twice");
    assert!(repeat["points"].as_u64().unwrap() > 0);
    // Ranked: errors before warnings, then by points.
    let key = |f: &Value| {
        let sev = match f["severity"].as_str().unwrap() {
            "error" => 2,
            "warning" => 1,
            _ => 0,
        };
        (sev, f["points"].as_u64().unwrap())
    };
    for w in fixes.windows(2) {
        assert!(key(&w[0]) >= key(&w[1]), "{all}");
    }
    // Each points at its finding.
    for f in fixes {
        let i = f["finding"].as_u64().unwrap() as usize;
        assert_eq!(r["findings"][i]["code"], f["code"], "{all}");
    }
    // The prospect's own name where a suggestion greets them.
    if let Some(next) = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "VM209")
    {
        assert!(
            next["suggestion"].as_str().unwrap().contains("Priya"),
            "{next}"
        );
    }

    // The text report opens with them.
    let o = run(&["check", script.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with("Fix these first"), "{text}");
    assert!(text.contains("415 … 555 … 0133"), "{text}");
}

#[test]
fn a_message_without_a_number_or_names_gets_placeholders_not_made_up_ones() {
    let d = tempfile::tempdir().unwrap();
    let script = d.path().join("s.txt");
    std::fs::write(&script, "I have a question for you, give me a call.").unwrap();
    let o = run(&["check", script.to_str().unwrap(), "--format", "json"]);
    let r: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let fixes = serde_json::to_string(&r["top_fixes"]).unwrap();
    let all = serde_json::to_string(&r["findings"]).unwrap();
    assert!(fixes.contains("[your number]"), "{fixes}");
    assert!(
        all.contains("[your name]") && all.contains("[your company]"),
        "{all}"
    );
    // No stranger's number, name or client for the rep to copy.
    for canned in [
        "212 … 3456",
        "Sarah",
        "Mike Jones",
        "Butler Street",
        "Acme",
        "Dana Smith",
    ] {
        assert!(!all.contains(canned), "{canned} in {all}");
    }
}

#[test]
fn a_recording_s_fixes_use_its_names_and_number() {
    // dead_air: Priya Shah of Northwind Logistics calls Tom, 555-318-4627,
    // after 3 s of silence.
    let wav = fixtures().join("dead_air.wav");
    let words = fixtures().join("dead_air.transcript.json");
    let o = run(&[
        "score",
        wav.to_str().unwrap(),
        "--transcript",
        words.to_str().unwrap(),
        "--no-history",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    let fixes = text
        .find("Fix these first")
        .expect("fixes in the text report");
    assert!(fixes < text.find("Transcript").unwrap(), "{text}");
    assert!(text.contains("Cut the silences"), "{text}");
    assert!(text.contains("\"Hi Tom, this is Priya Shah …\""), "{text}");
}

#[test]
fn no_speech_writes_the_error_object_to_the_json_file() {
    let d = tempfile::tempdir().unwrap();
    let empty = d.path().join("empty.json");
    std::fs::write(&empty, r#"{"schema_version":1,"text":"","words":[]}"#).unwrap();
    let out = d.path().join("r.json");
    let wav = fixtures().join("good.wav");
    let o = run(&[
        "score",
        wav.to_str().unwrap(),
        "--transcript",
        empty.to_str().unwrap(),
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
        "--no-history",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    let written = std::fs::read_to_string(&out).expect("written");
    assert_eq!(written.lines().count(), 1, "{written}");
    let j: Value = serde_json::from_str(&written).expect("JSON");
    assert!(
        j["error"].as_str().unwrap().contains("No speech found"),
        "{j}"
    );
    assert_eq!(j["schema_version"], 1);
    assert!(j["file"].as_str().unwrap().ends_with("good.wav"), "{j}");
    assert!(j.get("score").is_none(), "{j}");
}
