//! Whisper model files: which ones exist, where to find one, and a full
//! structural check before whisper.cpp is allowed to see it.
//!
//! whisper.cpp trusts its input: a bad `ftype` trips a `GGML_ASSERT`, a huge
//! name length or dimension count overruns a buffer, and a file cut short is
//! read past its end. So every header field and every tensor record is checked
//! here first, and a truncated, corrupt or foreign file becomes a one-line
//! [`ModelError`].

use super::ggml::{self, GgmlType, Hparams, TensorSpec};
use super::{TranscribeError, TranscribeOptions};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::path::{Path, PathBuf};

/// A model whisper.cpp publishes, with its size and SHA-256 (the Git LFS
/// object ids of huggingface.co/ggerganov/whisper.cpp, cross-checked against
/// several independent projects that pin them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownModel {
    pub name: &'static str,
    pub size: u64,
    pub sha256: &'static str,
}

pub(crate) const KNOWN_MODELS: &[KnownModel] = &[
    KnownModel {
        name: "tiny.en",
        size: 77_704_715,
        sha256: "921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f",
    },
    KnownModel {
        name: "tiny",
        size: 77_691_713,
        sha256: "be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21",
    },
    KnownModel {
        name: "base.en",
        size: 147_964_211,
        sha256: "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002",
    },
    KnownModel {
        name: "base",
        size: 147_951_465,
        sha256: "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe",
    },
    KnownModel {
        name: "small.en",
        size: 487_614_201,
        sha256: "c6138d6d58ecc8322097e0f987c32f1be8bb0a18532a3f88f734d1bbf9c41e5d",
    },
    KnownModel {
        name: "small",
        size: 487_601_967,
        sha256: "1be3a9b2063867b937e64e2ec7483364a79917e157fa98c5d94b5c1fffea987b",
    },
    KnownModel {
        name: "medium.en",
        size: 1_533_774_781,
        sha256: "cc37e93478338ec7700281a7ac30a10128929eb8f427dda2e865faa8f6da4356",
    },
    KnownModel {
        name: "medium",
        size: 1_533_763_059,
        sha256: "6c14d5adee5f86394037b4e4e8b59f1673b6cee10e3cf0b11bbdbee79c156208",
    },
    KnownModel {
        name: "large-v3-turbo",
        size: 1_624_555_275,
        sha256: "1fc70f774d38eb169993ac391eea357ef47c88757ef72ee5943879b7e8e2bc69",
    },
    KnownModel {
        name: "large-v3",
        size: 3_095_033_483,
        sha256: "64d182b440b98d5203c4f9bd541544d84c605196c4f7b845dfa11fb23594d1e2",
    },
];

/// The model used when none is named.
pub(crate) const DEFAULT_MODEL: &str = "tiny.en";

pub(crate) fn known_model(name: &str) -> Option<&'static KnownModel> {
    KNOWN_MODELS.iter().find(|m| m.name == name)
}

/// The file name whisper.cpp's host and our search use for a model name.
pub fn file_name(name: &str) -> String {
    format!("ggml-{name}.bin")
}

/// A model name must be a plain file-name fragment ("tiny.en", "large-v3"),
/// never a path.
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// `<user cache dir>/models`, e.g. `~/.cache/vmcoach/models` on Linux.
pub(crate) fn cache_models_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "vmcoach").map(|d| d.cache_dir().join("models"))
}

/// The directories searched for `ggml-<name>.bin`, in order: `models/` under
/// the current directory, then the user's cache.
pub(crate) fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("models")];
    dirs.extend(cache_models_dir());
    dirs
}

/// Find the model file: `--model`, then `VMCOACH_MODEL`, then
/// `models/ggml-<name>.bin`, then the cache directory. The file is not
/// checked here; [`check_model`] does that before loading.
pub(crate) fn resolve_model(opts: &TranscribeOptions) -> Result<PathBuf, TranscribeError> {
    let env = std::env::var_os("VMCOACH_MODEL").filter(|v| !v.is_empty());
    resolve_from(
        opts.model.as_deref(),
        env.map(PathBuf::from),
        &opts.model_name,
    )
}

