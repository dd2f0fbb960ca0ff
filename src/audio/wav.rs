//! Reading WAV files of any common PCM encoding as mono f32 blocks.
//!
//! hound does the parsing; this module adds what a user's file needs: a
//! look at the header first (so an A-law phone memo or an MP3 renamed to
//! `.wav` gets a hint instead of "unsupported"), a length limit checked
//! before any sample is read (hours-long files), downmixing of 1–8
//! channels, scaling of every integer width to -1..1, and refusal of NaN
//! or infinite samples with the time they occur.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// Lowest and highest sample rates accepted.
pub const MIN_RATE: u32 = 8_000;
pub const MAX_RATE: u32 = 192_000;
/// Most channels accepted (7.1 surround).
pub const MAX_CHANNELS: u16 = 8;

/// Why a WAV file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WavError {
    #[error("cannot open {path}: {source}")]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a WAV file{hint}")]
    NotWav { path: PathBuf, hint: String },
    #[error("{path} is a WAV file in {encoding}, which vmcoach does not read; convert it to PCM first, e.g. `sox {path} -e signed-integer -b 16 out.wav` or `ffmpeg -i {path} -c:a pcm_s16le out.wav`")]
    UnsupportedEncoding { path: PathBuf, encoding: String },
    #[error("{path}: malformed WAV header ({reason})")]
    Malformed { path: PathBuf, reason: String },
    #[error("{path}: {bits}-bit {kind} samples are not supported (8, 16, 24 or 32-bit integer, or 32-bit float)")]
    UnsupportedWidth {
        path: PathBuf,
        bits: u16,
        kind: SampleFormat,
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
    #[error("reading {path}: {source}")]
    Read { path: PathBuf, source: hound::Error },
}

/// What the header says.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WavInfo {
    pub sample_rate: u32,
    pub channels: u16,
    pub bits_per_sample: u16,
    pub sample_format: SampleFormat,
    /// Frames (samples per channel) the header promises.
    pub frames: u64,
    pub duration: f64,
}

/// How the file stores a sample: integer PCM or IEEE float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SampleFormat {
    Int,
    Float,
}

impl std::fmt::Display for SampleFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SampleFormat::Int => "int",
            SampleFormat::Float => "float",
        })
    }
}

/// Limits applied while opening.
#[derive(Debug, Clone, Copy)]
pub struct WavLimits {
    /// Refuse files longer than this, before reading a sample.
    pub max_seconds: f64,
    /// Refuse files shorter than this.
    pub min_seconds: f64,
}

impl Default for WavLimits {
    fn default() -> Self {
        Self {
            max_seconds: 600.0,
            min_seconds: 0.5,
        }
    }
}

/// A WAV file being read as mono f32, block by block.
pub struct MonoWavReader {
    path: PathBuf,
    info: WavInfo,
    /// Positioned at the first sample (hound parsed the header).
    reader: BufReader<File>,
    decode: Decode,
    /// Bytes of one sample of one channel in the file.
    container: usize,
    /// Raw bytes of the block being decoded, reused between calls.
    raw: Vec<u8>,
    frames_read: u64,
}

/// How to turn one sample's bytes into f32 in -1..1.
#[derive(Debug, Clone, Copy)]
enum Decode {
    /// 8-bit WAV is unsigned, centred on 128.
    U8,
    I16,
    I24,
    /// 32-bit container (also 24-bit-in-32 WAVE_FORMAT_EXTENSIBLE: left-justified).
    I32,
    F32,
}

impl Decode {
    #[inline]
    fn sample(self, b: &[u8]) -> f32 {
        match self {
            Decode::U8 => (f32::from(b[0]) - 128.0) * (1.0 / 128.0),
            Decode::I16 => f32::from(i16::from_le_bytes([b[0], b[1]])) * (1.0 / 32_768.0),
            Decode::I24 => {
                (i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8) as f32 * (1.0 / 8_388_608.0)
            }
            Decode::I32 => {
                i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32 * (1.0 / 2_147_483_648.0)
            }
            Decode::F32 => f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        }
    }
}

