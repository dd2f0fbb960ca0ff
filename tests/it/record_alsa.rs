//! `vmcoach record` and `vmcoach devices` through the real capture path:
//! cpal's ALSA host reading an ALSA `file` PCM (raw samples of a fixture)
//! and the `null` PCM (silence). No mock: the test only writes an ALSA
//! configuration (`ALSA_CONFIG_PATH` = the system `alsa.conf`, then ours)
//! and a raw sample file, and runs the binary.
//!
//! The file PCM is not paced: it delivers audio as fast as it is read, so
//! a whole take arrives in milliseconds, a stress test of the ring. The
//! paced, real-time tests (kill, Enter, Ctrl-C, device loss) are in
//! `record_pulse.rs`.
//!
//! Needs alsa-lib's configuration (Debian `libasound2`, `libasound2-data`);
//! without it every test here says so and passes as skipped.

use crate::support::{bin, fixtures};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const SYSTEM_ALSA_CONF: &str = "/usr/share/alsa/alsa.conf";
/// The rate cpal picks for the unconstrained file PCM (its preferred 48 kHz).
const DEVICE_RATE: usize = 48_000;

fn alsa_missing() -> Option<String> {
    if Path::new(SYSTEM_ALSA_CONF).exists() {
        None
    } else {
        Some(format!(
            "{SYSTEM_ALSA_CONF} is missing (install libasound2 and libasound2-data)"
        ))
    }
}

macro_rules! require_alsa {
    () => {
        if let Some(why) = alsa_missing() {
            crate::support::skip(&format!("ALSA is not available: {why}"));
            return;
        }
    };
}

/// A temporary ALSA setup: `vmfile` plays `samples` (48 kHz stereo f32),
/// `null` is silence, and `default` is a sound card that does not exist.
struct Rig {
    dir: tempfile::TempDir,
    conf: PathBuf,
}

impl Rig {
    fn new(mono_48k: &[f32]) -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let raw = dir.path().join("source.raw");
        let mut bytes = Vec::with_capacity(mono_48k.len() * 8);
        for &s in mono_48k {
            // Stereo, both channels the same: the callback's downmix must
            // give the sample back.
            bytes.extend_from_slice(&s.to_le_bytes());
            bytes.extend_from_slice(&s.to_le_bytes());
        }
        std::fs::write(&raw, bytes).unwrap();
        let conf = dir.path().join("asound.conf");
        std::fs::write(
            &conf,
            format!(
                r#"pcm.vmfile {{
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "{}"
    format "raw"
    hint {{ show on description "vmcoach test source" }}
}}
pcm.!default {{ type hw card 31 }}
"#,
                raw.display()
            ),
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("xdg")).unwrap();
        Rig { dir, conf }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `vmcoach record --device DEVICE --no-countdown --no-score` on the rig.
    fn record(&self, device: &str) -> Command {
        let mut c = self.cmd();
        c.args(["record", "--device", device, "--no-countdown", "--no-score"]);
        c
    }

    fn cmd(&self) -> Command {
        let mut c = bin();
        c.env(
            "ALSA_CONFIG_PATH",
            format!("{SYSTEM_ALSA_CONF}:{}", self.conf.display()),
        )
        // No user config, and no PulseAudio server to redirect `default` to.
        .env("HOME", self.dir.path())
        .env("XDG_RUNTIME_DIR", self.dir.path().join("xdg"))
        .env_remove("PULSE_SERVER")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
        c
    }
}

fn run(mut c: Command) -> (Output, String, String) {
    let out = c.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn read_wav(path: &Path) -> (u32, Vec<f32>) {
    let r = hound::WavReader::open(path).unwrap();
    let rate = r.spec().sample_rate;
    let s = r
        .into_samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    (rate, s)
}

/// The fixture at 16 kHz, and its speech span from the truth file.
fn fixture() -> (Vec<f32>, (f64, f64)) {
    let (rate, x) = read_wav(&fixtures().join("good.wav"));
    assert_eq!(rate, 16_000);
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("good.wav").with_extension("truth.json")).unwrap(),
    )
    .unwrap();
    let span = (
        truth["speech"]["start"].as_f64().unwrap(),
        truth["speech"]["end"].as_f64().unwrap(),
    );
    (x, span)
}

