//! `vmcoach record` and `vmcoach devices`.
//!
//! `record` opens the input device (cpal, ALSA host, the device's own rate
//! and sample format), creates the output WAV (so a bad path fails before
//! any audio is captured), shows a short countdown, then hands the ring to
//! the worker (`live::worker`) until Enter, Ctrl-C, the time limit, trailing
//! silence or the device going away. The WAV is 16 kHz mono 16-bit: the
//! signal the live DSP measured, and what `score` and Whisper read.

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use super::output::{Emitter, OutputArgs};
use super::score::{self as score_cmd, FailOn};
use super::settings::{RuleSettingsArgs, WordArgs};
use super::ExitStatus;
use crate::audio::capture::{self, Capture, CaptureOptions, DeviceInfo};
use crate::audio::wav_writer::CheckpointWavWriter;
use crate::audio::AudioLimits;
use crate::dsp::SAMPLE_RATE;
use crate::live::display::{LiveDisplay, LiveView, NoView, DEFAULT_MAX_SECONDS};
use crate::live::worker::{self, Outcome, Pipeline, StopFlags, StopReason, WorkerConfig};
use crate::pipeline::{ScoreOptions, WordSource};

/// Version of the `record --json --no-score` and `devices --json` documents.
///
/// `devices --json`: `{schema_version, devices: [{name, description,
/// default_rate, channels, sample_format, is_default}]}`; `name` is what
/// `--device` takes.
///
/// `record --json --no-score`: `{schema_version, path, seconds, sample_rate
/// (16000), stopped_by ("enter" | "interrupted" | "time_limit" | "silence" |
/// "device_lost"), device: {name, rate, channels, sample_format,
/// period_frames}, device_frames, overruns (ring-full events),
/// frames_dropped, xruns (device-side), stream_errors, speaking_seconds,
/// speech: {start, end} | null, estimated_wpm | null}`. Without
/// `--no-score`, stdout carries the `vmcoach score --json` report instead
/// and these facts are summarised on stderr.
pub const RECORD_SCHEMA_VERSION: u32 = 1;

/// How often the WAV header is brought up to date while recording.
const CHECKPOINT: Duration = Duration::from_millis(500);
/// The ring holds the whole take, up to this much audio (11.5 MB at
/// 48 kHz). A paced microphone needs far less, but a ring this size means
/// a stall of the disk or terminal shorter than the take loses nothing, and
/// an unpaced source (ALSA's `file` PCM in the tests, which delivers a take
/// in milliseconds) fits whole.
const RING_CAP_SECONDS: f64 = 60.0;

/// Record a practice voicemail from the microphone and score it.
///
/// A 3-2-1 countdown, then speak: a live line shows the time, your level
/// and pace. Press Enter to stop (or Ctrl-C; either way the take is kept),
/// or let --max-seconds or --stop-on-silence stop it. The take is saved
/// as a 16 kHz WAV, scored as `vmcoach score` would, and logged in your
/// practice history. An existing file is never overwritten: the take goes
/// to the next free name (take-2.wav, take-3.wav, …) unless --force.
///
/// Examples:
///   vmcoach record                         # speak, press Enter to stop
///   vmcoach record -o take.wav             # take.wav, then take-2.wav, …
///   vmcoach record --stop-on-silence 2     # stops 2 s after you finish
///   vmcoach record --max-seconds 20 --prospect "Sarah Lee"
///   vmcoach record --no-score -o take.wav  # just record; Ctrl-C stops too
///   vmcoach history                        # how your takes are going
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct RecordArgs {
    /// Input device: its ALSA name or description, as `vmcoach devices`
    /// lists them. Default: the system's default input.
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,

    /// Where to save the recording (16 kHz mono WAV). Default:
    /// `vmcoach-YYYYMMDD-HHMMSS.wav` in the current folder. If the file
    /// exists, the take goes to the next free numbered name (take-2.wav).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Overwrite the --out file if it exists.
    #[arg(long)]
    pub force: bool,

    /// Stop after this many seconds of audio.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_MAX_SECONDS)]
    pub max_seconds: f64,

    /// Stop after this many seconds of silence (after the last speech, or
    /// from the start if nobody speaks).
    #[arg(long, value_name = "SECS")]
    pub stop_on_silence: Option<f64>,

    /// Start recording at once, without the 3-2-1 countdown.
    #[arg(long)]
    pub no_countdown: bool,

    /// Print the result as one JSON document on stdout: the `vmcoach score
    /// --json` report, or with --no-score the recording's own facts.
    #[arg(long)]
    pub json: bool,

    /// Only record: don't transcribe and score the take afterwards.
    #[arg(long)]
    pub no_score: bool,

    /// Don't log this take in the practice history (`vmcoach history`).
    #[arg(long)]
    pub no_history: bool,

    /// Scoring: where the words come from (as for `vmcoach score`).
    #[command(flatten)]
    pub words: WordArgs,

    #[command(flatten)]
    pub settings: RuleSettingsArgs,
}

