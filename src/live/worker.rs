//! The recording worker: everything the audio callback must not do.
//!
//! It pops mono samples at the device rate from the ring, resamples them to
//! 16 kHz (the lead's streaming `To16k`), runs the same DSP chain that
//! `score` uses (`dsp::SignalAnalyzer`: level, voice activity, pitch,
//! syllables), writes the 16 kHz samples to the checkpointing WAV writer,
//! refreshes the live view, and decides when to stop. The saved WAV is
//! therefore exactly the signal that was measured live, at the rate
//! Whisper and `score` want.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ringbuf::traits::{Consumer, Observer};
use ringbuf::HeapCons;

use crate::audio::capture::{CaptureCounters, LostReason};
use crate::audio::resample::{ResampleError, To16k};
use crate::audio::wav_writer::{CheckpointWavWriter, WavWriteError};
use crate::dsp::{DspConfig, LiveStatus, SignalAnalysis, SignalAnalyzer, SAMPLE_RATE};

use super::display::{LiveFigures, LiveView};
use super::meter::RawMeter;

/// Why the worker could not go on.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(transparent)]
    Resample(#[from] ResampleError),
    #[error(transparent)]
    Write(#[from] WavWriteError),
}

/// Why a recording ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// Enter was pressed.
    Enter,
    /// Ctrl-C (or SIGTERM).
    Interrupted,
    /// `--max-seconds` reached.
    TimeLimit,
    /// `--stop-on-silence` seconds of trailing silence.
    Silence,
    /// The device went away or stopped delivering audio.
    DeviceLost(String),
}

impl StopReason {
    /// A short stable name for JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            StopReason::Enter => "enter",
            StopReason::Interrupted => "interrupted",
            StopReason::TimeLimit => "time_limit",
            StopReason::Silence => "silence",
            StopReason::DeviceLost(_) => "device_lost",
        }
    }
}

/// Flags other threads raise to stop the recording.
#[derive(Debug, Default)]
pub struct StopFlags {
    pub enter: AtomicBool,
    pub interrupt: AtomicBool,
    /// Recording is over: a Ctrl-C now means "quit" (e.g. during scoring).
    pub done: AtomicBool,
}

/// When to stop and how often to report.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Device-rate mono frames to record at most.
    pub max_frames: u64,
    /// Stop after this much trailing silence, seconds (counted after the
    /// detector's hangover). `None`: never.
    pub stop_on_silence: Option<f64>,
    /// Live view refresh interval.
    pub refresh: Duration,
    /// No audio at all for this long means the device is gone.
    pub stall_timeout: Duration,
    /// Samples popped per step: 10 ms at the device rate.
    pub block_frames: usize,
}

impl WorkerConfig {
    pub fn new(device_rate: u32, max_seconds: f64, stop_on_silence: Option<f64>) -> Self {
        Self {
            max_frames: (max_seconds.max(0.0) * f64::from(device_rate)).round() as u64,
            stop_on_silence,
            // 60 Hz: the display adds at most 16 ms to the sound-to-meter delay.
            refresh: Duration::from_millis(16),
            stall_timeout: Duration::from_secs(3),
            block_frames: (device_rate as usize / 100).max(1),
        }
    }
}

/// The DSP and writing done on each block: resample, analyse, write.
/// Public so the bench measures exactly the worker's per-block work.
pub struct Pipeline {
    resampler: To16k,
    analyzer: SignalAnalyzer,
    writer: Option<CheckpointWavWriter>,
    write_error: Option<WavWriteError>,
    /// 16 kHz samples produced.
    produced: u64,
}

impl Pipeline {
    /// Allocates everything the per-block work needs.
    pub fn new(device_rate: u32, writer: Option<CheckpointWavWriter>) -> Result<Self, WorkerError> {
        Ok(Self {
            resampler: To16k::new(device_rate)?,
            analyzer: SignalAnalyzer::new(DspConfig::default()),
            writer,
            write_error: None,
            produced: 0,
        })
    }

    /// One block of device-rate mono samples.
    pub fn process(&mut self, block: &[f32]) -> Result<(), WorkerError> {
        let Self {
            resampler,
            analyzer,
            writer,
            write_error,
            produced,
        } = self;
        resampler.process(block, &mut |out| {
            emit(out, analyzer, writer, write_error, produced)
        })?;
        match self.write_error.take() {
            Some(e) => Err(e.into()),
            None => Ok(()),
        }
    }

    /// The live figures after the latest block.
    pub fn live(&self) -> LiveStatus {
        self.analyzer.live()
    }

