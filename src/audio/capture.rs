//! Capturing from an input device with cpal (ALSA host), real-time safe.
//!
//! The device runs at its own rate and sample format. Its callback does the
//! least it can: convert each frame to f32, average the channels into a
//! scratch buffer allocated before the stream starts, and push the mono
//! samples into a lock-free single-producer single-consumer ring
//! (`ringbuf`). No allocation, no lock, no I/O, no logging happens there:
//! anything worth reporting (a full ring, an xrun, a stream error, a
//! vanished device) only bumps an atomic that the worker reads.
//!
//! The consumer half of the ring goes to a worker thread (see
//! `live::worker`), which resamples, measures and writes the WAV.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, Sample, SampleFormat, SizedSample};
use ringbuf::traits::{Producer, Split};
use ringbuf::{HeapCons, HeapProd, HeapRb};

/// Frames the callback converts per pass over its scratch buffer. Larger
/// callbacks are handled in several passes, so no period size is too big.
pub const SCRATCH_FRAMES: usize = 4096;

/// Why capture could not start.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("no audio system: ALSA is not available ({reason})")]
    HostUnavailable { reason: String },
    #[error("cannot list audio devices: {reason}")]
    Enumerate { reason: String },
    #[error(
        "no input device named \"{name}\"; available inputs: {available} (see `vmcoach devices`)"
    )]
    DeviceNotFound { name: String, available: String },
    #[error("no usable input device{detail}: connect a microphone, or pick one with --device (see `vmcoach devices`)")]
    NoInputDevice { detail: String },
    #[error("input device \"{device}\" cannot capture: {reason}")]
    Config { device: String, reason: String },
    #[error("input device \"{device}\" delivers {format} samples, which vmcoach cannot read")]
    UnsupportedFormat { device: String, format: String },
    #[error("cannot open input device \"{device}\": {reason}")]
    Open { device: String, reason: String },
    #[error("cannot start input device \"{device}\": {reason}")]
    Start { device: String, reason: String },
}

/// One input device, as `vmcoach devices` shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeviceInfo {
    /// What `--device` takes (the ALSA PCM name).
    pub name: String,
    /// Human-readable description, when the system gives one.
    pub description: String,
    /// The rate and layout vmcoach would record at.
    pub default_rate: u32,
    pub channels: u16,
    pub sample_format: String,
    /// Whether this is what `vmcoach record` uses without `--device`.
    pub is_default: bool,
}

/// The ALSA PCM that cpal opens when no device is named.
pub const DEFAULT_DEVICE: &str = "default";

fn host() -> Result<cpal::Host, CaptureError> {
    cpal::host_from_id(cpal::HostId::Alsa).map_err(|e| CaptureError::HostUnavailable {
        reason: e.to_string(),
    })
}

fn device_name(device: &cpal::Device) -> String {
    device
        .id()
        .map(|id| id.id().to_string())
        .unwrap_or_else(|_| "?".to_string())
}

