//! Small numeric loops the stages share, written so the compiler can
//! vectorise them.
//!
//! A plain `iter().sum()` over `f32` adds one value at a time, each add
//! waiting for the one before (floating-point addition is not reassociated
//! without permission), so a 400-sample sum costs ~1600 cycles of latency.
//! Eight independent partial sums break that chain and map onto SIMD lanes;
//! the result differs from the sequential sum only by rounding.

/// Lanes of partial sums.
const LANES: usize = 8;

/// `Σ f(xᵢ)`, summed in eight independent partial sums.
#[inline]
pub fn sum_by(x: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    let mut acc = [0.0f32; LANES];
    let chunks = x.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, &v) in acc.iter_mut().zip(c) {
            *a += f(v);
        }
    }
    let tail: f32 = rest.iter().map(|&v| f(v)).sum();
    let (lo, hi) = acc.split_at(LANES / 2);
    let halves: f32 = lo.iter().zip(hi).map(|(a, b)| a + b).sum();
    halves + tail
}

/// `Σ xᵢ`.
#[inline]
pub fn sum(x: &[f32]) -> f32 {
    sum_by(x, |v| v)
}

/// `Σ xᵢ²`.
#[inline]
pub fn sum_squares(x: &[f32]) -> f32 {
    sum_by(x, |v| v * v)
}

/// `out[i] += h·(a[i] + b[i])`: one tap pair of a symmetric FIR filter.
/// A function of its own so the compiler knows the three slices do not
/// overlap (inlined into the caller, the loop stayed scalar).
#[inline(never)]
pub fn add_scaled_sum(out: &mut [f32], a: &[f32], b: &[f32], h: f32) {
    for ((y, &a), &b) in out.iter_mut().zip(a).zip(b) {
        *y += h * (a + b);
    }
}

/// Running sums: `out[0] = 0`, `out[i + 1] = x[0] + … + x[i]` of `f(x)`,
/// `out.len() == x.len() + 1`. Four stretches are scanned side by side (four
/// independent dependency chains), then each is offset by the total before it.
#[inline]
pub fn prefix_sums_by(x: &[f32], out: &mut [f32], f: impl Fn(f32) -> f32) {
    const STRETCHES: usize = 4;
    let n = x.len().min(out.len().saturating_sub(1));
    if n == 0 {
        if let Some(o) = out.first_mut() {
            *o = 0.0;
        }
        return;
    }
    let len = n / STRETCHES;
    let out = &mut out[..=n];
    out[0] = 0.0;
    let mut acc = [0.0f32; STRETCHES];
    for i in 0..len {
        for (s, a) in acc.iter_mut().enumerate() {
            let j = s * len + i;
            *a += f(x[j]);
            out[j + 1] = *a;
        }
    }
    // The left-over tail (fewer than STRETCHES samples) continues the last stretch.
    let mut last = acc[STRETCHES - 1];
    for j in STRETCHES * len..n {
        last += f(x[j]);
        out[j + 1] = last;
    }
    // Offset stretch s by the totals of the stretches before it.
    let mut offset = 0.0f32;
    for s in 1..STRETCHES {
        offset += acc[s - 1];
        let end = if s == STRETCHES - 1 { n } else { (s + 1) * len };
        for o in &mut out[s * len + 1..=end] {
            *o += offset;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 17.0)
            .collect()
    }

    #[test]
    fn sums_match_sequential_sums() {
        for n in [0, 1, 7, 8, 9, 63, 400, 401] {
            let x = data(n);
            let want: f64 = x.iter().map(|&v| v as f64).sum();
            assert!((sum(&x) as f64 - want).abs() < 1e-3, "n={n}");
            let want_sq: f64 = x.iter().map(|&v| (v as f64).powi(2)).sum();
            assert!((sum_squares(&x) as f64 - want_sq).abs() < 1e-2, "n={n}");
        }
    }

    #[test]
    fn prefix_sums_match_a_sequential_scan() {
        for n in [0, 1, 3, 4, 5, 17, 328, 331] {
            let x = data(n);
            let mut out = vec![f32::NAN; n + 1];
            prefix_sums_by(&x, &mut out, |v| v * v);
            let mut acc = 0.0f64;
            assert_eq!(out[0], 0.0);
            for i in 0..n {
                acc += (x[i] as f64).powi(2);
                assert!(
                    (out[i + 1] as f64 - acc).abs() < 1e-3 * acc.max(1.0),
                    "n={n} i={i}: {} vs {acc}",
                    out[i + 1]
                );
            }
        }
    }
}
