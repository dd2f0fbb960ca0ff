//! One way in for recorded audio: a [`SampleSource`] gives mono f32 blocks
//! at the file's own rate, whatever the file is. `open` looks at the first
//! bytes and picks the reader: PCM, float, A-law and µ-law WAV/RF64 (our own
//! RIFF reader, `wav.rs`), everything else a rep's phone system exports —
//! MP3, M4A/AAC, FLAC, Ogg/Vorbis, ADPCM WAV, AIFF, CAF, WebM — through
//! symphonia (`decoded.rs`). A new input format is one new file that
//! implements the trait, plus a line in `open`.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::dsp::level::CLIP_LEVEL;

/// Lowest and highest sample rates accepted.
pub const MIN_RATE: u32 = 8_000;
pub const MAX_RATE: u32 = 192_000;
/// Most channels accepted (7.1 surround).
pub const MAX_CHANNELS: u16 = 8;

/// The file name endings a folder is searched for (lower case).
pub const EXTENSIONS: &[&str] = &[
    "wav", "wave", "rf64", "mp3", "m4a", "mp4", "aac", "flac", "ogg", "oga", "aif", "aiff", "caf",
    "webm", "mka",
];

/// Whether a file name ending is one `open` reads.
pub fn is_supported_extension(ext: &str) -> bool {
    EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext))
}

/// The container the samples came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Container {
    Wav,
    Rf64,
    Mp3,
    Mp4,
    Adts,
    Flac,
    Ogg,
    Aiff,
    Caf,
    Mkv,
}

/// How the samples are coded in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Codec {
    /// Linear PCM integers.
    Pcm,
    /// IEEE float samples.
    Float,
    ALaw,
    MuLaw,
    Adpcm,
    Mp3,
    Aac,
    Flac,
    Vorbis,
    Other,
}

/// Whether the file stores integers or floats (for PCM-like codecs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SampleFormat {
    Int,
    Float,
}

/// What a recording is, as the report shows it: the same for every input
/// format (the WAV header's details stay in the WAV reader).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudioInfo {
    pub format: Container,
    pub codec: Codec,
    pub sample_rate: u32,
    pub channels: u16,
    /// Bits per stored sample, where the codec has such a thing (not MP3/AAC/Vorbis).
    pub bits_per_sample: Option<u16>,
    /// Integer or float samples, for PCM; none for compressed codecs.
    pub sample_format: Option<SampleFormat>,
    /// Frames (samples per channel): promised by the header while reading,
    /// counted once the whole file has been read.
    pub frames: u64,
    pub duration: f64,
    /// Samples (any channel) at or beyond full scale, counted at the file's
    /// own rate before any resampling (the resampler's low-pass rounds a
    /// clipped peak off, so it would hide them).
    pub clipped_samples: u64,
}

impl AudioInfo {
    /// "16-bit PCM", "µ-law", "MP3", … for the text report's header line.
    pub fn describe(&self) -> String {
        let codec = match self.codec {
            Codec::Pcm => "PCM",
            Codec::Float => "float",
            Codec::ALaw => "A-law",
            Codec::MuLaw => "µ-law",
            Codec::Adpcm => "ADPCM",
            Codec::Mp3 => "MP3",
            Codec::Aac => "AAC",
            Codec::Flac => "FLAC",
            Codec::Vorbis => "Vorbis",
            Codec::Other => "audio",
        };
        match (self.codec, self.bits_per_sample) {
            (Codec::Pcm | Codec::Float | Codec::Flac, Some(b)) => format!("{b}-bit {codec}"),
            _ => codec.to_string(),
        }
    }

    /// Share of the file's samples that are clipped (0 for an empty file).
    pub fn clipped_fraction(&self) -> f64 {
        let total = self.frames * u64::from(self.channels);
        if total == 0 {
            0.0
        } else {
            self.clipped_samples as f64 / total as f64
        }
    }
}

/// A recording read as mono f32 at its own rate, block by block.
pub trait SampleSource {
    /// What the file is. `frames` and `duration` are the header's promise
    /// (0 when the format does not say) until the end has been read, then
    /// what was read; `clipped_samples` counts what has been read so far.
    fn info(&self) -> &AudioInfo;

    /// Fill `out` with up to `out.len()` mono frames (channels averaged);
    /// returns how many were written, 0 at the end. Errors for a file cut
    /// short, a bad sample, or one longer than the limit.
    fn read_block(&mut self, out: &mut [f32]) -> Result<usize, AudioError>;
}

