//! `vmcoach record` from a paced, real-time source: a private PulseAudio
//! daemon (its own `XDG_RUNTIME_DIR`, `module-null-sink`), a fixture played
//! into the sink with `paplay`, captured through ALSA's `pulse` plugin from
//! the sink's monitor at wall-clock pace, by cpal's ALSA host as usual.
//!
//! These are the stops that need time to pass: SIGKILL mid-recording (the
//! file must open and hold all but the last second), Enter, Ctrl-C, and the
//! audio server dying under the recorder (one line, what was recorded kept).
//!
//! Needs Debian `pulseaudio`, `pulseaudio-utils` and `libasound2-plugins`;
//! without them every test here says so and passes as skipped.

use crate::support::{bin, fixtures, skip};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const SYSTEM_ALSA_CONF: &str = "/usr/share/alsa/alsa.conf";
const PULSE_PLUGIN: &str = "/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so";

fn on_path(prog: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(prog).is_file()))
}

fn missing() -> Option<String> {
    if !Path::new(SYSTEM_ALSA_CONF).exists() {
        return Some(format!(
            "ALSA is not available ({SYSTEM_ALSA_CONF} is missing)"
        ));
    }
    for prog in ["pulseaudio", "paplay", "pactl"] {
        if !on_path(prog) {
            return Some(format!(
                "`{prog}` is not installed (pulseaudio, pulseaudio-utils)"
            ));
        }
    }
    let plugin_found = Path::new(PULSE_PLUGIN).exists()
        || Path::new("/usr/lib/alsa-lib/libasound_module_pcm_pulse.so").exists()
        || std::fs::read_dir("/usr/lib")
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                e.path()
                    .join("alsa-lib/libasound_module_pcm_pulse.so")
                    .exists()
            });
    if !plugin_found {
        return Some("ALSA's pulse plugin is not installed (libasound2-plugins)".into());
    }
    None
}

macro_rules! require_pulse {
    () => {
        if let Some(why) = missing() {
            skip(&why);
            return;
        }
    };
}

/// A private PulseAudio daemon with a null sink named `vm`, and an ALSA
/// configuration whose `vmpulse` PCM records that sink's monitor.
struct Pulse {
    dir: tempfile::TempDir,
    daemon: Option<Child>,
    players: Vec<Child>,
}

