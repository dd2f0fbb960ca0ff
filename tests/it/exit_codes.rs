//! Exit codes and the flags a script relies on: `score`'s 0/1/2 with
//! `--fail-on`, the model search order (`--model`, `VMCOACH_MODEL`,
//! `--model-name`, `models/`, the cache folder), `--caller`/`--company`
//! reaching the rules, `--quiet`, and several paths at once.

use crate::support::{bin, fixtures, json, make_test_model, score_fixture, stderr, FIXTURES};
use std::path::Path;
use std::process::Command;

#[test]
fn score_exit_status_follows_the_worst_finding_and_fail_on() {
    let mut seen = [false; 3]; // clean, warning at worst, an error
    for &name in FIXTURES {
        let report = json(&score_fixture(name, &["--json", "--fail-on", "never"]));
        let severities: Vec<&str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["severity"].as_str().unwrap())
            .collect();
        let error = severities.contains(&"error");
        let warning = severities.contains(&"warning");
        seen[if error {
            2
        } else if warning {
            1
        } else {
            0
        }] = true;

        let code = |extra: &[&str]| score_fixture(name, extra).status.code();
        let want = |fails: bool| Some(if fails { 1 } else { 0 });
        assert_eq!(code(&[]), want(error), "{name}: default --fail-on error");
        assert_eq!(
            code(&["--fail-on", "error"]),
            want(error),
            "{name}: --fail-on error"
        );
        assert_eq!(
            code(&["--fail-on", "warning"]),
            want(error || warning),
            "{name}: --fail-on warning {severities:?}"
        );
        assert_eq!(code(&["--fail-on", "never"]), Some(0), "{name}: never");
    }
    // Each outcome was exercised, so every branch above ran both ways.
    assert_eq!(
        seen,
        [true, true, true],
        "fixtures: clean, warning-only, error"
    );
}

#[test]
fn a_bad_file_among_several_paths_exits_2_after_scoring_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("ggml-test.bin");
    make_test_model(&model, 1);
    std::fs::write(dir.path().join("broken.wav"), b"RIFF junk").unwrap();
    let good = fixtures().join("good.wav");
    let broken = dir.path().join("broken.wav");
    // Several paths in one run, each scored with the test model.
    let score = |paths: &[&Path]| {
        bin()
            .arg("score")
            .args(paths)
            .args(["--json", "--fail-on", "never", "--no-history"])
            .args(["--threads", "1", "--model"])
            .arg(&model)
            .output()
            .unwrap()
    };
    let o = score(&[&good, &broken, &good]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one line per path: {lines:?}");
    assert!(lines[0]["error"].is_null() && lines[2]["error"].is_null());
    assert!(lines[1]["error"].as_str().unwrap().contains("broken.wav"));
    // The same paths with only good files: exit 0.
    let o = score(&[&good, &good]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Which model file a score used, from its JSON report.
fn model_used(cwd: &Path, flags: &[&str], env: &[(&str, &Path)]) -> Result<String, String> {
    let mut c = bin();
    c.args(["score"])
        .arg(fixtures().join("good.wav"))
        .args([
            "--json",
            "--fail-on",
            "never",
            "--no-history",
            "--threads",
            "1",
        ])
        .args(flags)
        .current_dir(cwd)
        // The cache folder is under the test's own folder.
        .env("XDG_CACHE_HOME", cwd.join("cache"))
        .env("HOME", cwd);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    if o.status.success() {
        Ok(json(&o)["transcript_source"]["path"]
            .as_str()
            .unwrap()
            .to_string())
    } else {
        Err(stderr(&o))
    }
}

#[test]
fn the_model_is_found_in_the_documented_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cached = d.join("cache/vmcoach/models/ggml-tiny.en.bin");
    make_test_model(&cached, 1);
    // Only the cache has one: it is used.
    let used = model_used(d, &[], &[]).unwrap();
    assert!(
        used.ends_with("cache/vmcoach/models/ggml-tiny.en.bin"),
        "{used}"
    );
    // models/ under the current folder comes before the cache.
    make_test_model(&d.join("models/ggml-tiny.en.bin"), 1);
    assert_eq!(model_used(d, &[], &[]).unwrap(), "models/ggml-tiny.en.bin");
    // --model-name picks another name; missing, it says where it looked.
    make_test_model(&d.join("models/ggml-base.en.bin"), 1);
    assert_eq!(
        model_used(d, &["--model-name", "base.en"], &[]).unwrap(),
        "models/ggml-base.en.bin"
    );
    let err = model_used(d, &["--model-name", "small.en"], &[]).unwrap_err();
    assert!(
        err.contains("no Whisper model 'small.en'") && err.contains("models/ggml-small.en.bin"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // VMCOACH_MODEL comes before the search, --model before VMCOACH_MODEL.
    let env_model = d.join("env.bin");
    let flag_model = d.join("flag.bin");
    make_test_model(&env_model, 1);
    make_test_model(&flag_model, 1);
    let env = [("VMCOACH_MODEL", env_model.as_path())];
    assert!(model_used(d, &[], &env).unwrap().ends_with("env.bin"));
    assert!(
        model_used(d, &["--model", flag_model.to_str().unwrap()], &env)
            .unwrap()
            .ends_with("flag.bin")
    );
}

/// `vmcoach check` on a typed script, with flags; the findings' codes.
fn check_codes(script: &str, flags: &[&str]) -> Vec<(String, String)> {
    use std::io::Write as _;
    let mut child = bin()
        .args(["check", "-", "--json"])
        .args(flags)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let findings = json(&o)["findings"].as_array().unwrap().clone();
    let error = findings.iter().any(|f| f["severity"] == "error");
    // `check` exits as `score` does: 1 on an error finding, else 0.
    assert_eq!(o.status.code(), Some(i32::from(error)), "{}", stderr(&o));
    findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                format!("{} {}", f["message"], f["suggestion"]),
            )
        })
        .collect()
}

