//! The HTML report: one self-contained page per message to listen along
//! with — the audio in a player (linked beside the page, or inside it with
//! `--embed-audio`), the transcript whose words seek the player and light
//! up as they are said, the waveform with speech, pauses and number
//! mentions, the pitch under it, the delivery figures, the score and what
//! to fix first — and, for a folder, an index of the pages.
//!
//! No network: no CDN, no font, no request of any kind; the page's own
//! Content-Security-Policy forbids them, and runs only its own script
//! (by hash). Everything that came from outside (file names, words, names
//! quoted in findings) goes through `escape::html`.
//!
//! One job per module: `page` lays out the sections, `transcript` the
//! words and highlights, `timeline` the drawing, `index` the folder's
//! table; the CSS and JS are static files beside them.

pub mod index;
mod page;
mod timeline;
mod transcript;

use super::Report;
use crate::audio::source::{Codec, Container};
use crate::audio::AudioInfo;
use std::path::{Component, Path, PathBuf};

pub use index::IndexRow;

/// Escape text for HTML element content and attribute values.
/// (One escape for every page: `escape::html`.)
pub fn escape(s: &str) -> String {
    super::escape::html(s)
}

/// Where the page's player gets its audio.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum AudioSource {
    /// No player (a typed script, or audio that cannot be found).
    #[default]
    None,
    /// A URL relative to the page (already percent-encoded).
    Link(String),
    /// The file's bytes, inside the page as a `data:` URI.
    Embedded { mime: &'static str, bytes: Vec<u8> },
}

/// How a page is made beyond the report itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageOptions {
    pub audio: AudioSource,
}

impl PageOptions {
    /// The recording linked by its path as given, which works for a page
    /// kept in the folder the command ran in (a page on standard output).
    pub fn linked_as_given(r: &Report) -> Self {
        let audio = match (&r.file, r.is_script(), &r.audio) {
            (Some(f), false, Some(_)) => AudioSource::Link(url_path(Path::new(f))),
            _ => AudioSource::None,
        };
        PageOptions { audio }
    }

    /// The recording at `audio` for a page written into `page_dir`: linked
    /// by a path relative to the page, or read into the page when `embed`.
    pub fn for_page(
        r: &Report,
        audio: &Path,
        page_dir: &Path,
        embed: bool,
    ) -> std::io::Result<Self> {
        let Some(info) = r.audio.as_ref().filter(|_| !r.is_script()) else {
            return Ok(PageOptions::default());
        };
        let source = if embed {
            AudioSource::Embedded {
                mime: mime_type(info),
                bytes: std::fs::read(audio)?,
            }
        } else {
            AudioSource::Link(url_path(&relative_path(page_dir, audio)))
        };
        Ok(PageOptions { audio: source })
    }
}

/// The whole page for one report.
pub fn render(r: &Report, opts: &PageOptions) -> String {
    page::render(r, opts)
}

/// The media type a browser needs for an embedded recording.
pub fn mime_type(info: &AudioInfo) -> &'static str {
    match (info.format, info.codec) {
        (Container::Wav | Container::Rf64, _) => "audio/wav",
        (Container::Mp3, _) | (_, Codec::Mp3) => "audio/mpeg",
        (Container::Mp4, _) => "audio/mp4",
        (Container::Adts, _) => "audio/aac",
        (Container::Flac, _) => "audio/flac",
        (Container::Ogg, _) => "audio/ogg",
        (Container::Aiff, _) => "audio/aiff",
        (Container::Caf, _) => "audio/x-caf",
        (Container::Mkv, _) => "audio/webm",
    }
}

/// `to` as a path relative to the folder `from` ("../calls/msg.wav"), both
/// made absolute first; `to` absolute when they share nothing but the root.
pub fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let abs = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let (from, to) = (abs(from), abs(to));
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common <= 1 {
        return to;
    }
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// A path as a URL path: each byte that is not unreserved percent-encoded
/// (so "#", "?", "%", spaces and non-UTF-8 names survive), "/" kept.
pub fn url_path(p: &Path) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
    const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let mut out = String::new();
    if p.is_absolute() {
        out.push_str("file://");
    }
    let mut first = true;
    for c in p.components() {
        let part = match c {
            Component::RootDir => continue,
            Component::CurDir => continue,
            Component::ParentDir => "..".to_string(),
            Component::Prefix(_) => continue,
            Component::Normal(s) => encode_bytes(s, SEGMENT),
        };
        if !first || p.is_absolute() {
            out.push('/');
        }
        first = false;
        out.push_str(&part);
    }
    out
}

#[cfg(unix)]
fn encode_bytes(s: &std::ffi::OsStr, set: &'static percent_encoding::AsciiSet) -> String {
    use std::os::unix::ffi::OsStrExt;
    percent_encoding::percent_encode(s.as_bytes(), set).to_string()
}

#[cfg(not(unix))]
fn encode_bytes(s: &std::ffi::OsStr, set: &'static percent_encoding::AsciiSet) -> String {
    percent_encoding::utf8_percent_encode(&s.to_string_lossy(), set).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<b>\"Tom & 'Jerry'\""),
            "&lt;b&gt;&quot;Tom &amp; &#39;Jerry&#39;&quot;"
        );
    }

    #[test]
    fn paths_become_relative_urls() {
        let d = tempfile::tempdir().unwrap();
        let calls = d.path().join("calls");
        let out = d.path().join("out");
        std::fs::create_dir_all(&calls).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        let wav = calls.join("a #1?.wav");
        std::fs::write(&wav, b"x").unwrap();
        let rel = relative_path(&out, &wav);
        assert_eq!(rel, Path::new("../calls/a #1?.wav"));
        assert_eq!(url_path(&rel), "../calls/a%20%231%3F.wav");
        assert_eq!(url_path(&relative_path(&calls, &wav)), "a%20%231%3F.wav");
        assert_eq!(url_path(Path::new("/tmp/x y.wav")), "file:///tmp/x%20y.wav");
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_names_are_percent_encoded_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(b"caf\xe9.ogg"));
        assert_eq!(url_path(p), "caf%E9.ogg");
    }
}
