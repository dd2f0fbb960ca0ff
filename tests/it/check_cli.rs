//! `vmcoach check`, `vmcoach rules` and `vmcoach rule`, run as a user would.

use crate::support::{assert_one_line_error, bin_at, codes, json, stderr, stdout};
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

const SEED_004: &str = "Hi it's Mike, I have a question for you. Give me a call. 555-1212\n";
/// 56 words as spoken (RULES.md counts each digit of a phone number).
const GOOD: &str = "Hi Sarah, Mike Jones from Butler Street. Dana Lee suggested I call you.\n\
We cut Acme's hiring time in half and can do that for your team.\n\
Sarah, I'll try you Thursday at 10. Call 555-212-3456, again 555-212-3456.\n";

/// Run vmcoach in `dir`, with a home of its own so no user config leaks in.
fn vmcoach(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = bin_at(dir);
    cmd.args(args)
        .env_remove("CLICOLOR_FORCE")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run vmcoach");
    if let Some(input) = stdin {
        // vmcoach stops reading at its size limit: a broken pipe here is expected.
        let _ = child.stdin.take().expect("stdin").write_all(input);
    }
    child.wait_with_output().expect("wait")
}

fn tmp_with(name: &str, content: &[u8]) -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(d.path().join(name), content).expect("write");
    d
}

/// The codes of the text report's finding lines ("s.txt:1:5: VM204 error
/// caller-not-identified: …"), in order: not the "skipped:" lines, the
/// score breakdown or the fixes list, which name codes too.
fn text_finding_codes(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            match (w.next(), w.next(), w.next()) {
                (Some(at), Some(code), Some("error" | "warning" | "info"))
                    if at.ends_with(':') && at != "skipped:" && code.starts_with("VM") =>
                {
                    Some(code.to_string())
                }
                _ => None,
            }
        })
        .collect()
}

#[test]
fn seed_004_fires_the_five_rules_and_exits_1() {
    let d = tmp_with("s.txt", SEED_004.as_bytes());
    let o = vmcoach(d.path(), &["check", "s.txt"], None);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let text = stdout(&o);
    let found = text_finding_codes(&text);
    for code in ["VM202", "VM204", "VM205", "VM209", "VM210"] {
        assert!(found.iter().any(|c| c == code), "{code} missing:\n{text}");
    }
    // The finding lines are the JSON report's findings, one for one; the
    // audio rules are listed as skipped, never as findings.
    let v = json(&vmcoach(d.path(), &["check", "s.txt", "--json"], None));
    assert_eq!(found, codes(&v), "{text}");
    assert!(
        found.iter().all(|c| !c.starts_with("VM1")),
        "an audio rule among the findings of a script: {text}"
    );
    assert!(text.contains("skipped: VM101 too-long"), "{text}");
    assert!(text.contains("needs audio"), "{text}");
    assert!(text.contains("Score "), "{text}");
    // Not a terminal: no colour codes.
    assert!(!text.contains('\u{1b}'), "escape codes in piped output");
}

#[test]
fn a_good_script_exits_0() {
    let d = tmp_with("good.txt", GOOD.as_bytes());
    let o = vmcoach(d.path(), &["check", "good.txt", "--json"], None);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let v = json(&o);
    assert!(codes(&v).is_empty(), "{:?}", codes(&v));
    assert_eq!(v["score"]["value"], 100);
    assert_eq!(v["prospect"]["name"], "Sarah");
    assert_eq!(v["prospect"]["source"], "greeting");
    assert!(v["notes"][0].as_str().unwrap_or("").contains("greeting"));
}

#[test]
fn json_findings_carry_evidence_and_skips_carry_reasons() {
    let d = tmp_with("s.txt", SEED_004.as_bytes());
    let o = vmcoach(
        d.path(),
        &["check", "-", "--json"],
        Some(SEED_004.as_bytes()),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["schema_version"], 1);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "VM205")
        .expect("VM205");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["name"], "cryptic-purpose");
    let e = &f["evidence"][0];
    let (s, en) = (
        e["span"]["start"].as_u64().unwrap() as usize,
        e["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&SEED_004[s..en], e["text"].as_str().unwrap());
    assert!(!f["suggestion"].as_str().unwrap().is_empty());
    let skipped = v["skipped"].as_array().unwrap();
    let skipped_codes: Vec<&str> = skipped
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        skipped_codes,
        ["VM101", "VM102", "VM103", "VM104", "VM105", "VM106", "VM107", "VM108", "VM301"],
        "audio rules and the time rule (VM203 judges a message that names nobody: it fires)"
    );
    assert!(skipped
        .iter()
        .all(|s| !s["reason"].as_str().unwrap().is_empty()));
}