fn resolve_from(
    flag: Option<&Path>,
    env: Option<PathBuf>,
    name: &str,
) -> Result<PathBuf, TranscribeError> {
    if let Some(p) = flag {
        return existing(p, "--model");
    }
    if let Some(p) = env {
        return existing(&p, "VMCOACH_MODEL");
    }
    let name = if name.is_empty() { DEFAULT_MODEL } else { name };
    if !valid_name(name) {
        return Err(ModelError::BadName {
            name: name.to_string(),
        }
        .into());
    }
    let searched: Vec<PathBuf> = search_dirs()
        .into_iter()
        .map(|d| d.join(file_name(name)))
        .collect();
    match searched.iter().find(|p| p.is_file()) {
        Some(p) => Ok(p.clone()),
        None => Err(ModelError::NotFound {
            name: name.to_string(),
            searched,
        }
        .into()),
    }
}

fn existing(p: &Path, from: &'static str) -> Result<PathBuf, TranscribeError> {
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => Ok(p.to_path_buf()),
        Ok(m) => Err(ModelError::NotAFile {
            path: p.to_path_buf(),
            kind: file_kind(&m),
        }
        .into()),
        Err(_) => Err(ModelError::Missing {
            path: p.to_path_buf(),
            from,
        }
        .into()),
    }
}

/// "a directory", "a FIFO", … for a path that is not a regular file.
fn file_kind(m: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    let t = m.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

/// Why a model file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(
        "no Whisper model '{name}' found (looked for {}; VMCOACH_MODEL is not set); download it with: vmcoach models download {name}",
        list_paths(searched)
    )]
    NotFound {
        name: String,
        searched: Vec<PathBuf>,
    },
    #[error("model file {} (from {from}) does not exist", path.display())]
    Missing { path: PathBuf, from: &'static str },
    #[error("model {} is {kind}, not a model file", path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("'{name}' is not a model name (use a name like tiny.en, or --model PATH)")]
    BadName { name: String },
    #[error("cannot read model file {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{} is not a ggml Whisper model (it starts with {found:?}, not \"lmgg\")", path.display())]
    NotGgml { path: PathBuf, found: String },
    #[error("model file {} is truncated: {what} needs {needed} bytes at offset {offset}, but the file is {len} bytes long (download it again)", path.display())]
    Truncated {
        path: PathBuf,
        what: String,
        offset: u64,
        needed: u64,
        len: u64,
    },
    #[error("model file {} is corrupt or not a Whisper model: {reason}", path.display())]
    Corrupt { path: PathBuf, reason: String },
}

fn list_paths(p: &[PathBuf]) -> String {
    p.iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the check found in a good file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    pub hparams: Hparams,
    pub n_tokens: u32,
    pub n_tensors: usize,
    pub file_len: u64,
}

impl ModelInfo {
    /// "tiny.en f16", "custom q5_1", …
    pub(crate) fn describe(&self) -> String {
        let lang = if self.hparams.is_multilingual() {
            ""
        } else {
            ".en"
        };
        let ty = self.hparams.weight_type().map_or("?", GgmlType::name);
        format!("{}{lang} {ty}", self.hparams.size_name())
    }
}

/// Longest vocabulary entry accepted (GPT-2 tokens are a few dozen bytes).
const MAX_TOKEN_LEN: u32 = 1024;
/// Longest tensor name accepted.
const MAX_NAME_LEN: i32 = 256;

/// Check a model file from end to end without loading its weights: magic,
/// hyper-parameters, mel filters, vocabulary, then every tensor record
/// against what whisper.cpp will expect, and that the file holds all of it.
pub fn check_model(path: &Path) -> Result<ModelInfo, ModelError> {
    let io_err = |source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Before opening: opening a FIFO for reading blocks until a writer comes.
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if !meta.is_file() {
        return Err(ModelError::NotAFile {
            path: path.to_path_buf(),
            kind: file_kind(&meta),
        });
    }
    let file = File::open(path).map_err(io_err)?;
    let len = file.metadata().map_err(io_err)?.len();
    check_reader(BufReader::with_capacity(64 * 1024, file), len, path)
}

