//! Framing: blocks of 16 kHz samples in, one analysis frame out every 10 ms.
//!
//! Frame `k` is centred on sample `k * HOP` (time `k * 10 ms`): the stage
//! starts with half an analysis window of zeros, so frame 0 describes the
//! very start of the signal and no time offset has to be remembered later.
//! Each frame carries the last [`ANALYSIS_LEN`] samples (48 ms, enough for a
//! pitch period down to 62.5 Hz plus its integration window) and features of
//! the central 25 ms: energy, spectral flatness and the share of energy in
//! the speech band, from one realfft plan made in `new`.
//!
//! A one-pole DC blocker runs on the input first, so a DC offset neither
//! reads as level nor fools the pitch tracker.

use std::sync::Arc;

use realfft::num_complex::Complex;
use realfft::{RealFftPlanner, RealToComplex};

use super::{kernels, SAMPLE_RATE};

/// Samples between frames (10 ms).
pub(crate) const HOP: usize = 160;
/// Samples each frame carries, centred on the frame time (48 ms).
pub(crate) const ANALYSIS_LEN: usize = 768;
/// Samples of the energy and spectrum window (25 ms), centred on the frame time.
pub(crate) const ENERGY_LEN: usize = 400;
/// FFT size for the spectrum of the energy window (zero-padded).
pub(crate) const SPECTRUM_FFT: usize = 512;
/// Samples of the 8 kHz copy each frame carries (the same 48 ms).
pub(crate) const DECIMATED_LEN: usize = ANALYSIS_LEN / 2;
/// Rate of the decimated copy (pitch needs nothing above 4 kHz, and half the
/// samples halves the cost of its FFTs).
pub(crate) const DECIMATED_RATE: u32 = SAMPLE_RATE / 2;
/// Taps of the anti-alias low-pass before decimation (odd: centred).
const DECIM_TAPS: usize = 31;
/// Non-zero taps either side of the half-band filter's centre.
const ODD_PAD: usize = (DECIM_TAPS / 2).div_ceil(2);
/// Decimated samples that change per hop.
const DECIM_HOP: usize = HOP / 2;

/// Frame energy reported for digital silence, dBFS.
pub(crate) const SILENCE_DB: f32 = -120.0;

/// Seconds per frame step.
pub const FRAME_SECONDS: f64 = HOP as f64 / SAMPLE_RATE as f64;

/// Speech band for [`Frame::speech_band_ratio`], Hz.
const BAND_LOW_HZ: f32 = 250.0;
const BAND_HIGH_HZ: f32 = 4000.0;
/// Range over which spectral flatness is measured, Hz.
const FLAT_LOW_HZ: f32 = 100.0;
const FLAT_HIGH_HZ: f32 = 4000.0;
/// DC blocker pole: a high-pass corner of about 13 Hz at 16 kHz.
const DC_POLE: f32 = 0.995;

/// One 10 ms step of the signal with its features. From a framer made by
/// [`Framer::without_spectrum`], `flatness`, `speech_band_ratio` and
/// `high_band_db` are NaN and `power` is empty.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// Frame number from the start of the stream.
    pub index: u64,
    /// Centre of the frame, seconds from the start.
    pub time: f64,
    /// [`ANALYSIS_LEN`] DC-blocked samples centred on `time` (zeros outside the signal).
    pub samples: &'a [f32],
    /// The same stretch low-passed (half-band, 4 kHz) and decimated to 8 kHz
    /// ([`DECIMATED_LEN`] samples); the last few, whose filter would reach
    /// past the newest sample, are approximate (the pitch tracker's centred
    /// stretch never uses them).
    pub samples_8k: &'a [f32],
    /// Mean power of the central 25 ms, dBFS (a full-scale square wave is 0 dB).
    pub energy_db: f32,
    /// Mean square of the central 25 ms (linear), for summing levels.
    pub mean_square: f32,
    /// Spectral flatness 100–4000 Hz: 1 for white noise, near 0 for a tone or a vowel.
    pub flatness: f32,
    /// Share of the frame's energy in 250–4000 Hz (0..1).
    pub speech_band_ratio: f32,
    /// Energy of 4–8 kHz in dBFS (fricatives: "s", "f", "th" live here, and
    /// white noise spreads thin over it, so they stand out more than full-band).
    pub high_band_db: f32,
    /// Power spectrum of the Hann-windowed central 25 ms, `SPECTRUM_FFT / 2 + 1` bins.
    pub power: &'a [f32],
}