/// Limits applied while opening and reading.
#[derive(Debug, Clone, Copy)]
pub struct AudioLimits {
    /// Refuse files longer than this: before reading a sample when the
    /// header says how long, else as soon as the limit is passed.
    pub max_seconds: f64,
    /// Refuse files shorter than this.
    pub min_seconds: f64,
}

impl Default for AudioLimits {
    fn default() -> Self {
        Self {
            max_seconds: 600.0,
            min_seconds: 0.5,
        }
    }
}

/// Why a recording could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("cannot open {path}: {source}")]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not an audio file vmcoach can read{hint}")]
    NotWav { path: PathBuf, hint: String },
    #[error("{path} is audio in {encoding}, which vmcoach does not read; convert it first, e.g. `ffmpeg -i {path} -c:a pcm_s16le out.wav`")]
    UnsupportedEncoding { path: PathBuf, encoding: String },
    #[error("{path}: malformed WAV header ({reason})")]
    Malformed { path: PathBuf, reason: String },
    #[error("{path}: cannot decode the audio ({reason})")]
    Decode { path: PathBuf, reason: String },
    #[error("{path}: {bits}-bit {kind} samples are not supported (8, 16, 24 or 32-bit integer, or 32/64-bit float)")]
    UnsupportedWidth {
        path: PathBuf,
        bits: u16,
        kind: &'static str,
    },
    #[error("{path}: sample rate {rate} Hz is outside {MIN_RATE}–{MAX_RATE} Hz")]
    UnsupportedRate { path: PathBuf, rate: u32 },
    #[error("{path}: {channels} channels is outside 1–{MAX_CHANNELS}")]
    UnsupportedChannels { path: PathBuf, channels: u16 },
    #[error("{path} holds no audio (zero samples)")]
    Empty { path: PathBuf },
    #[error("{path} is {seconds:.2} s long; at least {min:.1} s of audio is needed")]
    TooShort {
        path: PathBuf,
        seconds: f64,
        min: f64,
    },
    #[error(
        "{path} is {seconds:.0} s long, over the {max:.0} s limit (raise it with --max-seconds)"
    )]
    TooLong {
        path: PathBuf,
        seconds: f64,
        max: f64,
    },
    #[error(
        "{path} is truncated: the header promises {expected} samples but the file ends after {got}"
    )]
    Truncated {
        path: PathBuf,
        expected: u64,
        got: u64,
    },
    #[error("{path} has an invalid sample ({what}) at {seconds:.3} s")]
    InvalidSample {
        path: PathBuf,
        what: &'static str,
        seconds: f64,
    },
}

/// Check what every source checks once it knows its rate and channels.
pub(crate) fn check_shape(path: &Path, rate: u32, channels: u16) -> Result<(), AudioError> {
    if !(MIN_RATE..=MAX_RATE).contains(&rate) {
        return Err(AudioError::UnsupportedRate {
            path: path.to_path_buf(),
            rate,
        });
    }
    if channels == 0 || channels > MAX_CHANNELS {
        return Err(AudioError::UnsupportedChannels {
            path: path.to_path_buf(),
            channels,
        });
    }
    Ok(())
}

/// Check a length the header promises, before reading a sample.
pub(crate) fn check_length(
    path: &Path,
    frames: u64,
    rate: u32,
    limits: AudioLimits,
) -> Result<(), AudioError> {
    let seconds = frames as f64 / f64::from(rate);
    if frames == 0 {
        return Err(AudioError::Empty {
            path: path.to_path_buf(),
        });
    }
    if seconds > limits.max_seconds {
        return Err(AudioError::TooLong {
            path: path.to_path_buf(),
            seconds,
            max: limits.max_seconds,
        });
    }
    if seconds < limits.min_seconds {
        return Err(AudioError::TooShort {
            path: path.to_path_buf(),
            seconds,
            min: limits.min_seconds,
        });
    }
    Ok(())
}

