//! Reading WAV and RF64 files of any PCM-like encoding as mono f32 blocks.
//!
//! Our own RIFF walk (not hound's), because a user's file needs more than a
//! strict parser gives: every chunk before `data` is stepped over whatever
//! its size (so a cut-off file is caught wherever `data` starts), RF64's
//! 64-bit sizes, WAVs streamed through a pipe whose sizes say 0xFFFFFFFF
//! ("until the end of the file"), A-law and µ-law (G.711, as phone systems
//! export), a length limit checked before any sample is read, downmixing of
//! 1–8 channels, scaling of every integer width to -1..1, and refusal of
//! NaN or infinite samples with the time they occur. Compressed WAVs (ADPCM)
//! go to symphonia (`decoded.rs`).
//!
//! Nothing here trusts a size from the file with memory: the only buffer is
//! the block the caller asks for.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use super::source::{
    check_length, check_shape, downmix, read_up_to, AudioError, AudioInfo, AudioLimits, Codec,
    Container, SampleFormat, SampleSource,
};

/// A size field that means "unknown: until the end of the file" (streamed
/// WAVs) or "see the ds64 chunk" (RF64).
const SIZE_UNKNOWN: u32 = 0xFFFF_FFFF;

/// Whether the first bytes are a RIFF/RF64 WAVE header.
pub fn is_riff(head: &[u8]) -> bool {
    head.len() >= 12
        && matches!(&head[0..4], b"RIFF" | b"RF64" | b"BW64")
        && &head[8..12] == b"WAVE"
}

/// How to turn one sample's bytes into f32 in -1..1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decode {
    /// 8-bit WAV is unsigned, centred on 128.
    U8,
    I16,
    I24,
    /// 32-bit container (also 24-bit-in-32 WAVE_FORMAT_EXTENSIBLE: left-justified).
    I32,
    F32,
    F64,
    ALaw,
    MuLaw,
}

impl Decode {
    fn width(self) -> usize {
        match self {
            Decode::U8 | Decode::ALaw | Decode::MuLaw => 1,
            Decode::I16 => 2,
            Decode::I24 => 3,
            Decode::I32 | Decode::F32 => 4,
            Decode::F64 => 8,
        }
    }

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
            Decode::F64 => {
                f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) as f32
            }
            Decode::ALaw => f32::from(alaw(b[0])) * (1.0 / 32_768.0),
            Decode::MuLaw => f32::from(mulaw(b[0])) * (1.0 / 32_768.0),
        }
    }
}

/// G.711 A-law byte to 16-bit linear.
fn alaw(byte: u8) -> i16 {
    let a = byte ^ 0x55;
    let exponent = (a >> 4) & 0x07;
    let mantissa = i16::from(a & 0x0F);
    let magnitude = if exponent == 0 {
        (mantissa << 4) + 8
    } else {
        ((mantissa << 4) + 0x108) << (exponent - 1)
    };
    if a & 0x80 != 0 {
        magnitude
    } else {
        -magnitude
    }
}

/// G.711 µ-law byte to 16-bit linear.
fn mulaw(byte: u8) -> i16 {
    let u = !byte;
    let exponent = (u >> 4) & 0x07;
    let mantissa = i16::from(u & 0x0F);
    let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    if u & 0x80 != 0 {
        -magnitude
    } else {
        magnitude
    }
}

/// What the header walk found.
#[derive(Debug, Clone)]
struct Header {
    container: Container,
    tag: u16,
    channels: u16,
    rate: u32,
    bits: u16,
    block_align: u16,
    /// Bytes from the file's start to the first sample.
    data_start: u64,
    /// The data size the file gives; `None` when it says "until the end".
    data_size: Option<u64>,
}