/// Mean square of the frame's signal between two FFT bins (half-open),
/// from a Hann-windowed power spectrum of [`ENERGY_LEN`] samples in a
/// [`SPECTRUM_FFT`]-point FFT (Parseval, one-sided, Hann power gain 3/8).
pub(crate) fn band_mean_square(power: &[f32], lo: usize, hi: usize) -> f32 {
    let sum: f32 = power.get(lo..hi).map_or(0.0, kernels::sum);
    2.0 * sum / (SPECTRUM_FFT as f32 * ENERGY_LEN as f32 * 0.375)
}

/// Converts a mean square to dBFS, with silence at [`SILENCE_DB`].
pub(crate) fn power_db(mean_square: f32) -> f32 {
    if mean_square.is_finite() && mean_square > 1e-12 {
        (10.0 * mean_square.log10()).max(SILENCE_DB)
    } else {
        SILENCE_DB
    }
}

/// The framing stage.
pub struct Framer {
    history: Vec<f32>,
    /// Where the next input sample goes in `history`.
    write: usize,
    dc_x1: f32,
    dc_y1: f32,
    next_index: u64,
    samples_in: u64,
    fft: Arc<dyn RealToComplex<f32>>,
    fft_in: Vec<f32>,
    fft_out: Vec<Complex<f32>>,
    scratch: Vec<Complex<f32>>,
    power: Vec<f32>,
    window: Vec<f32>,
    decimated: Vec<f32>,
    /// Centre tap of the half-band filter.
    decim_centre: f32,
    /// Its other non-zero taps, `decim_odd[m]` at offsets ±(2m + 1).
    decim_odd: Vec<f32>,
    /// Odd-numbered history samples with [`ODD_PAD`] zeros either side.
    odd_padded: Vec<f32>,
    band: (usize, usize),
    flat: (usize, usize),
    /// Whether frames carry the spectrum and its features.
    spectrum: bool,
}

impl Default for Framer {
    fn default() -> Self {
        Self::new()
    }
}

impl Framer {
    /// Plans the FFT and allocates every buffer.
    pub fn new() -> Self {
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(SPECTRUM_FFT);
        let fft_in = fft.make_input_vec();
        let fft_out = fft.make_output_vec();
        let scratch = fft.make_scratch_vec();
        let power = vec![0.0; fft_out.len()];
        let window = (0..ENERGY_LEN)
            .map(|i| {
                let x = std::f32::consts::PI * 2.0 * (i as f32 + 0.5) / ENERGY_LEN as f32;
                0.5 - 0.5 * x.cos()
            })
            .collect();
        let bin_hz = SAMPLE_RATE as f32 / SPECTRUM_FFT as f32;
        let bin = |hz: f32| ((hz / bin_hz).round() as usize).min(SPECTRUM_FFT / 2);
        let decim_taps = half_band_taps();
        // Half-band: the even offsets from the centre are zero (up to rounding).
        let half = DECIM_TAPS / 2;
        let decim_centre = decim_taps[half];
        let decim_odd: Vec<f32> = (0..ODD_PAD).map(|m| decim_taps[half + 2 * m + 1]).collect();
        Self {
            history: vec![0.0; ANALYSIS_LEN],
            write: ANALYSIS_LEN / 2,
            dc_x1: 0.0,
            dc_y1: 0.0,
            next_index: 0,
            samples_in: 0,
            fft,
            fft_in,
            fft_out,
            scratch,
            power,
            window,
            decimated: vec![0.0; DECIMATED_LEN],
            decim_centre,
            decim_odd,
            odd_padded: vec![0.0; DECIMATED_LEN + 2 * ODD_PAD],
            band: (bin(BAND_LOW_HZ), bin(BAND_HIGH_HZ)),
            flat: (bin(FLAT_LOW_HZ), bin(FLAT_HIGH_HZ)),
            spectrum: true,
        }
    }