/// 16 kHz → 48 kHz: zero-stuff by 3 and low-pass with a Blackman-windowed
/// sinc at 8 kHz (the device "hears" the fixture at its own rate).
fn upsample3(x: &[f32]) -> Vec<f32> {
    const HALF: isize = 96;
    let taps: Vec<f64> = (-HALF..=HALF)
        .map(|n| {
            let t = n as f64 / 3.0;
            let sinc = if n == 0 {
                1.0
            } else {
                (std::f64::consts::PI * t).sin() / (std::f64::consts::PI * t)
            };
            let w = n as f64 / (HALF as f64 + 1.0);
            let blackman = 0.42
                + 0.5 * (std::f64::consts::PI * w).cos()
                + 0.08 * (2.0 * std::f64::consts::PI * w).cos();
            sinc * blackman
        })
        .collect();
    let n_out = x.len() * 3;
    let mut y = vec![0.0f32; n_out];
    for (i, out) in y.iter_mut().enumerate() {
        let mut acc = 0.0f64;
        // Only every third stuffed sample is non-zero.
        let first = (i as isize - HALF).max(0);
        let last = (i as isize + HALF).min(n_out as isize - 1);
        let mut j = first + (3 - first.rem_euclid(3)) % 3;
        while j <= last {
            acc += f64::from(x[(j / 3) as usize]) * taps[(i as isize - j + HALF) as usize];
            j += 3;
        }
        *out = acc as f32;
    }
    y
}

/// Normalised cross-correlation at lag 0 over the common length.
fn ncc(a: &[f32], b: &[f32]) -> f64 {
    let n = a.len().min(b.len());
    let (mut ab, mut aa, mut bb) = (0.0f64, 0.0f64, 0.0f64);
    for i in 0..n {
        let (x, y) = (f64::from(a[i]), f64::from(b[i]));
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    ab / (aa * bb).sqrt().max(1e-30)
}

#[test]
fn devices_lists_the_test_sources() {
    require_alsa!();
    let rig = Rig::new(&[0.0; 480]);
    let mut c = rig.cmd();
    c.args(["devices", "--json"]);
    let (out, stdout, stderr) = run(c);
    assert!(out.status.success(), "{stderr}");
    let doc = json(&stdout);
    let devices = doc["devices"].as_array().unwrap();
    let vmfile = devices
        .iter()
        .find(|d| d["name"] == "vmfile")
        .unwrap_or_else(|| panic!("vmfile not listed: {stdout}"));
    assert_eq!(vmfile["default_rate"], DEVICE_RATE);
    assert_eq!(vmfile["channels"], 2);
    assert_eq!(vmfile["description"], "vmcoach test source");
    // The default points at a card that does not exist: not listed.
    assert!(devices.iter().all(|d| d["name"] != "default"), "{stdout}");
    // The libraries' own stderr noise is kept off the terminal.
    assert!(!stderr.contains("ALSA lib"), "{stderr}");

    let mut c = rig.cmd();
    c.arg("devices");
    let (out, stdout, _) = run(c);
    assert!(out.status.success());
    assert!(stdout
        .lines()
        .any(|l| l.contains("vmfile") && l.contains("48000")));
}

#[test]
fn recording_matches_the_fixture() {
    require_alsa!();
    let (x, _) = fixture();
    let rig = Rig::new(&upsample3(&x));
    let wav = rig.path("take.wav");
    let seconds = x.len() as f64 / 16_000.0;
    let mut c = rig.record("vmfile");
    c.arg("--json")
        .arg("--max-seconds")
        .arg(seconds.to_string())
        .arg("--out")
        .arg(&wav);
    let (out, stdout, stderr) = run(c);
    assert!(out.status.success(), "{stderr}");
    let doc = json(&stdout);
    assert_eq!(doc["stopped_by"], "time_limit");
    assert_eq!(doc["overruns"], 0, "{stdout}");
    assert_eq!(doc["frames_dropped"], 0, "{stdout}");
    assert_eq!(doc["xruns"], 0, "{stdout}");
    assert_eq!(doc["device"]["rate"], DEVICE_RATE);
    assert_eq!(doc["device"]["sample_format"], "f32");

    let (rate, y) = read_wav(&wav);
    assert_eq!(rate, 16_000);
    let len_diff = (y.len() as f64 - x.len() as f64).abs() / 16_000.0;
    assert!(len_diff <= 0.050, "length off by {len_diff:.3} s");
    let r = ncc(&x, &y);
    eprintln!("recorded vs fixture: ncc {r:.5}, length off by {len_diff:.4} s");
    assert!(r >= 0.99, "normalised cross-correlation {r:.4}");
}

#[test]
fn stops_on_trailing_silence_after_the_speech() {
    require_alsa!();
    let (x, (_, speech_end)) = fixture();
    let rig = Rig::new(&upsample3(&x));
    let wav = rig.path("take.wav");
    let mut c = rig.record("vmfile");
    c.args(["--json", "--stop-on-silence", "1.5", "--max-seconds", "40"])
        .arg("--out")
        .arg(&wav);
    let (out, stdout, stderr) = run(c);
    assert!(out.status.success(), "{stderr}");
    let doc = json(&stdout);
    assert_eq!(doc["stopped_by"], "silence", "{stdout}");
    let (_, y) = read_wav(&wav);
    let secs = y.len() as f64 / 16_000.0;
    // Speech end + 1.5 s, plus at most the detector's hangover and its
    // frame and resampler delays.
    assert!(
        secs >= speech_end + 1.5 && secs <= speech_end + 1.5 + 0.8,
        "stopped at {secs:.2} s; speech ends at {speech_end:.2} s"
    );
    // Everything before the stop is the fixture itself.
    let r = ncc(&x, &y[..x.len().min(y.len())]);
    assert!(r >= 0.99, "ncc {r:.4}");
}

#[test]
fn silence_device_stops_on_silence_and_on_the_time_limit() {
    require_alsa!();
    let rig = Rig::new(&[0.0; 480]);
    let wav = rig.path("quiet.wav");
    let mut c = rig.record("null");
    c.args(["--json", "--stop-on-silence", "1"])
        .arg("--out")
        .arg(&wav);
    let (out, stdout, stderr) = run(c);
    // No speech is an error (exit 2), never a score; the take is kept.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("No speech found — check the microphone"),
        "{stderr}"
    );
    let doc = json(&stdout);
    assert_eq!(doc["stopped_by"], "silence");
    assert!(doc["speech"].is_null(), "{stdout}");
    assert!(
        doc["error"].as_str().unwrap().contains("No speech found"),
        "{stdout}"
    );
    let (_, y) = read_wav(&wav);
    let secs = y.len() as f64 / 16_000.0;
    assert!((secs - 1.0).abs() <= 0.1, "{secs}");

    let wav = rig.path("limit.wav");
    let mut c = rig.record("null");
    c.args(["--max-seconds", "2.5"]).arg("--out").arg(&wav);
    let (out, stdout, stderr) = run(c);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.contains("stopped by the time limit"), "{stdout}");
    assert!(
        stdout.contains("No speech found — check the microphone"),
        "{stdout}"
    );
    assert!(!stdout.contains("Score it with"), "{stdout}");
    let (_, y) = read_wav(&wav);
    assert_eq!(y.len(), 40_000);
}