/// A PCM, float, A-law or µ-law WAV being read as mono f32, block by block.
pub struct WavSource {
    path: PathBuf,
    info: AudioInfo,
    reader: Box<dyn Read>,
    decode: Decode,
    /// Bytes of one sample of one channel in the file.
    container: usize,
    /// Frames the file holds; `None` for a stream read to its end.
    frames: Option<u64>,
    /// Frames allowed before the length limit.
    max_frames: u64,
    min_seconds: f64,
    /// Raw bytes of the block being decoded, reused between calls.
    raw: Vec<u8>,
    /// Decoded interleaved samples of the block, reused between calls.
    samples: Vec<f32>,
    frames_read: u64,
    done: bool,
}

/// Open a RIFF/RF64 WAVE file (`reopen` gives its bytes from the start,
/// `len` is their length where known): PCM-like encodings are read here,
/// ADPCM and other compressed encodings by symphonia.
pub(crate) fn open_riff<R: symphonia::core::io::MediaSource + 'static>(
    reopen: &mut dyn FnMut() -> Result<R, AudioError>,
    len: Option<u64>,
    path: &Path,
    limits: AudioLimits,
) -> Result<Box<dyn SampleSource>, AudioError> {
    let mut reader = BufReader::with_capacity(1 << 16, reopen()?);
    let header = read_header(&mut reader, path)?;
    if decode_for(&header).is_none() && compressed_by_symphonia(header.tag) {
        return Ok(Box::new(super::decoded::Decoded::new(
            Box::new(reopen()?),
            path,
            Some("wav"),
            limits,
        )?));
    }
    Ok(Box::new(WavSource::with_header(
        Box::new(reader),
        header,
        len,
        path,
        limits,
    )?))
}

/// Format tags symphonia's WAV reader decodes (Microsoft and IMA ADPCM).
fn compressed_by_symphonia(tag: u16) -> bool {
    matches!(tag, 0x0002 | 0x0011)
}

impl WavSource {
    /// Read a WAV from any byte stream. `len` is the stream's total length
    /// when known (a file): it catches a cut-off file before reading and
    /// sizes a streamed WAV; without it, a short stream is caught when the
    /// samples run out. `path` names the input in messages.
    pub fn from_reader(
        mut reader: Box<dyn Read>,
        len: Option<u64>,
        path: &Path,
        limits: AudioLimits,
    ) -> Result<Self, AudioError> {
        let header = read_header(&mut reader, path)?;
        Self::with_header(reader, header, len, path, limits)
    }

    fn with_header(
        reader: Box<dyn Read>,
        h: Header,
        len: Option<u64>,
        path: &Path,
        limits: AudioLimits,
    ) -> Result<Self, AudioError> {
        let p = path.to_path_buf();
        let decode = decode_for(&h).ok_or_else(|| unsupported(&h, path))?;
        check_shape(path, h.rate, h.channels)?;
        // The container can be wider than the valid bits (24-in-32): the
        // block alignment says how wide, where it is sane.
        let channels = usize::from(h.channels);
        let aligned = usize::from(h.block_align) / channels;
        let container = if aligned >= decode.width() && aligned <= 8 {
            aligned
        } else {
            decode.width()
        };
        let decode = match (decode, container) {
            (Decode::I24, 4) => Decode::I32,
            (d, c) if c == d.width() => d,
            _ => {
                return Err(AudioError::UnsupportedWidth {
                    path: p,
                    bits: h.bits,
                    kind: kind_name(h.tag),
                })
            }
        };
        let frame_bytes = (channels * container) as u64;
        let available = len.map(|l| l.saturating_sub(h.data_start));
        let frames = match (h.data_size, available) {
            (Some(size), _) => Some(size / frame_bytes),
            (None, Some(avail)) => Some(avail / frame_bytes),
            (None, None) => None,
        };
        // The limits first: a header claiming hours is refused as too
        // long whether or not the hours are there.
        if let Some(f) = frames {
            check_length(path, f, h.rate, limits)?;
        }
        if let (Some(size), Some(avail)) = (h.data_size, available) {
            if size > avail {
                // Cut short (a crashed recorder, a partial copy): say so
                // now rather than somewhere in the middle of the samples.
                let ch = u64::from(h.channels);
                return Err(AudioError::Truncated {
                    path: p,
                    expected: size / frame_bytes * ch,
                    got: avail / frame_bytes * ch,
                });
            }
        }
        let max_frames = (limits.max_seconds * f64::from(h.rate)).floor() as u64;
        let (bits, sample_format, codec) = match decode {
            Decode::ALaw => (8, SampleFormat::Int, Codec::ALaw),
            Decode::MuLaw => (8, SampleFormat::Int, Codec::MuLaw),
            Decode::F32 | Decode::F64 => (h.bits, SampleFormat::Float, Codec::Float),
            _ => (h.bits, SampleFormat::Int, Codec::Pcm),
        };
        let f = frames.unwrap_or(0);
        Ok(Self {
            path: p,
            info: AudioInfo {
                format: h.container,
                codec,
                sample_rate: h.rate,
                channels: h.channels,
                bits_per_sample: Some(bits),
                sample_format: Some(sample_format),
                frames: f,
                duration: f as f64 / f64::from(h.rate),
                clipped_samples: 0,
            },
            reader,
            decode,
            container,
            frames,
            max_frames,
            min_seconds: limits.min_seconds,
            raw: Vec::new(),
            samples: Vec::new(),
            frames_read: 0,
            done: false,
        })
    }

