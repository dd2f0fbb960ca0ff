//! The ggml Whisper model file layout, as whisper.cpp's
//! `models/convert-pt-to-ggml.py` writes it and `whisper_model_load` reads it:
//!
//! ```text
//! u32 magic "ggml" | 11 × i32 hyper-parameters
//! i32 n_mel, i32 n_fft | n_mel × n_fft × f32 mel filters
//! i32 n_tokens | n_tokens × (u32 len, len bytes)
//! tensors until end of file: i32 n_dims, i32 name_len, i32 type,
//!                            n_dims × i32 ne (innermost first), name, data
//! ```
//!
//! All integers are little-endian. This module only describes the layout; the
//! checker (`model.rs`) and the test-model writer (`test_model.rs`) share it,
//! and whisper.cpp itself is the independent witness in the tests.

/// "ggml" read as a little-endian u32.
pub const MAGIC: u32 = 0x6767_6d6c;
/// Whisper's STFT has 400 points: 201 frequency bins per mel filter.
pub const N_FFT_BINS: i32 = 201;
/// whisper.cpp stores `ftype` plus this factor times the quantisation version.
pub const QNT_VERSION_FACTOR: i32 = 1000;

/// The 11 hyper-parameters at the start of the file, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hparams {
    pub n_vocab: i32,
    pub n_audio_ctx: i32,
    pub n_audio_state: i32,
    pub n_audio_head: i32,
    pub n_audio_layer: i32,
    pub n_text_ctx: i32,
    pub n_text_state: i32,
    pub n_text_head: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    pub ftype: i32,
}

impl Hparams {
    pub fn to_array(self) -> [i32; 11] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
            self.ftype,
        ]
    }

    pub fn from_array(a: [i32; 11]) -> Self {
        let [n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype] =
            a;
        Hparams {
            n_vocab,
            n_audio_ctx,
            n_audio_state,
            n_audio_head,
            n_audio_layer,
            n_text_ctx,
            n_text_state,
            n_text_head,
            n_text_layer,
            n_mels,
            ftype,
        }
    }

    /// The type of the large weight matrices, from `ftype` (without the
    /// quantisation version). `None` for an ftype whisper.cpp would abort on.
    pub fn weight_type(&self) -> Option<GgmlType> {
        GgmlType::from_ftype(self.ftype % QNT_VERSION_FACTOR)
    }

    /// The standard model size with this many encoder layers, as whisper.cpp names it.
    pub fn size_name(&self) -> &'static str {
        match self.n_audio_layer {
            4 => "tiny",
            6 => "base",
            12 => "small",
            24 => "medium",
            32 => "large",
            _ => "custom",
        }
    }

    /// English-only models have 51864 tokens; multilingual ones more.
    pub fn is_multilingual(&self) -> bool {
        self.n_vocab >= 51865
    }
}

/// The ggml tensor types a Whisper file may hold (ids from ggml.h).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GgmlType {
    F32,
    F16,
    Q4_0,
    Q4_1,
    Q5_0,
    Q5_1,
    Q8_0,
    Q2K,
    Q3K,
    Q4K,
    Q5K,
    Q6K,
    Bf16,
}

impl GgmlType {
    pub fn from_id(id: i32) -> Option<Self> {
        Some(match id {
            0 => Self::F32,
            1 => Self::F16,
            2 => Self::Q4_0,
            3 => Self::Q4_1,
            6 => Self::Q5_0,
            7 => Self::Q5_1,
            8 => Self::Q8_0,
            10 => Self::Q2K,
            11 => Self::Q3K,
            12 => Self::Q4K,
            13 => Self::Q5K,
            14 => Self::Q6K,
            30 => Self::Bf16,
            _ => return None,
        })
    }

    pub fn id(self) -> i32 {
        match self {
            Self::F32 => 0,
            Self::F16 => 1,
            Self::Q4_0 => 2,
            Self::Q4_1 => 3,
            Self::Q5_0 => 6,
            Self::Q5_1 => 7,
            Self::Q8_0 => 8,
            Self::Q2K => 10,
            Self::Q3K => 11,
            Self::Q4K => 12,
            Self::Q5K => 13,
            Self::Q6K => 14,
            Self::Bf16 => 30,
        }
    }