#[test]
fn a_second_take_never_overwrites_the_first() {
    require_alsa!();
    let (x, _) = fixture();
    let rig = Rig::new(&upsample3(&x[..16_000 * 3]));
    let take = rig.path("take.wav");
    let record = |force: bool| {
        let mut c = rig.record("vmfile");
        c.args(["--max-seconds", "2", "--out"]).arg(&take);
        if force {
            c.arg("--force");
        }
        run(c)
    };
    let (out, _, stderr) = record(false);
    assert!(out.status.success(), "{stderr}");
    std::fs::write(&take, b"the first take").unwrap();
    let (out, stdout, stderr) = record(false);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(std::fs::read(&take).unwrap(), b"the first take");
    assert!(stderr.contains("take-2.wav"), "{stderr}");
    assert!(stdout.contains("take-2.wav"), "{stdout}");
    assert_eq!(read_wav(&rig.path("take-2.wav")).1.len(), 32_000);
    let (out, _, stderr) = record(false);
    assert!(out.status.success(), "{stderr}");
    assert!(rig.path("take-3.wav").exists());
    // --force: the named file is replaced.
    let (out, _, stderr) = record(true);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(read_wav(&take).1.len(), 32_000);
    assert!(!rig.path("take-4.wav").exists());
}

#[test]
fn unwritable_output_is_an_error_before_recording() {
    require_alsa!();
    let rig = Rig::new(&[0.0; 480]);
    for out_path in [
        rig.path("missing/dir/take.wav"),
        rig.dir.path().to_path_buf(),
    ] {
        let mut c = rig.record("null");
        c.arg("--out").arg(&out_path);
        let (out, stdout, stderr) = run(c);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stdout.is_empty());
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{stderr}");
        assert!(
            lines[0].starts_with("vmcoach: error: cannot write"),
            "{stderr}"
        );
        assert!(lines[0].contains(&out_path.display().to_string()));
        assert!(!stderr.contains("recording from"));
    }
}