    fn truncated(&self, got_frames: u64) -> AudioError {
        let ch = u64::from(self.info.channels);
        AudioError::Truncated {
            path: self.path.clone(),
            expected: self.frames.unwrap_or(0) * ch,
            got: got_frames * ch,
        }
    }

    /// At the end of a stream of unknown length: the length checks the
    /// header could not make.
    fn finish_stream(&mut self) -> Result<(), AudioError> {
        self.done = true;
        self.info.frames = self.frames_read;
        self.info.duration = self.frames_read as f64 / f64::from(self.info.sample_rate);
        let limits = AudioLimits {
            max_seconds: f64::INFINITY,
            min_seconds: self.min_seconds,
        };
        check_length(&self.path, self.frames_read, self.info.sample_rate, limits)
    }
}

impl SampleSource for WavSource {
    fn info(&self) -> &AudioInfo {
        &self.info
    }

    /// The byte buffers grow to the largest block asked for once, then are
    /// reused.
    fn read_block(&mut self, out: &mut [f32]) -> Result<usize, AudioError> {
        if self.done {
            return Ok(0);
        }
        let channels = usize::from(self.info.channels);
        let remaining = self
            .frames
            .map_or(u64::MAX, |f| f.saturating_sub(self.frames_read));
        let n = (out.len() as u64).min(remaining) as usize;
        if n == 0 {
            if self.frames.is_none() {
                self.finish_stream()?;
            }
            self.done = true;
            return Ok(0);
        }
        let frame_bytes = channels * self.container;
        let want = n * frame_bytes;
        if self.raw.len() < want {
            self.raw.resize(want, 0);
        }
        let got = read_up_to(&mut self.reader, &mut self.raw[..want]).map_err(|source| {
            AudioError::Open {
                path: self.path.clone(),
                source,
            }
        })?;
        let whole = got / frame_bytes;
        if got < want && self.frames.is_some() {
            // The header promised more than the stream holds.
            return Err(self.truncated(self.frames_read + whole as u64));
        }
        if self.frames_read + whole as u64 > self.max_frames {
            let limits_max = self.max_frames as f64 / f64::from(self.info.sample_rate);
            return Err(AudioError::TooLong {
                path: self.path.clone(),
                seconds: (self.frames_read + whole as u64) as f64
                    / f64::from(self.info.sample_rate),
                max: limits_max,
            });
        }
        let samples = whole * channels;
        if self.samples.len() < samples {
            self.samples.resize(samples, 0.0);
        }
        for (s, b) in self.samples[..samples]
            .iter_mut()
            .zip(self.raw[..whole * frame_bytes].chunks_exact(self.container))
        {
            *s = self.decode.sample(b);
        }
        downmix(
            &self.samples[..samples],
            channels,
            &mut out[..whole],
            &mut self.info.clipped_samples,
            self.frames_read,
            self.info.sample_rate,
            &self.path,
        )?;
        self.frames_read += whole as u64;
        if whole == 0 {
            // A stream of unknown length has ended (a partial last frame
            // is dropped).
            self.finish_stream()?;
        }
        Ok(whole)
    }
}

