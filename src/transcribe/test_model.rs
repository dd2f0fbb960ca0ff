//! A tiny but valid ggml Whisper model with seeded random weights.
//!
//! Real weights cannot be fetched on the machines this project is built on,
//! yet the real whisper.cpp path (load, mel, encoder, decoder, timestamps)
//! must be tested. This writes a file in exactly the layout of whisper.cpp's
//! `convert-pt-to-ggml.py`: the English vocabulary size and context lengths
//! of the real models (whisper.cpp relies on them), but 64-wide, 2 heads and
//! 1 layer, so it is about 8 MB and runs in a fraction of a second. Its
//! transcripts are meaningless; their structure is not.
//!
//! The mel filters are the real ones ([`ggml::mel_filters`]), the encoder's
//! positional embedding the real sinusoids; everything else is uniform noise
//! scaled to keep activations near unit variance.

use super::ctranslate2 as ct2;
use super::ggml::{self, GgmlType, Hparams, TensorSpec};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum TestModelError {
    #[error("cannot write test model {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// Hyper-parameters of the generated model.
pub fn test_hparams() -> Hparams {
    Hparams {
        n_vocab: 51864,
        n_audio_ctx: 1500,
        n_audio_state: 64,
        n_audio_head: 2,
        n_audio_layer: 1,
        n_text_ctx: 448,
        n_text_state: 64,
        n_text_head: 2,
        n_text_layer: 1,
        n_mels: 80,
        ftype: 1,
    }
}

/// GPT-2's byte-level BPE has 50256 entries (without `<|endoftext|>`).
pub(crate) const N_TOKENS: usize = 50256;
/// GPT-2's id of the single-space token.
const SPACE_TOKEN: usize = 220;

/// Write the model to `path`. The same seed always gives the same file.
pub fn write_test_model(path: &Path, seed: u64) -> Result<(), TestModelError> {
    let io_err = |source| TestModelError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::create(path).map_err(io_err)?;
    let mut w = BufWriter::with_capacity(1 << 16, file);
    write_model(&mut w, seed).map_err(io_err)?;
    let file = w.into_inner().map_err(|e| io_err(e.into_error()))?;
    file.sync_all().map_err(io_err)
}

fn write_model(w: &mut impl Write, seed: u64) -> io::Result<()> {
    let h = test_hparams();
    w.write_all(&ggml::MAGIC.to_le_bytes())?;
    for v in h.to_array() {
        w.write_all(&v.to_le_bytes())?;
    }

    w.write_all(&h.n_mels.to_le_bytes())?;
    w.write_all(&ggml::N_FFT_BINS.to_le_bytes())?;
    for v in ggml::mel_filters(h.n_mels as usize) {
        w.write_all(&v.to_le_bytes())?;
    }

    w.write_all(&(N_TOKENS as i32).to_le_bytes())?;
    for i in 0..N_TOKENS {
        let t = token_text(i);
        w.write_all(&(t.len() as u32).to_le_bytes())?;
        w.write_all(t.as_bytes())?;
    }

    for (spec, data) in tensors(seed)? {
        let name = spec.name.as_bytes();
        w.write_all(&(spec.ne.len() as i32).to_le_bytes())?;
        w.write_all(&(name.len() as i32).to_le_bytes())?;
        w.write_all(&spec.ty.id().to_le_bytes())?;
        for &d in &spec.ne {
            w.write_all(&(d as i32).to_le_bytes())?;
        }
        w.write_all(name)?;
        w.write_all(&data)?;
    }
    Ok(())
}

/// Every tensor of the model with its data as stored (f16 or f32 bytes), in
/// whisper.cpp's load order. Both file layouts below write these bytes.
fn tensors(seed: u64) -> io::Result<Vec<(TensorSpec, Vec<u8>)>> {
    let h = test_hparams();
    let specs = ggml::expected_tensors(&h)
        .ok_or_else(|| io::Error::other("test model ftype is not supported"))?;
    let mut rng = SplitMix64(seed ^ 0x5EED_CAFE);
    Ok(specs
        .into_iter()
        .map(|spec| {
            let data = tensor_data(&spec, &h, &mut rng);
            (spec, data)
        })
        .collect())
}

fn tensor_data(spec: &TensorSpec, h: &Hparams, rng: &mut SplitMix64) -> Vec<u8> {
    let n: i64 = spec.ne.iter().product();
    let n = usize::try_from(n).unwrap_or(0);
    let is_1d = spec.ne.len() == 1;
    let mut value = |i: usize| -> f32 {
        if spec.name == "encoder.positional_embedding" {
            let state = h.n_audio_state as usize;
            return sinusoid(i / state, i % state, state);
        }
        let u = rng.uniform();
        if spec.name.ends_with("positional_embedding") {
            0.1 * u
        } else if is_1d && spec.name.ends_with(".weight") {
            // Layer-norm gains.
            1.0 + 0.1 * u
        } else if spec.name.ends_with(".bias") {
            0.02 * u
        } else {
            // Uniform on ±√(3/fan_in) has variance 1/fan_in: unit-variance outputs.
            let fan_in = if spec.ne.len() == 3 {
                spec.ne[0] * spec.ne[1]
            } else {
                spec.ne[0]
            };
            u * (3.0 / fan_in.max(1) as f32).sqrt()
        }
    };
    match spec.ty {
        GgmlType::F16 => (0..n)
            .flat_map(|i| ggml::f16_bits(value(i)).to_le_bytes())
            .collect(),
        _ => (0..n).flat_map(|i| value(i).to_le_bytes()).collect(),
    }
}

/// Write the same model as CTranslate2 would store it (what faster-whisper
/// loads, and what `vmcoach models import` reads): `model.bin` with
/// CTranslate2's names and fused attention projections (key bias zero),
/// each variable in the precision the ggml file has, plus `vocabulary.txt`
/// (GPT-2's byte alphabet, `<|endoftext|>` and Whisper's special tokens) and
/// a `config.json`. Importing it gives back the ggml model's tensors exactly.
pub fn write_test_ct2(dir: &Path, seed: u64) -> Result<(), TestModelError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TestModelError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let model = dir.join("model.bin");
    let mut w = BufWriter::new(File::create(&model).map_err(io_err(&model))?);
    write_ct2(&mut w, seed).map_err(io_err(&model))?;
    w.flush().map_err(io_err(&model))?;

    let vocab = dir.join("vocabulary.txt");
    std::fs::write(&vocab, ct2_vocabulary().join("\n") + "\n").map_err(io_err(&vocab))?;
    let config = dir.join("config.json");
    std::fs::write(
        &config,
        "{\"suppress_ids\": [], \"suppress_ids_begin\": [220, 50256]}\n",
    )
    .map_err(io_err(&config))
}