#[test]
fn no_input_device_is_one_clear_line() {
    require_alsa!();
    let rig = Rig::new(&[0.0; 480]);
    let wav = rig.path("none.wav");
    // `default` points at a missing card.
    let mut c = rig.cmd();
    c.args(["record", "--no-countdown", "--no-score", "--out"])
        .arg(&wav);
    let (out, _, stderr) = run(c);
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("no usable input device"), "{stderr}");
    assert!(!wav.exists(), "no file is left behind");

    // A name that is not there lists what is.
    let mut c = rig.record("no-such-mic");
    c.args(["--out"]).arg(&wav);
    let (out, _, stderr) = run(c);
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("no input device named \"no-such-mic\""));
    assert!(lines[0].contains("vmfile"), "{stderr}");
}

#[test]
fn bad_limits_are_usage_errors() {
    let rig = Rig::new(&[0.0; 480]);
    for arg in [
        "--max-seconds=0",
        "--max-seconds=NaN",
        "--stop-on-silence=-1",
    ] {
        let mut c = rig.record("null");
        c.arg(arg);
        let (out, _, stderr) = run(c);
        assert_eq!(out.status.code(), Some(2), "{arg}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    // How the take will be scored is settled before recording: a bad
    // scoring flag fails at once, with no take captured or saved.
    let take = rig.path("never.wav");
    for arg in ["--left-at=friday", "--number=call me", "--select=VM9"] {
        let mut c = rig.cmd();
        c.args(["record", "--no-countdown", "--device", "null", "-o"])
            .arg(&take)
            .arg(arg);
        let (out, _, stderr) = run(c);
        assert_eq!(out.status.code(), Some(2), "{arg}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("vmcoach: error:"), "{stderr}");
        assert!(!take.exists(), "{arg}: a take was recorded");
    }
}

#[test]
fn report_after_recording_matches_vmcoach_score_on_the_fixture() {
    require_alsa!();
    let (x, _) = fixture();
    let rig = Rig::new(&upsample3(&x));
    let wav = rig.path("take.wav");
    let transcript = fixtures()
        .join("good.wav")
        .with_file_name("good.transcript.json");
    let context = ["--prospect", "Sarah Lee", "--left-at", "2026-11-24T10:30"];
    let mut c = rig.cmd();
    c.args(["record", "--device", "vmfile", "--no-countdown", "--json"])
        .arg("--max-seconds")
        .arg((x.len() as f64 / 16_000.0).to_string())
        .arg("--out")
        .arg(&wav)
        .arg("--transcript")
        .arg(&transcript)
        .args(context);
    let (out, stdout, stderr) = run(c);
    // The good message has no error finding: exit 0.
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("overruns: 0 ring, 0 device"), "{stderr}");
    let recorded = json(&stdout);

    let mut c = rig.cmd();
    c.arg("score")
        .arg(fixtures().join("good.wav"))
        .arg("--json")
        .arg("--transcript")
        .arg(&transcript)
        .args(context);
    let (score_out, score_stdout, score_stderr) = run(c);
    assert_eq!(score_out.status.code(), out.status.code(), "{score_stderr}");
    let direct = json(&score_stdout);

    let codes = |doc: &serde_json::Value| -> Vec<String> {
        let mut v: Vec<String> = doc["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("no findings array: {doc}"))
            .iter()
            .map(|f| f["code"].as_str().unwrap_or_default().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(codes(&recorded), codes(&direct));
    assert_eq!(recorded["score"], direct["score"]);
    // Both are the good message's full report, not two empty ones: the
    // transcript's words, the whole take, and one thing to fix: 10:30 is
    // outside RULES.md's good hours (6:45–8:00, 16:30–18:30), so VM301 warns
    // and costs 8.
    assert_eq!(codes(&direct), ["VM301"], "{}", direct["findings"]);
    assert_eq!(direct["score"]["value"], 92, "{}", direct["score"]);
    let words = |doc: &serde_json::Value| doc["transcript"]["words"].as_array().map(Vec::len);
    assert!(words(&direct).is_some_and(|n| n > 30), "{direct}");
    assert_eq!(words(&recorded), words(&direct));
    let secs = |doc: &serde_json::Value| doc["audio"]["duration"].as_f64().unwrap_or(0.0);
    let want = x.len() as f64 / 16_000.0;
    assert!(
        (secs(&recorded) - want).abs() < 0.1,
        "{} vs {want}",
        secs(&recorded)
    );
}