fn device_description(device: &cpal::Device) -> String {
    device
        .description()
        .map(|d| d.extended().collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}

/// Every device that can capture and has a usable default configuration.
/// Opening is the only way ALSA tells whether a PCM captures, so devices
/// that fail to open for capture are left out.
pub fn list_input_devices() -> Result<Vec<DeviceInfo>, CaptureError> {
    let _quiet = QuietStderr::new();
    let host = host()?;
    let devices = host.devices().map_err(|e| CaptureError::Enumerate {
        reason: e.to_string(),
    })?;
    let mut out: Vec<DeviceInfo> = Vec::new();
    let mut candidates: Vec<cpal::Device> = Vec::new();
    if let Some(d) = host.default_input_device() {
        candidates.push(d);
    }
    candidates.extend(devices.filter(|d| d.supports_input()));
    for device in candidates {
        let name = device_name(&device);
        if out.iter().any(|d| d.name == name) {
            continue;
        }
        let Ok(config) = device.default_input_config() else {
            continue;
        };
        out.push(DeviceInfo {
            is_default: name == DEFAULT_DEVICE,
            description: device_description(&device),
            name,
            default_rate: config.sample_rate(),
            channels: config.channels(),
            sample_format: config.sample_format().to_string(),
        });
    }
    Ok(out)
}

fn find_device(host: &cpal::Host, wanted: Option<&str>) -> Result<cpal::Device, CaptureError> {
    let Some(wanted) = wanted else {
        return host
            .default_input_device()
            .ok_or_else(|| CaptureError::NoInputDevice {
                detail: String::new(),
            });
    };
    if wanted == DEFAULT_DEVICE {
        if let Some(d) = host.default_input_device() {
            return Ok(d);
        }
    }
    let devices: Vec<cpal::Device> = host
        .devices()
        .map_err(|e| CaptureError::Enumerate {
            reason: e.to_string(),
        })?
        .filter(|d| d.supports_input())
        .collect();
    // The PCM name first (exact), then the description's first line.
    if let Some(d) = devices.iter().find(|d| device_name(d) == wanted) {
        return Ok(d.clone());
    }
    if let Some(d) = devices.iter().find(|d| {
        d.description()
            .map(|desc| desc.name().eq_ignore_ascii_case(wanted))
            .unwrap_or(false)
    }) {
        return Ok(d.clone());
    }
    // Only devices that really open for capture are worth suggesting.
    let names: Vec<String> = list_input_devices()
        .map(|l| l.into_iter().map(|d| d.name).collect())
        .unwrap_or_default();
    let available = if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    };
    Err(CaptureError::DeviceNotFound {
        name: wanted.to_string(),
        available,
    })
}

/// While alive, file descriptor 2 points at /dev/null.
///
/// alsa-lib, and the JACK and OSS libraries some of its plugins load, print
/// their own diagnostics on stderr while devices are probed ("cannot find
/// card '0'", "jack server is not running"): dozens of lines that bury
/// vmcoach's one-line answer. Probing is silenced; vmcoach reports what
/// failed itself. `VMCOACH_AUDIO_DEBUG=1` keeps the libraries' output.
struct QuietStderr {
    saved: Option<libc::c_int>,
}

impl QuietStderr {
    fn new() -> Self {
        if std::env::var_os("VMCOACH_AUDIO_DEBUG").is_some_and(|v| v != "0") {
            return Self { saved: None };
        }
        // SAFETY: plain POSIX calls on descriptors this function owns or
        // on fd 2; every result is checked before use.
        unsafe {
            let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
            if null < 0 {
                return Self { saved: None };
            }
            let saved = libc::dup(2);
            if saved < 0 || libc::dup2(null, 2) < 0 {
                libc::close(null);
                if saved >= 0 {
                    libc::close(saved);
                }
                return Self { saved: None };
            }
            libc::close(null);
            Self { saved: Some(saved) }
        }
    }
}

impl Drop for QuietStderr {
    fn drop(&mut self) {
        if let Some(saved) = self.saved.take() {
            // SAFETY: `saved` is a descriptor we duplicated from fd 2.
            unsafe {
                libc::dup2(saved, 2);
                libc::close(saved);
            }
        }
    }
}

/// Counters shared by the audio callback (writer) and the worker (reader).
/// Only atomics: the callback may touch nothing else.
#[derive(Debug, Default)]
pub struct CaptureCounters {
    /// Mono frames delivered by the device and accepted into the ring.
    pub frames_pushed: AtomicU64,
    /// Mono frames lost because the ring was full (our overruns).
    pub frames_dropped: AtomicU64,
    /// Times the ring was found full (overrun events).
    pub overruns: AtomicU64,
    /// Callbacks run.
    pub callbacks: AtomicU64,
    /// Device-side over/underruns (ALSA xruns) reported by cpal.
    pub xruns: AtomicU64,
    /// Other stream errors reported by cpal.
    pub stream_errors: AtomicU64,
    /// The device went away or the stream can no longer run.
    pub device_lost: AtomicBool,
    /// Kind of the last fatal stream error (see [`LostReason`]).
    pub lost_reason: AtomicU8,
    /// Set by the worker: the callback drops everything from now on.
    pub stop: AtomicBool,
    /// Set by the callback once `max_frames` have been pushed.
    pub limit_reached: AtomicBool,
}

/// Why the device was declared lost (stored as a `u8` in an atomic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LostReason {
    Unknown = 0,
    Disconnected = 1,
    Invalidated = 2,
    Backend = 3,
}