#[derive(Debug, clap::Args)]
pub struct DevicesArgs {
    /// Print the devices as one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run_devices(args: DevicesArgs) -> anyhow::Result<ExitStatus> {
    let devices = capture::list_input_devices()?;
    if args.json {
        let doc = serde_json::json!({
            "schema_version": RECORD_SCHEMA_VERSION,
            "devices": devices,
        });
        writeln!(
            std::io::stdout().lock(),
            "{}",
            serde_json::to_string_pretty(&doc)?
        )?;
        return Ok(ExitStatus::Success);
    }
    if devices.is_empty() {
        anyhow::bail!("no input devices found: connect a microphone, or check that ALSA can see one (`arecord -L`)");
    }
    write!(std::io::stdout().lock(), "{}", devices_table(&devices))?;
    Ok(ExitStatus::Success)
}

fn devices_table(devices: &[DeviceInfo]) -> String {
    let width = devices
        .iter()
        .map(|d| d.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!(
        "  {:<width$}  {:>7}  {:>2}  {:<6}  DESCRIPTION\n",
        "NAME", "RATE", "CH", "FORMAT"
    );
    for d in devices {
        out.push_str(&format!(
            "{} {:<width$}  {:>7}  {:>2}  {:<6}  {}\n",
            if d.is_default { "*" } else { " " },
            d.name,
            d.default_rate,
            d.channels,
            d.sample_format,
            d.description
        ));
    }
    if devices.iter().any(|d| d.is_default) {
        out.push_str("(* = used when --device is not given)\n");
    }
    out
}

fn validate(args: &RecordArgs) -> anyhow::Result<()> {
    if !(args.max_seconds.is_finite() && args.max_seconds > 0.0 && args.max_seconds <= 3600.0) {
        anyhow::bail!(
            "--max-seconds must be between 0 and 3600, got {}",
            args.max_seconds
        );
    }
    if let Some(s) = args.stop_on_silence {
        if !(s.is_finite() && s > 0.0) {
            anyhow::bail!("--stop-on-silence must be a positive number of seconds, got {s}");
        }
    }
    Ok(())
}

pub fn run(args: RecordArgs) -> anyhow::Result<ExitStatus> {
    validate(&args)?;
    // How the take will be scored, settled before any audio is captured:
    // a bad flag or vmcoach.toml fails now, not after the rep has spoken.
    let scoring = if args.no_score {
        None
    } else {
        let opts = score_cmd::score_options(&args.settings, AudioLimits::default())?;
        let emitter = OutputArgs::json(args.json).emitter(false)?;
        Some((opts, preload(args.words.source()), emitter))
    };
    let out = match args.out.clone() {
        Some(p) if args.force => p,
        Some(p) => {
            let free = free_name(&p);
            if free != p {
                eprintln!(
                    "vmcoach: {} exists; this take goes to {} (--force overwrites)",
                    p.display(),
                    free.display()
                );
            }
            free
        }
        None => free_name(&default_out_path()),
    };
    let opts = CaptureOptions {
        device: args.device.clone(),
        max_seconds: args.max_seconds,
        ring_seconds: (args.max_seconds + 1.0).min(RING_CAP_SECONDS),
    };
    let (mut capture, mut consumer) = Capture::open(&opts)?;
    // Before any audio flows: the output must be writable.
    let writer = CheckpointWavWriter::create(&out, SAMPLE_RATE, CHECKPOINT)?;
    let mut pipeline = Pipeline::new(capture.rate, Some(writer))?;

    let flags = Arc::new(StopFlags::default());
    install_stop_handlers(&flags);

    let tty = std::io::stderr().is_terminal();
    let mut display = LiveDisplay::new(tty).with_max_seconds(args.max_seconds);
    if !args.no_countdown {
        display.countdown(3);
    }
    if flags.interrupt.load(Ordering::Relaxed) {
        // Interrupted during the countdown: leave an empty, valid file.
        drop(capture);
        pipeline.finish()?;
        anyhow::bail!(
            "interrupted before recording started; {} is empty",
            out.display()
        );
    }
    eprintln!(
        "vmcoach: recording from \"{}\" ({} Hz, {} ch, {}) to {}; press Enter to stop",
        capture.device,
        capture.rate,
        capture.channels,
        capture.sample_format,
        out.display()
    );
    // Enter pressed during the countdown does not end the take at once.
    flags.enter.store(false, Ordering::Relaxed);
    capture.play()?;

    let cfg = WorkerConfig::new(capture.rate, args.max_seconds, args.stop_on_silence);
    let view: &mut dyn LiveView = if args.json && !tty {
        &mut NoView
    } else {
        &mut display
    };
    let result = worker::run(
        &mut consumer,
        &capture.counters,
        &mut pipeline,
        &cfg,
        &flags,
        view,
    );
    match &result {
        Ok(o) if matches!(o.reason, StopReason::DeviceLost(_)) => capture.abandon(),
        _ => capture.stop(),
    }
    flags.done.store(true, Ordering::Relaxed);
    let outcome = result.with_context(|| format!("recording to {}", out.display()))?;
    let status = report(&args, &capture, &out, &outcome)?;
    if status != ExitStatus::Error && outcome.analysis.speech.is_none() {
        // Silence is not a take to score: say what to check instead.
        anyhow::bail!(
            "{NO_SPEECH}; the {:.1} s recording is saved in {}",
            outcome.seconds,
            out.display()
        );
    }
    match scoring {
        Some((opts, words, mut emitter)) if status != ExitStatus::Error => {
            let mut words = words.join().unwrap_or_else(|_| args.words.source());
            score(&out, &opts, &mut words, &mut emitter, args.no_history).with_context(|| {
                format!(
                    "the recording is saved in {}, but scoring it failed",
                    out.display()
                )
            })
        }
        _ => Ok(status),
    }
}

/// Load the Whisper model on its own thread while the rep counts down and
/// speaks, so the report comes that much sooner after the take (the load is
/// about 0.2 s for tiny.en). A failed load is left for scoring to try again
/// and report; a transcript file has nothing to load.
fn preload(mut words: WordSource) -> std::thread::JoinHandle<WordSource> {
    std::thread::spawn(move || {
        if let WordSource::Whisper(model) = &mut words {
            let _ = model.load();
        }
        words
    })
}

/// Score the saved take as `vmcoach score` scores a file.
fn score(
    out: &Path,
    opts: &ScoreOptions,
    words: &mut WordSource,
    emitter: &mut Emitter,
    no_history: bool,
) -> anyhow::Result<ExitStatus> {
    let show_progress = std::io::stderr().is_terminal();
    let report = score_cmd::score_one(out, opts, words, show_progress)?;
    score_cmd::log_take(&mut score_cmd::open_history(no_history), out, &report);
    emitter.report(&out.display().to_string(), &report)?;
    Ok(FailOn::Error.status(report.worst_severity()))
}

fn report(
    args: &RecordArgs,
    capture: &Capture,
    out: &Path,
    o: &Outcome,
) -> anyhow::Result<ExitStatus> {
    let status = match &o.reason {
        StopReason::DeviceLost(why) => {
            eprintln!(
                "vmcoach: error: the input device \"{}\" went away ({why}); the {:.1} s recorded so far are saved in {}",
                capture.device,
                o.seconds,
                out.display()
            );
            ExitStatus::Error
        }
        _ => ExitStatus::Success,
    };
    if o.overruns > 0 || o.xruns > 0 {
        eprintln!(
            "vmcoach: warning: audio was lost: {} ring overruns ({} samples), {} device xruns",
            o.overruns, o.frames_dropped, o.xruns
        );
    }
    let a = &o.analysis;
    let scoring = !args.no_score && status != ExitStatus::Error && a.speech.is_some();
    if scoring {
        // stdout belongs to the score report; the recording's facts go to stderr.
        eprintln!(
            "vmcoach: saved {:.1} s to {} (stopped by {}; overruns: {} ring, {} device); scoring…",
            o.seconds,
            out.display(),
            describe_stop(&o.reason),
            o.overruns,
            o.xruns
        );
    } else if args.json {
        let doc = serde_json::json!({
            "schema_version": RECORD_SCHEMA_VERSION,
            "path": out.display().to_string(),
            "seconds": o.seconds,
            "sample_rate": SAMPLE_RATE,
            "stopped_by": o.reason.as_str(),
            "device": {
                "name": capture.device,
                "rate": capture.rate,
                "channels": capture.channels,
                "sample_format": capture.sample_format.to_string(),
                "period_frames": capture.period_frames,
            },
            "device_frames": o.device_frames,
            "overruns": o.overruns,
            "frames_dropped": o.frames_dropped,
            "xruns": o.xruns,
            "stream_errors": o.stream_errors,
            "speaking_seconds": a.speaking_time,
            "speech": a.speech.map(|s| serde_json::json!({"start": s.start, "end": s.end})),
            "estimated_wpm": a.prosody.rate.estimated_wpm,
        });
        let mut doc = doc;
        if a.speech.is_none() {
            doc["error"] = NO_SPEECH.into();
        }
        writeln!(
            std::io::stdout().lock(),
            "{}",
            serde_json::to_string_pretty(&doc)?
        )?;
    } else {
        let mut text = format!(
            "Saved {:.1} s to {} (stopped by {}).\n",
            o.seconds,
            out.display(),
            describe_stop(&o.reason)
        );
        match a.speech {
            Some(s) => text.push_str(&format!(
                "Speech from {:.1} s to {:.1} s, {:.1} s speaking{}.\n",
                s.start,
                s.end,
                a.speaking_time,
                a.prosody
                    .rate
                    .estimated_wpm
                    .map_or_else(String::new, |w| format!(", about {w:.0} words per minute"))
            )),
            None => text.push_str(&format!("{NO_SPEECH}.\n")),
        }
        text.push_str(&format!(
            "Overruns: {} (ring), {} (device).",
            o.overruns, o.xruns
        ));
        if a.speech.is_some() {
            text.push_str(&format!(" Score it with: vmcoach score {}", out.display()));
        }
        text.push('\n');
        std::io::stdout().lock().write_all(text.as_bytes())?;
    }
    Ok(status)
}

fn describe_stop(r: &StopReason) -> &'static str {
    match r {
        StopReason::Enter => "Enter",
        StopReason::Interrupted => "Ctrl-C",
        StopReason::TimeLimit => "the time limit",
        StopReason::Silence => "trailing silence",
        StopReason::DeviceLost(_) => "the device going away",
    }
}