    /// A framer whose frames carry the samples (16 and 8 kHz) and the energy
    /// but no spectrum: `flatness`, `speech_band_ratio` and `high_band_db` are
    /// NaN and `power` is empty. For pitch tracking alone, which needs none of
    /// them; the spectrum is most of the framer's cost.
    pub(crate) fn without_spectrum() -> Self {
        Self {
            spectrum: false,
            ..Self::new()
        }
    }

    /// Samples taken so far.
    pub(crate) fn samples_in(&self) -> u64 {
        self.samples_in
    }

    /// Frames emitted so far.
    pub(crate) fn frames_out(&self) -> u64 {
        self.next_index
    }

    /// Takes a block of any size; calls `on_frame` for every frame completed.
    /// Returns the number of frames emitted. Does not allocate.
    pub fn process(&mut self, input: &[f32], mut on_frame: impl FnMut(&Frame)) -> usize {
        let mut emitted = 0;
        let mut rest = input;
        while !rest.is_empty() {
            let room = ANALYSIS_LEN - self.write;
            let take = room.min(rest.len());
            let (now, later) = rest.split_at(take);
            (self.dc_x1, self.dc_y1) = dc_block(
                now,
                &mut self.history[self.write..self.write + take],
                (self.dc_x1, self.dc_y1),
            );
            self.write += take;
            self.samples_in += take as u64;
            rest = later;
            if self.write == ANALYSIS_LEN {
                self.emit(&mut on_frame);
                emitted += 1;
            }
        }
        emitted
    }

    /// Emits the frames whose centres fall inside the signal but that still
    /// wait for samples, padding with zeros. Returns the number emitted.
    pub fn finish(&mut self, mut on_frame: impl FnMut(&Frame)) -> usize {
        let mut emitted = 0;
        while self.next_index * (HOP as u64) < self.samples_in {
            self.history[self.write..].fill(0.0);
            self.write = ANALYSIS_LEN;
            self.emit(&mut on_frame);
            emitted += 1;
        }
        emitted
    }

    /// Back to the state after `new`, for the next stream.
    pub fn reset(&mut self) {
        self.history.fill(0.0);
        self.write = ANALYSIS_LEN / 2;
        self.dc_x1 = 0.0;
        self.dc_y1 = 0.0;
        self.next_index = 0;
        self.samples_in = 0;
        self.decimated.fill(0.0);
    }

    /// Brings the 8 kHz copy up to date for the current history: the part
    /// already computed for the previous frame moves down by one hop, and
    /// only the newest hop is filtered.
    ///
    /// The half-band filter is applied in polyphase form: output `i` is
    /// `h₀·x[2i] + Σₘ hₘ·(x[2i+2m+1] + x[2i−2m−1])`, so the odd samples are
    /// copied into a zero-padded contiguous buffer and every tap becomes one
    /// pass over slices, which the compiler vectorises (the per-output tap
    /// loop this replaces was the framer's largest cost).
    fn decimate(&mut self) {
        let half = DECIM_TAPS / 2;
        // Outputs whose filter fits inside the history.
        let exact_end = (ANALYSIS_LEN - 1 - half) / 2 + 1;
        let from = if self.next_index == 0 {
            0
        } else {
            self.decimated.copy_within(DECIM_HOP.., 0);
            exact_end.saturating_sub(DECIM_HOP)
        };
        // odd_padded[ODD_PAD + j] = history[2j + 1]; zeros either side stand
        // for samples outside the history. Only the part the new outputs'
        // taps reach (odd samples from `from - ODD_PAD` on) is refreshed.
        let first = from.saturating_sub(ODD_PAD);
        for (dst, pair) in self.odd_padded[ODD_PAD + first..ODD_PAD + DECIMATED_LEN]
            .iter_mut()
            .zip(self.history[2 * first..].chunks_exact(2))
        {
            *dst = pair[1];
        }
        let out = &mut self.decimated[from..];
        for (y, pair) in out.iter_mut().zip(self.history[2 * from..].chunks_exact(2)) {
            *y = self.decim_centre * pair[0];
        }
        let n = out.len();
        for (m, &h) in self.decim_odd.iter().enumerate() {
            // x[2i + 2m + 1] = odd[i + m], x[2i − 2m − 1] = odd[i − m − 1]
            let ahead = &self.odd_padded[ODD_PAD + from + m..][..n];
            let behind = &self.odd_padded[ODD_PAD + from - m - 1..][..n];
            kernels::add_scaled_sum(out, ahead, behind, h);
        }
    }

