//! Signals the DSP unit tests share. The integration tests include this
//! same file (`tests/it/support.rs`, `tests/dsp_alloc.rs`,
//! `tests/stream_memory.rs`), each using a part of it.
#![allow(dead_code)]

/// Uniform values in `[0, 1)` from a 64-bit LCG seeded with `seed` (no
/// dependency, the same values on every platform).
fn uniform(seed: u64) -> impl Iterator<Item = f32> {
    let mut s = seed;
    std::iter::repeat_with(move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 40) as f32 / (1u64 << 24) as f32
    })
}

/// `n` samples of uniform white noise in `[-amp, amp)`, reproducible from
/// `seed`.
pub fn noise(n: usize, amp: f32, seed: u64) -> Vec<f32> {
    uniform(seed)
        .take(n)
        .map(|u| amp * (u * 2.0 - 1.0))
        .collect()
}

/// `seconds` of speech-like sound at 16 kHz, one sample at a time (nothing
/// held): syllables (4 a second) voiced on a pitch gliding around 120 Hz
/// with `harmonics` harmonics, for 2 s out of every 3, over faint noise.
pub fn speechlike(seconds: f32, harmonics: u32) -> impl Iterator<Item = f32> {
    use std::f32::consts::PI;
    let n = (seconds * 16000.0) as usize;
    uniform(7).take(n).enumerate().map(move |(i, u)| {
        let t = i as f32 / 16000.0;
        let noise = (u - 0.5) * 0.002;
        let on = (t % 3.0) < 2.0;
        let env = (0.5 - 0.5 * (2.0 * PI * 4.0 * t).cos()).powi(2);
        let f0 = 120.0 + 20.0 * (2.0 * PI * 0.5 * t).sin();
        let v: f32 = (1..=harmonics)
            .map(|h| (2.0 * PI * f0 * h as f32 * t).sin() / h as f32)
            .sum();
        noise + if on { 0.2 * env * v } else { 0.0 }
    })
}