fn kind_name(tag: u16) -> &'static str {
    if tag == 3 {
        "float"
    } else {
        "int"
    }
}

/// The sample decoder for a header, if this reader handles its encoding.
fn decode_for(h: &Header) -> Option<Decode> {
    Some(match (h.tag, h.bits) {
        (1, 1..=8) => Decode::U8,
        (1, 9..=16) => Decode::I16,
        (1, 17..=24) => Decode::I24,
        (1, 25..=32) => Decode::I32,
        (3, 32) => Decode::F32,
        (3, 64) => Decode::F64,
        (6, 8) => Decode::ALaw,
        (7, 8) => Decode::MuLaw,
        _ => return None,
    })
}

/// The error for an encoding or width this reader does not handle.
fn unsupported(h: &Header, path: &Path) -> AudioError {
    let encoding = match h.tag {
        1 | 3 => {
            return AudioError::UnsupportedWidth {
                path: path.to_path_buf(),
                bits: h.bits,
                kind: kind_name(h.tag),
            }
        }
        6 | 7 => {
            return AudioError::UnsupportedWidth {
                path: path.to_path_buf(),
                bits: h.bits,
                kind: if h.tag == 6 { "A-law" } else { "µ-law" },
            }
        }
        2 => "Microsoft ADPCM".to_string(),
        0x11 => "IMA ADPCM".to_string(),
        0x31 => "GSM 6.10".to_string(),
        0x55 => "MP3".to_string(),
        t => format!("WAV format tag {t:#06x}"),
    };
    AudioError::UnsupportedEncoding {
        path: path.to_path_buf(),
        encoding,
    }
}

