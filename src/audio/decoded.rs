//! Compressed recordings — MP3, M4A/AAC, FLAC, Ogg/Vorbis, ADPCM WAV,
//! AIFF, CAF, WebM — decoded by symphonia (pure Rust), one packet at a
//! time: the memory held is one packet's samples, whatever the file's
//! length.

use std::path::{Path, PathBuf};

use symphonia::core::codecs::audio::well_known as codecs;
use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;

use super::source::{
    check_length, check_shape, downmix, AudioError, AudioInfo, AudioLimits, Codec, Container,
    SampleFormat, SampleSource,
};

/// Packets that fail to decode before the file is called broken (a few bad
/// frames in a long MP3 are skipped, as players do).
const MAX_BAD_PACKETS: u32 = 8;

/// A compressed recording being decoded to mono f32, packet by packet.
pub struct Decoded {
    path: PathBuf,
    info: AudioInfo,
    format: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    track_id: u32,
    /// Frames the container promises, when it says.
    expected: Option<u64>,
    max_frames: u64,
    min_seconds: f64,
    /// One packet's samples, interleaved, reused.
    interleaved: Vec<f32>,
    /// One packet downmixed to mono, handed out by `read_block`.
    pending: Vec<f32>,
    pending_pos: usize,
    frames_read: u64,
    bad_packets: u32,
    /// The stream has no more packets.
    done: bool,
    /// The end-of-file checks have run.
    finished: bool,
}