#[test]
fn context_flags_and_config_file() {
    let script =
        "Hi Sara, this is Mike from Butler Street. We help teams like yours cut hiring time. \
                  I'll try you Thursday at 10. Sarah, call me at 555-212-3456, again 555-212-3456.";
    let d = tmp_with("s.txt", script.as_bytes());
    // Given prospect matched despite spelling; the given number is never said.
    let o = vmcoach(
        d.path(),
        &[
            "check",
            "s.txt",
            "--json",
            "--prospect",
            "Sarah Lee",
            "--number",
            "555-999-0000",
        ],
        None,
    );
    let v = json(&o);
    let c = codes(&v);
    assert!(!c.contains(&"VM203".to_string()), "{c:?}");
    assert!(c.contains(&"VM201".to_string()), "{c:?}");
    assert_eq!(o.status.code(), Some(1));

    // The same from vmcoach.toml; a flag wins over it.
    std::fs::write(
        d.path().join("vmcoach.toml"),
        "prospect = \"Sarah Lee\"\nnumber = \"555-999-0000\"\nleft_at = \"2026-11-27T15:00\"\nignore = [\"VM215\"]\n",
    )
    .unwrap();
    let v = json(&vmcoach(d.path(), &["check", "s.txt", "--json"], None));
    let c = codes(&v);
    assert!(c.contains(&"VM201".to_string()), "{c:?}");
    assert!(
        c.contains(&"VM301".to_string()),
        "Friday afternoon from the config: {c:?}"
    );
    assert!(
        !c.contains(&"VM215".to_string()),
        "ignored in config: {c:?}"
    );
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "VM301")
        .unwrap();
    assert!(
        f["message"].as_str().unwrap().contains("vmcoach.toml"),
        "{f}"
    );
    let v = json(&vmcoach(
        d.path(),
        &[
            "check",
            "s.txt",
            "--json",
            "--number",
            "555-212-3456",
            "--left-at",
            "2026-11-24T07:15",
        ],
        None,
    ));
    let c = codes(&v);
    assert!(
        !c.contains(&"VM201".to_string()) && !c.contains(&"VM301".to_string()),
        "{c:?}"
    );
}

#[test]
fn select_and_ignore() {
    let d = tmp_with("s.txt", SEED_004.as_bytes());
    let v = json(&vmcoach(
        d.path(),
        &[
            "check",
            "s.txt",
            "--json",
            "--select",
            "VM20",
            "--ignore",
            "vm205,VM209",
        ],
        None,
    ));
    let c = codes(&v);
    assert!(
        c.iter()
            .all(|c| c.starts_with("VM20") && c != "VM205" && c != "VM209"),
        "{c:?}"
    );
    assert!(c.contains(&"VM204".to_string()));
    // Seed 004 addresses nobody by name: VM203 fires (RULES.md), nothing selected is skipped.
    assert!(c.contains(&"VM203".to_string()), "{c:?}");
    let skipped = v["skipped"].as_array().unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    let o = vmcoach(d.path(), &["check", "s.txt", "--select", "VM9"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("VM9"), "{}", stderr(&o));
}

/// One line on stderr, exit 2, no panic, and nothing on stdout.
fn assert_input_error(o: &Output, needle: &str) {
    assert_one_line_error(o, needle);
    assert!(stdout(o).is_empty(), "nothing on stdout: {}", stdout(o));
}

#[test]
fn bad_input_is_one_clear_line_and_exit_2() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("empty.txt"), b"").unwrap();
    std::fs::write(p.join("blank.txt"), b"  \n\n").unwrap();
    let mut wav = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00".to_vec();
    wav.extend(std::iter::repeat_n(0u8, 64));
    std::fs::write(p.join("msg.wav"), &wav).unwrap();
    std::fs::write(p.join("latin1.txt"), b"Hi Ren\xe9e, this is Mike.").unwrap();
    let big = "Hi Sarah, this is Mike from Butler Street. ".repeat(5 * 1024 * 1024 / 43 + 1);
    std::fs::write(p.join("big.txt"), big.as_bytes()).unwrap();
    std::fs::create_dir(p.join("folder")).unwrap();

    assert_input_error(&vmcoach(p, &["check", "empty.txt"], None), "empty");
    assert_input_error(&vmcoach(p, &["check", "blank.txt"], None), "empty");
    assert_input_error(&vmcoach(p, &["check", "msg.wav"], None), "binary");
    assert_input_error(&vmcoach(p, &["check", "latin1.txt"], None), "UTF-8");
    assert_input_error(&vmcoach(p, &["check", "big.txt"], None), "100 KB");
    assert_input_error(&vmcoach(p, &["check", "missing.txt"], None), "missing.txt");
    assert_input_error(&vmcoach(p, &["check", "folder"], None), "folder");
    assert_input_error(&vmcoach(p, &["check", "-"], Some(b"")), "standard input");
    assert_input_error(&vmcoach(p, &["check", "-"], Some(big.as_bytes())), "100 KB");
    std::fs::write(p.join("ok.txt"), SEED_004).unwrap();
    assert_input_error(
        &vmcoach(p, &["check", "ok.txt", "--left-at", "friday"], None),
        "--left-at",
    );
    assert_input_error(
        &vmcoach(p, &["check", "ok.txt", "--number", "call me"], None),
        "--number",
    );
}