fn write_ct2(w: &mut impl Write, seed: u64) -> io::Result<()> {
    let h = test_hparams();
    let mut by_name: std::collections::HashMap<String, (TensorSpec, Vec<u8>)> = tensors(seed)?
        .into_iter()
        .map(|(s, d)| (s.name.clone(), (s, d)))
        .collect();
    let mut take = |n: &str| -> io::Result<(TensorSpec, Vec<u8>)> {
        by_name
            .remove(n)
            .ok_or_else(|| io::Error::other(format!("no tensor {n}")))
    };
    let d = h.n_audio_state as usize;
    // (name, shape row-major, type, bytes)
    let mut vars: Vec<(String, Vec<u32>, ct2::Ct2Type, Vec<u8>)> = Vec::new();
    let ty = |t: GgmlType| {
        if t == GgmlType::F16 {
            ct2::Ct2Type::F16
        } else {
            ct2::Ct2Type::F32
        }
    };
    let put = |vars: &mut Vec<_>, name: String, (spec, data): (TensorSpec, Vec<u8>)| {
        let mut shape: Vec<u32> = spec.ne.iter().rev().map(|&v| v as u32).collect();
        // The converter reshapes conv biases to [n, 1]; CTranslate2 keeps [n].
        if name.ends_with("conv1/bias") || name.ends_with("conv2/bias") {
            shape.retain(|&v| v != 1);
        }
        vars.push((name, shape, ty(spec.ty), data));
    };
    // Fused rows: the parts' data end to end; a missing key bias is zeros.
    let fuse = |parts: Vec<Option<(TensorSpec, Vec<u8>)>>, rows: u32, size: usize| {
        let first = parts.iter().flatten().next().map(|(s, _)| s.clone());
        let mut data = Vec::new();
        for p in &parts {
            match p {
                Some((_, d)) => data.extend_from_slice(d),
                None => data.extend(std::iter::repeat_n(0u8, d * size)),
            }
        }
        first.map(|mut s| {
            if let Some(last) = s.ne.last_mut() {
                *last = i64::from(rows);
            }
            (s, data)
        })
    };
    for (side, n_layer) in [("encoder", h.n_audio_layer), ("decoder", h.n_text_layer)] {
        for i in 0..n_layer {
            let g = format!("{side}.blocks.{i}");
            let c = format!("{side}/layer_{i}");
            let mut attn = |ours: &str, theirs: &str, fused_qkv: bool| -> io::Result<()> {
                let mut t = |x: &str| take(&format!("{g}.{ours}.{x}"));
                let q = (t("query.weight")?, t("query.bias")?);
                let k = t("key.weight")?;
                let v = (t("value.weight")?, t("value.bias")?);
                let o = (t("out.weight")?, t("out.bias")?);
                let n = |x: usize| format!("{c}/{theirs}/linear_{x}");
                let bias_size = if q.1 .0.ty == GgmlType::F16 { 2 } else { 4 };
                let missing = || io::Error::other("fusing");
                if fused_qkv {
                    let w = fuse(vec![Some(q.0), Some(k), Some(v.0)], 3 * d as u32, 2)
                        .ok_or_else(missing)?;
                    let b = fuse(vec![Some(q.1), None, Some(v.1)], 3 * d as u32, bias_size)
                        .ok_or_else(missing)?;
                    put(&mut vars, format!("{}/weight", n(0)), w);
                    put(&mut vars, format!("{}/bias", n(0)), b);
                    put(&mut vars, format!("{}/weight", n(1)), o.0);
                    put(&mut vars, format!("{}/bias", n(1)), o.1);
                } else {
                    put(&mut vars, format!("{}/weight", n(0)), q.0);
                    put(&mut vars, format!("{}/bias", n(0)), q.1);
                    let w = fuse(vec![Some(k), Some(v.0)], 2 * d as u32, 2).ok_or_else(missing)?;
                    let b =
                        fuse(vec![None, Some(v.1)], 2 * d as u32, bias_size).ok_or_else(missing)?;
                    put(&mut vars, format!("{}/weight", n(1)), w);
                    put(&mut vars, format!("{}/bias", n(1)), b);
                    put(&mut vars, format!("{}/weight", n(2)), o.0);
                    put(&mut vars, format!("{}/bias", n(2)), o.1);
                }
                let ln = if theirs == "self_attention" {
                    "attn_ln"
                } else {
                    "cross_attn_ln"
                };
                put(
                    &mut vars,
                    format!("{c}/{theirs}/layer_norm/gamma"),
                    take(&format!("{g}.{ln}.weight"))?,
                );
                put(
                    &mut vars,
                    format!("{c}/{theirs}/layer_norm/beta"),
                    take(&format!("{g}.{ln}.bias"))?,
                );
                Ok(())
            };
            attn("attn", "self_attention", true)?;
            if side == "decoder" {
                attn("cross_attn", "attention", false)?;
            }
            for (ours, theirs) in [("mlp.0", "linear_0"), ("mlp.2", "linear_1")] {
                put(
                    &mut vars,
                    format!("{c}/ffn/{theirs}/weight"),
                    take(&format!("{g}.{ours}.weight"))?,
                );
                put(
                    &mut vars,
                    format!("{c}/ffn/{theirs}/bias"),
                    take(&format!("{g}.{ours}.bias"))?,
                );
            }
            put(
                &mut vars,
                format!("{c}/ffn/layer_norm/gamma"),
                take(&format!("{g}.mlp_ln.weight"))?,
            );
            put(
                &mut vars,
                format!("{c}/ffn/layer_norm/beta"),
                take(&format!("{g}.mlp_ln.bias"))?,
            );
        }
    }
    for (ours, theirs) in [
        (
            "encoder.positional_embedding",
            "encoder/position_encodings/encodings",
        ),
        ("encoder.conv1.weight", "encoder/conv1/weight"),
        ("encoder.conv1.bias", "encoder/conv1/bias"),
        ("encoder.conv2.weight", "encoder/conv2/weight"),
        ("encoder.conv2.bias", "encoder/conv2/bias"),
        ("encoder.ln_post.weight", "encoder/layer_norm/gamma"),
        ("encoder.ln_post.bias", "encoder/layer_norm/beta"),
        (
            "decoder.positional_embedding",
            "decoder/position_encodings/encodings",
        ),
        (
            "decoder.token_embedding.weight",
            "decoder/embeddings/weight",
        ),
        ("decoder.ln.weight", "decoder/layer_norm/gamma"),
        ("decoder.ln.bias", "decoder/layer_norm/beta"),
    ] {
        put(&mut vars, theirs.to_string(), take(ours)?);
    }
    if let Some(left) = by_name.keys().next() {
        return Err(io::Error::other(format!(
            "tensor {left} has no CTranslate2 name"
        )));
    }
    let heads = |n: i32| (n as i16).to_le_bytes().to_vec();
    vars.push((
        "encoder/num_heads".into(),
        vec![],
        ct2::Ct2Type::I16,
        heads(h.n_audio_head),
    ));
    vars.push((
        "decoder/num_heads".into(),
        vec![],
        ct2::Ct2Type::I16,
        heads(h.n_text_head),
    ));
    // CTranslate2 sorts its variables by name.
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    let refs: Vec<(&str, &[u32], ct2::Ct2Type, &[u8])> = vars
        .iter()
        .map(|(n, s, t, d)| (n.as_str(), s.as_slice(), *t, d.as_slice()))
        .collect();
    ct2::write_model(
        w,
        "WhisperSpec",
        &refs,
        &[("decoder/projection/weight", "decoder/embeddings/weight")],
    )
}