    fn emit(&mut self, on_frame: &mut impl FnMut(&Frame)) {
        self.decimate();
        let start = ANALYSIS_LEN / 2 - ENERGY_LEN / 2;
        let mean_square =
            kernels::sum_squares(&self.history[start..start + ENERGY_LEN]) / ENERGY_LEN as f32;
        let (flatness, speech_band_ratio, high_band_db) = if self.spectrum {
            self.spectrum_features(start, mean_square)
        } else {
            (f32::NAN, f32::NAN, f32::NAN)
        };
        let frame = Frame {
            index: self.next_index,
            time: self.next_index as f64 * FRAME_SECONDS,
            samples: &self.history,
            samples_8k: &self.decimated,
            energy_db: power_db(mean_square),
            mean_square,
            flatness,
            speech_band_ratio,
            high_band_db,
            power: if self.spectrum { &self.power } else { &[] },
        };
        on_frame(&frame);
        self.next_index += 1;
        self.history.copy_within(HOP.., 0);
        self.write = ANALYSIS_LEN - HOP;
    }

    /// Fills `self.power` from the Hann-windowed energy window starting at
    /// `start`; returns (flatness, speech-band share, 4–8 kHz level in dBFS).
    fn spectrum_features(&mut self, start: usize, mean_square: f32) -> (f32, f32, f32) {
        let energy_win = &self.history[start..start + ENERGY_LEN];
        for ((dst, &x), &w) in self.fft_in.iter_mut().zip(energy_win).zip(&self.window) {
            *dst = x * w;
        }
        self.fft_in[ENERGY_LEN..].fill(0.0);
        let ok = self
            .fft
            .process_with_scratch(&mut self.fft_in, &mut self.fft_out, &mut self.scratch)
            .is_ok();
        if !(ok && mean_square > 1e-12) {
            self.power.fill(0.0);
            return (1.0, 0.0, SILENCE_DB);
        }
        for (p, c) in self.power.iter_mut().zip(&self.fft_out) {
            *p = c.norm_sqr();
        }
        (
            flatness(&self.power[self.flat.0..self.flat.1]),
            band_ratio(&self.power, self.band),
            power_db(band_mean_square(&self.power, self.band.1, self.power.len())),
        )
    }
}