#[test]
fn caller_and_company_flags_reach_the_rules() {
    let script = "Hi Sarah, this is Mike Jones from Butler Street. We cut month-end \
                  close time in half for Dana's team. Call me at 555 212 3456, that's \
                  555 212 3456. Again, Sarah, 555 212 3456.";
    let vm204 = |flags: &[&str]| {
        check_codes(script, flags)
            .into_iter()
            .find(|(c, _)| c == "VM204")
            .map(|(_, text)| text)
    };
    assert_eq!(vm204(&[]), None, "the script names caller and company");
    assert_eq!(
        vm204(&["--caller", "Mike Jones", "--company", "Butler Street"]),
        None
    );
    let text = vm204(&["--company", "Acme Freight"]).expect("company not said");
    assert!(
        text.contains("not your company") && text.contains("Acme Freight"),
        "{text}"
    );
    let text = vm204(&["--caller", "Tom Becker"]).expect("caller not said");
    assert!(
        text.contains("not yourself") && text.contains("Tom Becker"),
        "{text}"
    );
}

#[test]
fn quiet_hides_the_progress_a_terminal_would_show() {
    // `script` gives the command a terminal, so progress would be drawn.
    if Command::new("script").arg("--version").output().is_err() {
        crate::support::skip("util-linux `script` (a pseudo-terminal)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("ggml-test.bin");
    make_test_model(&model, 1);
    let good = fixtures().join("good.wav");
    let run = |quiet: bool| {
        let cmd = format!(
            "{} score {} {} --model {} --threads 1 --no-history --fail-on never --format json --output {} {}",
            env!("CARGO_BIN_EXE_vmcoach"),
            good.display(),
            good.display(),
            model.display(),
            dir.path().join("out.jsonl").display(),
            if quiet { "--quiet" } else { "" },
        );
        let o = Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env("NO_COLOR", "1")
            .env_remove("VMCOACH_MODEL")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let shown = run(false);
    assert!(shown.contains("/2"), "progress on a terminal: {shown:?}");
    let quiet = run(true);
    assert!(!quiet.contains("/2"), "--quiet: {quiet:?}");
}
