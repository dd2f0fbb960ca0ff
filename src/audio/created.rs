//! When a recording was made, from its own metadata — never from the
//! file's modification time, which is when it was copied, exported or
//! recorded for practice, not when a voicemail was left.
//!
//! Read, in this order, from the header only (no audio is decoded):
//! - WAV (RIFF, RF64, BW64): the Broadcast Wave `bext` chunk's
//!   OriginationDate and OriginationTime (local time by the EBU's
//!   definition), else a `LIST`/`INFO` `ICRD` tag that carries a time of
//!   day (a date alone says nothing about the hour);
//! - MP4/M4A (phone voice memos): the movie header's (`mvhd`) creation
//!   time, UTC, shown in local time. Zero means "not set" (ffmpeg's default).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use chrono::{DateTime, Local, NaiveDateTime, TimeZone, Utc};

use crate::message::LeftAtSource;

/// A recording's own creation time, local, and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedAt {
    /// Local date and time, "2026-11-23T07:15".
    pub local: String,
    /// Which metadata it was read from.
    pub source: LeftAtSource,
}

/// Chunks or boxes looked at before giving up (a damaged file can't loop us).
const MAX_ENTRIES: usize = 256;

/// The recording's creation time, if its metadata holds one.
pub fn created_at(path: &Path) -> Option<CreatedAt> {
    created_in(&mut File::open(path).ok()?)
}

/// [`created_at`] on any seekable bytes (the fuzzer's entry point).
pub fn created_in(f: &mut (impl Read + Seek)) -> Option<CreatedAt> {
    let mut head = [0u8; 12];
    f.read_exact(&mut head).ok()?;
    if matches!(&head[..4], b"RIFF" | b"RF64" | b"BW64") && &head[8..12] == b"WAVE" {
        wav(f)
    } else if &head[4..8] == b"ftyp" {
        f.seek(SeekFrom::Start(0)).ok()?;
        mp4(f)
    } else {
        None
    }
}

fn format_local(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

fn wav(f: &mut (impl Read + Seek)) -> Option<CreatedAt> {
    let mut icrd = None;
    for _ in 0..MAX_ENTRIES {
        let mut h = [0u8; 8];
        if f.read_exact(&mut h).is_err() {
            break;
        }
        let size = u32::from_le_bytes([h[4], h[5], h[6], h[7]]);
        let id = [h[0], h[1], h[2], h[3]];
        // A streamed or RF64 data chunk has no usable size: nothing after it can be found.
        if &id == b"data" && size == u32::MAX {
            break;
        }
        let padded = u64::from(size) + u64::from(size & 1);
        match &id {
            b"bext" if size >= 338 => {
                let mut body = vec![0u8; 338];
                f.read_exact(&mut body).ok()?;
                if let Some(t) = bext_time(&body) {
                    return Some(CreatedAt {
                        local: format_local(t),
                        source: LeftAtSource::WavBext,
                    });
                }
                f.seek(SeekFrom::Current(padded as i64 - 338)).ok()?;
            }
            b"LIST" if size <= 64 * 1024 => {
                let mut body = vec![0u8; padded as usize];
                f.read_exact(&mut body).ok()?;
                if icrd.is_none() {
                    icrd = info_icrd(&body);
                }
            }
            _ => {
                f.seek(SeekFrom::Current(padded as i64)).ok()?;
            }
        }
    }
    icrd.map(|local| CreatedAt {
        local,
        source: LeftAtSource::WavInfo,
    })
}

/// OriginationDate (10 bytes at 320) and OriginationTime (8 bytes at 330).
fn bext_time(body: &[u8]) -> Option<NaiveDateTime> {
    let date = std::str::from_utf8(body.get(320..330)?).ok()?;
    let time = std::str::from_utf8(body.get(330..338)?).ok()?;
    // EBU Tech 3285 allows any of "-_:. " as separators.
    let norm = |s: &str, sep: char| -> String {
        s.chars()
            .map(|c| if "-_:. ".contains(c) { sep } else { c })
            .collect()
    };
    NaiveDateTime::parse_from_str(
        &format!("{} {}", norm(date, '-'), norm(time, ':')),
        "%Y-%m-%d %H:%M:%S",
    )
    .ok()
}

/// The ICRD value of a LIST chunk of type INFO, when it has a time of day.
fn info_icrd(body: &[u8]) -> Option<String> {
    if body.get(..4)? != b"INFO" {
        return None;
    }
    let mut i = 4;
    while i + 8 <= body.len() {
        let size = u32::from_le_bytes(body.get(i + 4..i + 8)?.try_into().ok()?) as usize;
        let value = body.get(i + 8..(i + 8 + size).min(body.len()))?;
        if &body[i..i + 4] == b"ICRD" {
            let text = String::from_utf8_lossy(value);
            return parse_tag_time(text.trim_end_matches('\0').trim());
        }
        i += 8 + size + (size & 1);
    }
    None
}

/// "2026-11-23T07:15:00Z" (UTC, shown local), "2026-11-23 07:15[:00]" (local).
fn parse_tag_time(s: &str) -> Option<String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(format_local(t.with_timezone(&Local).naive_local()));
    }
    crate::rules::when::parse_left_at(s).map(format_local)
}