/// The same check on a file held in memory (the fuzzing entry point); errors
/// name the file `<memory>`.
pub fn check_model_bytes(bytes: &[u8]) -> Result<ModelInfo, ModelError> {
    check_reader(
        io::Cursor::new(bytes),
        bytes.len() as u64,
        Path::new("<memory>"),
    )
}

/// The check on any seekable reader of `len` bytes; `path` names it in errors.
/// Nothing is allocated from a size the file claims: sections are skipped
/// with `seek` after their length is checked against `len`.
pub fn check_reader<R: Read + Seek>(
    inner: R,
    len: u64,
    path: &Path,
) -> Result<ModelInfo, ModelError> {
    let mut r = Reader {
        inner,
        pos: 0,
        len,
        path,
    };
    r.check()
}

struct Reader<'a, R> {
    inner: R,
    pos: u64,
    len: u64,
    path: &'a Path,
}

impl<R: Read + Seek> Reader<'_, R> {
    fn corrupt(&self, reason: impl Into<String>) -> ModelError {
        ModelError::Corrupt {
            path: self.path.to_path_buf(),
            reason: reason.into(),
        }
    }

    /// Make sure `n` more bytes exist before reading or skipping them.
    fn need(&self, n: u64, what: impl FnOnce() -> String) -> Result<(), ModelError> {
        if self.pos.checked_add(n).is_none_or(|end| end > self.len) {
            return Err(ModelError::Truncated {
                path: self.path.to_path_buf(),
                what: what(),
                offset: self.pos,
                needed: n,
                len: self.len,
            });
        }
        Ok(())
    }

    fn bytes(&mut self, buf: &mut [u8], what: &str) -> Result<(), ModelError> {
        self.need(buf.len() as u64, || what.to_string())?;
        self.inner
            .read_exact(buf)
            .map_err(|source| ModelError::Io {
                path: self.path.to_path_buf(),
                source,
            })?;
        self.pos += buf.len() as u64;
        Ok(())
    }

    fn i32(&mut self, what: &str) -> Result<i32, ModelError> {
        let mut b = [0u8; 4];
        self.bytes(&mut b, what)?;
        Ok(i32::from_le_bytes(b))
    }

    fn skip(&mut self, n: u64, what: impl FnOnce() -> String) -> Result<(), ModelError> {
        self.need(n, what)?;
        let off = i64::try_from(n).map_err(|_| self.corrupt("a section is too large"))?;
        self.inner
            .seek_relative(off)
            .map_err(|source| ModelError::Io {
                path: self.path.to_path_buf(),
                source,
            })?;
        self.pos += n;
        Ok(())
    }

    fn check(&mut self) -> Result<ModelInfo, ModelError> {
        let mut magic = [0u8; 4];
        if self.len < 4 {
            return Err(ModelError::NotGgml {
                path: self.path.to_path_buf(),
                found: format!("a {}-byte file", self.len),
            });
        }
        self.bytes(&mut magic, "the magic number")?;
        if u32::from_le_bytes(magic) != ggml::MAGIC {
            return Err(ModelError::NotGgml {
                path: self.path.to_path_buf(),
                found: String::from_utf8_lossy(&magic).into_owned(),
            });
        }
        let mut a = [0i32; 11];
        for v in a.iter_mut() {
            *v = self.i32("the hyper-parameters")?;
        }
        let h = Hparams::from_array(a);
        self.check_hparams(&h)?;

        let n_mel = self.i32("the mel filter header")?;
        let n_fft = self.i32("the mel filter header")?;
        if n_mel != h.n_mels || n_fft != ggml::N_FFT_BINS {
            return Err(self.corrupt(format!(
                "mel filters are {n_mel}×{n_fft}, expected {}×{}",
                h.n_mels,
                ggml::N_FFT_BINS
            )));
        }
        // Both are small positive numbers here, checked above.
        let filter_bytes = u64::from(n_mel.unsigned_abs()) * u64::from(n_fft.unsigned_abs()) * 4;
        self.skip(filter_bytes, || "the mel filters".into())?;

        let n_tokens = self.i32("the vocabulary size")?;
        if n_tokens < 0 || n_tokens > h.n_vocab {
            return Err(self.corrupt(format!(
                "vocabulary has {n_tokens} entries, more than n_vocab {}",
                h.n_vocab
            )));
        }
        let mut has_space = false;
        let mut token = Vec::with_capacity(64);
        for i in 0..n_tokens {
            let mut b = [0u8; 4];
            self.bytes(&mut b, "the vocabulary")?;
            let l = u32::from_le_bytes(b);
            if l > MAX_TOKEN_LEN {
                return Err(self.corrupt(format!("vocabulary entry {i} is {l} bytes long")));
            }
            token.resize(l as usize, 0);
            self.bytes(&mut token, &format!("vocabulary entry {i}"))?;
            has_space |= token == b" ";
        }
        // whisper.cpp looks the lone-space token up by text and throws (an
        // abort through the C API) when it is missing.
        if !has_space {
            return Err(self.corrupt("the vocabulary has no \" \" token"));
        }

        let n_tensors = self.check_tensors(&h)?;
        Ok(ModelInfo {
            hparams: h,
            n_tokens: n_tokens.unsigned_abs(),
            n_tensors,
            file_len: self.len,
        })
    }

    fn check_hparams(&self, h: &Hparams) -> Result<(), ModelError> {
        let bad = |what: &str, v: i32| Err(self.corrupt(format!("{what} is {v}")));
        if !(51864..=51866).contains(&h.n_vocab) {
            return bad("n_vocab (expected 51864..51866)", h.n_vocab);
        }
        if h.n_audio_ctx != 1500 {
            return bad("n_audio_ctx (expected 1500)", h.n_audio_ctx);
        }
        if h.n_text_ctx != 448 {
            return bad("n_text_ctx (expected 448)", h.n_text_ctx);
        }
        if h.n_mels != 80 && h.n_mels != 128 {
            return bad("n_mels (expected 80 or 128)", h.n_mels);
        }
        for (what, state, head, layer) in [
            ("audio", h.n_audio_state, h.n_audio_head, h.n_audio_layer),
            ("text", h.n_text_state, h.n_text_head, h.n_text_layer),
        ] {
            if !(1..=8192).contains(&state) {
                return bad(&format!("n_{what}_state"), state);
            }
            if !(1..=128).contains(&head) || state % head != 0 {
                return bad(&format!("n_{what}_head"), head);
            }
            if !(1..=128).contains(&layer) {
                return bad(&format!("n_{what}_layer"), layer);
            }
        }
        // whisper.cpp asserts this (an abort, not an error).
        if h.n_text_state != h.n_audio_state {
            return Err(self.corrupt(format!(
                "n_text_state {} differs from n_audio_state {}",
                h.n_text_state, h.n_audio_state
            )));
        }
        let qntvr = h.ftype / ggml::QNT_VERSION_FACTOR;
        if h.ftype < 0 || qntvr > 2 || h.weight_type().is_none() {
            return bad("ftype (not a type whisper.cpp supports)", h.ftype);
        }
        Ok(())
    }

    fn check_tensors(&mut self, h: &Hparams) -> Result<usize, ModelError> {
        let specs = ggml::expected_tensors(h)
            .ok_or_else(|| self.corrupt(format!("ftype {} is not supported", h.ftype)))?;
        let mut want: HashMap<&str, &TensorSpec> =
            specs.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut seen = 0usize;
        // whisper.cpp reads tensor records until the end of the file.
        while self.pos < self.len {
            let header = |pos: u64| move || format!("the tensor record header at offset {pos}");
            let start = self.pos;
            let n_dims = self.i32(&header(start)())?;
            let name_len = self.i32(&header(start)())?;
            let ttype = self.i32(&header(start)())?;
            if !(1..=3).contains(&n_dims) {
                return Err(self.corrupt(format!(
                    "tensor record at offset {start} has {n_dims} dimensions"
                )));
            }
            if !(1..=MAX_NAME_LEN).contains(&name_len) {
                return Err(self.corrupt(format!(
                    "tensor record at offset {start} has a {name_len}-byte name"
                )));
            }
            let mut ne = Vec::with_capacity(3);
            for _ in 0..n_dims {
                ne.push(i64::from(self.i32(&header(start)())?));
            }
            let mut name = vec![0u8; name_len.unsigned_abs() as usize];
            self.bytes(&mut name, &header(start)())?;
            let name = String::from_utf8_lossy(&name).into_owned();
            let Some(spec) = want.remove(name.as_str()) else {
                let why = if specs.iter().any(|t| t.name == name) {
                    "appears twice"
                } else {
                    "is not part of this model"
                };
                return Err(self.corrupt(format!("tensor '{name}' {why}")));
            };
            if pad3(&ne) != pad3(&spec.ne) {
                return Err(self.corrupt(format!(
                    "tensor '{name}' has shape {:?}, expected {:?}",
                    ne, spec.ne
                )));
            }
            let ty = GgmlType::from_id(ttype);
            if ty != Some(spec.ty) {
                let found = ty.map_or_else(|| format!("type id {ttype}"), |t| t.name().into());
                return Err(self.corrupt(format!(
                    "tensor '{name}' is {found}, expected {}",
                    spec.ty.name()
                )));
            }
            let bytes = spec.ty.data_bytes(&spec.ne).ok_or_else(|| {
                self.corrupt(format!("tensor '{name}' has a shape its type cannot hold"))
            })?;
            self.skip(bytes, || format!("the data of tensor '{name}'"))?;
            seen += 1;
        }
        if let Some(missing) = specs.iter().find(|t| want.contains_key(t.name.as_str())) {
            return Err(ModelError::Truncated {
                path: self.path.to_path_buf(),
                what: format!(
                    "{} more tensors (first missing: '{}')",
                    want.len(),
                    missing.name
                ),
                offset: self.pos,
                needed: want
                    .values()
                    .filter_map(|t| t.ty.data_bytes(&t.ne))
                    .sum::<u64>(),
                len: self.len,
            });
        }
        Ok(seen)
    }
}