fn decode_err(path: &Path, e: &SymError) -> AudioError {
    AudioError::Decode {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Name the container from a format reader's short name.
fn container_of(short_name: &str) -> Container {
    match short_name {
        "wave" => Container::Wav,
        "isomp4" => Container::Mp4,
        "flac" => Container::Flac,
        "ogg" => Container::Ogg,
        "aac" => Container::Adts,
        "aiff" => Container::Aiff,
        "caf" => Container::Caf,
        "mkv" | "matroska" => Container::Mkv,
        _ => Container::Mp3,
    }
}

fn codec_of(id: symphonia::core::codecs::audio::AudioCodecId) -> Codec {
    match id {
        codecs::CODEC_ID_MP3 | codecs::CODEC_ID_MP2 | codecs::CODEC_ID_MP1 => Codec::Mp3,
        codecs::CODEC_ID_AAC => Codec::Aac,
        codecs::CODEC_ID_FLAC => Codec::Flac,
        codecs::CODEC_ID_VORBIS => Codec::Vorbis,
        codecs::CODEC_ID_ADPCM_MS | codecs::CODEC_ID_ADPCM_IMA_WAV => Codec::Adpcm,
        codecs::CODEC_ID_PCM_ALAW => Codec::ALaw,
        codecs::CODEC_ID_PCM_MULAW => Codec::MuLaw,
        codecs::CODEC_ID_PCM_F32LE
        | codecs::CODEC_ID_PCM_F32BE
        | codecs::CODEC_ID_PCM_F64LE
        | codecs::CODEC_ID_PCM_F64BE => Codec::Float,
        id if id >= codecs::CODEC_ID_PCM_S32LE && id < codecs::CODEC_ID_PCM_ALAW => Codec::Pcm,
        _ => Codec::Other,
    }
}

/// A name for a codec symphonia has no decoder for.
fn codec_name(id: symphonia::core::codecs::audio::AudioCodecId) -> String {
    match id {
        codecs::CODEC_ID_OPUS => "Opus".into(),
        codecs::CODEC_ID_ALAC => "Apple Lossless (ALAC)".into(),
        codecs::CODEC_ID_WAVPACK => "WavPack".into(),
        other => format!("codec {other}"),
    }
}

/// What the first bytes say a file that symphonia could not open is.
fn guess(head: &[u8]) -> &'static str {
    if head.starts_with(b"fLaC") {
        "a damaged FLAC file"
    } else if head.starts_with(b"OggS") {
        "a damaged Ogg file"
    } else if head.starts_with(b"ID3") || (head.len() > 1 && head[0] == 0xFF && head[1] >= 0xE0) {
        "a damaged MP3 file"
    } else if head.len() >= 8 && &head[4..8] == b"ftyp" {
        "a damaged M4A/MP4 file"
    } else if head.starts_with(b"FORM") {
        "a damaged AIFF file"
    } else {
        "no audio format vmcoach knows"
    }
}

impl Decoded {
    /// Probe the container, pick the first audio track, and decode up to
    /// its first samples (to learn the rate and channels for certain).
    /// `ext` is a hint only: the bytes decide.
    pub fn new(
        source: Box<dyn MediaSource>,
        path: &Path,
        ext: Option<&str>,
        limits: AudioLimits,
    ) -> Result<Self, AudioError> {
        let p = path.to_path_buf();
        let mss = MediaSourceStream::new(source, Default::default());
        let mut hint = Hint::new();
        if let Some(e) = ext {
            hint.with_extension(e);
        }
        let format = symphonia::default::get_probe()
            .probe(
                &hint,
                mss,
                FormatOptions::default(),
                MetadataOptions::default(),
            )
            .map_err(|e| match e {
                SymError::IoError(ref io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                    AudioError::NotWav {
                        path: p.clone(),
                        hint: format!(
                            " (it looks like {}, and ends before its audio starts)",
                            guess(&head_of(path))
                        ),
                    }
                }
                SymError::Unsupported(_) => AudioError::NotWav {
                    path: p.clone(),
                    hint: format!(" (it looks like {})", guess(&head_of(path))),
                },
                other => decode_err(path, &other),
            })?;
        let container = container_of(format.format_info().short_name);
        let track = format
            .default_track(TrackType::Audio)
            .ok_or_else(|| AudioError::NotWav {
                path: p.clone(),
                hint: " (it has no audio track)".into(),
            })?;
        let track_id = track.id;
        let expected = track.num_frames.filter(|n| *n > 0);
        let params = track
            .codec_params
            .as_ref()
            .and_then(|c| c.audio())
            .cloned()
            .ok_or_else(|| AudioError::NotWav {
                path: p.clone(),
                hint: " (it has no audio track)".into(),
            })?;
        // What the header says of the shape is checked before the decoder
        // is made: symphonia sizes its buffers from it (an AIFF claiming
        // 65,279 channels took 154 MB for a 24 kB file; found by the fuzzer).
        let header_channels = params.channels.as_ref().map(|c| c.count());
        if let Some(n) = header_channels.filter(|&n| n > usize::from(super::source::MAX_CHANNELS)) {
            return Err(AudioError::UnsupportedChannels {
                path: p,
                channels: u16::try_from(n).unwrap_or(u16::MAX),
            });
        }
        if let Some(rate) = params.sample_rate.filter(|&r| r != 0) {
            check_shape(path, rate, 1)?;
        }
        let decoder = symphonia::default::get_codecs()
            .make_audio_decoder(&params, &AudioDecoderOptions::default())
            .map_err(|_| AudioError::UnsupportedEncoding {
                path: p.clone(),
                encoding: codec_name(params.codec),
            })?;
        let codec = codec_of(params.codec);
        let bits = match codec {
            Codec::Pcm | Codec::Float | Codec::Flac => {
                params.bits_per_sample.and_then(|b| u16::try_from(b).ok())
            }
            _ => None,
        };
        let sample_format = match codec {
            Codec::Pcm | Codec::ALaw | Codec::MuLaw | Codec::Flac => Some(SampleFormat::Int),
            Codec::Float => Some(SampleFormat::Float),
            _ => None,
        };
        let rate = params.sample_rate.unwrap_or(0);
        let channels = params
            .channels
            .as_ref()
            .map_or(0, |c| u16::try_from(c.count()).unwrap_or(u16::MAX));
        let mut me = Self {
            path: p,
            info: AudioInfo {
                format: container,
                codec,
                sample_rate: rate,
                channels,
                bits_per_sample: bits,
                sample_format,
                frames: expected.unwrap_or(0),
                duration: 0.0,
                clipped_samples: 0,
            },
            format,
            decoder,
            track_id,
            expected,
            max_frames: u64::MAX,
            min_seconds: limits.min_seconds,
            interleaved: Vec::new(),
            pending: Vec::new(),
            pending_pos: 0,
            frames_read: 0,
            bad_packets: 0,
            done: false,
            finished: false,
        };
        // The first packet fixes rate and channels where the container
        // did not (ADTS, some Ogg streams).
        me.fill()?;
        check_shape(path, me.info.sample_rate, me.info.channels)?;
        let rate = me.info.sample_rate;
        me.max_frames = (limits.max_seconds * f64::from(rate)).floor() as u64;
        if let Some(f) = expected {
            check_length(path, f, rate, limits)?;
            me.info.duration = f as f64 / f64::from(rate);
        }
        if me.done && me.pending.is_empty() {
            check_length(path, 0, rate.max(1), limits)?;
        }
        Ok(me)
    }

    /// Decode the next packet of our track into `pending`; sets `done` at
    /// the end of the stream.
    fn fill(&mut self) -> Result<(), AudioError> {
        self.pending.clear();
        self.pending_pos = 0;
        while !self.done {
            let packet = match self.format.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => {
                    self.done = true;
                    break;
                }
                Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    // A demuxer that met the end inside a packet: the file
                    // was cut off.
                    return Err(self.cut());
                }
                Err(SymError::ResetRequired) => {
                    return Err(AudioError::Decode {
                        path: self.path.clone(),
                        reason: "the stream changes format part-way".into(),
                    })
                }
                Err(e) => return Err(decode_err(&self.path, &e)),
            };
            if packet.track_id != self.track_id {
                continue;
            }
            let buf = match self.decoder.decode(&packet) {
                Ok(b) => b,
                Err(SymError::DecodeError(_)) | Err(SymError::IoError(_))
                    if self.bad_packets < MAX_BAD_PACKETS =>
                {
                    self.bad_packets += 1;
                    continue;
                }
                Err(e) => return Err(decode_err(&self.path, &e)),
            };
            let frames = buf.frames();
            if frames == 0 {
                continue;
            }
            let spec = buf.spec();
            let channels = spec.channels().count();
            let rate = spec.rate();
            if self.info.sample_rate == 0 {
                self.info.sample_rate = rate;
            }
            if self.info.channels == 0 {
                self.info.channels = u16::try_from(channels).unwrap_or(u16::MAX);
            }
            if rate != self.info.sample_rate || channels != usize::from(self.info.channels) {
                return Err(AudioError::Decode {
                    path: self.path.clone(),
                    reason: "the rate or channel count changes part-way".into(),
                });
            }
            if channels == 0 {
                continue;
            }
            let samples = frames * channels;
            self.interleaved.resize(samples, 0.0);
            buf.copy_to_slice_interleaved(&mut self.interleaved[..]);
            self.pending.resize(frames, 0.0);
            downmix(
                &self.interleaved,
                channels,
                &mut self.pending,
                &mut self.info.clipped_samples,
                self.frames_read,
                rate.max(1),
                &self.path,
            )?;
            return Ok(());
        }
        Ok(())
    }

    fn cut(&self) -> AudioError {
        let ch = u64::from(self.info.channels.max(1));
        AudioError::Truncated {
            path: self.path.clone(),
            expected: self.expected.unwrap_or(0) * ch,
            got: self.frames_read * ch,
        }
    }

    /// At the end: the checks a header could not make, and whether the
    /// container's promise was kept.
    fn finish(&mut self) -> Result<(), AudioError> {
        let rate = self.info.sample_rate.max(1);
        if let Some(want) = self.expected {
            // Decoders trim or pad a little at the ends (encoder delay,
            // a last partial frame); a file cut short misses far more.
            let slack = u64::from(rate) / 10 + 4096;
            if self.frames_read + slack < want {
                return Err(self.cut());
            }
        }
        self.info.frames = self.frames_read;
        self.info.duration = self.frames_read as f64 / f64::from(rate);
        let limits = AudioLimits {
            max_seconds: f64::INFINITY,
            min_seconds: self.min_seconds,
        };
        check_length(&self.path, self.frames_read, rate, limits)
    }
}