    /// The weight type for a file-level `ftype` (ggml's `ggml_ftype_to_ggml_type`,
    /// which asserts — aborts — on anything else).
    pub fn from_ftype(ftype: i32) -> Option<Self> {
        Some(match ftype {
            0 => Self::F32,
            1 => Self::F16,
            2 => Self::Q4_0,
            3 => Self::Q4_1,
            7 => Self::Q8_0,
            8 => Self::Q5_0,
            9 => Self::Q5_1,
            10 => Self::Q2K,
            11 => Self::Q3K,
            12 => Self::Q4K,
            13 => Self::Q5K,
            14 => Self::Q6K,
            24 => Self::Bf16,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::F32 => "f32",
            Self::F16 => "f16",
            Self::Q4_0 => "q4_0",
            Self::Q4_1 => "q4_1",
            Self::Q5_0 => "q5_0",
            Self::Q5_1 => "q5_1",
            Self::Q8_0 => "q8_0",
            Self::Q2K => "q2_K",
            Self::Q3K => "q3_K",
            Self::Q4K => "q4_K",
            Self::Q5K => "q5_K",
            Self::Q6K => "q6_K",
            Self::Bf16 => "bf16",
        }
    }

    /// (elements per block, bytes per block), from ggml-common.h.
    fn block(self) -> (u64, u64) {
        match self {
            Self::F32 => (1, 4),
            Self::F16 | Self::Bf16 => (1, 2),
            Self::Q4_0 => (32, 18),
            Self::Q4_1 => (32, 20),
            Self::Q5_0 => (32, 22),
            Self::Q5_1 => (32, 24),
            Self::Q8_0 => (32, 34),
            Self::Q2K => (256, 84),
            Self::Q3K => (256, 110),
            Self::Q4K => (256, 144),
            Self::Q5K => (256, 176),
            Self::Q6K => (256, 210),
        }
    }

    /// Bytes of data for a tensor of this type and shape, or `None` when the
    /// rows do not divide into blocks or the size overflows.
    pub fn data_bytes(self, ne: &[i64]) -> Option<u64> {
        let (blk, bytes) = self.block();
        let row = u64::try_from(*ne.first()?).ok()?;
        if row % blk != 0 {
            return None;
        }
        let mut n = row / blk * bytes;
        for &d in ne.iter().skip(1) {
            n = n.checked_mul(u64::try_from(d).ok()?)?;
        }
        Some(n)
    }
}

/// One tensor whisper.cpp expects: name, shape in ggml order (innermost first,
/// as stored in the file) and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorSpec {
    pub name: String,
    pub ne: Vec<i64>,
    pub ty: GgmlType,
}

/// Every tensor `whisper_model_load` creates for these hyper-parameters, in
/// its order, with the shapes and types it checks the file against. `None`
/// when `ftype` is not one whisper.cpp accepts.
pub fn expected_tensors(h: &Hparams) -> Option<Vec<TensorSpec>> {
    let wtype = h.weight_type()?;
    // Convolution kernels are f16 unless the whole model is f32.
    let vtype = if wtype == GgmlType::F32 {
        GgmlType::F32
    } else {
        GgmlType::F16
    };
    let f32t = GgmlType::F32;
    let (sa, st) = (i64::from(h.n_audio_state), i64::from(h.n_text_state));
    let mut out = Vec::new();
    let mut add = |name: String, ne: &[i64], ty: GgmlType| {
        out.push(TensorSpec {
            name,
            ne: ne.to_vec(),
            ty,
        })
    };

    add(
        "encoder.positional_embedding".into(),
        &[sa, i64::from(h.n_audio_ctx)],
        f32t,
    );
    add(
        "encoder.conv1.weight".into(),
        &[3, i64::from(h.n_mels), sa],
        vtype,
    );
    add("encoder.conv1.bias".into(), &[1, sa], f32t);
    add("encoder.conv2.weight".into(), &[3, sa, sa], vtype);
    add("encoder.conv2.bias".into(), &[1, sa], f32t);
    add("encoder.ln_post.weight".into(), &[sa], f32t);
    add("encoder.ln_post.bias".into(), &[sa], f32t);
    for i in 0..h.n_audio_layer {
        let p = format!("encoder.blocks.{i}");
        block_tensors(&mut add, &p, sa, wtype, false);
    }

    add(
        "decoder.positional_embedding".into(),
        &[st, i64::from(h.n_text_ctx)],
        f32t,
    );
    add(
        "decoder.token_embedding.weight".into(),
        &[st, i64::from(h.n_vocab)],
        wtype,
    );
    add("decoder.ln.weight".into(), &[st], f32t);
    add("decoder.ln.bias".into(), &[st], f32t);
    for i in 0..h.n_text_layer {
        let p = format!("decoder.blocks.{i}");
        block_tensors(&mut add, &p, st, wtype, true);
    }
    Some(out)
}