fn pad3(ne: &[i64]) -> [i64; 3] {
    let mut out = [1i64; 3];
    for (o, v) in out.iter_mut().zip(ne) {
        *o = *v;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain() {
        assert!(valid_name("tiny.en"));
        assert!(valid_name("large-v3-turbo"));
        assert!(!valid_name("../etc/passwd"));
        assert!(!valid_name("a/b"));
        assert!(!valid_name(""));
        assert!(!valid_name(".hidden"));
    }

    #[test]
    fn known_models_have_sha256_hex() {
        for m in KNOWN_MODELS {
            assert_eq!(m.sha256.len(), 64, "{}", m.name);
            assert!(m.sha256.chars().all(|c| c.is_ascii_hexdigit()));
            assert!(valid_name(m.name));
        }
        assert!(known_model(DEFAULT_MODEL).is_some());
    }

    #[test]
    fn flag_wins_and_missing_flag_is_named() {
        let dir = std::env::temp_dir();
        let err = resolve_from(
            Some(&dir.join("vmcoach-no-such-model.bin")),
            None,
            "tiny.en",
        );
        let msg = err.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("--model"), "{msg}");
        let env = resolve_from(None, Some(dir.join("vmcoach-nope.bin")), "tiny.en");
        let msg = env.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("VMCOACH_MODEL"), "{msg}");
    }

    #[test]
    fn bad_names_are_refused() {
        let err = resolve_from(None, None, "../x");
        assert!(matches!(
            err,
            Err(TranscribeError::Model(ModelError::BadName { .. }))
        ));
    }
}