impl MonoWavReader {
    /// Open and validate a WAV file: format, width, rate, channels and length.
    pub fn open(path: &Path, limits: WavLimits) -> Result<Self, WavError> {
        let p = path.to_path_buf();
        let data_chunk = sniff(path)?;
        let file = File::open(path).map_err(|source| WavError::Open {
            path: p.clone(),
            source,
        })?;
        let reader = hound::WavReader::new(BufReader::with_capacity(1 << 16, file)).map_err(
            |e| match e {
                // hound reports a short read as a plain I/O error.
                hound::Error::IoError(_) => WavError::Malformed {
                    path: p.clone(),
                    reason: "the file ends inside the header".into(),
                },
                hound::Error::FormatError(reason) => WavError::Malformed {
                    path: p.clone(),
                    reason: reason.to_string(),
                },
                hound::Error::Unsupported => WavError::UnsupportedEncoding {
                    path: p.clone(),
                    encoding: "an encoding other than PCM or float".into(),
                },
                other => WavError::Read {
                    path: p.clone(),
                    source: other,
                },
            },
        )?;
        let spec = reader.spec();
        let kind = match spec.sample_format {
            hound::SampleFormat::Int => SampleFormat::Int,
            hound::SampleFormat::Float => SampleFormat::Float,
        };
        let width_ok = match spec.sample_format {
            hound::SampleFormat::Int => matches!(spec.bits_per_sample, 8 | 16 | 24 | 32),
            hound::SampleFormat::Float => spec.bits_per_sample == 32,
        };
        if !width_ok {
            return Err(WavError::UnsupportedWidth {
                path: p,
                bits: spec.bits_per_sample,
                kind,
            });
        }
        if !(MIN_RATE..=MAX_RATE).contains(&spec.sample_rate) {
            return Err(WavError::UnsupportedRate {
                path: p,
                rate: spec.sample_rate,
            });
        }
        if spec.channels == 0 || spec.channels > MAX_CHANNELS {
            return Err(WavError::UnsupportedChannels {
                path: p,
                channels: spec.channels,
            });
        }
        let frames = u64::from(reader.duration());
        let duration = frames as f64 / f64::from(spec.sample_rate);
        if frames == 0 {
            return Err(WavError::Empty { path: p });
        }
        if duration > limits.max_seconds {
            return Err(WavError::TooLong {
                path: p,
                seconds: duration,
                max: limits.max_seconds,
            });
        }
        if duration < limits.min_seconds {
            return Err(WavError::TooShort {
                path: p,
                seconds: duration,
                min: limits.min_seconds,
            });
        }
        // A file cut short (a crashed recorder, a partial copy): say so now
        // rather than failing somewhere in the middle of the samples.
        let file_len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(u64::MAX);
        if let Some((start, size)) = data_chunk {
            if start + size > file_len {
                let block = u64::from(spec.channels) * u64::from(spec.bits_per_sample / 8);
                let ch = u64::from(spec.channels);
                return Err(WavError::Truncated {
                    path: p,
                    expected: frames * ch,
                    got: file_len.saturating_sub(start) / block.max(1) * ch,
                });
            }
        }
        // The container can be wider than the valid bits (24-in-32).
        let container = match data_chunk {
            Some((_, size)) if reader.len() > 0 => (size / u64::from(reader.len())) as usize,
            _ => usize::from(spec.bits_per_sample).div_ceil(8),
        };
        let decode = match (spec.sample_format, container) {
            (hound::SampleFormat::Float, 4) => Decode::F32,
            (hound::SampleFormat::Int, 1) => Decode::U8,
            (hound::SampleFormat::Int, 2) => Decode::I16,
            (hound::SampleFormat::Int, 3) => Decode::I24,
            (hound::SampleFormat::Int, 4) => Decode::I32,
            _ => {
                return Err(WavError::UnsupportedWidth {
                    path: p,
                    bits: spec.bits_per_sample,
                    kind,
                })
            }
        };
        Ok(Self {
            path: p,
            info: WavInfo {
                sample_rate: spec.sample_rate,
                channels: spec.channels,
                bits_per_sample: spec.bits_per_sample,
                sample_format: kind,
                frames,
                duration,
            },
            reader: reader.into_inner(),
            decode,
            container,
            raw: Vec::new(),
            frames_read: 0,
        })
    }

    pub fn info(&self) -> &WavInfo {
        &self.info
    }

    /// Fill `out` with up to `out.len()` mono frames; returns how many were
    /// written, 0 at the end. Channels are averaged. The byte buffer grows
    /// to the largest block asked for once, then is reused.
    pub fn read_block(&mut self, out: &mut [f32]) -> Result<usize, WavError> {
        let channels = usize::from(self.info.channels);
        let remaining = self.info.frames - self.frames_read;
        let n = (out.len() as u64).min(remaining) as usize;
        if n == 0 {
            return Ok(0);
        }
        let frame_bytes = channels * self.container;
        let want = n * frame_bytes;
        if self.raw.len() < want {
            self.raw.resize(want, 0);
        }
        let mut got = 0;
        while got < want {
            match self.reader.read(&mut self.raw[got..want]) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(WavError::Open {
                        path: self.path.clone(),
                        source,
                    })
                }
            }
        }
        if got < want {
            return Err(self.truncated(self.frames_read + (got / frame_bytes) as u64));
        }
        let inv_channels = 1.0 / channels as f32;
        for (i, (slot, frame)) in out
            .iter_mut()
            .zip(self.raw[..want].chunks_exact(frame_bytes))
            .enumerate()
        {
            let mut sum = 0.0f32;
            for sample in frame.chunks_exact(self.container) {
                sum += self.decode.sample(sample);
            }
            if !sum.is_finite() {
                // Find which channel, to say NaN or infinite.
                let nan = frame
                    .chunks_exact(self.container)
                    .any(|b| self.decode.sample(b).is_nan());
                return Err(WavError::InvalidSample {
                    path: self.path.clone(),
                    what: if nan { "NaN" } else { "infinite" },
                    seconds: (self.frames_read + i as u64) as f64
                        / f64::from(self.info.sample_rate),
                });
            }
            *slot = sum * inv_channels;
        }
        self.frames_read += n as u64;
        Ok(n)
    }

    fn truncated(&self, got_frames: u64) -> WavError {
        let ch = u64::from(self.info.channels);
        WavError::Truncated {
            path: self.path.clone(),
            expected: self.info.frames * ch,
            got: got_frames * ch,
        }
    }
}