/// The DC blocker `y[n] = x[n] − x[n−1] + p·y[n−1]` over a block, from and
/// to the state `(x[n−1], y[n−1])`. Non-finite input would poison every
/// later frame, so it reads as silence.
///
/// The recursion is a chain of dependent multiply-adds, one per sample; it
/// is unrolled four ahead (`y[n] = Σₖ₌₀³ pᵏ·d[n−k] + p⁴·y[n−4]`, with
/// `d[n] = x[n] − x[n−1]`) so four chains run side by side.
fn dc_block(input: &[f32], out: &mut [f32], state: (f32, f32)) -> (f32, f32) {
    const P: [f32; 5] = [
        1.0,
        DC_POLE,
        DC_POLE * DC_POLE,
        DC_POLE * DC_POLE * DC_POLE,
        DC_POLE * DC_POLE * DC_POLE * DC_POLE,
    ];
    let clean = |x: f32| if x.is_finite() { x } else { 0.0 };
    let n = input.len().min(out.len());
    let (input, out) = (&input[..n], &mut out[..n]);
    // The first four samples the plain way, so every later one has four
    // outputs and four earlier inputs behind it.
    let (mut x1, mut y1) = state;
    for (dst, &x) in out.iter_mut().zip(input).take(4) {
        let x = clean(x);
        let y = x - x1 + DC_POLE * y1;
        (x1, y1) = (x, y);
        *dst = y;
    }
    if n <= 4 {
        return (x1, y1);
    }
    // Σₖ pᵏ·d[i−k] for every later sample: no recursion, it vectorises.
    for (i, dst) in out.iter_mut().enumerate().skip(4) {
        let x = |k: usize| clean(input[i - k]);
        *dst = (x(0) - x(1)) + P[1] * (x(1) - x(2)) + P[2] * (x(2) - x(3)) + P[3] * (x(3) - x(4));
    }
    // + p⁴·y[i−4]: four independent chains.
    for i in 4..n {
        out[i] += P[4] * out[i - 4];
    }
    (clean(input[n - 1]), out[n - 1])
}

/// The anti-alias filter before decimation: a half-band windowed sinc
/// (Blackman), cut-off 4 kHz, unity gain at DC; every other tap is zero.
fn half_band_taps() -> Vec<f32> {
    let fc = 0.25f32;
    let mid = (DECIM_TAPS / 2) as f32;
    let mut decim_taps: Vec<f32> = (0..DECIM_TAPS)
        .map(|i| {
            let n = i as f32 - mid;
            let sinc = if n == 0.0 {
                2.0 * fc
            } else {
                (2.0 * std::f32::consts::PI * fc * n).sin() / (std::f32::consts::PI * n)
            };
            let w = 2.0 * std::f32::consts::PI * i as f32 / (DECIM_TAPS - 1) as f32;
            sinc * (0.42 - 0.5 * w.cos() + 0.08 * (2.0 * w).cos())
        })
        .collect();
    let sum: f32 = decim_taps.iter().sum();
    decim_taps.iter_mut().for_each(|t| *t /= sum);
    decim_taps
}

/// Geometric over arithmetic mean of power bins (0..1).
fn flatness(bins: &[f32]) -> f32 {
    if bins.is_empty() {
        return 1.0;
    }
    let n = bins.len() as f32;
    let eps = 1e-20_f32;
    let mean = kernels::sum(bins) / n;
    // Past this check every bin is finite and non-negative, which `fast_ln` needs.
    if !mean.is_finite() || mean <= eps {
        return 1.0;
    }
    let log_mean = kernels::sum_by(bins, |p| fast_ln(p + eps)) / n;
    let v = log_mean.exp() / mean;
    if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        1.0
    }
}

/// Natural log of a positive finite `x`, good to about 0.01 (exponent bits
/// plus a quadratic for the mantissa): flatness is a ratio of means, and
/// `ln` on every bin of every frame was the framer's largest cost. No
/// branches, so the loop over bins vectorises; other inputs give garbage.
fn fast_ln(x: f32) -> f32 {
    let bits = x.to_bits();
    let exp = ((bits >> 23) & 0xff) as i32 - 128;
    // mantissa in [1, 2)
    let m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000);
    let log2_m = (-0.344_848_43 * m + 2.024_665_8) * m - 0.674_877_6;
    (exp as f32 + log2_m) * std::f32::consts::LN_2
}