impl SampleSource for Decoded {
    fn info(&self) -> &AudioInfo {
        &self.info
    }

    fn read_block(&mut self, out: &mut [f32]) -> Result<usize, AudioError> {
        let mut written = 0;
        while written < out.len() {
            if self.pending_pos == self.pending.len() {
                if self.done {
                    break;
                }
                self.fill()?;
                if self.pending.is_empty() {
                    break;
                }
            }
            let n = (out.len() - written).min(self.pending.len() - self.pending_pos);
            out[written..written + n]
                .copy_from_slice(&self.pending[self.pending_pos..self.pending_pos + n]);
            self.pending_pos += n;
            written += n;
            self.frames_read += n as u64;
            if self.frames_read > self.max_frames {
                let rate = f64::from(self.info.sample_rate.max(1));
                return Err(AudioError::TooLong {
                    path: self.path.clone(),
                    seconds: self.frames_read as f64 / rate,
                    max: self.max_frames as f64 / rate,
                });
            }
        }
        if written == 0 && self.done && !self.finished {
            self.finished = true;
            self.finish()?;
        }
        Ok(written)
    }
}

/// The first bytes of a file, for a guess at what it is.
fn head_of(path: &Path) -> Vec<u8> {
    let mut head = vec![0u8; 16];
    let n = std::fs::File::open(path)
        .and_then(|mut f| super::source::read_up_to(&mut f, &mut head))
        .unwrap_or(0);
    head.truncate(n);
    head
}