    /// 16 kHz seconds produced so far.
    pub fn seconds(&self) -> f64 {
        self.produced as f64 / f64::from(SAMPLE_RATE)
    }

    /// Flush the resampler's tail, finalize the WAV and summarise.
    pub fn finish(&mut self) -> Result<SignalAnalysis, WorkerError> {
        let Self {
            resampler,
            analyzer,
            writer,
            write_error,
            produced,
        } = self;
        resampler.finish(&mut |out| emit(out, analyzer, writer, write_error, produced))?;
        if let Some(e) = self.write_error.take() {
            return Err(e.into());
        }
        if let Some(w) = self.writer.as_mut() {
            w.finalize()?;
        }
        Ok(self.analyzer.finish())
    }
}

fn emit(
    out: &[f32],
    analyzer: &mut SignalAnalyzer,
    writer: &mut Option<CheckpointWavWriter>,
    write_error: &mut Option<WavWriteError>,
    produced: &mut u64,
) {
    analyzer.process(out);
    *produced += out.len() as u64;
    if write_error.is_none() {
        if let Some(w) = writer.as_mut() {
            if let Err(e) = w.write(out) {
                *write_error = Some(e);
            }
        }
    }
}

/// What a finished recording reports.
#[derive(Debug)]
pub struct Outcome {
    pub reason: StopReason,
    /// Seconds saved (16 kHz samples written / 16000).
    pub seconds: f64,
    /// Device-rate frames taken from the ring.
    pub device_frames: u64,
    /// Ring-full events and the frames they lost.
    pub overruns: u64,
    pub frames_dropped: u64,
    /// Device-side xruns reported by the audio system.
    pub xruns: u64,
    pub stream_errors: u64,
    pub analysis: SignalAnalysis,
}