/// Ctrl-C/SIGTERM and Enter only raise flags; the worker acts on them.
fn install_stop_handlers(flags: &Arc<StopFlags>) {
    let f = flags.clone();
    // Fails only if a handler is already set (a second `run` in one
    // process); the first one still stops the recording.
    let _ = ctrlc::set_handler(move || {
        if f.done.load(Ordering::Relaxed) {
            // The take is saved; Ctrl-C while scoring quits as usual.
            std::process::exit(130);
        }
        f.interrupt.store(true, Ordering::Relaxed);
    });
    let f = flags.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        // EOF (stdin is /dev/null) is not a request to stop.
        while let Ok(n) = std::io::stdin().read_line(&mut line) {
            if n == 0 {
                break;
            }
            f.enter.store(true, Ordering::Relaxed);
            line.clear();
        }
    });
}

/// What a take with no speech in it gets instead of a score.
const NO_SPEECH: &str = "No speech found — check the microphone";

/// `path` if nothing is there, else the first free `stem-2.ext`, `stem-3.ext`, …
fn free_name(path: &Path) -> PathBuf {
    // A folder is not a take: creating the WAV there fails with its own message.
    if !path.exists() || path.is_dir() {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "take".into());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (2u32..)
        .map(|n| path.with_file_name(format!("{stem}-{n}{ext}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.to_path_buf())
}

fn default_out_path() -> PathBuf {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let t = secs % 86_400;
    PathBuf::from(format!(
        "vmcoach-{y:04}{m:02}{d:02}-{:02}{:02}{:02}.wav",
        t / 3600,
        (t / 60) % 60,
        t % 60
    ))
}

/// Days since 1970-01-01 to a (year, month, day) date, UTC (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_take_never_overwrites_another() {
        let dir = tempfile::tempdir().unwrap();
        let take = dir.path().join("take.wav");
        assert_eq!(free_name(&take), take);
        std::fs::write(&take, b"x").unwrap();
        assert_eq!(free_name(&take), dir.path().join("take-2.wav"));
        std::fs::write(dir.path().join("take-2.wav"), b"x").unwrap();
        assert_eq!(free_name(&take), dir.path().join("take-3.wav"));
        let bare = dir.path().join("noext");
        std::fs::write(&bare, b"x").unwrap();
        assert_eq!(free_name(&bare), dir.path().join("noext-2"));
        assert_eq!(free_name(dir.path()), dir.path());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_415), (2025, 11, 23));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