fn band_ratio(power: &[f32], band: (usize, usize)) -> f32 {
    let total: f32 = power.get(1..).map_or(0.0, kernels::sum);
    if total <= 0.0 {
        return 0.0;
    }
    let in_band: f32 = power.get(band.0..band.1).map_or(0.0, kernels::sum);
    (in_band / total).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::test_signals::noise;

    fn sine(freq: f32, amp: f32, n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| amp * (2.0 * std::f32::consts::PI * freq * i as f32 / 16000.0).sin())
            .collect()
    }

    fn collect(framer: &mut Framer, input: &[f32], block: usize) -> Vec<(u64, f64, f32, f32)> {
        let mut out = Vec::new();
        for chunk in input.chunks(block.max(1)) {
            framer.process(chunk, |f| {
                out.push((f.index, f.time, f.energy_db, f.flatness))
            });
        }
        framer.finish(|f| out.push((f.index, f.time, f.energy_db, f.flatness)));
        out
    }

    #[test]
    fn one_frame_per_hop_and_block_size_does_not_matter() {
        let x = sine(440.0, 0.5, 16_000 + 37);
        let a = collect(&mut Framer::new(), &x, 1);
        let b = collect(&mut Framer::new(), &x, 1000);
        let c = collect(&mut Framer::new(), &x, x.len());
        assert_eq!(a.len(), x.len().div_ceil(HOP));
        // Equal up to rounding: the DC blocker's unrolled loop starts afresh
        // at each block.
        for other in [&b, &c] {
            assert_eq!(a.len(), other.len());
            for (p, q) in a.iter().zip(other.iter()) {
                assert_eq!((p.0, p.1), (q.0, q.1));
                assert!((p.2 - q.2).abs() < 1e-3, "{p:?} vs {q:?}");
                assert!((p.3 - q.3).abs() < 1e-3, "{p:?} vs {q:?}");
            }
        }
        for (i, f) in a.iter().enumerate() {
            assert_eq!(f.0, i as u64);
            assert!((f.1 - i as f64 * 0.01).abs() < 1e-9);
        }
    }

    #[test]
    fn sine_energy_and_flatness() {
        // A sine of amplitude 0.5 has mean square 0.125: -9.03 dBFS.
        let x = sine(1000.0, 0.5, 16_000);
        let frames = collect(&mut Framer::new(), &x, 512);
        let mid = &frames[50];
        assert!((mid.2 - (-9.03)).abs() < 0.2, "energy {}", mid.2);
        assert!(mid.3 < 0.05, "a tone is not flat: {}", mid.3);
    }

    #[test]
    fn band_energy_is_calibrated() {
        // A 6 kHz sine at amplitude 0.5: all of its -9.03 dBFS is in the high band.
        let x = sine(6000.0, 0.5, 8000);
        let mut hb = Vec::new();
        let mut f = Framer::new();
        f.process(&x, |fr| hb.push(fr.high_band_db));
        assert!((hb[20] - (-9.03)).abs() < 0.5, "high band {}", hb[20]);
        let x = sine(1000.0, 0.5, 8000);
        let mut hb = Vec::new();
        f.reset();
        f.process(&x, |fr| hb.push(fr.high_band_db));
        assert!(hb[20] < -60.0, "high band of 1 kHz {}", hb[20]);
    }

    #[test]
    fn fast_ln_is_close() {
        for &x in &[1e-20f32, 1e-6, 0.1, 0.5, 1.0, 1.7, 2.0, 10.0, 1e6] {
            assert!(
                (fast_ln(x) - x.ln()).abs() < 0.01,
                "{x}: {} vs {}",
                fast_ln(x),
                x.ln()
            );
        }
    }

    #[test]
    fn white_noise_is_flat() {
        let x = noise(16_000, 0.5, 12345);
        let frames = collect(&mut Framer::new(), &x, 333);
        assert!(frames[50].3 > 0.4, "noise flatness {}", frames[50].3);
    }

    #[test]
    fn frame_is_centred_on_its_time() {
        // An impulse at sample 1600 is loudest in frame 10 (t = 0.1 s).
        let mut x = vec![0.0; 3200];
        x[1600] = 1.0;
        let frames = collect(&mut Framer::new(), &x, 100);
        let loudest = frames
            .iter()
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .map(|f| f.0);
        // the DC blocker smears the impulse forward, so the energy peak may land a frame late
        assert!(matches!(loudest, Some(10) | Some(11)), "{loudest:?}");
    }

    #[test]
    fn decimated_copy_is_the_filtered_signal() {
        // Against a direct convolution of the DC-blocked input with every tap.
        let x = noise(4000, 0.5, 7);
        let blocked = plain_dc_block(&x);
        let taps = half_band_taps();
        let half = DECIM_TAPS / 2;
        // Input sample n sits at history index n - (k*HOP - ANALYSIS_LEN/2) in frame k.
        let mut checked = 0;
        Framer::new().process(&x, |f| {
            let first = f.index as i64 * HOP as i64 - (ANALYSIS_LEN / 2) as i64;
            // Outputs whose taps all fall inside the history are exact.
            for i in (half / 2 + 1)..(ANALYSIS_LEN - half) / 2 {
                let centre = first + 2 * i as i64;
                let want: f32 = taps
                    .iter()
                    .enumerate()
                    .map(|(k, &h)| {
                        let n = centre + k as i64 - half as i64;
                        h * usize::try_from(n)
                            .ok()
                            .and_then(|n| blocked.get(n))
                            .unwrap_or(&0.0)
                    })
                    .sum();
                assert!(
                    (f.samples_8k[i] - want).abs() < 1e-5,
                    "frame {} sample {i}: {} vs {want}",
                    f.index,
                    f.samples_8k[i]
                );
                checked += 1;
            }
        });
        assert!(checked > 8_000, "{checked}");
    }

    /// The DC blocker's recursion, one sample at a time, from rest.
    fn plain_dc_block(x: &[f32]) -> Vec<f32> {
        let (mut x1, mut y1) = (0.0f32, 0.0f32);
        x.iter()
            .map(|&v| {
                let y = v - x1 + DC_POLE * y1;
                (x1, y1) = (v, y);
                y
            })
            .collect()
    }

    #[test]
    fn dc_blocker_matches_the_plain_recursion_across_blocks() {
        let x: Vec<f32> = (0..1000)
            .map(|i| ((i * 7919 % 211) as f32 - 100.0) / 100.0 + 0.3)
            .collect();
        let want = plain_dc_block(&x);
        for block in [1, 3, 4, 5, 160, 1000] {
            let mut got = vec![0.0; x.len()];
            let mut state = (0.0, 0.0);
            for (i, b) in x.chunks(block).enumerate() {
                state = dc_block(b, &mut got[i * block..i * block + b.len()], state);
            }
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                assert!((g - w).abs() < 1e-4, "block {block} sample {i}: {g} vs {w}");
            }
        }
        let mut out = [0.0; 6];
        dc_block(
            &[0.1, f32::NAN, 0.1, f32::INFINITY, 0.1, 0.1],
            &mut out,
            (0.0, 0.0),
        );
        assert!(out.iter().all(|v| v.is_finite()), "{out:?}");
    }

    #[test]
    fn without_spectrum_the_samples_and_energy_are_the_same() {
        let x = sine(220.0, 0.4, 8000);
        let mut full = Vec::new();
        Framer::new().process(&x, |f| full.push((f.energy_db, f.samples_8k.to_vec())));
        let mut bare = Vec::new();
        Framer::without_spectrum().process(&x, |f| {
            assert!(f.flatness.is_nan() && f.power.is_empty());
            bare.push((f.energy_db, f.samples_8k.to_vec()))
        });
        assert_eq!(full, bare);
    }

    #[test]
    fn dc_offset_does_not_count_as_energy() {
        let x = vec![0.3; 32_000];
        let frames = collect(&mut Framer::new(), &x, 160);
        let last = frames.last().map(|f| f.2).unwrap_or(0.0);
        assert!(last < -60.0, "dc energy {last}");
    }
}