/// Average interleaved frames into `out`, counting clipped samples and
/// refusing NaN or infinity (with the time of the first). `first_frame` is
/// the index of the first frame in the file, for that time.
pub(crate) fn downmix(
    interleaved: &[f32],
    channels: usize,
    out: &mut [f32],
    clipped: &mut u64,
    first_frame: u64,
    rate: u32,
    path: &Path,
) -> Result<(), AudioError> {
    let inv = 1.0 / channels as f32;
    for (i, (slot, frame)) in out
        .iter_mut()
        .zip(interleaved.chunks_exact(channels))
        .enumerate()
    {
        let mut sum = 0.0f32;
        for &s in frame {
            sum += s;
            *clipped += u64::from(s.abs() >= CLIP_LEVEL);
        }
        if !sum.is_finite() {
            return Err(AudioError::InvalidSample {
                path: path.to_path_buf(),
                what: if frame.iter().any(|s| s.is_nan()) {
                    "NaN"
                } else {
                    "infinite"
                },
                seconds: (first_frame + i as u64) as f64 / f64::from(rate),
            });
        }
        *slot = sum * inv;
    }
    Ok(())
}

/// Open any supported recording. The first bytes decide the reader, not
/// the name: an M4A called `.wav` is read as M4A.
pub fn open(path: &Path, limits: AudioLimits) -> Result<Box<dyn SampleSource>, AudioError> {
    let meta = std::fs::metadata(path).map_err(|source| AudioError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        return Err(AudioError::Open {
            path: path.to_path_buf(),
            source: std::io::Error::other("it is a folder"),
        });
    }
    let mut file = || {
        File::open(path).map_err(|source| AudioError::Open {
            path: path.to_path_buf(),
            source,
        })
    };
    open_from(&mut file, Some(meta.len()), path, limits)
}

/// [`open`] on bytes from anywhere: `reopen` gives a fresh reader from the
/// start each time it is called (the first bytes are read once to choose
/// the reader), `len` is their length where known. `path` names the input
/// in messages and its ending is a hint for the decoders. The fuzzer feeds
/// this with bytes in memory.
pub fn open_from<R: symphonia::core::io::MediaSource + 'static>(
    reopen: &mut dyn FnMut() -> Result<R, AudioError>,
    len: Option<u64>,
    path: &Path,
    limits: AudioLimits,
) -> Result<Box<dyn SampleSource>, AudioError> {
    let mut head = [0u8; 64];
    let n = read_up_to(&mut reopen()?, &mut head).map_err(|source| AudioError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let head = &head[..n];
    if head.is_empty() {
        return Err(AudioError::NotWav {
            path: path.to_path_buf(),
            hint: " (the file is empty)".into(),
        });
    }
    if super::wav::is_riff(head) {
        return super::wav::open_riff(reopen, len, path, limits);
    }
    if let Some(what) = not_audio(head) {
        return Err(AudioError::NotWav {
            path: path.to_path_buf(),
            hint: format!(" (it looks like {what})"),
        });
    }
    let ext = path.extension().and_then(|e| e.to_str());
    Ok(Box::new(super::decoded::Decoded::new(
        Box::new(reopen()?),
        path,
        ext,
        limits,
    )?))
}

/// Common files people mistake for audio, by their first bytes.
fn not_audio(head: &[u8]) -> Option<&'static str> {
    let starts = |p: &[u8]| head.starts_with(p);
    Some(if starts(&[0xFF, 0xD8, 0xFF]) {
        "a JPEG image"
    } else if starts(b"\x89PNG") {
        "a PNG image"
    } else if starts(b"GIF8") {
        "a GIF image"
    } else if starts(b"%PDF") {
        "a PDF document"
    } else if starts(b"PK\x03\x04") {
        "a ZIP archive (or an Office document)"
    } else if starts(b"{") || starts(b"[") {
        "JSON text"
    } else if starts(b"<") {
        "HTML or XML text"
    } else if head.len() >= 8
        && head
            .iter()
            .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
    {
        "plain text"
    } else {
        return None;
    })
}

/// Read until `buf` is full or the stream ends.
pub(crate) fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A whole file read as mono f32 at its own rate.
pub struct MonoAudio {
    pub info: AudioInfo,
    pub samples: Vec<f32>,
}

/// Read a whole file as mono f32 at its own rate (tests and tools; the
/// pipeline streams instead).
pub fn read_mono(path: &Path, limits: AudioLimits) -> Result<MonoAudio, AudioError> {
    let mut src = open(path, limits)?;
    let mut samples = Vec::new();
    let mut block = vec![0.0f32; 8192];
    loop {
        let n = src.read_block(&mut block)?;
        if n == 0 {
            break;
        }
        samples.extend_from_slice(&block[..n]);
    }
    Ok(MonoAudio {
        info: src.info().clone(),
        samples,
    })
}
