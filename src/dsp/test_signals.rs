//! Signals the DSP unit tests share.

/// `n` samples of uniform white noise in `[-amp, amp)`, reproducible from
/// `seed` (a 64-bit LCG: no dependency, same values on every platform).
pub fn noise(n: usize, amp: f32, seed: u64) -> Vec<f32> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            amp * (((s >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0)
        })
        .collect()
}