/// The tensors of one transformer block (self-attention, optional
/// cross-attention, MLP). Keys have no bias in Whisper.
fn block_tensors(
    add: &mut impl FnMut(String, &[i64], GgmlType),
    prefix: &str,
    s: i64,
    wtype: GgmlType,
    cross: bool,
) {
    let f32t = GgmlType::F32;
    add(format!("{prefix}.mlp_ln.weight"), &[s], f32t);
    add(format!("{prefix}.mlp_ln.bias"), &[s], f32t);
    add(format!("{prefix}.mlp.0.weight"), &[s, 4 * s], wtype);
    add(format!("{prefix}.mlp.0.bias"), &[4 * s], f32t);
    add(format!("{prefix}.mlp.2.weight"), &[4 * s, s], wtype);
    add(format!("{prefix}.mlp.2.bias"), &[s], f32t);
    let attns: &[(&str, &str)] = if cross {
        &[("attn_ln", "attn"), ("cross_attn_ln", "cross_attn")]
    } else {
        &[("attn_ln", "attn")]
    };
    for (ln, attn) in attns {
        add(format!("{prefix}.{ln}.weight"), &[s], f32t);
        add(format!("{prefix}.{ln}.bias"), &[s], f32t);
        add(format!("{prefix}.{attn}.query.weight"), &[s, s], wtype);
        add(format!("{prefix}.{attn}.query.bias"), &[s], f32t);
        add(format!("{prefix}.{attn}.key.weight"), &[s, s], wtype);
        add(format!("{prefix}.{attn}.value.weight"), &[s, s], wtype);
        add(format!("{prefix}.{attn}.value.bias"), &[s], f32t);
        add(format!("{prefix}.{attn}.out.weight"), &[s, s], wtype);
        add(format!("{prefix}.{attn}.out.bias"), &[s], f32t);
    }
}

/// The tensors in the order whisper.cpp's `convert-pt-to-ggml.py` writes
/// them (the order of OpenAI's PyTorch state dict), with the types it and
/// whisper.cpp's `quantize` give them — the same types [`expected_tensors`]
/// asks for. An importer that follows this order writes the converter's bytes.
pub fn converter_order(h: &Hparams) -> Option<Vec<TensorSpec>> {
    let mut by_name: std::collections::HashMap<String, TensorSpec> = expected_tensors(h)?
        .into_iter()
        .map(|t| (t.name.clone(), t))
        .collect();
    let mut names: Vec<String> = vec![
        "encoder.positional_embedding".into(),
        "encoder.conv1.weight".into(),
        "encoder.conv1.bias".into(),
        "encoder.conv2.weight".into(),
        "encoder.conv2.bias".into(),
    ];
    let block = |names: &mut Vec<String>, p: String, cross: bool| {
        let attns: &[&str] = if cross {
            &["attn", "cross_attn"]
        } else {
            &["attn"]
        };
        for a in attns {
            for t in [
                "query.weight",
                "query.bias",
                "key.weight",
                "value.weight",
                "value.bias",
                "out.weight",
                "out.bias",
            ] {
                names.push(format!("{p}.{a}.{t}"));
            }
            names.push(format!("{p}.{a}_ln.weight"));
            names.push(format!("{p}.{a}_ln.bias"));
        }
        for t in [
            "mlp.0.weight",
            "mlp.0.bias",
            "mlp.2.weight",
            "mlp.2.bias",
            "mlp_ln.weight",
            "mlp_ln.bias",
        ] {
            names.push(format!("{p}.{t}"));
        }
    };
    for i in 0..h.n_audio_layer {
        block(&mut names, format!("encoder.blocks.{i}"), false);
    }
    names.push("encoder.ln_post.weight".into());
    names.push("encoder.ln_post.bias".into());
    names.push("decoder.positional_embedding".into());
    names.push("decoder.token_embedding.weight".into());
    for i in 0..h.n_text_layer {
        block(&mut names, format!("decoder.blocks.{i}"), true);
    }
    names.push("decoder.ln.weight".into());
    names.push("decoder.ln.bias".into());
    let out: Option<Vec<TensorSpec>> = names.iter().map(|n| by_name.remove(n)).collect();
    // Every expected tensor is named exactly once above.
    out.filter(|_| by_name.is_empty())
}