/// Read exactly `buf.len()` bytes or say the header ends early.
fn read_exact_or(r: &mut dyn Read, buf: &mut [u8], path: &Path) -> Result<(), AudioError> {
    let n = read_up_to(r, buf).map_err(|source| AudioError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    if n < buf.len() {
        return Err(malformed(path, "the file ends inside the header"));
    }
    Ok(())
}

fn malformed(path: &Path, reason: &str) -> AudioError {
    AudioError::Malformed {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Step over `n` bytes without keeping them (a stream cannot seek).
fn skip(r: &mut dyn Read, n: u64, path: &Path) -> Result<(), AudioError> {
    let skipped =
        std::io::copy(&mut r.take(n), &mut std::io::sink()).map_err(|source| AudioError::Open {
            path: path.to_path_buf(),
            source,
        })?;
    if skipped < n {
        return Err(malformed(
            path,
            "the file ends inside a chunk before the audio",
        ));
    }
    Ok(())
}

/// Walk the chunks up to `data`, leaving the reader at the first sample.
fn read_header(r: &mut dyn Read, path: &Path) -> Result<Header, AudioError> {
    let mut riff = [0u8; 12];
    read_exact_or(r, &mut riff, path)?;
    if !is_riff(&riff) {
        return Err(AudioError::NotWav {
            path: path.to_path_buf(),
            hint: " (no RIFF/WAVE header)".into(),
        });
    }
    let container = if &riff[0..4] == b"RIFF" {
        Container::Wav
    } else {
        Container::Rf64
    };
    let mut pos: u64 = 12;
    let mut ds64_data: Option<u64> = None;
    let mut fmt: Option<(u16, u16, u32, u16, u16)> = None;
    // A file of nothing but tiny chunks is bounded by its own length; this
    // bounds a stream that never ends.
    for _ in 0..10_000 {
        let mut ch = [0u8; 8];
        let n = read_up_to(r, &mut ch).map_err(|source| AudioError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        if n < 8 {
            return Err(malformed(
                path,
                if fmt.is_none() {
                    "no `fmt ` chunk"
                } else {
                    "no `data` chunk"
                },
            ));
        }
        let id = [ch[0], ch[1], ch[2], ch[3]];
        let size32 = u32::from_le_bytes([ch[4], ch[5], ch[6], ch[7]]);
        pos += 8;
        match &id {
            b"ds64" => {
                let mut body = [0u8; 24];
                if size32 < 24 {
                    return Err(malformed(path, "the ds64 chunk is too short"));
                }
                read_exact_or(r, &mut body, path)?;
                let data = u64::from_le_bytes(body[8..16].try_into().unwrap_or([0; 8]));
                ds64_data = Some(data);
                let rest = u64::from(size32) - 24 + u64::from(size32 & 1);
                skip(r, rest, path)?;
                pos += u64::from(size32) + u64::from(size32 & 1);
            }
            b"fmt " => {
                if size32 < 16 {
                    return Err(malformed(path, "the fmt chunk is too short"));
                }
                let mut body = [0u8; 40];
                let take = (size32 as usize).min(body.len());
                read_exact_or(r, &mut body[..take], path)?;
                let u16_at = |i: usize| u16::from_le_bytes([body[i], body[i + 1]]);
                let mut tag = u16_at(0);
                // WAVE_FORMAT_EXTENSIBLE: the real tag is the first two
                // bytes of the sub-format GUID.
                if tag == 0xFFFE && take >= 26 {
                    tag = u16_at(24);
                }
                let channels = u16_at(2);
                let rate = u32::from_le_bytes([body[4], body[5], body[6], body[7]]);
                let block_align = u16_at(12);
                let bits = u16_at(14);
                fmt = Some((tag, channels, rate, block_align, bits));
                let rest = u64::from(size32) - take as u64 + u64::from(size32 & 1);
                skip(r, rest, path)?;
                pos += u64::from(size32) + u64::from(size32 & 1);
            }
            b"data" => {
                let Some((tag, channels, rate, block_align, bits)) = fmt else {
                    return Err(malformed(path, "the audio comes before its `fmt ` chunk"));
                };
                let data_size = match (size32, container, ds64_data) {
                    (SIZE_UNKNOWN, Container::Rf64, Some(d)) => Some(d),
                    (SIZE_UNKNOWN, _, _) => None,
                    // Some streaming writers leave 0 and never come back.
                    (0, Container::Rf64, Some(d)) => Some(d),
                    (s, _, _) => Some(u64::from(s)),
                };
                return Ok(Header {
                    container,
                    tag,
                    channels,
                    rate,
                    bits,
                    block_align,
                    data_start: pos,
                    data_size,
                });
            }
            _ => {
                if size32 == SIZE_UNKNOWN {
                    return Err(malformed(path, "a chunk before the audio has no size"));
                }
                let padded = u64::from(size32) + u64::from(size32 & 1);
                skip(r, padded, path)?;
                pos += padded;
            }
        }
    }
    Err(malformed(path, "too many chunks before the audio"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g711_matches_the_reference_tables() {
        // Values from ITU-T G.711's tables (as sox and ffmpeg decode them).
        assert_eq!(mulaw(0xFF), 0);
        assert_eq!(mulaw(0x7F), 0);
        assert_eq!(mulaw(0x00), -32_124);
        assert_eq!(mulaw(0x80), 32_124);
        assert_eq!(alaw(0xD5), 8);
        assert_eq!(alaw(0x55), -8);
        assert_eq!(alaw(0xAA), 32_256);
        assert_eq!(alaw(0x2A), -32_256);
    }

    /// A WAV with one `fmt ` chunk (8 kHz) and a `data` chunk saying
    /// `data_size`, then `data` and `after` (bytes past the data chunk).
    fn wav(
        tag: u16,
        channels: u16,
        bits: u16,
        block_align: u16,
        data_size: u32,
        data: &[u8],
        after: &[u8],
    ) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(b"RIFF");
        b.extend_from_slice(&(36 + data.len() as u32 + after.len() as u32).to_le_bytes());
        b.extend_from_slice(b"WAVEfmt ");
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&channels.to_le_bytes());
        b.extend_from_slice(&8000u32.to_le_bytes());
        b.extend_from_slice(&(8000 * u32::from(block_align)).to_le_bytes());
        b.extend_from_slice(&block_align.to_le_bytes());
        b.extend_from_slice(&bits.to_le_bytes());
        b.extend_from_slice(b"data");
        b.extend_from_slice(&data_size.to_le_bytes());
        b.extend_from_slice(data);
        b.extend_from_slice(after);
        b
    }

    /// The default length limit, and no least length: the test files are
    /// a few samples long.
    const ANY_LENGTH: AudioLimits = AudioLimits {
        max_seconds: 600.0,
        min_seconds: 0.0,
    };

    /// The file read to its end as mono samples, or the first error.
    fn read_all(bytes: Vec<u8>) -> Result<Vec<f32>, AudioError> {
        let len = bytes.len() as u64;
        let mut src = WavSource::from_reader(
            Box::new(std::io::Cursor::new(bytes)),
            Some(len),
            Path::new("t.wav"),
            ANY_LENGTH,
        )?;
        let mut out = Vec::new();
        let mut block = [0f32; 64];
        loop {
            let n = src.read_block(&mut block)?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&block[..n]);
        }
    }

    const PCM: u16 = 1;

    #[test]
    fn a_riff_head_is_riff_rf64_or_bw64_then_wave() {
        assert!(is_riff(b"RIFF\0\0\0\0WAVE"));
        assert!(is_riff(b"RF64\0\0\0\0WAVEfmt "));
        assert!(is_riff(b"BW64\0\0\0\0WAVE"));
        assert!(!is_riff(b"RIFX\0\0\0\0WAVE"));
        assert!(!is_riff(b"RIFF\0\0\0\0AVI "));
        assert!(!is_riff(b"RIFF\0\0\0\0WAV"));
        assert!(!is_riff(b"OggS\0\0\0\0\0\0\0\0"));
    }

    #[test]
    fn a_law_segments_decode_as_ffmpeg_does() {
        // `printf '\xd0\x50\xc0\xf0' | ffmpeg -f alaw -ar 8000 -i - -f s16le -`
        assert_eq!(
            [alaw(0xD0), alaw(0x50), alaw(0xC0), alaw(0xF0)],
            [88, -88, 344, 688]
        );
    }

    #[test]
    fn the_block_alignment_sets_the_container_where_it_is_sane() {
        // 24-bit samples left-justified in 32 bits, stereo: 8 bytes a frame.
        let frame = [0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0xC0];
        let got = read_all(wav(PCM, 2, 24, 8, 16, &[frame, frame].concat(), &[])).unwrap();
        assert_eq!(got, [0.0, 0.0]); // +0.5 and -0.5 mixed to mono
        let frame = [0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x40];
        let got = read_all(wav(PCM, 2, 24, 8, 16, &[frame, frame].concat(), &[])).unwrap();
        assert_eq!(got, [0.5, 0.5]);
        // 16-bit with a block alignment too small or absurdly large: the
        // samples' own width.
        let data = [0x00, 0x40, 0x00, 0xC0];
        for align in [1, 16] {
            let got = read_all(wav(PCM, 1, 16, align, 4, &data, &[])).unwrap();
            assert_eq!(got, [0.5, -0.5], "block_align {align}");
        }
        // 16-bit samples in 3 bytes: no such container.
        let err = read_all(wav(PCM, 1, 16, 3, 6, &[0; 6], &[])).unwrap_err();
        assert!(
            matches!(err, AudioError::UnsupportedWidth { bits: 16, .. }),
            "{err}"
        );
    }

    #[test]
    fn a_data_chunk_longer_than_the_file_is_truncated_with_its_counts() {
        // Stereo 16-bit: 100 frames promised, 40 there.
        let err = read_all(wav(PCM, 2, 16, 4, 400, &[0; 160], &[])).unwrap_err();
        match err {
            AudioError::Truncated { expected, got, .. } => assert_eq!((expected, got), (200, 80)),
            e => panic!("{e}"),
        }
        // Bytes after the data chunk (a LIST chunk) are not samples.
        let list = [b"LIST".as_slice(), &4u32.to_le_bytes(), b"INFO"].concat();
        let got = read_all(wav(PCM, 1, 16, 2, 4, &[0x00, 0x40, 0x00, 0xC0], &list)).unwrap();
        assert_eq!(got, [0.5, -0.5]);
    }

    #[test]
    fn a_float_wav_says_float_in_its_facts() {
        let bytes = wav(
            3,
            1,
            32,
            4,
            8,
            &[0.5f32.to_le_bytes(), (-0.25f32).to_le_bytes()].concat(),
            &[],
        );
        let len = bytes.len() as u64;
        let src = WavSource::from_reader(
            Box::new(std::io::Cursor::new(bytes)),
            Some(len),
            Path::new("t.wav"),
            ANY_LENGTH,
        )
        .unwrap();
        let info = src.info();
        assert_eq!(
            (info.codec, info.sample_format, info.bits_per_sample),
            (Codec::Float, Some(SampleFormat::Float), Some(32))
        );
        assert_eq!(info.frames, 2);
    }

    /// A stream of `bytes` with no length known (a pipe), read to its end.
    fn read_stream(bytes: Vec<u8>, limits: AudioLimits) -> Result<usize, AudioError> {
        let mut src = WavSource::from_reader(
            Box::new(std::io::Cursor::new(bytes)),
            None,
            Path::new("-"),
            limits,
        )?;
        let mut block = [0f32; 64];
        let mut frames = 0;
        loop {
            match src.read_block(&mut block)? {
                0 => return Ok(frames),
                n => frames += n,
            }
        }
    }

    #[test]
    fn a_piped_wav_shorter_than_its_header_is_truncated_with_its_counts() {
        // Stereo 16-bit: 100 frames promised, 40 there.
        match read_stream(wav(PCM, 2, 16, 4, 400, &[0; 160], &[]), ANY_LENGTH) {
            Err(AudioError::Truncated { expected, got, .. }) => {
                assert_eq!((expected, got), (200, 80))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_piped_wav_of_unknown_length_may_run_to_the_limit_and_not_past_it() {
        // 8 kHz: a limit of 1 ms is 8 frames.
        let limits = AudioLimits {
            max_seconds: 0.001,
            min_seconds: 0.0,
        };
        let stream = |frames: usize| wav(PCM, 1, 16, 2, SIZE_UNKNOWN, &vec![0; 2 * frames], &[]);
        assert_eq!(read_stream(stream(8), limits).unwrap(), 8);
        match read_stream(stream(9), limits) {
            Err(AudioError::TooLong { seconds, max, .. }) => {
                assert_eq!((seconds, max), (9.0 / 8000.0, 8.0 / 8000.0))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unsupported_width_says_what_kind_of_sample() {
        let kind =
            |tag: u16, bits: u16| match read_all(wav(tag, 1, bits, bits / 8, 12, &[0; 12], &[])) {
                Err(AudioError::UnsupportedWidth { bits: b, kind, .. }) => {
                    assert_eq!(b, bits);
                    kind
                }
                other => panic!("{other:?}"),
            };
        assert_eq!(kind(3, 16), "float");
        assert_eq!(kind(1, 48), "int");
        assert_eq!(kind(6, 16), "A-law");
        assert_eq!(kind(7, 16), "µ-law");
    }

    /// The bytes of a 16-bit mono 8 kHz `fmt ` chunk, header included.
    fn fmt_chunk() -> Vec<u8> {
        wav(PCM, 1, 16, 2, 0, &[], &[])[12..36].to_vec()
    }

    fn malformed_reason(bytes: Vec<u8>) -> String {
        match read_all(bytes) {
            Err(AudioError::Malformed { reason, .. }) => reason,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_header_cut_short_says_where() {
        let whole = wav(PCM, 1, 16, 2, 4, &[0; 4], &[]);
        // Inside the RIFF head, inside the fmt chunk's body.
        assert_eq!(
            malformed_reason(whole[..10].to_vec()),
            "the file ends inside the header"
        );
        assert_eq!(
            malformed_reason(whole[..30].to_vec()),
            "the file ends inside the header"
        );
        // No chunk at all, a fmt chunk and no data chunk.
        assert_eq!(malformed_reason(whole[..12].to_vec()), "no `fmt ` chunk");
        assert_eq!(malformed_reason(whole[..36].to_vec()), "no `data` chunk");
        // A chunk before the audio that the file ends inside.
        let mut cut = whole[..36].to_vec();
        cut.extend_from_slice(b"LIST");
        cut.extend_from_slice(&100u32.to_le_bytes());
        cut.extend_from_slice(&[0; 10]);
        assert_eq!(
            malformed_reason(cut),
            "the file ends inside a chunk before the audio"
        );
    }

    /// An RF64 file whose `ds64` chunk (of `ds64_size` bytes, padded to even)
    /// gives the data size; the data chunk's own size says "see ds64".
    fn rf64(ds64_size: u32, samples: &[i16]) -> Vec<u8> {
        let data: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        let mut b = [b"RF64".as_slice(), &SIZE_UNKNOWN.to_le_bytes(), b"WAVEds64"].concat();
        b.extend_from_slice(&ds64_size.to_le_bytes());
        let mut body = vec![0u8; ds64_size as usize + (ds64_size & 1) as usize];
        if body.len() >= 16 {
            body[8..16].copy_from_slice(&(data.len() as u64).to_le_bytes());
        }
        b.extend_from_slice(&body);
        b.extend_from_slice(&fmt_chunk());
        b.extend_from_slice(b"data");
        b.extend_from_slice(&SIZE_UNKNOWN.to_le_bytes());
        b.extend_from_slice(&data);
        b
    }

    #[test]
    fn an_rf64_file_takes_its_data_size_from_ds64() {
        // The data size comes from ds64: the trailing bytes are not audio.
        let mut b = rf64(24, &[16384, -16384]);
        b.extend_from_slice(&[0x00, 0x40]);
        assert_eq!(read_all(b).unwrap(), [0.5, -0.5]);
        // An odd-sized ds64 chunk is padded to an even size.
        assert_eq!(read_all(rf64(25, &[16384])).unwrap(), [0.5]);
        assert_eq!(read_all(rf64(28, &[16384])).unwrap(), [0.5]);
        // Too short to hold the sizes.
        assert_eq!(
            malformed_reason(rf64(23, &[16384])),
            "the ds64 chunk is too short"
        );
    }

    #[test]
    fn float64_samples_are_read() {
        let data = [0.5f64.to_le_bytes(), (-0.25f64).to_le_bytes()].concat();
        assert_eq!(
            read_all(wav(3, 1, 64, 8, 16, &data, &[])).unwrap(),
            [0.5, -0.25]
        );
    }

    #[test]
    fn odd_sized_chunks_are_padded_and_the_audio_found_after_them() {
        // A fmt chunk of 17 bytes and a LIST chunk of 3, each with its pad
        // byte; the data chunk says "until the end", so the file's length
        // less the header's is the audio.
        let mut b = [b"RIFF".as_slice(), &0u32.to_le_bytes(), b"WAVEfmt "].concat();
        b.extend_from_slice(&17u32.to_le_bytes());
        b.extend_from_slice(&fmt_chunk()[8..]);
        b.extend_from_slice(&[0, 0]);
        b.extend_from_slice(b"LIST");
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&[1, 2, 3, 0]);
        b.extend_from_slice(b"data");
        b.extend_from_slice(&SIZE_UNKNOWN.to_le_bytes());
        b.extend_from_slice(&[0x00, 0x40, 0x00, 0xC0]);
        let len = b.len() as u64;
        let src = WavSource::from_reader(
            Box::new(std::io::Cursor::new(b.clone())),
            Some(len),
            Path::new("t.wav"),
            ANY_LENGTH,
        )
        .unwrap();
        assert_eq!(src.info().frames, 2);
        assert_eq!(read_all(b).unwrap(), [0.5, -0.5]);
    }
}