/// Look at the first bytes and the `fmt ` chunk before hound does, so that
/// a file that is not a WAV, or a WAV in a compressed encoding, gets a
/// message that says what it is and how to convert it.
///
/// Returns where the `data` chunk starts and how long it says it is, when
/// its header lies in the first bytes (it almost always does).
fn sniff(path: &Path) -> Result<Option<(u64, u64)>, WavError> {
    let p = path.to_path_buf();
    let mut file = File::open(path).map_err(|source| WavError::Open {
        path: p.clone(),
        source,
    })?;
    let mut head = [0u8; 512];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(source) => return Err(WavError::Open { path: p, source }),
        }
    }
    let head = &head[..n];
    if head.len() < 12 || &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        let hint = match head.get(0..4) {
            None => " (it is empty or shorter than a WAV header)".to_string(),
            Some(b"fLaC") => " (it is FLAC; convert with `sox in.flac out.wav`)".to_string(),
            Some(b"OggS") => " (it is Ogg; convert with `sox in.ogg out.wav`)".to_string(),
            Some(b"FORM") => " (it is AIFF; convert with `sox in.aiff out.wav`)".to_string(),
            Some(b"RF64") => " (it is RF64, a WAV over 4 GB; split or convert it)".to_string(),
            Some([b'I', b'D', b'3', _]) | Some([0xFF, 0xFB, _, _]) | Some([0xFF, 0xF3, _, _]) => {
                " (it looks like MP3; convert with `ffmpeg -i in.mp3 out.wav`)".to_string()
            }
            _ => String::new(),
        };
        return Err(WavError::NotWav { path: p, hint });
    }
    // Walk chunks to `fmt `.
    let mut pos = 12;
    while pos + 8 <= head.len() {
        let id = &head[pos..pos + 4];
        let size = u32::from_le_bytes([head[pos + 4], head[pos + 5], head[pos + 6], head[pos + 7]])
            as usize;
        if id == b"fmt " {
            if pos + 10 <= head.len() {
                let mut tag = u16::from_le_bytes([head[pos + 8], head[pos + 9]]);
                // WAVE_FORMAT_EXTENSIBLE: the real tag is the first two bytes of the sub-format GUID.
                if tag == 0xFFFE && pos + 8 + 26 <= head.len() {
                    tag = u16::from_le_bytes([head[pos + 8 + 24], head[pos + 8 + 25]]);
                }
                let encoding = match tag {
                    1 | 3 => {
                        pos += 8 + size + (size & 1);
                        continue;
                    }
                    2 => "Microsoft ADPCM",
                    6 => "A-law",
                    7 => "µ-law",
                    0x11 => "IMA ADPCM",
                    0x31 => "GSM 6.10",
                    0x55 => "MP3",
                    _ => "",
                };
                let encoding = if encoding.is_empty() {
                    format!("encoding {tag:#06x}")
                } else {
                    encoding.to_string()
                };
                return Err(WavError::UnsupportedEncoding { path: p, encoding });
            }
            break;
        }
        if id == b"data" {
            return Ok(Some(((pos + 8) as u64, size as u64)));
        }
        pos += 8 + size + (size & 1);
    }
    Ok(None)
}

/// A whole file read as mono f32 at its own rate.
pub struct MonoAudio {
    pub info: WavInfo,
    pub samples: Vec<f32>,
}

/// Read a whole file as mono f32 at its own rate.
pub fn read_mono(path: &Path, limits: WavLimits) -> Result<MonoAudio, WavError> {
    let mut reader = MonoWavReader::open(path, limits)?;
    let mut samples = vec![0.0f32; reader.info().frames as usize];
    let mut filled = 0;
    while filled < samples.len() {
        let n = reader.read_block(&mut samples[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    samples.truncate(filled);
    Ok(MonoAudio {
        info: reader.info().clone(),
        samples,
    })
}
