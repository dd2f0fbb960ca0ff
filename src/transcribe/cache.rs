//! The words cache (`vmcoach eval --words-cache DIR`): Whisper's output for
//! a recording kept on disk, so a second evaluation after a change to the
//! analysis or the rules does not run Whisper again.
//!
//! An entry is what whisper.cpp returned — its segments and text tokens
//! with their times and probabilities ([`RawSegment`]), before any of
//! vmcoach's own reading of them — so a change to how tokens become words
//! takes effect on a cached run too. It is keyed by three things, each
//! hashed with SHA-256: the model file (hashed once per run), the settings
//! that change Whisper's output ([`super::whisper::Settings`]: decoding,
//! initial prompt, language, DTW, the whisper.cpp version; not the thread
//! count), and the exact samples given to Whisper. An entry that cannot be
//! read or does not match its key is a miss, said in one warning line;
//! the fresh output then replaces it.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::download::{hex, sha256_file};
use super::whisper::RawSegment;
use super::TranscribeError;

/// Bumped when the entry layout changes: older entries are then misses.
const FORMAT: u32 = 1;

/// A folder of Whisper outputs for one model file.
#[derive(Debug)]
pub struct WordsCache {
    dir: PathBuf,
    model_sha256: String,
    hits: usize,
    misses: usize,
}

/// Where one recording's output is kept, and what it must have been made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryKey {
    /// `<sha-256 of the three parts>.json`.
    file_name: String,
    model_sha256: String,
    settings: String,
    samples_sha256: String,
}

/// The file an entry is kept in.
#[derive(Serialize, Deserialize)]
struct Entry {
    format: u32,
    model_sha256: String,
    settings: String,
    samples_sha256: String,
    segments: Vec<RawSegment>,
}

/// SHA-256 of samples as their little-endian `f32` bytes.
fn samples_sha256(pcm: &[f32]) -> String {
    let mut h = Sha256::new();
    for s in pcm {
        h.update(s.to_le_bytes());
    }
    hex(&h.finalize())
}

/// The key of the output for `pcm` from the model with hash `model_sha256`
/// run with `settings` (a [`super::whisper::Settings::cache_key`]).
pub(crate) fn entry_key(model_sha256: &str, settings: &str, pcm: &[f32]) -> EntryKey {
    let samples_sha256 = samples_sha256(pcm);
    let mut h = Sha256::new();
    // Each part's length first, so no two different triples hash alike.
    for part in [model_sha256, settings, samples_sha256.as_str()] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    EntryKey {
        file_name: format!("{}.json", hex(&h.finalize())),
        model_sha256: model_sha256.to_string(),
        settings: settings.to_string(),
        samples_sha256,
    }
}