/// Run until a stop condition, then finish the file. The capture keeps
/// running while this works; `counters.stop` is raised before returning.
pub fn run(
    consumer: &mut HeapCons<f32>,
    counters: &Arc<CaptureCounters>,
    pipeline: &mut Pipeline,
    cfg: &WorkerConfig,
    flags: &StopFlags,
    view: &mut dyn LiveView,
) -> Result<Outcome, WorkerError> {
    let mut block = vec![0.0f32; cfg.block_frames.max(1)];
    let mut consumed: u64 = 0;
    let started = Instant::now();
    let mut last_data = started;
    let mut last_refresh: Option<Instant> = None;
    let mut silent_since: Option<f64> = Some(0.0);
    let mut meter = RawMeter::new();
    let reason = loop {
        let want = (cfg.max_frames.saturating_sub(consumed)).min(block.len() as u64) as usize;
        let n = if want > 0 {
            consumer.pop_slice(&mut block[..want])
        } else {
            0
        };
        if n > 0 {
            consumed += n as u64;
            last_data = Instant::now();
            meter.push(&block[..n]);
            pipeline.process(&block[..n])?;
        }
        let live = pipeline.live();
        if live.speaking {
            silent_since = None;
        } else if silent_since.is_none() {
            silent_since = Some(live.elapsed_s);
        }
        if last_refresh.is_none_or(|t| t.elapsed() >= cfg.refresh) {
            last_refresh = Some(Instant::now());
            view.update(&figures(&live, &mut meter, counters));
        }
        if flags.interrupt.load(Ordering::Relaxed) {
            break StopReason::Interrupted;
        }
        if flags.enter.load(Ordering::Relaxed) {
            break StopReason::Enter;
        }
        if consumed >= cfg.max_frames {
            break StopReason::TimeLimit;
        }
        if let (Some(limit), Some(since)) = (cfg.stop_on_silence, silent_since) {
            if live.elapsed_s - since >= limit {
                break StopReason::Silence;
            }
        }
        if counters.device_lost.load(Ordering::Acquire) && consumer.is_empty() {
            let why = LostReason::from_u8(counters.lost_reason.load(Ordering::Relaxed));
            break StopReason::DeviceLost(why.describe().to_string());
        }
        if n == 0 {
            if last_data.elapsed() >= cfg.stall_timeout {
                break StopReason::DeviceLost(format!(
                    "no audio from the device for {:.0} s",
                    cfg.stall_timeout.as_secs_f64()
                ));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    };
    counters.stop.store(true, Ordering::Release);
    // Enter and Ctrl-C keep what was already captured; the time limit and
    // silence stop exactly where they were decided.
    if matches!(reason, StopReason::Enter | StopReason::Interrupted) {
        loop {
            let want = (cfg.max_frames.saturating_sub(consumed)).min(block.len() as u64) as usize;
            let n = if want > 0 {
                consumer.pop_slice(&mut block[..want])
            } else {
                0
            };
            if n == 0 {
                break;
            }
            consumed += n as u64;
            meter.push(&block[..n]);
            pipeline.process(&block[..n])?;
        }
    }
    let final_live = pipeline.live();
    view.update(&figures(&final_live, &mut meter, counters));
    view.finish();
    let analysis = pipeline.finish()?;
    Ok(Outcome {
        reason,
        seconds: pipeline.seconds(),
        device_frames: consumed,
        overruns: counters.overruns.load(Ordering::Relaxed),
        frames_dropped: counters.frames_dropped.load(Ordering::Relaxed),
        xruns: counters.xruns.load(Ordering::Relaxed),
        stream_errors: counters.stream_errors.load(Ordering::Relaxed),
        analysis,
    })
}

fn figures(live: &LiveStatus, meter: &mut RawMeter, counters: &CaptureCounters) -> LiveFigures {
    let (level_db, clipping_now) = meter.take();
    LiveFigures {
        elapsed_s: live.elapsed_s,
        level_db,
        clipping_now,
        speaking: live.speaking,
        estimated_wpm: live.estimated_wpm,
        fillers: live.fillers,
        overruns: counters.overruns.load(Ordering::Relaxed)
            + counters.xruns.load(Ordering::Relaxed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::capture::{ring, CallbackSink};
    use crate::live::display::NoView;

    /// A 48 kHz tone burst through callback → ring → worker → WAV.
    fn tone(rate: u32, seconds: f64) -> Vec<f32> {
        let n = (seconds * f64::from(rate)) as usize;
        (0..n)
            .map(|i| {
                (2.0 * std::f64::consts::PI * 440.0 * i as f64 / f64::from(rate)).sin() as f32 * 0.3
            })
            .collect()
    }

    #[test]
    fn time_limit_gives_exact_length_and_valid_wav() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.wav");
        let rate = 48_000;
        let (p, mut c) = ring(rate as usize * 3);
        let counters = Arc::new(CaptureCounters::default());
        let cfg = WorkerConfig::new(rate, 1.5, None);
        let mut sink = CallbackSink::new(p, 1, cfg.max_frames, counters.clone());
        let x = tone(rate, 2.0);
        for chunk in x.chunks(480) {
            sink.on_block::<f32>(chunk);
        }
        let w =
            CheckpointWavWriter::create(&path, SAMPLE_RATE, Duration::from_millis(500)).unwrap();
        let mut pipe = Pipeline::new(rate, Some(w)).unwrap();
        let flags = StopFlags::default();
        let out = run(&mut c, &counters, &mut pipe, &cfg, &flags, &mut NoView).unwrap();
        assert_eq!(out.reason, StopReason::TimeLimit);
        assert_eq!(out.device_frames, 72_000);
        assert_eq!(out.overruns, 0);
        let r = hound::WavReader::open(&path).unwrap();
        assert_eq!(r.spec().sample_rate, 16_000);
        assert_eq!(r.duration(), 24_000);
    }

    #[test]
    fn silence_stops_after_the_set_time() {
        let rate = 16_000;
        let (p, mut c) = ring(rate as usize * 10);
        let counters = Arc::new(CaptureCounters::default());
        let cfg = WorkerConfig::new(rate, 10.0, Some(1.0));
        let mut sink = CallbackSink::new(p, 1, cfg.max_frames, counters.clone());
        sink.on_block::<f32>(&vec![0.0; rate as usize * 10]);
        let mut pipe = Pipeline::new(rate, None).unwrap();
        let out = run(
            &mut c,
            &counters,
            &mut pipe,
            &cfg,
            &StopFlags::default(),
            &mut NoView,
        )
        .unwrap();
        assert_eq!(out.reason, StopReason::Silence);
        assert!((out.seconds - 1.0).abs() < 0.1, "{}", out.seconds);
    }

    #[test]
    fn a_silent_ring_without_data_is_a_lost_device() {
        let rate = 16_000;
        let (_p, mut c) = ring(1000);
        let counters = Arc::new(CaptureCounters::default());
        let mut cfg = WorkerConfig::new(rate, 10.0, None);
        cfg.stall_timeout = Duration::from_millis(50);
        let mut pipe = Pipeline::new(rate, None).unwrap();
        let out = run(
            &mut c,
            &counters,
            &mut pipe,
            &cfg,
            &StopFlags::default(),
            &mut NoView,
        )
        .unwrap();
        assert!(
            matches!(out.reason, StopReason::DeviceLost(_)),
            "{:?}",
            out.reason
        );
    }
}