/// Whisper's mel filterbank as OpenAI's `mel_filters.npz` holds it: librosa's
/// `filters.mel(sr=16000, n_fft=400, n_mels)` (Slaney scale and area
/// normalisation), `n_mels` rows of 201 bins. Every step repeats numpy's
/// float64 arithmetic in the same order — `linspace`, `rfftfreq`, the ramps,
/// the cast to float32 before the normalisation multiply and the one after —
/// so the result is bit-identical to the file's, not just close.
pub fn mel_filters(n_mels: usize) -> Vec<f32> {
    const SR: f64 = crate::dsp::SAMPLE_RATE as f64;
    const N_FFT: usize = 400;
    let n_bins = 1 + N_FFT / 2;
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = (min_log_hz - 0.0) / f_sp;
    let logstep = (6.4f64).ln() / 27.0;
    let hz_to_mel = |f: f64| {
        if f >= min_log_hz {
            min_log_mel + (f / min_log_hz).ln() / logstep
        } else {
            (f - 0.0) / f_sp
        }
    };
    let mel_to_hz = |m: f64| {
        if m >= min_log_mel {
            min_log_hz * (logstep * (m - min_log_mel)).exp()
        } else {
            0.0 + f_sp * m
        }
    };
    // np.linspace(0, top, n_mels + 2): i·step + start, the last one exact.
    let top = hz_to_mel(SR / 2.0);
    let n = n_mels + 2;
    let step = (top - 0.0) / (n - 1) as f64;
    let mut mels: Vec<f64> = (0..n).map(|i| i as f64 * step + 0.0).collect();
    if let Some(last) = mels.last_mut() {
        *last = top;
    }
    let mel_f: Vec<f64> = mels.into_iter().map(mel_to_hz).collect();
    // np.fft.rfftfreq(400, 1/16000): k · (1 / (n · d)).
    let val = 1.0 / (N_FFT as f64 * (1.0 / SR));
    let mut out = vec![0f32; n_mels * n_bins];
    for (i, row) in out.chunks_exact_mut(n_bins).enumerate() {
        let (lo, mid, hi) = (mel_f[i], mel_f[i + 1], mel_f[i + 2]);
        let enorm = 2.0 / (hi - lo);
        for (k, v) in row.iter_mut().enumerate() {
            let f = k as f64 * val;
            let lower = -(lo - f) / (mid - lo);
            let upper = (hi - f) / (hi - mid);
            // np.maximum(0, np.minimum(lower, upper)): on a tie the first
            // argument wins, so a -0.0 ramp gives +0.0.
            let m = if upper < lower { upper } else { lower };
            let w = if m > 0.0 { m as f32 } else { 0.0 };
            *v = (f64::from(w) * enorm) as f32;
        }
    }
    out
}

/// IEEE half precision, rounded to nearest even.
pub fn f16_bits(x: f32) -> u16 {
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

/// Half precision to single (exact: every half is a float).
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h & 0x8000) << 16;
    let exp = u32::from((h >> 10) & 0x1f);
    let man = u32::from(h & 0x3ff);
    let bits = match (exp, man) {
        (0, 0) => sign,
        (0, m) => {
            // Subnormal: m · 2^-24, normalised.
            let shift = m.leading_zeros() - 21;
            let m = (m << shift) & 0x3ff;
            sign | ((127 - 15 + 1 - shift) << 23) | (m << 13)
        }
        (0x1f, m) => sign | 0x7f80_0000 | (m << 13),
        (e, m) => sign | ((e + 127 - 15) << 23) | (m << 13),
    };
    f32::from_bits(bits)
}

/// Elements per q8_0 block.
pub const Q8_0_BLOCK: usize = 32;

