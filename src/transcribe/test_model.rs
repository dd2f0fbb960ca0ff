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
//! The mel filters are the real Slaney filterbank Whisper uses (librosa's
//! `mel(sr=16000, n_fft=400, n_mels=80)`), the encoder's positional embedding
//! the real sinusoids; everything else is uniform noise scaled to keep
//! activations near unit variance.

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
    for v in slaney_mel_filters(f64::from(crate::dsp::SAMPLE_RATE), 400, 80) {
        w.write_all(&v.to_le_bytes())?;
    }

    w.write_all(&(N_TOKENS as i32).to_le_bytes())?;
    for i in 0..N_TOKENS {
        let t = token_text(i);
        w.write_all(&(t.len() as u32).to_le_bytes())?;
        w.write_all(t.as_bytes())?;
    }

    let specs = ggml::expected_tensors(&h)
        .ok_or_else(|| io::Error::other("test model ftype is not supported"))?;
    let mut rng = SplitMix64(seed ^ 0x5EED_CAFE);
    for spec in &specs {
        write_tensor(w, spec, &h, &mut rng)?;
    }
    Ok(())
}

fn write_tensor(
    w: &mut impl Write,
    spec: &TensorSpec,
    h: &Hparams,
    rng: &mut SplitMix64,
) -> io::Result<()> {
    let name = spec.name.as_bytes();
    w.write_all(&(spec.ne.len() as i32).to_le_bytes())?;
    w.write_all(&(name.len() as i32).to_le_bytes())?;
    w.write_all(&spec.ty.id().to_le_bytes())?;
    for &d in &spec.ne {
        w.write_all(&(d as i32).to_le_bytes())?;
    }
    w.write_all(name)?;

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
        GgmlType::F16 => {
            for i in 0..n {
                w.write_all(&f16_bits(value(i)).to_le_bytes())?;
            }
        }
        _ => {
            for i in 0..n {
                w.write_all(&value(i).to_le_bytes())?;
            }
        }
    }
    Ok(())
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

/// librosa's Slaney-style mel filterbank (`htk=False, norm="slaney"`), the
/// one in Whisper's `mel_filters.npz`, as `n_mels` rows of `1 + n_fft/2`.
pub(crate) fn slaney_mel_filters(sr: f64, n_fft: usize, n_mels: usize) -> Vec<f32> {
    let n_bins = 1 + n_fft / 2;
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = (6.4f64).ln() / 27.0;
    let hz_to_mel = |f: f64| {
        if f >= min_log_hz {
            min_log_mel + (f / min_log_hz).ln() / logstep
        } else {
            f / f_sp
        }
    };
    let mel_to_hz = |m: f64| {
        if m >= min_log_mel {
            min_log_hz * (logstep * (m - min_log_mel)).exp()
        } else {
            f_sp * m
        }
    };
    let top = hz_to_mel(sr / 2.0);
    let mel_f: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(top * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut out = vec![0f32; n_mels * n_bins];
    for (m, row) in out.chunks_exact_mut(n_bins).enumerate() {
        let (lo, mid, hi) = (mel_f[m], mel_f[m + 1], mel_f[m + 2]);
        let enorm = 2.0 / (hi - lo);
        for (k, v) in row.iter_mut().enumerate() {
            let f = k as f64 * sr / n_fft as f64;
            let lower = (f - lo) / (mid - lo);
            let upper = (hi - f) / (hi - mid);
            *v = (lower.min(upper).max(0.0) * enorm) as f32;
        }
    }
    out
}

/// IEEE half precision, rounded to nearest even.
pub(crate) fn f16_bits(x: f32) -> u16 {
    let b = x.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32;
    let man = b & 0x7f_ffff;
    if exp == 0xff {
        return sign | 0x7c00 | if man != 0 { 0x200 } else { 0 };
    }
    let e = exp - 127 + 15;
    if e >= 0x1f {
        return sign | 0x7c00;
    }
    if e <= 0 {
        if e < -10 {
            return sign;
        }
        let m = man | 0x80_0000;
        let shift = (14 - e) as u32;
        let half = 1u32 << (shift - 1);
        let mut r = m >> shift;
        let rem = m & ((1u32 << shift) - 1);
        if rem > half || (rem == half && r & 1 == 1) {
            r += 1;
        }
        return sign | r as u16;
    }
    let mut r = ((e as u32) << 10) | (man >> 13);
    let rem = man & 0x1fff;
    if rem > 0x1000 || (rem == 0x1000 && r & 1 == 1) {
        // A carry into the exponent is the correct rounding (up to infinity).
        r += 1;
    }
    sign | r as u16
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
    fn half_precision() {
        assert_eq!(f16_bits(1.0), 0x3c00);
        assert_eq!(f16_bits(0.5), 0x3800);
        assert_eq!(f16_bits(-2.0), 0xc000);
        assert_eq!(f16_bits(65504.0), 0x7bff);
        assert_eq!(f16_bits(1e6), 0x7c00);
        assert_eq!(f16_bits(0.0), 0);
        // Smallest subnormal is 2^-24 ≈ 5.96e-8; 1e-7 rounds to 2 of them.
        assert_eq!(f16_bits(1e-7), 0x0002);
        // 1 + 2^-11 is halfway between 1 and the next half: ties to even (1).
        assert_eq!(f16_bits(1.0 + 1.0 / 2048.0), 0x3c00);
        assert_eq!(f16_bits(1.0 + 3.0 / 2048.0), 0x3c02);
    }

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
    fn mel_filters_are_triangles_with_slaney_area() {
        let f = slaney_mel_filters(16_000.0, 400, 80);
        assert_eq!(f.len(), 80 * 201);
        for (m, row) in f.chunks_exact(201).enumerate() {
            let peak = row.iter().cloned().fold(0f32, f32::max);
            assert!(peak > 0.0, "every filter has weight");
            // Slaney normalisation makes each triangle's area 1 (in Hz·weight):
            // sum(weights)·40 Hz ≈ 1 where filters are several bins wide.
            if m >= 40 {
                let area: f32 = row.iter().sum::<f32>() * 40.0;
                assert!(area > 0.8 && area < 1.2, "filter {m}: area {area}");
            }
        }
        // The first filter rises from 0 Hz, the last ends at 8 kHz.
        assert_eq!(f[0], 0.0);
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