impl LostReason {
    pub fn from_u8(v: u8) -> Self {
        match v {
            1 => LostReason::Disconnected,
            2 => LostReason::Invalidated,
            3 => LostReason::Backend,
            _ => LostReason::Unknown,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            LostReason::Disconnected => "the device was disconnected",
            LostReason::Invalidated => "the stream was invalidated",
            LostReason::Backend => "the audio system reported an error",
            LostReason::Unknown => "the device stopped delivering audio",
        }
    }
}

impl CaptureCounters {
    /// What the error callback does with a cpal error: count it, and flag
    /// the device as lost when the stream cannot go on. Nothing else (it
    /// may run on the audio thread).
    pub fn on_stream_error(&self, kind: cpal::ErrorKind) {
        use cpal::ErrorKind as K;
        match kind {
            K::Xrun => {
                self.xruns.fetch_add(1, Ordering::Relaxed);
            }
            // Not fatal: audio still flows.
            K::RealtimeDenied | K::DeviceChanged => {}
            K::DeviceNotAvailable => self.lose(LostReason::Disconnected),
            K::StreamInvalidated => self.lose(LostReason::Invalidated),
            _ => {
                self.stream_errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    fn lose(&self, reason: LostReason) {
        self.stream_errors.fetch_add(1, Ordering::Relaxed);
        self.lost_reason.store(reason as u8, Ordering::Relaxed);
        self.device_lost.store(true, Ordering::Release);
    }
}

/// The callback's state: the ring's producer half, a scratch buffer, and
/// the counters. Public so benches can run the exact callback work.
pub struct CallbackSink {
    producer: HeapProd<f32>,
    scratch: Box<[f32]>,
    channels: usize,
    max_frames: u64,
    pushed: u64,
    counters: Arc<CaptureCounters>,
}

impl CallbackSink {
    /// `max_frames`: accept at most this many mono frames in all (the
    /// recording's time limit); later audio is dropped without counting as
    /// an overrun. Allocates the scratch buffer.
    pub fn new(
        producer: HeapProd<f32>,
        channels: u16,
        max_frames: u64,
        counters: Arc<CaptureCounters>,
    ) -> Self {
        Self {
            producer,
            scratch: vec![0.0; SCRATCH_FRAMES].into_boxed_slice(),
            channels: usize::from(channels.max(1)),
            max_frames,
            pushed: 0,
            counters,
        }
    }

    /// The callback's work on one interleaved block: convert, downmix,
    /// push. Never allocates, locks or blocks.
    #[inline]
    pub fn on_block<T>(&mut self, data: &[T])
    where
        T: SizedSample,
        f32: FromSample<T>,
    {
        self.counters.callbacks.fetch_add(1, Ordering::Relaxed);
        if self.counters.stop.load(Ordering::Relaxed) {
            return;
        }
        let ch = self.channels;
        let gain = 1.0 / ch as f32;
        for frames in data.chunks(SCRATCH_FRAMES * ch) {
            let room = self.max_frames.saturating_sub(self.pushed);
            if room == 0 {
                self.counters.limit_reached.store(true, Ordering::Release);
                return;
            }
            let n = (frames.len() / ch).min(usize::try_from(room).unwrap_or(usize::MAX));
            for (out, frame) in self.scratch.iter_mut().zip(frames.chunks_exact(ch)).take(n) {
                let mut sum = 0.0f32;
                for &s in frame {
                    sum += f32::from_sample(s);
                }
                *out = sum * gain;
            }
            let accepted = self.producer.push_slice(&self.scratch[..n]);
            self.pushed += accepted as u64;
            self.counters
                .frames_pushed
                .fetch_add(accepted as u64, Ordering::Relaxed);
            if self.pushed >= self.max_frames {
                self.counters.limit_reached.store(true, Ordering::Release);
            }
            if accepted < n {
                self.counters.overruns.fetch_add(1, Ordering::Relaxed);
                self.counters
                    .frames_dropped
                    .fetch_add((n - accepted) as u64, Ordering::Relaxed);
            }
        }
    }
}

/// Make the ring: `capacity` mono samples.
pub fn ring(capacity: usize) -> (HeapProd<f32>, HeapCons<f32>) {
    HeapRb::<f32>::new(capacity.max(1)).split()
}

/// What to capture and how much.
#[derive(Debug, Clone)]
pub struct CaptureOptions {
    /// `None`: the system's default input.
    pub device: Option<String>,
    /// The recording's length limit, in seconds of audio.
    pub max_seconds: f64,
    /// The ring's size in seconds of audio at the device rate.
    pub ring_seconds: f64,
}

/// A running (or ready) input stream and what the worker needs to read it.
pub struct Capture {
    stream: Option<cpal::Stream>,
    pub device: String,
    pub rate: u32,
    pub channels: u16,
    pub sample_format: SampleFormat,
    pub counters: Arc<CaptureCounters>,
    /// The ring's capacity in mono samples.
    pub ring_capacity: usize,
    /// Frames the device hands over per callback, when it says.
    pub period_frames: Option<u32>,
}

impl Capture {
    /// Open the device and build the stream (paused) with its default
    /// configuration. Returns the consumer half of the ring for the worker.
    pub fn open(opts: &CaptureOptions) -> Result<(Capture, HeapCons<f32>), CaptureError> {
        let _quiet = QuietStderr::new();
        let host = host()?;
        let device = find_device(&host, opts.device.as_deref())?;
        let name = device_name(&device);
        let config = device.default_input_config().map_err(|e| {
            if opts.device.is_none() {
                CaptureError::NoInputDevice {
                    detail: format!(" (the system's default input cannot capture: {e})"),
                }
            } else {
                CaptureError::Config {
                    device: name.clone(),
                    reason: e.to_string(),
                }
            }
        })?;
        let rate = config.sample_rate();
        let channels = config.channels();
        let format = config.sample_format();
        if rate == 0 || channels == 0 {
            return Err(CaptureError::Config {
                device: name,
                reason: format!("it reports {rate} Hz with {channels} channels"),
            });
        }
        let max_frames = (opts.max_seconds.max(0.0) * f64::from(rate)).round() as u64;
        let ring_capacity = (opts.ring_seconds.max(0.1) * f64::from(rate)).round() as usize;
        let (producer, consumer) = ring(ring_capacity);
        let counters = Arc::new(CaptureCounters::default());
        let sink = CallbackSink::new(producer, channels, max_frames, counters.clone());
        let stream_config: cpal::StreamConfig = config.config();
        let stream = match format {
            SampleFormat::I8 => build::<i8>(&device, &stream_config, sink, &counters),
            SampleFormat::I16 => build::<i16>(&device, &stream_config, sink, &counters),
            SampleFormat::I24 => build::<cpal::I24>(&device, &stream_config, sink, &counters),
            SampleFormat::I32 => build::<i32>(&device, &stream_config, sink, &counters),
            SampleFormat::U8 => build::<u8>(&device, &stream_config, sink, &counters),
            SampleFormat::U16 => build::<u16>(&device, &stream_config, sink, &counters),
            SampleFormat::U32 => build::<u32>(&device, &stream_config, sink, &counters),
            SampleFormat::F32 => build::<f32>(&device, &stream_config, sink, &counters),
            SampleFormat::F64 => build::<f64>(&device, &stream_config, sink, &counters),
            other => {
                return Err(CaptureError::UnsupportedFormat {
                    device: name,
                    format: other.to_string(),
                })
            }
        }
        .map_err(|e| CaptureError::Open {
            device: name.clone(),
            reason: e.to_string(),
        })?;
        let period_frames = stream.buffer_size().ok();
        Ok((
            Capture {
                period_frames,
                stream: Some(stream),
                device: name,
                rate,
                channels,
                sample_format: format,
                counters,
                ring_capacity,
            },
            consumer,
        ))
    }

    /// Start delivering audio (cpal streams start paused).
    pub fn play(&self) -> Result<(), CaptureError> {
        let _quiet = QuietStderr::new();
        match &self.stream {
            Some(s) => s.play().map_err(|e| CaptureError::Start {
                device: self.device.clone(),
                reason: e.to_string(),
            }),
            None => Err(CaptureError::Start {
                device: self.device.clone(),
                reason: "the stream is already closed".into(),
            }),
        }
    }

    /// Stop the callback without closing the device: for a device that is
    /// gone. Closing joins cpal's audio thread, and a thread wedged inside
    /// the audio library (seen: ALSA's PulseAudio plugin after the server
    /// died, blocked on its own mutex) would hang vmcoach forever; the
    /// thread ends with the process instead.
    pub fn abandon(&mut self) {
        self.counters.stop.store(true, Ordering::Release);
        if let Some(stream) = self.stream.take() {
            std::mem::forget(stream);
        }
    }

    /// Stop the callback and close the device. Idempotent.
    pub fn stop(&mut self) {
        self.counters.stop.store(true, Ordering::Release);
        // Dropping the stream joins cpal's audio thread.
        self.stream = None;
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.stop();
    }
}

fn build<T>(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
    mut sink: CallbackSink,
    counters: &Arc<CaptureCounters>,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + Send + 'static,
    f32: FromSample<T>,
{
    let err_counters = counters.clone();
    device.build_input_stream::<T, _, _>(
        *config,
        move |data: &[T], _info: &cpal::InputCallbackInfo| sink.on_block(data),
        move |err: cpal::Error| err_counters.on_stream_error(err.kind()),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringbuf::traits::Consumer;

    #[test]
    fn downmixes_and_converts_i16() {
        let (p, mut c) = ring(64);
        let counters = Arc::new(CaptureCounters::default());
        let mut sink = CallbackSink::new(p, 2, u64::MAX, counters.clone());
        sink.on_block::<i16>(&[16384, -16384, 32767, 32767, -32768, 0]);
        let mut out = [9.0f32; 8];
        let n = c.pop_slice(&mut out);
        assert_eq!(n, 3);
        assert!(out[0].abs() < 1e-6);
        assert!((out[1] - 32767.0 / 32768.0).abs() < 1e-6);
        assert!((out[2] + 0.5).abs() < 1e-6);
        assert_eq!(counters.frames_pushed.load(Ordering::Relaxed), 3);
        assert_eq!(counters.overruns.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn counts_overruns_when_the_ring_is_full() {
        let (p, _c) = ring(10);
        let counters = Arc::new(CaptureCounters::default());
        let mut sink = CallbackSink::new(p, 1, u64::MAX, counters.clone());
        sink.on_block::<f32>(&[0.1; 8]);
        sink.on_block::<f32>(&[0.1; 8]);
        assert_eq!(counters.frames_pushed.load(Ordering::Relaxed), 10);
        assert_eq!(counters.frames_dropped.load(Ordering::Relaxed), 6);
        assert_eq!(counters.overruns.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn stops_at_the_frame_limit_without_an_overrun() {
        let (p, mut c) = ring(100);
        let counters = Arc::new(CaptureCounters::default());
        let mut sink = CallbackSink::new(p, 2, 5, counters.clone());
        sink.on_block::<f32>(&[0.5; 8]);
        sink.on_block::<f32>(&[0.5; 8]);
        let mut out = [0.0f32; 100];
        assert_eq!(c.pop_slice(&mut out), 5);
        assert!(counters.limit_reached.load(Ordering::Relaxed));
        assert_eq!(counters.overruns.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn long_callbacks_are_split_over_the_scratch_buffer() {
        let frames = SCRATCH_FRAMES * 2 + 17;
        let data: Vec<f32> = (0..frames).map(|i| (i % 100) as f32 / 100.0).collect();
        let (p, mut c) = ring(frames);
        let counters = Arc::new(CaptureCounters::default());
        let mut sink = CallbackSink::new(p, 1, u64::MAX, counters);
        sink.on_block::<f32>(&data);
        let mut out = vec![0.0f32; frames];
        assert_eq!(c.pop_slice(&mut out), frames);
        assert_eq!(out, data);
    }

    #[test]
    fn fatal_stream_errors_mark_the_device_lost() {
        let c = CaptureCounters::default();
        c.on_stream_error(cpal::ErrorKind::Xrun);
        c.on_stream_error(cpal::ErrorKind::RealtimeDenied);
        assert!(!c.device_lost.load(Ordering::Relaxed));
        assert_eq!(c.xruns.load(Ordering::Relaxed), 1);
        c.on_stream_error(cpal::ErrorKind::DeviceNotAvailable);
        assert!(c.device_lost.load(Ordering::Relaxed));
        assert_eq!(
            LostReason::from_u8(c.lost_reason.load(Ordering::Relaxed)),
            LostReason::Disconnected
        );
    }
}
