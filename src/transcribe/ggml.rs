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

#[cfg(test)]
mod tests {
    use super::*;

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