/// ggml's q8_0 (`quantize_row_q8_0_ref`): per block of 32 values, the f16
/// scale `max|x| / 127`, then each value times the inverse of the unrounded
/// scale, rounded half away from zero, as i8. `x.len()` must be a multiple of
/// 32 (whisper's widths are); a ragged tail is ignored.
pub fn quantize_q8_0(x: &[f32], out: &mut Vec<u8>) {
    for block in x.chunks_exact(Q8_0_BLOCK) {
        let amax = block.iter().fold(0f32, |m, v| m.max(v.abs()));
        let d = amax / 127.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        out.extend_from_slice(&f16_bits(d).to_le_bytes());
        // In range by construction: |v·id| ≤ 127.
        out.extend(block.iter().map(|v| (v * id).round() as i8 as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest as _;

    fn tiny_en() -> Hparams {
        Hparams::from_array([51864, 1500, 384, 6, 4, 448, 384, 6, 4, 80, 1])
    }

    #[test]
    fn tensor_count_matches_whisper_cpp_formula() {
        // whisper.cpp sizes its context for 10 + 15 + 15·n_audio_layer + 24·n_text_layer;
        // the real count is 7 + 15·L_a + 4 + 24·L_t.
        let h = tiny_en();
        let t = expected_tensors(&h).unwrap_or_default();
        assert_eq!(t.len(), 7 + 15 * 4 + 4 + 24 * 4);
        let mut names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), t.len(), "tensor names are unique");
    }

    #[test]
    fn tiny_en_f16_data_size_is_the_published_file_size() {
        // ggml-tiny.en.bin is 77,704,715 bytes. Header, filters and vocabulary
        // are a small part; the tensors must come to just under that.
        let h = tiny_en();
        let t = expected_tensors(&h).unwrap_or_default();
        let data: u64 = t.iter().filter_map(|t| t.ty.data_bytes(&t.ne)).sum();
        assert!(data < 77_704_715 && data > 77_704_715 - 1_000_000, "{data}");
    }

    #[test]
    fn converter_order_has_every_tensor_once() {
        let h = tiny_en();
        let order = converter_order(&h).unwrap_or_default();
        let mut a: Vec<String> = order.iter().map(|t| t.name.clone()).collect();
        let mut b: Vec<String> = expected_tensors(&h)
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(
            order.first().map(|t| t.name.as_str()),
            Some("encoder.positional_embedding")
        );
        assert_eq!(
            order.last().map(|t| t.name.as_str()),
            Some("decoder.ln.bias")
        );
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn half_precision_both_ways() {
        assert_eq!(f16_bits(1.0), 0x3c00);
        assert_eq!(f16_bits(65504.0), 0x7bff);
        assert_eq!(f16_bits(1e6), 0x7c00);
        // Smallest subnormal is 2^-24 ≈ 5.96e-8; 1e-7 rounds to 2 of them.
        assert_eq!(f16_bits(1e-7), 0x0002);
        // 1 + 2^-11 is halfway between 1 and the next half: ties to even (1).
        assert_eq!(f16_bits(1.0 + 1.0 / 2048.0), 0x3c00);
        assert_eq!(f16_bits(1.0 + 3.0 / 2048.0), 0x3c02);
        // Every finite half survives the round trip.
        for h in 0..=u16::MAX {
            let x = f16_to_f32(h);
            if x.is_finite() {
                assert_eq!(f16_bits(x), h, "{h:#06x} -> {x}");
            }
        }
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert!(f16_to_f32(0x7c00).is_infinite());
    }

    #[test]
    fn q8_0_blocks_match_ggml_reference() {
        let x: Vec<f32> = (0..64).map(|i| (i as f32 - 20.0) / 8.0).collect();
        let mut out = Vec::new();
        quantize_q8_0(&x, &mut out);
        assert_eq!(out.len(), 2 * 34);
        // Block 0 spans -2.5..1.375: scale 2.5/127, -2.5 maps to -127.
        assert_eq!(&out[..2], &f16_bits(2.5 / 127.0).to_le_bytes());
        assert_eq!(out[2] as i8, -127);
        // 0 stays 0; x = 1.375 → 1.375·127/2.5 = 69.85 → 70.
        assert_eq!(out[2 + 20] as i8, 0);
        assert_eq!(out[2 + 31] as i8, 70);
        // An all-zero block has scale 0 and zero values.
        let mut z = Vec::new();
        quantize_q8_0(&[0.0; 32], &mut z);
        assert!(z.iter().all(|&b| b == 0));
    }

    #[test]
    fn mel_filters_are_triangles_with_slaney_area() {
        let f = mel_filters(80);
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
        // The first filter rises from 0 Hz.
        assert_eq!(f[0], 0.0);
        // The bytes of openai/whisper's mel_filters.npz `mel_80` (as whisper.cpp's
        // converter copies them into every ggml file), hashed.
        let bytes: Vec<u8> = f.iter().flat_map(|v| v.to_le_bytes()).collect();
        let sha = sha2::Sha256::digest(&bytes);
        let hex: String = sha.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "85818f156f7e189453901a515e4726d270d307f976e161cf9403e8caab405498"
        );
    }

    #[test]
    fn types_and_sizes() {
        assert_eq!(GgmlType::F16.data_bytes(&[64, 3]), Some(384));
        assert_eq!(GgmlType::Q8_0.data_bytes(&[64, 2]), Some(136));
        assert_eq!(GgmlType::Q4_0.data_bytes(&[30, 2]), None);
        assert_eq!(GgmlType::F32.data_bytes(&[-1]), None);
        assert_eq!(GgmlType::from_ftype(1), Some(GgmlType::F16));
        assert_eq!(GgmlType::from_ftype(4), None);
        for id in 0..40 {
            if let Some(t) = GgmlType::from_id(id) {
                assert_eq!(t.id(), id);
            }
        }
    }
}