impl Pulse {
    fn start() -> Pulse {
        let dir = tempfile::tempdir().unwrap();
        let xdg = dir.path().join("xdg");
        std::fs::create_dir_all(&xdg).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&xdg, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        std::fs::write(
            dir.path().join("asound.conf"),
            "pcm.vmpulse {\n  type pulse\n  device \"vm.monitor\"\n  hint { show on description \"vmcoach paced test source\" }\n}\n",
        )
        .unwrap();
        let mut p = Pulse {
            dir,
            daemon: None,
            players: Vec::new(),
        };
        let daemon = p
            .env(&mut Command::new("pulseaudio"))
            .args([
                "--daemonize=no",
                "--exit-idle-time=-1",
                "-n",
                "--load=module-native-protocol-unix",
                "--load=module-null-sink sink_name=vm rate=48000",
                "--log-target=stderr",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start pulseaudio");
        p.daemon = Some(daemon);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let ok = p
                .env(&mut Command::new("pactl"))
                .arg("info")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if ok {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "pulseaudio did not come up in 10 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        p
    }

    fn env<'a>(&self, c: &'a mut Command) -> &'a mut Command {
        c.env("HOME", self.dir.path())
            .env("XDG_RUNTIME_DIR", self.dir.path().join("xdg"))
            .env_remove("PULSE_SERVER")
            .env(
                "ALSA_CONFIG_PATH",
                format!(
                    "{SYSTEM_ALSA_CONF}:{}",
                    self.dir.path().join("asound.conf").display()
                ),
            )
            .env("NO_COLOR", "1")
    }

    /// Play the fixture into the sink (in the background).
    fn play(&mut self, wav: &Path) {
        let child = self
            .env(&mut Command::new("paplay"))
            .arg("--device=vm")
            .arg(wav)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start paplay");
        self.players.push(child);
    }

    fn record(&self, out: &Path, stdin: Stdio) -> Recorder {
        let mut child = self
            .env(&mut bin())
            .args([
                "record",
                "--device",
                "vmpulse",
                "--no-countdown",
                "--no-score",
                "--max-seconds",
                "30",
            ])
            .arg("--out")
            .arg(out)
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        Recorder::new(child, stderr)
    }

    fn kill_daemon(&mut self) {
        if let Some(mut d) = self.daemon.take() {
            let _ = d.kill();
            let _ = d.wait();
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Drop for Pulse {
    fn drop(&mut self) {
        for p in &mut self.players {
            let _ = p.kill();
            let _ = p.wait();
        }
        self.kill_daemon();
    }
}

/// A running `vmcoach record`, with its stderr lines read as they come.
struct Recorder {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Recorder {
    fn new(child: Child, stderr: ChildStderr) -> Recorder {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Recorder {
            child,
            lines: rx,
            seen: Vec::new(),
        }
    }

    /// Wait for a progress line at or past `t` seconds of audio; returns
    /// the audio time it shows.
    fn wait_for_audio(&mut self, t: f64) -> f64 {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
                self.seen.push(line.clone());
                if let Some(v) = progress_time(&line) {
                    if v >= t {
                        return v;
                    }
                }
            }
        }
        panic!("no progress past {t} s; stderr so far: {:?}", self.seen);
    }

    /// Latest audio time shown so far (draining what is pending).
    fn latest_audio(&mut self) -> f64 {
        while let Ok(line) = self.lines.try_recv() {
            self.seen.push(line);
        }
        self.seen
            .iter()
            .filter_map(|l| progress_time(l))
            .fold(0.0, f64::max)
    }

    /// Wait for the process to end (at most 20 s); (exit code, stdout, stderr).
    fn finish(mut self) -> (Option<i32>, String, String) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("vmcoach record did not stop; stderr: {:?}", self.seen);
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut stdout = String::new();
        if let Some(mut o) = self.child.stdout.take() {
            use std::io::Read;
            let _ = o.read_to_string(&mut stdout);
        }
        // The reader thread ends with the pipe.
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(500)) {
            self.seen.push(line);
        }
        (status.code(), stdout, self.seen.join("\n"))
    }
}

/// "recording t=3.1s ..." → 3.1
fn progress_time(line: &str) -> Option<f64> {
    let rest = line.strip_prefix("recording t=")?;
    rest.split('s').next()?.parse().ok()
}

/// Opens with hound and returns (seconds, RMS).
fn open_wav(path: &Path) -> (f64, f64) {
    let r = hound::WavReader::open(path)
        .unwrap_or_else(|e| panic!("{} does not open: {e}", path.display()));
    let rate = f64::from(r.spec().sample_rate);
    let s: Vec<f64> = r
        .into_samples::<i16>()
        .map(|s| f64::from(s.unwrap()) / 32768.0)
        .collect();
    let rms = (s.iter().map(|v| v * v).sum::<f64>() / s.len().max(1) as f64).sqrt();
    (s.len() as f64 / rate, rms)
}

#[test]
fn sigkill_mid_recording_leaves_a_file_with_all_but_the_last_second() {
    require_pulse!();
    let mut pulse = Pulse::start();
    let wav = pulse.path("killed.wav");
    let mut rec = pulse.record(&wav, Stdio::null());
    pulse.play(&fixtures().join("good.wav"));
    rec.wait_for_audio(3.0);
    std::thread::sleep(Duration::from_millis(700));
    let shown = rec.latest_audio();
    // SIGKILL: no handler runs, nothing is finalized.
    rec.child.kill().unwrap();
    let _ = rec.child.wait();
    let (secs, rms) = open_wav(&wav);
    eprintln!("killed after {shown:.1} s shown on the display; the file holds {secs:.2} s");
    assert!(
        secs >= shown - 1.0,
        "file holds {secs:.2} s, but {shown:.1} s had been recorded"
    );
    assert!(
        rms > 0.01,
        "the saved audio is the played fixture (rms {rms:.4})"
    );
}

#[test]
fn enter_stops_and_saves() {
    require_pulse!();
    let mut pulse = Pulse::start();
    let wav = pulse.path("enter.wav");
    let mut rec = pulse.record(&wav, Stdio::piped());
    pulse.play(&fixtures().join("good.wav"));
    rec.wait_for_audio(2.0);
    let mut stdin = rec.child.stdin.take().unwrap();
    stdin.write_all(b"\n").unwrap();
    drop(stdin);
    let (code, stdout, stderr) = rec.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("stopped by Enter"), "{stdout}");
    assert!(
        stdout.contains("Overruns: 0 (ring), 0 (device)"),
        "{stdout}"
    );
    let (secs, rms) = open_wav(&wav);
    assert!((2.0..10.0).contains(&secs), "{secs}");
    assert!(rms > 0.01);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_and_saves() {
    require_pulse!();
    let mut pulse = Pulse::start();
    let wav = pulse.path("ctrlc.wav");
    let mut rec = pulse.record(&wav, Stdio::null());
    pulse.play(&fixtures().join("good.wav"));
    rec.wait_for_audio(2.0);
    let pid = rec.child.id() as libc::pid_t;
    // SAFETY: signalling our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let (code, stdout, stderr) = rec.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("stopped by Ctrl-C"), "{stdout}");
    let (secs, _) = open_wav(&wav);
    assert!(secs >= 2.0, "{secs}");
}

#[test]
fn audio_server_dying_is_one_line_and_keeps_the_recording() {
    require_pulse!();
    let mut pulse = Pulse::start();
    let wav = pulse.path("lost.wav");
    let mut rec = pulse.record(&wav, Stdio::null());
    pulse.play(&fixtures().join("good.wav"));
    let shown = rec.wait_for_audio(2.0);
    pulse.kill_daemon();
    let (code, stdout, stderr) = rec.finish();
    assert_eq!(code, Some(2), "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("vmcoach: error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("went away"), "{stderr}");
    assert!(errors[0].contains(&wav.display().to_string()), "{stderr}");
    assert!(stdout.contains("Saved"), "{stdout}");
    let (secs, rms) = open_wav(&wav);
    // The display rounds to 0.1 s, so "t=2.0s" may stand for 1.95 s: the
    // saved file holds at least that much.
    assert!(secs >= shown - 0.05, "{secs} < {shown}");
    assert!(rms > 0.01);
}