impl WordsCache {
    /// The cache in `dir` (made if missing) for the model file at `model`,
    /// whose SHA-256 is computed here, once. A folder that cannot be made
    /// or written to is an error now, before any recording is transcribed.
    pub fn open(dir: &Path, model: &Path) -> Result<Self, TranscribeError> {
        let err = |path: &Path, e: std::io::Error| TranscribeError::Cache {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        std::fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
        let probe = dir.join(format!(".write-test-{}", std::process::id()));
        std::fs::write(&probe, b"").map_err(|e| err(dir, e))?;
        // Only the write had to succeed; a probe left behind is harmless.
        let _ = std::fs::remove_file(&probe);
        let model_sha256 = sha256_file(model).map_err(|e| err(model, e))?;
        Ok(WordsCache {
            dir: dir.to_path_buf(),
            model_sha256,
            hits: 0,
            misses: 0,
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Recordings whose output came from the cache so far.
    pub fn hits(&self) -> usize {
        self.hits
    }

    /// Recordings Whisper had to run on so far.
    pub fn misses(&self) -> usize {
        self.misses
    }

    /// The key for `pcm` run with `settings` on this cache's model.
    pub(crate) fn key(&self, settings: &str, pcm: &[f32]) -> EntryKey {
        entry_key(&self.model_sha256, settings, pcm)
    }

    /// The stored output for `key`, if there is a sound one. A missing
    /// entry is a plain miss; an unreadable, corrupt or mismatched one is a
    /// miss with a one-line warning.
    pub(crate) fn get(&mut self, key: &EntryKey) -> Option<Vec<RawSegment>> {
        let path = self.dir.join(&key.file_name);
        match read_entry(&path, key) {
            Ok(Some(segments)) => {
                self.hits += 1;
                return Some(segments);
            }
            Ok(None) => {}
            Err(reason) => eprintln!(
                "vmcoach: warning: words cache entry {} {reason}; running Whisper again",
                path.display()
            ),
        }
        self.misses += 1;
        None
    }

    /// Keep `segments` as the output for `key`: written to a temporary
    /// file and renamed, so a reader never sees half an entry. A failure is
    /// a one-line warning (the run goes on; the next one runs Whisper again).
    pub(crate) fn put(&mut self, key: &EntryKey, segments: &[RawSegment]) {
        let entry = Entry {
            format: FORMAT,
            model_sha256: key.model_sha256.clone(),
            settings: key.settings.clone(),
            samples_sha256: key.samples_sha256.clone(),
            segments: segments.to_vec(),
        };
        let path = self.dir.join(&key.file_name);
        let tmp = self
            .dir
            .join(format!(".{}.{}.tmp", key.file_name, std::process::id()));
        let written = serde_json::to_vec(&entry)
            .map_err(std::io::Error::other)
            .and_then(|bytes| std::fs::write(&tmp, bytes))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            eprintln!(
                "vmcoach: warning: cannot write words cache entry {}: {e}",
                path.display()
            );
        }
    }
}

/// The entry at `path`: `Ok(None)` when there is none, `Err(why)` when it
/// cannot be used.
fn read_entry(path: &Path, key: &EntryKey) -> Result<Option<Vec<RawSegment>>, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot be read ({e})")),
    };
    let entry: Entry = serde_json::from_slice(&bytes).map_err(|e| format!("is corrupt ({e})"))?;
    if entry.format != FORMAT {
        return Err(format!("has format {}, not {FORMAT}", entry.format));
    }
    let matches = entry.model_sha256 == key.model_sha256
        && entry.settings == key.settings
        && entry.samples_sha256 == key.samples_sha256;
    if !matches {
        return Err("was made from another model, settings or audio".to_string());
    }
    Ok(Some(entry.segments))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::whisper::RawToken;

    fn segments() -> Vec<RawSegment> {
        vec![RawSegment {
            t0: 0,
            t1: 250,
            tokens: vec![RawToken {
                bytes: b" Hi".to_vec(),
                t0: 10,
                t1: 40,
                t_dtw: 38,
                // A probability whose shortest decimal form is long.
                p: 0.1f32 + f32::EPSILON,
            }],
        }]
    }

    fn cache_in(dir: &Path) -> WordsCache {
        let model = dir.join("model.bin");
        std::fs::write(&model, b"not really a model").unwrap();
        WordsCache::open(&dir.join("cache"), &model).expect("opens")
    }

    #[test]
    fn the_key_changes_with_each_part_and_only_with_them() {
        let pcm = [0.0f32, 0.25, -0.5];
        let base = entry_key("aa", "greedy", &pcm);
        assert_eq!(base, entry_key("aa", "greedy", &[0.0, 0.25, -0.5]));
        let others = [
            entry_key("ab", "greedy", &pcm),
            entry_key("aa", "beam 5", &pcm),
            entry_key("aa", "greedy", &[0.0, 0.25, -0.5, 0.0]),
            entry_key("aa", "greedy", &[0.0, 0.25, -0.499_999_97]),
            // Parts that concatenate alike still differ.
            entry_key("aag", "reedy", &pcm),
        ];
        for k in &others {
            assert_ne!(k.file_name, base.file_name, "{k:?}");
        }
        // -0.0 and 0.0 are different samples.
        assert_ne!(
            entry_key("aa", "greedy", &[0.0]).file_name,
            entry_key("aa", "greedy", &[-0.0]).file_name
        );
    }

    #[test]
    fn an_entry_comes_back_exactly_and_a_corrupt_one_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = cache_in(dir.path());
        let key = cache.key("greedy", &[0.1, 0.2]);
        assert_eq!(cache.get(&key), None, "empty cache");
        cache.put(&key, &segments());
        assert_eq!(cache.get(&key), Some(segments()), "bit for bit");
        assert_eq!((cache.hits(), cache.misses()), (1, 1));

        let path = cache.dir().join(&key.file_name);
        let sound = std::fs::read(&path).unwrap();
        // Garbage, a truncated file, an empty file, an entry made with
        // other settings, a folder in its place: each a miss, none a panic.
        let swapped = String::from_utf8(sound.clone())
            .unwrap()
            .replace("greedy", "beam 5");
        for bad in [
            b"\xff\x00garbage".to_vec(),
            sound[..sound.len() / 2].to_vec(),
            Vec::new(),
            swapped.into_bytes(),
        ] {
            std::fs::write(&path, &bad).unwrap();
            assert_eq!(cache.get(&key), None);
        }
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        assert_eq!(cache.get(&key), None);
        assert_eq!(cache.hits(), 1);
        // A fresh output cannot replace a folder: a warning, no panic.
        cache.put(&key, &segments());
        std::fs::remove_dir(&path).unwrap();
        cache.put(&key, &segments());
        assert_eq!(cache.get(&key), Some(segments()), "rewritten");
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_a_cache_error() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("model.bin");
        std::fs::write(&model, b"m").unwrap();
        // A file where the folder should be.
        let file = dir.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        let e = WordsCache::open(&file, &model).unwrap_err();
        assert!(matches!(e, TranscribeError::Cache { .. }), "{e:?}");
        assert!(e.to_string().contains("words cache"), "{e}");
        let e = WordsCache::open(&file.join("sub"), &model).unwrap_err();
        assert!(matches!(e, TranscribeError::Cache { .. }), "{e:?}");
        // The model is hashed: a missing one is the same error, naming it.
        let e = WordsCache::open(&dir.path().join("c"), &dir.path().join("none")).unwrap_err();
        assert!(e.to_string().contains("none"), "{e}");
    }

    #[test]
    fn same_model_bytes_same_key_other_bytes_other_key() {
        let dir = tempfile::tempdir().unwrap();
        let a = cache_in(dir.path());
        let b = cache_in(dir.path());
        assert_eq!(a.key("s", &[1.0]), b.key("s", &[1.0]));
        std::fs::write(dir.path().join("model.bin"), b"another model").unwrap();
        let c = WordsCache::open(&dir.path().join("cache"), &dir.path().join("model.bin")).unwrap();
        assert_ne!(a.key("s", &[1.0]), c.key("s", &[1.0]));
    }
}
