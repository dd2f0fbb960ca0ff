//! Practice: takes kept in the history and compared, a take never judged on
//! the clock, silence never scored, `record` never overwriting a take.
//! Each test has its own data folder (`VMCOACH_DATA_DIR`).

use crate::support::{bin, codes, fixtures, real_model, stderr, stdout, write_wav_i16};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use vmcoach::history::History;

fn fixture(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

struct Data {
    dir: tempfile::TempDir,
}

impl Data {
    fn new() -> Self {
        Data {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn cmd(&self) -> Command {
        let mut c = bin();
        c.env("VMCOACH_DATA_DIR", self.dir.path())
            .current_dir(self.dir.path());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("vmcoach runs")
    }

    /// Score a fixture with its known words (no Whisper).
    fn score(&self, name: &str, extra: &[&str]) -> Output {
        let wav = fixture(&format!("{name}.wav"));
        let words = fixture(&format!("{name}.transcript.json"));
        let mut args = vec!["score", wav.as_str(), "--transcript", words.as_str()];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join(vmcoach::history::FILE_NAME)
    }

    fn history_json(&self) -> Value {
        let o = self.run(&["history", "--json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).expect("history --json is JSON")
    }
}

#[test]
fn scored_takes_are_logged_listed_and_compared() {
    let d = Data::new();
    assert!(stdout(&d.run(&["history"])).contains("No takes yet"));
    assert!(!d.db().exists(), "listing must not create the database");

    assert_eq!(d.score("once", &[]).status.code(), Some(0));
    assert_eq!(d.score("good", &[]).status.code(), Some(0));
    // Opted out: not logged.
    assert_eq!(d.score("good", &["--no-history"]).status.code(), Some(0));

    let h = d.history_json();
    let takes = h["takes"].as_array().expect("takes");
    assert_eq!(takes.len(), 2, "{h}");
    assert!(takes[0]["file"].as_str().unwrap().ends_with("once.wav"));
    assert_eq!(takes[0]["score"], 92);
    assert_eq!(takes[0]["number_count"], 1);
    assert_eq!(takes[0]["findings"][0]["code"], "VM202");
    assert_eq!(takes[1]["score"], 100);
    assert_eq!(takes[1]["number_count"], 2);
    assert_eq!(takes[0]["sha256"].as_str().unwrap().len(), 64);
    assert!(takes[1]["words_per_minute"].as_f64().unwrap() > 100.0);
    assert!(takes[1]["digits_per_second"].as_f64().unwrap() > 0.5);
    assert!(takes[1]["transcript"].as_str().unwrap().contains("Sarah"));
    let score_trend = &h["trend"][0];
    assert_eq!(score_trend["measure"], "score");
    assert_eq!(score_trend["verdict"], "better", "{h}");

    let text = stdout(&d.run(&["history"]));
    assert!(text.contains("Trend over 2 takes"), "{text}");
    assert!(text.contains("92 → 100"), "{text}");

    // Two history ids, side by side.
    let ids: Vec<i64> = takes.iter().map(|t| t["id"].as_i64().unwrap()).collect();
    let (a, b) = (ids[0].to_string(), ids[1].to_string());
    let o = d.run(&["compare", &a, &b, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(c["fixed"][0]["code"], "VM202");
    let improved: Vec<&str> = c["improved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(improved.contains(&"score"), "{c}");
    assert!(improved.contains(&"number said"), "{c}");
    assert!(c["worse"].as_array().unwrap().is_empty(), "{c}");
    let text = stdout(&d.run(&["compare", &b, &a]));
    assert!(text.contains("Got worse: score"), "{text}");
    assert!(text.contains("VM202 number-not-repeated new"), "{text}");

    // Bad ids and names: one line, exit 2.
    for (args, needle) in [
        (vec!["compare", "1", "999"], "no take 999"),
        (
            vec!["compare", "1", "nosuch.wav"],
            "neither a recording nor a history id",
        ),
    ] {
        let o = d.run(&args);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{}", stderr(&o));
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    }
}

#[test]
fn a_process_killed_inside_the_history_write_leaves_it_readable() {
    let d = Data::new();
    assert_eq!(d.score("good", &[]).status.code(), Some(0));
    // The test hook holds the write transaction open; kill the process there.
    let mut child = d
        .cmd()
        .args([
            "score",
            &fixture("once.wav"),
            "--transcript",
            &fixture("once.transcript.json"),
        ])
        .env(vmcoach::history::TEST_PAUSE_ENV, "30000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let held = lines.any(|l| l.is_ok_and(|l| l.contains("inside the history write")));
    assert!(held, "the test hook never reached the write");
    child.kill().expect("kill");
    child.wait().expect("reaped");

    let h = History::open(&d.db()).expect("the database still opens");
    assert_eq!(h.count().unwrap(), 1, "the killed take is not half-written");
    let conn = rusqlite::Connection::open(d.db()).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    drop(conn);
    drop(h);
    // And vmcoach itself reads it and writes on.
    assert_eq!(d.history_json()["takes"].as_array().unwrap().len(), 1);
    assert_eq!(d.score("once", &[]).status.code(), Some(0));
    assert_eq!(d.history_json()["takes"].as_array().unwrap().len(), 2);
}

/// good.wav with a Broadcast Wave `bext` chunk saying when it was recorded.
fn with_bext(dir: &Path, date: &str, time: &str) -> PathBuf {
    let wav = std::fs::read(fixtures().join("good.wav")).unwrap();
    assert_eq!(&wav[..4], b"RIFF");
    let mut bext = vec![0u8; 602];
    bext[320..330].copy_from_slice(date.as_bytes());
    bext[330..338].copy_from_slice(time.as_bytes());
    let mut out = wav[..12].to_vec();
    out.extend(b"bext");
    out.extend((bext.len() as u32).to_le_bytes());
    out.extend(&bext);
    out.extend(&wav[12..]);
    let riff = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&riff.to_le_bytes());
    let p = dir.join("dated.wav");
    std::fs::write(&p, out).unwrap();
    p
}

#[test]
fn practice_is_not_judged_on_the_clock() {
    let d = Data::new();
    // A fresh copy: its modification time is now, whatever the hour.
    let copy = d.dir.path().join("good.wav");
    std::fs::copy(fixtures().join("good.wav"), &copy).unwrap();
    let words = fixture("good.transcript.json");
    // Scored with good.wav's words, as JSON.
    let score = |wav: &Path, extra: &[&str]| {
        let wav = wav.to_str().expect("a UTF-8 path");
        let mut args = vec!["score", wav, "--transcript", &words, "--json"];
        args.extend_from_slice(extra);
        d.run(&args)
    };
    let o = score(&copy, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        codes(&r).is_empty(),
        "good.wav fires nothing: {:?}",
        codes(&r)
    );
    assert_eq!(r["score"]["value"], 100);
    let skipped = r["skipped"].as_array().unwrap();
    let vm301 = skipped
        .iter()
        .find(|s| s["code"] == "VM301")
        .expect("VM301 skipped");
    assert!(
        vm301["reason"].as_str().unwrap().contains("no time known"),
        "{vm301}"
    );

    // A time that is known is judged: the flag…
    let o = score(&copy, &["--left-at", "2026-11-23T07:15"]);
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(codes(&r), ["VM301"]);
    // …and the recording's own metadata (2026-11-27 is a Friday).
    let dated = with_bext(d.dir.path(), "2026-11-27", "16:45:00");
    let o = score(&dated, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(codes(&r), ["VM301"]);
    let msg = r["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("Friday 16:45"), "{msg}");
    assert!(msg.contains("bext"), "{msg}");
}

#[test]
fn no_words_is_no_speech_not_a_score() {
    let d = Data::new();
    let empty = d.dir.path().join("empty.json");
    std::fs::write(&empty, r#"{"schema_version":1,"text":"","words":[]}"#).unwrap();
    let wav = fixture("good.wav");
    let o = d.run(&["score", &wav, "--transcript", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("No speech found"), "{err}");
    assert!(err.contains("check the microphone"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!stdout(&o).contains("Score"), "{}", stdout(&o));

    let o = d.run(&[
        "score",
        &wav,
        "--transcript",
        empty.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let j: Value = serde_json::from_slice(&o.stdout).expect("an error object");
    assert!(
        j["error"].as_str().unwrap().contains("No speech found"),
        "{j}"
    );
    assert!(j.get("score").is_none(), "{j}");
    assert!(!d.db().exists() || d.history_json()["takes"].as_array().unwrap().is_empty());
}

/// The real model, where there is one: silence gives no words, so no score.
#[test]
fn silence_through_whisper_is_no_speech() {
    let Some(model) = real_model("silence_through_whisper_is_no_speech") else {
        return;
    };
    let d = Data::new();
    let wav = d.dir.path().join("silence.wav");
    // 4 s of near-silence: a little noise, as a real microphone gives.
    let mut x: u32 = 1;
    let hiss = std::iter::repeat_with(move || {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        ((x >> 16) as i16) >> 10
    });
    write_wav_i16(&wav, 16_000, hiss.take(64_000));
    let o = d.run(&[
        "score",
        wav.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--threads",
        "1",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("No speech found"), "{}", stderr(&o));
}

#[test]
fn email_profile_skips_the_callback_number_rules() {
    use vmcoach::analyze;
    use vmcoach::message::{Message, Transcript};
    use vmcoach::rules::{self, Profile, RuleConfig};
    let text = "Hi Sarah, it's Mike Jones from Butler Street. Dana Reyes thought we could \
                speed up your month-end close. I've sent you an email with the details; \
                I'll try you Thursday morning. Sarah, look for it from Butler Street.";
    let message = Message {
        transcript: Transcript::from_text(text),
        ..Default::default()
    };
    let analysis = analyze::analyze(&message);
    let callback = rules::check(&message, &analysis, &RuleConfig::default());
    assert!(callback.findings.iter().any(|f| f.code == "VM201"));
    let email = RuleConfig {
        profile: Profile::Email,
        ..Default::default()
    };
    let r = rules::check(&message, &analysis, &email);
    assert!(r
        .findings
        .iter()
        .all(|f| f.code != "VM201" && f.code != "VM202"));
    for code in ["VM201", "VM202"] {
        let s = r.skipped.iter().find(|s| s.code == code).expect("skipped");
        assert!(s.reason.contains("email"), "{s:?}");
    }
    assert!(r.score.value > callback.score.value);

    // The same from the command line and from vmcoach.toml.
    let d = Data::new();
    let script = d.dir.path().join("script.txt");
    std::fs::write(&script, text).unwrap();
    let s = script.to_str().unwrap();
    let with_flag = stdout(&d.run(&["check", s, "--profile", "email"]));
    assert!(!with_flag.contains("VM201 error"), "{with_flag}");
    assert!(
        with_flag.contains("VM201 no-callback-number, VM202"),
        "{with_flag}"
    );
    assert!(with_flag.contains("email follow-up"), "{with_flag}");
    std::fs::write(d.dir.path().join("vmcoach.toml"), "profile = \"email\"\n").unwrap();
    let from_file = stdout(&d.run(&["check", s]));
    assert!(!from_file.contains("VM201 error"), "{from_file}");
    assert!(stdout(&d.run(&["check", s, "--profile", "callback"])).contains("VM201 error"));
    let o = d.run(&["check", s, "--profile", "fax"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_rule_by_name_and_the_whole_table_at_any_width() {
    let d = Data::new();
    let by_name = d.run(&["rule", "too-long"]);
    assert_eq!(by_name.status.code(), Some(0), "{}", stderr(&by_name));
    assert_eq!(stdout(&by_name), stdout(&d.run(&["rule", "VM101"])));
    let o = d.run(&["rule", "long"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean VM101 too-long"),
        "{}",
        stderr(&o)
    );

    for width in [80usize, 200] {
        let o = d
            .cmd()
            .args(["rules"])
            .env("COLUMNS", width.to_string())
            .output()
            .unwrap();
        let text = stdout(&o);
        for line in text.lines() {
            assert!(line.chars().count() <= width, "{line:?} over {width}");
        }
    }
    // Every summary is there whole, wrapped or not.
    let o = d
        .cmd()
        .args(["rules"])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    let flat: String = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    for r in vmcoach::rules::RULES {
        let summary = r.meta().summary();
        assert!(flat.contains(&summary), "{} summary not whole", r.code());
    }
}

#[test]
fn the_small_things() {
    let d = Data::new();
    // The score's breakdown is labelled.
    let text = stdout(&d.score("once", &[]));
    assert!(text.contains("−8  VM202 number-not-repeated"), "{text}");
    assert!(!text.contains("100 VM202"), "{text}");
    // "once", never "1 times".
    assert!(!text.contains("1 times"), "{text}");
    assert!(text.contains("said once"), "{text}");
    // record --help: examples, Enter and Ctrl-C, the limit the meter shows.
    let help = stdout(&d.run(&["record", "--help"]));
    for want in [
        "Examples:",
        "Enter",
        "Ctrl-C",
        "take-2.wav",
        "[default: 30]",
    ] {
        assert!(help.contains(want), "{want:?} not in:\n{help}");
    }
}

/// A recording against a history take, through the real model where there is one.
#[test]
fn compare_a_recording_with_a_history_take() {
    let Some(model) = real_model("compare_a_recording_with_a_history_take") else {
        return;
    };
    let d = Data::new();
    assert_eq!(d.score("once", &[]).status.code(), Some(0));
    let id = d.history_json()["takes"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let o = d.run(&[
        "compare",
        &id,
        &fixture("good.wav"),
        "--model",
        model.to_str().unwrap(),
        "--threads",
        "1",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(c["a"]["history_id"].as_i64().unwrap().to_string(), id);
    assert!(c["b"]["history_id"].is_null());
    assert!(c["b"]["file"].as_str().unwrap().ends_with("good.wav"));
    // Whisper hears good.wav's number twice, where once.wav has it once.
    assert_eq!(c["b"]["figures"]["number_count"], 2, "{c}");
    let number = c["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|ch| ch["measure"] == "number_count")
        .unwrap();
    assert_eq!(number["verdict"], "better", "{c}");
    // Comparing does not log a take.
    assert_eq!(d.history_json()["takes"].as_array().unwrap().len(), 1);
}