fn mp4(f: &mut (impl Read + Seek)) -> Option<CreatedAt> {
    // Top level: find `moov`; inside it, `mvhd`.
    let (moov_start, moov_len) = find_box(f, b"moov", u64::MAX)?;
    f.seek(SeekFrom::Start(moov_start)).ok()?;
    let (mvhd_start, _) = find_box(f, b"mvhd", moov_len)?;
    f.seek(SeekFrom::Start(mvhd_start)).ok()?;
    let mut vf = [0u8; 4];
    f.read_exact(&mut vf).ok()?;
    let secs_1904 = if vf[0] == 1 {
        let mut b = [0u8; 8];
        f.read_exact(&mut b).ok()?;
        u64::from_be_bytes(b)
    } else {
        let mut b = [0u8; 4];
        f.read_exact(&mut b).ok()?;
        u64::from(u32::from_be_bytes(b))
    };
    // Seconds from 1904-01-01 to 1970-01-01.
    const MAC_EPOCH: u64 = 2_082_844_800;
    let unix = i64::try_from(secs_1904.checked_sub(MAC_EPOCH)?).ok()?;
    // Zero, or a date before digital voicemail, means the field was not set.
    if unix < 946_684_800 {
        return None;
    }
    let utc = Utc.timestamp_opt(unix, 0).single()?;
    Some(CreatedAt {
        local: format_local(utc.with_timezone(&Local).naive_local()),
        source: LeftAtSource::Mp4Header,
    })
}

/// Find a box of type `want` among the boxes from the current position,
/// reading at most `limit` bytes; returns its body's offset and length.
fn find_box(f: &mut (impl Read + Seek), want: &[u8; 4], limit: u64) -> Option<(u64, u64)> {
    let start = f.stream_position().ok()?;
    let mut pos = start;
    for _ in 0..MAX_ENTRIES {
        if pos.saturating_sub(start) >= limit {
            return None;
        }
        f.seek(SeekFrom::Start(pos)).ok()?;
        let mut h = [0u8; 8];
        f.read_exact(&mut h).ok()?;
        let size32 = u32::from_be_bytes([h[0], h[1], h[2], h[3]]);
        let (header, size) = match size32 {
            1 => {
                let mut b = [0u8; 8];
                f.read_exact(&mut b).ok()?;
                (16, u64::from_be_bytes(b))
            }
            // Runs to the end of the file (or of the parent).
            0 => (8, limit.saturating_sub(pos - start)),
            n => (8, u64::from(n)),
        };
        if size < header {
            return None;
        }
        if &h[4..8] == want {
            return Some((pos + header, size - header));
        }
        pos = pos.checked_add(size)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut c = id.to_vec();
        c.extend((body.len() as u32).to_le_bytes());
        c.extend(body);
        if body.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    fn wav_with(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut fmt = Vec::new();
        fmt.extend(1u16.to_le_bytes()); // PCM
        fmt.extend(1u16.to_le_bytes()); // mono
        fmt.extend(16_000u32.to_le_bytes());
        fmt.extend(32_000u32.to_le_bytes());
        fmt.extend(2u16.to_le_bytes());
        fmt.extend(16u16.to_le_bytes());
        let mut body = b"WAVE".to_vec();
        body.extend(chunk(b"fmt ", &fmt));
        for c in chunks {
            body.extend(c);
        }
        body.extend(chunk(b"data", &[0u8; 64]));
        let mut riff = b"RIFF".to_vec();
        riff.extend((body.len() as u32).to_le_bytes());
        riff.extend(body);
        riff
    }

    fn created(bytes: &[u8]) -> Option<CreatedAt> {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        created_at(f.path())
    }

    #[test]
    fn bext_origination_time() {
        let mut bext = vec![0u8; 602];
        bext[320..330].copy_from_slice(b"2026-11-24");
        bext[330..338].copy_from_slice(b"07:15:42");
        let c = created(&wav_with(&[chunk(b"bext", &bext)])).unwrap();
        assert_eq!(c.local, "2026-11-24T07:15");
        assert_eq!(c.source, LeftAtSource::WavBext);
    }

    #[test]
    fn info_icrd_with_a_time_but_not_a_bare_date() {
        let info = |v: &[u8]| {
            let mut b = b"INFO".to_vec();
            b.extend(chunk(b"ISFT", b"Lavf60\0"));
            b.extend(chunk(b"ICRD", v));
            chunk(b"LIST", &b)
        };
        let c = created(&wav_with(&[info(b"2026-11-24 17:05:00\0")])).unwrap();
        assert_eq!(c.local, "2026-11-24T17:05");
        assert_eq!(created(&wav_with(&[info(b"2026-11-24\0")])), None);
    }

    #[test]
    fn a_plain_wav_has_no_time() {
        assert_eq!(created(&wav_with(&[])), None);
        assert_eq!(created(b"not audio at all"), None);
        assert_eq!(created(b""), None);
    }

    fn mp4_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend(kind);
        b.extend(body);
        b
    }

    fn m4a(creation_1904: u32) -> Vec<u8> {
        let mut mvhd = vec![0u8; 4]; // version 0, flags
        mvhd.extend(creation_1904.to_be_bytes());
        mvhd.extend([0u8; 92]);
        let mut f = mp4_box(b"ftyp", b"M4A \0\0\0\0isomM4A ");
        f.extend(mp4_box(b"mdat", &[0u8; 100]));
        f.extend(mp4_box(b"moov", &mp4_box(b"mvhd", &mvhd)));
        f
    }

    #[test]
    fn mp4_movie_header_time_in_local_time() {
        // 2026-11-24T12:00:00Z.
        let unix = 1_795_521_600u32;
        let c = created(&m4a(unix + 2_082_844_800)).unwrap();
        let want = Utc
            .timestamp_opt(i64::from(unix), 0)
            .unwrap()
            .with_timezone(&Local)
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        assert_eq!(c.local, want);
        assert_eq!(c.source, LeftAtSource::Mp4Header);
        // Not set.
        assert_eq!(created(&m4a(0)), None);
    }
}