#[test]
fn config_errors_name_the_line() {
    let d = tmp_with("s.txt", SEED_004.as_bytes());
    let p = d.path();
    std::fs::write(
        p.join("vmcoach.toml"),
        "prospect = \"Sarah\"\n\nprospekt = \"Sara\"\n",
    )
    .unwrap();
    assert_input_error(&vmcoach(p, &["check", "s.txt"], None), "vmcoach.toml:3:");
    std::fs::write(
        p.join("vmcoach.toml"),
        "[thresholds]\nmax_wpm = 170\nmax_words = -5\n",
    )
    .unwrap();
    assert_input_error(&vmcoach(p, &["check", "s.txt"], None), "vmcoach.toml:3:");
    // --config names another file; the user config folder is the fallback.
    std::fs::remove_file(p.join("vmcoach.toml")).unwrap();
    let user = p.join(".config/vmcoach");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::write(user.join("vmcoach.toml"), "select = [\"VM204\"]\n").unwrap();
    let v = json(&vmcoach(p, &["check", "s.txt", "--json"], None));
    assert_eq!(codes(&v), ["VM204"]);
    std::fs::write(p.join("other.toml"), "select = [\"VM205\"]\n").unwrap();
    let v = json(&vmcoach(
        p,
        &["check", "s.txt", "--json", "--config", "other.toml"],
        None,
    ));
    assert_eq!(codes(&v), ["VM205"]);
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let d = tmp_with("s.txt", SEED_004.as_bytes());
    let run = |env: &[(&str, &str)]| {
        let mut cmd = bin_at(d.path());
        cmd.args(["check", "s.txt"]).env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        String::from_utf8_lossy(&cmd.output().unwrap().stdout).into_owned()
    };
    assert!(run(&[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
    assert!(!run(&[]).contains('\u{1b}'));
    assert!(!run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\u{1b}'));
}

#[test]
fn rules_and_rule() {
    let d = tempfile::tempdir().unwrap();
    let o = vmcoach(d.path(), &["rules", "--json"], None);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    let all = v.as_array().unwrap();
    assert_eq!(all.len(), vmcoach::rules::RULES.len());
    assert!(all
        .iter()
        .all(|r| !r["summary"].as_str().unwrap().is_empty()));
    assert_eq!(all[0]["code"], "VM101");
    assert_eq!(all[0]["needs"], "audio");

    let o = vmcoach(d.path(), &["rules"], None);
    assert!(stdout(&o).contains("VM207  again"), "{}", stdout(&o));

    let o = vmcoach(d.path(), &["rule", "vm203"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("## Why is this bad?"));
    assert!(stdout(&o).contains("## The advice in a line"));
    assert!(
        !stdout(&o).contains(".txt"),
        "the advice, not the article's file"
    );
    let v = json(&vmcoach(d.path(), &["rule", "VM207", "--json"], None));
    assert_eq!(v["name"], "again");
    assert!(v["explanation"]
        .as_str()
        .unwrap()
        .contains("haven't connected yet"));

    assert_input_error(&vmcoach(d.path(), &["rule", "VM299"], None), "VM299");
    assert_input_error(&vmcoach(d.path(), &["rule", "VM2"], None), "VM201");
}

/// `check` writes the report `score` writes: the same JSON document (a
/// typed script's words, no audio), and HTML too.
#[test]
fn check_gives_the_score_report_in_every_format() {
    let d = tmp_with("s.txt", SEED_004.as_bytes());
    let old = vmcoach(d.path(), &["check", "s.txt", "--json"], None);
    let new = vmcoach(d.path(), &["check", "s.txt", "--format", "json"], None);
    assert_eq!(old.stdout, new.stdout);
    let v = json(&new);
    assert_eq!(v["file"], "s.txt");
    assert_eq!(v["transcript_source"]["kind"], "text");
    assert!(v["audio"].is_null() && v["signal"].is_null(), "{v}");
    assert!(v["timing"].is_object(), "{v}");
    let o = vmcoach(
        d.path(),
        &["check", "s.txt", "--format", "html", "--output", "s.html"],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let page = std::fs::read_to_string(d.path().join("s.html")).unwrap();
    assert!(page.starts_with("<!doctype html>") && page.contains("VM205"));
}