/// The test vocabulary as CTranslate2 lists it: every token in GPT-2's byte
/// alphabet (a space is `Ġ`), then `<|endoftext|>` and special tokens up to
/// n_vocab.
pub fn ct2_vocabulary() -> Vec<String> {
    let n_vocab = test_hparams().n_vocab as usize;
    let mut v: Vec<String> = (0..N_TOKENS)
        .map(|i| token_text(i).replace(' ', "Ġ"))
        .collect();
    v.push("<|endoftext|>".into());
    while v.len() < n_vocab {
        v.push(format!("<|special_{}|>", v.len()));
    }
    v
}

/// Whisper's encoder positions: for row `t`, sin then cos of `t` times a
/// geometric ladder of frequencies (openai/whisper `sinusoids`).
fn sinusoid(t: usize, c: usize, channels: usize) -> f32 {
    let half = (channels / 2).max(2);
    let inc = (10_000f64).ln() / (half - 1) as f64;
    let k = c % half;
    let angle = t as f64 * (-inc * k as f64).exp();
    if c < half {
        angle.sin() as f32
    } else {
        angle.cos() as f32
    }
}

/// A deterministic vocabulary: the 94 printable ASCII characters, then
/// syllable "words", every other one with a leading space as GPT-2 BPE
/// marks a word start. All entries are distinct.
pub(crate) fn token_text(i: usize) -> String {
    // whisper.cpp looks up the lone-space token by text (`token_to_id.at(" ")`)
    // and throws — aborting the process — if it is missing. GPT-2 has it at 220.
    if i == SPACE_TOKEN {
        return " ".to_string();
    }
    const FIRST: u8 = b'!';
    const N_ASCII: usize = (b'~' - b'!' + 1) as usize;
    if i < N_ASCII {
        return char::from(FIRST + i as u8).to_string();
    }
    let j = i - N_ASCII;
    let mut s = String::new();
    if j.is_multiple_of(2) {
        s.push(' ');
    }
    // Bijective base-70 numbering: distinct numbers give distinct strings.
    const CONS: &[u8] = b"bdfgklmnprstvz";
    const VOW: &[u8] = b"aeiou";
    let base = CONS.len() * VOW.len();
    let mut n = j / 2 + 1;
    let mut syl = Vec::new();
    while n > 0 {
        n -= 1;
        let d = n % base;
        syl.push([CONS[d / VOW.len()], VOW[d % VOW.len()]]);
        n /= base;
    }
    for pair in syl.iter().rev() {
        s.push(char::from(pair[0]));
        s.push(char::from(pair[1]));
    }
    s
}

/// A small seeded generator (SplitMix64): enough for test weights, no dependency.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on [-1, 1).
    fn uniform(&mut self) -> f32 {
        ((self.next() >> 40) as f32 / (1u64 << 23) as f32) - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_is_distinct_and_printable() {
        let mut all: Vec<String> = (0..N_TOKENS).map(token_text).collect();
        assert!(all
            .iter()
            .all(|t| !t.is_empty() && t.chars().all(|c| c == ' ' || c.is_ascii_graphic())));
        assert!(
            all.iter().any(|t| t == " "),
            "whisper.cpp needs the lone space"
        );
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), N_TOKENS);
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        let mut c = Vec::new();
        assert!(write_model(&mut a, 7).is_ok());
        assert!(write_model(&mut b, 7).is_ok());
        assert!(write_model(&mut c, 8).is_ok());
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), c.len());
    }
}
