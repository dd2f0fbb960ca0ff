//! Pitch per 10 ms frame: YIN (de Cheveigné & Kawahara, 2002) with the
//! difference function computed through an FFT.
//!
//! It works on the frame's 8 kHz copy ([`DECIMATED_LEN`] samples): voice
//! pitch needs nothing above 4 kHz, and half the samples halve the FFTs.
//! The squared difference
//! `d(τ) = Σ_{j<W} (x_j − x_{j+τ})²` is `e₀ + e_τ − 2 r(τ)`, where `r` is the
//! cross-correlation of the first `W` samples with the stretch (size 512,
//! no wrap-around for τ ≤ 128) and the energies come from a running sum.
//!
//! The two real stretches go through one complex FFT of 512 (rustfft,
//! the engine realfft wraps), packed as `a + i·b`: its spectrum `Z` holds
//! both (`A = (Z[k] + Z̄[−k])/2`, `B = (Z[k] − Z̄[−k])/2i`), so the
//! cross-spectrum is `Ā·B = Im(Z[k]·Z[−k])/2 − i(|Z[k]|² − |Z[−k]|²)/4`,
//! and realfft's inverse turns its half spectrum into `r`. Two forward
//! realfft transforms cost more than this one complex one: their pre- and
//! post-processing passes outweigh the butterflies at this size (measured
//! with `cargo bench --bench dsp -- pitch_60s`).
//!
//! One change from the paper: the two stretches are compared after matching
//! their energies (`2√(e₀e_τ) − 2r(τ)`), since speech swells and fades
//! within a frame. Then, as YIN does: cumulative
//! mean normalisation, the first dip under an absolute threshold, parabolic
//! interpolation.
//!
//! Guards against the usual failures:
//! - a frame that is also periodic at half its chosen period with that
//!   half under the search floor (a high tone, a whistle) is unvoiced rather
//!   than reported an octave down;
//! - a jump of an octave against the previous voiced frame is undone when
//!   the other candidate is nearly as good (octave errors are the commonest
//!   pitch-tracking error, and they would inflate the spread VM106 reads).
//!
//! Only frames the voice detector calls active are analysed: silence has no
//! pitch, and skipping it keeps the stage cheap.

use std::sync::Arc;

use realfft::{ComplexToReal, RealFftPlanner};
use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};

use super::frames::{Frame, Framer, DECIMATED_LEN, DECIMATED_RATE};
use super::kernels;
use crate::message::PitchSummary;

/// Rate the tracker works at.
const RATE: u32 = DECIMATED_RATE;
/// Samples per frame it sees.
const FRAME_LEN: usize = DECIMATED_LEN;

/// FFT size of the correlation.
const FFT_LEN: usize = 512;
/// Longest period searched, samples at 8 kHz (62.5 Hz).
pub(crate) const TAU_MAX: usize = 128;
/// Longest integration window, samples: the frame minus the longest lag.
const MAX_WINDOW: usize = FRAME_LEN - TAU_MAX;

/// Tuning of the pitch tracker.
#[derive(Debug, Clone, PartialEq)]
pub struct PitchConfig {
    /// Lowest pitch reported, Hz (not below 62.5: the frame is sized for that).
    pub min_hz: f32,
    /// Highest pitch reported, Hz.
    pub max_hz: f32,
    /// YIN's absolute threshold on the normalised difference.
    pub threshold: f32,
    /// With no dip under `threshold`, the best dip still counts as voiced under this.
    pub voicing_threshold: f32,
    /// YIN's integration window, seconds (at most 32 ms). Shorter follows
    /// fast pitch glides better; it must still hold about a period.
    pub window_s: f32,
    /// An octave jump against the previous frame is undone when the other
    /// octave's dip is within this of the chosen one (negative: never).
    pub octave_margin: f32,
}

impl Default for PitchConfig {
    fn default() -> Self {
        Self {
            min_hz: 65.0,
            max_hz: 500.0,
            // YIN's paper uses 0.1-0.15 on steady voices; speech glides
            // (and espeak's fast contours) need more room. Tuned against
            // Praat on fixtures/ and ../shared/eval-audio (scripts/eval_prosody.py).
            threshold: 0.2,
            voicing_threshold: 0.45,
            window_s: 0.025,
            octave_margin: 0.0,
        }
    }
}

/// A frame whose mean square is under this share of the loudest voiced
/// level so far (40 dB down) is taken for silence.
const SILENCE_BELOW_LOUDEST: f32 = 1e-4;

/// Semitone histogram for the summary: 0.1 st bins from 50 Hz upwards.
const HIST_BASE_HZ: f32 = 50.0;
const HIST_STEP_ST: f32 = 0.1;
const HIST_BINS: usize = 520;
/// Voiced frames needed before a summary is given (50 ms).
const MIN_VOICED_FRAMES: usize = 5;
/// Values further than this from the median (semitones) are left out of the
/// spread: they are octave errors or squeaks, not intonation.
const SPREAD_WINDOW_ST: f32 = 9.0;

/// The pitch stage.
pub struct PitchTracker {
    cfg: PitchConfig,
    tau_min: usize,
    tau_max: usize,
    window: usize,
    /// Where the analysed stretch starts in the frame, so it is centred.
    offset: usize,
    fft: Arc<dyn Fft<f32>>,
    /// The packed pair `a + i·b`, then its spectrum.
    packed: Vec<Complex<f32>>,
    scratch: Vec<Complex<f32>>,
    /// realfft's inverse: the cross-spectrum (bins 0..=N/2) to the correlation.
    inv: Arc<dyn ComplexToReal<f32>>,
    /// Cross-spectrum `Ā·B`, bins 0..=N/2.
    cross: Vec<Complex<f32>>,
    /// The correlation `r(τ)`, times N.
    corr: Vec<f32>,
    inv_scratch: Vec<Complex<f32>>,
    cum_energy: Vec<f32>,
    cmndf: Vec<f32>,
    /// Running sums of the difference function, for the normalisation.
    running: Vec<f32>,
    prev_tau: Option<f32>,
    /// Mean square of the loudest voiced frame so far.
    loudest_voiced: f32,
    /// Mean square of the previous frame if it was voiced, else 0.
    prev_voiced_level: f32,
    hist: Vec<u32>,
    voiced_frames: usize,
}

impl PitchTracker {
    /// Plans the FFTs and allocates every buffer.
    pub fn new(cfg: PitchConfig) -> Self {
        let fft = FftPlanner::<f32>::new().plan_fft_forward(FFT_LEN);
        let inv = RealFftPlanner::<f32>::new().plan_fft_inverse(FFT_LEN);
        let sr = RATE as f32;
        let max_hz = if cfg.max_hz.is_finite() {
            cfg.max_hz.clamp(100.0, 2000.0)
        } else {
            500.0
        };
        let min_hz = if cfg.min_hz.is_finite() {
            cfg.min_hz.clamp(sr / TAU_MAX as f32, max_hz / 2.0)
        } else {
            65.0
        };
        let tau_min = ((sr / max_hz).floor() as usize).max(4);
        let tau_max = ((sr / min_hz).ceil() as usize).clamp(tau_min + 2, TAU_MAX);
        let window = if cfg.window_s.is_finite() {
            ((cfg.window_s * sr) as usize).clamp(tau_max, MAX_WINDOW)
        } else {
            MAX_WINDOW
        };
        let offset = (FRAME_LEN - window - TAU_MAX) / 2;
        Self {
            tau_min,
            tau_max,
            window,
            offset,
            packed: vec![Complex::default(); FFT_LEN],
            scratch: vec![Complex::default(); fft.get_inplace_scratch_len()],
            cross: inv.make_input_vec(),
            corr: inv.make_output_vec(),
            inv_scratch: inv.make_scratch_vec(),
            inv,
            cum_energy: vec![0.0; FRAME_LEN + 1],
            cmndf: vec![1.0; TAU_MAX + 2],
            running: vec![0.0; TAU_MAX + 2],
            prev_tau: None,
            loudest_voiced: 0.0,
            prev_voiced_level: 0.0,
            hist: vec![0; HIST_BINS],
            voiced_frames: 0,
            fft,
            cfg,
        }
    }

    pub fn reset(&mut self) {
        self.prev_tau = None;
        self.loudest_voiced = 0.0;
        self.prev_voiced_level = 0.0;
        self.hist.fill(0);
        self.voiced_frames = 0;
    }

    /// Pitch of one frame in Hz, `None` when unvoiced (or not `active`).
    /// Does not allocate. The summary only counts what is passed to
    /// [`record`](Self::record), so the caller can leave out frames that
    /// turn out not to be speech.
    ///
    /// A frame more than 40 dB below the loudest voiced level so far
    /// (`SILENCE_BELOW_LOUDEST`) is unvoiced without analysis: silence and room
    /// noise between words (Praat calls such frames voiceless through its
    /// silence threshold, at 30 dB) — a third of a typical message, and of
    /// the cost. Only voiced frames set the reference, and only two in a
    /// row (the quieter of the pair), so neither a door slam nor one frame
    /// of noise taken for voice silences the quiet voice after it.
    pub fn push(&mut self, frame: &Frame, active: bool) -> Option<f32> {
        let audible = frame.mean_square >= self.loudest_voiced * SILENCE_BELOW_LOUDEST;
        let f0 = if active && audible {
            self.estimate(frame.samples_8k)
        } else {
            None
        };
        let level = if f0.is_some() && frame.mean_square.is_finite() {
            frame.mean_square
        } else {
            0.0
        };
        self.loudest_voiced = self.loudest_voiced.max(level.min(self.prev_voiced_level));
        self.prev_voiced_level = level;
        self.prev_tau = f0.map(|hz| RATE as f32 / hz);
        f0
    }

    /// Adds a voiced frame's pitch to the summary.
    pub fn record(&mut self, hz: f32) {
        if !hz.is_finite() || hz <= 0.0 {
            return;
        }
        self.voiced_frames += 1;
        let bin = (semitones(hz) / HIST_STEP_ST).floor();
        if bin.is_finite() && bin >= 0.0 {
            if let Some(slot) = self.hist.get_mut(bin as usize) {
                *slot += 1;
            }
        }
    }

    /// Pitch of one window of [`DECIMATED_LEN`] samples at 8 kHz, without touching the summary.
    pub fn estimate(&mut self, x: &[f32]) -> Option<f32> {
        if x.len() < FRAME_LEN {
            return None;
        }
        if !self.difference(x) {
            return None;
        }
        let tau = self.pick()?;
        let hz = RATE as f32 / tau;
        hz.is_finite().then_some(hz)
    }

    /// Fills `self.cmndf[0..=tau_max]`. False when the frame is silent or the FFT failed.
    fn difference(&mut self, x: &[f32]) -> bool {
        let len = self.window + TAU_MAX;
        let Some(x) = x.get(self.offset..self.offset + len) else {
            return false;
        };
        kernels::prefix_sums_by(x, &mut self.cum_energy[..=len], |v| v * v);
        if self.cum_energy[len] <= 1e-10 {
            return false;
        }
        let w = self.window;
        let (both, rest) = self.packed.split_at_mut(w);
        let (b_only, padding) = rest.split_at_mut(len - w);
        for (z, &v) in both.iter_mut().zip(x) {
            *z = Complex::new(v, v);
        }
        for (z, &v) in b_only.iter_mut().zip(&x[w..]) {
            *z = Complex::new(0.0, v);
        }
        padding.fill(Complex::default());
        self.fft
            .process_with_scratch(&mut self.packed, &mut self.scratch);
        // Ā·B from the packed spectrum (see the module comment).
        let z = &self.packed;
        let cross_of = |u: Complex<f32>, v: Complex<f32>| {
            let im_uv = u.re * v.im + u.im * v.re;
            Complex::new(0.5 * im_uv, -0.25 * (u.norm_sqr() - v.norm_sqr()))
        };
        // Bins 0..=N/2 are all a real signal's spectrum needs.
        const HALF: usize = FFT_LEN / 2;
        self.cross[0] = cross_of(z[0], z[0]);
        for ((c, &u), &v) in self.cross[1..=HALF]
            .iter_mut()
            .zip(&z[1..=HALF])
            .zip(z[HALF..].iter().rev())
        {
            *c = cross_of(u, v);
        }
        // Real at DC and Nyquist by construction; rounding must not say otherwise.
        self.cross[0].im = 0.0;
        self.cross[HALF].im = 0.0;
        if self
            .inv
            .process_with_scratch(&mut self.cross, &mut self.corr, &mut self.inv_scratch)
            .is_err()
        {
            return false;
        }
        let scale = 2.0 / FFT_LEN as f32;
        let (w, n) = (self.window, self.tau_max);
        let e0 = self.cum_energy[w];
        // 2·sqrt(e₀·e_τ) instead of e₀ + e_τ: the difference left once the
        // second stretch is scaled to the first's energy, so a syllable's
        // swell or fade does not read as aperiodicity. One pass over slices
        // (it vectorises), then the running mean, which cannot.
        let later = &self.cum_energy[1 + w..=n + w];
        let earlier = &self.cum_energy[1..=n];
        for (((d, &hi), &lo), &r) in self.cmndf[1..=n]
            .iter_mut()
            .zip(later)
            .zip(earlier)
            .zip(&self.corr[1..=n])
        {
            *d = (2.0 * (e0 * (hi - lo)).sqrt() - r * scale).max(0.0);
        }
        // Cumulative mean normalisation: d(τ)·τ / Σ_{1..τ} d.
        self.cmndf[0] = 1.0;
        kernels::prefix_sums_by(&self.cmndf[1..=n], &mut self.running[..=n], |v| v);
        for ((d, &sum), tau) in self.cmndf[1..=n]
            .iter_mut()
            .zip(&self.running[1..=n])
            .zip(1..)
        {
            *d = if sum > 0.0 {
                *d * tau as f32 / sum
            } else {
                1.0
            };
        }
        true
    }

    /// Chooses the period (fractional samples) from `self.cmndf`.
    fn pick(&self) -> Option<f32> {
        let d = &self.cmndf[..=self.tau_max];
        let thr = self.cfg.threshold;
        let mut chosen = None;
        let mut tau = self.tau_min;
        while tau < self.tau_max {
            if d[tau] < thr {
                while tau + 1 < self.tau_max && d[tau + 1] < d[tau] {
                    tau += 1;
                }
                chosen = Some(tau);
                break;
            }
            tau += 1;
        }
        // The deepest dip (a plain comparison: every value is finite, and a
        // NaN would simply never win).
        let (mut global, mut global_v) = (self.tau_min, d[self.tau_min]);
        for (t, &v) in d
            .iter()
            .enumerate()
            .take(self.tau_max)
            .skip(self.tau_min + 1)
        {
            if v < global_v {
                (global, global_v) = (t, v);
            }
        }
        let tau = match chosen {
            // A first dip made by a strong formant (a near-sinusoid at F1)
            // rather than the glottal period: a much deeper dip further out
            // that is not a multiple of it is the real period.
            Some(t) if global_v < d[t] - 0.1 && !near_multiple(global as f32, t as f32) => global,
            Some(t) => t,
            None => {
                if global_v >= self.cfg.voicing_threshold {
                    return None;
                }
                global
            }
        };
        // Also periodic at half (or a third of) the period, below the search
        // floor: a tone above the voice range, not a low voice.
        for k in [2usize, 3] {
            let sub = tau / k;
            if sub >= 2 && sub < self.tau_min && self.local_min_near(sub) < thr {
                return None;
            }
        }
        let tau = self.octave_guard(tau);
        Some(self.refine(tau))
    }

    /// Lowest normalised difference within one sample of `tau`.
    fn local_min_near(&self, tau: usize) -> f32 {
        let lo = tau.saturating_sub(1).max(1);
        let hi = (tau + 1).min(self.tau_max);
        self.cmndf[lo..=hi]
            .iter()
            .copied()
            .fold(f32::INFINITY, f32::min)
    }

    /// Keeps an octave jump only when the candidate at the previous octave is clearly worse.
    fn octave_guard(&self, tau: usize) -> usize {
        let Some(prev) = self.prev_tau else {
            return tau;
        };
        let ratio = tau as f32 / prev;
        let best = self.cmndf[tau];
        let margin = self.cfg.octave_margin;
        if margin.is_nan() || margin < 0.0 {
            return tau;
        }
        if (0.45..0.55).contains(&ratio) {
            // Jumped up an octave: is the double period nearly as good?
            let double = tau * 2;
            if double <= self.tau_max {
                let t = self.best_near(double);
                if self.cmndf[t] < best + margin {
                    return t;
                }
            }
        } else if (1.8..2.2).contains(&ratio) {
            let half = tau / 2;
            if half >= self.tau_min {
                let t = self.best_near(half);
                if self.cmndf[t] < best + margin {
                    return t;
                }
            }
        }
        tau
    }

    fn best_near(&self, tau: usize) -> usize {
        let lo = tau.saturating_sub(2).max(self.tau_min);
        let hi = (tau + 2).min(self.tau_max);
        (lo..=hi)
            .min_by(|&a, &b| self.cmndf[a].total_cmp(&self.cmndf[b]))
            .unwrap_or(tau)
    }

    /// Parabolic interpolation of the dip at `tau`.
    fn refine(&self, tau: usize) -> f32 {
        if tau < 1 || tau + 1 > self.tau_max {
            return tau as f32;
        }
        let (a, b, c) = (self.cmndf[tau - 1], self.cmndf[tau], self.cmndf[tau + 1]);
        let den = a - 2.0 * b + c;
        if den.abs() < 1e-12 {
            return tau as f32;
        }
        let shift = (0.5 * (a - c) / den).clamp(-1.0, 1.0);
        tau as f32 + shift
    }

    /// Median, 10th/90th percentile and spread of the voiced frames so far.
    pub fn summary(&self) -> PitchSummary {
        let n: u64 = self.hist.iter().map(|&c| c as u64).sum();
        if (n as usize) < MIN_VOICED_FRAMES {
            return PitchSummary {
                voiced_frames: self.voiced_frames,
                ..PitchSummary::default()
            };
        }
        let pct = |p: f64| -> f32 {
            let target = ((n as f64 * p).ceil() as u64).max(1);
            let mut seen = 0u64;
            for (i, &c) in self.hist.iter().enumerate() {
                seen += c as u64;
                if seen >= target {
                    return (i as f32 + 0.5) * HIST_STEP_ST;
                }
            }
            (HIST_BINS as f32 - 0.5) * HIST_STEP_ST
        };
        let median = pct(0.5);
        let (mut sum, mut sum_sq, mut count) = (0.0f64, 0.0f64, 0.0f64);
        for (i, &c) in self.hist.iter().enumerate() {
            let st = (i as f32 + 0.5) * HIST_STEP_ST;
            if c > 0 && (st - median).abs() <= SPREAD_WINDOW_ST {
                let dev = (st - median) as f64;
                sum += dev * c as f64;
                sum_sq += dev * dev * c as f64;
                count += c as f64;
            }
        }
        let spread = if count > 1.0 {
            let mean = sum / count;
            ((sum_sq / count - mean * mean).max(0.0)).sqrt() as f32
        } else {
            0.0
        };
        PitchSummary {
            voiced_frames: self.voiced_frames,
            median_hz: Some(hz_of(median)),
            p10_hz: Some(hz_of(pct(0.1))),
            p90_hz: Some(hz_of(pct(0.9))),
            spread_semitones: Some(spread),
        }
    }
}

/// The pitch of every 10 ms frame of a 16 kHz signal (frame `k` centred on
/// `k·10 ms`), `None` where unvoiced: the tracker alone, on every frame,
/// with no voice-activity gating (what `score` runs gates it, see
/// [`SignalAnalyzer`](super::SignalAnalyzer)). For evaluation and
/// comparison with other pitch trackers.
pub fn pitch_track(samples: &[f32], cfg: PitchConfig) -> Vec<Option<f32>> {
    let mut framer = Framer::without_spectrum();
    let mut tracker = PitchTracker::new(cfg);
    let mut out = Vec::with_capacity(samples.len() / super::frames::HOP + 1);
    let mut on_frame = |f: &Frame| out.push(tracker.push(f, true));
    for block in samples.chunks(4096) {
        framer.process(block, &mut on_frame);
    }
    framer.finish(&mut on_frame);
    out
}

/// `long` is within 20% of a period of a whole multiple of `short`.
fn near_multiple(long: f32, short: f32) -> bool {
    if short <= 0.0 {
        return false;
    }
    let r = long / short;
    (r - r.round()).abs() < 0.2 && r.round() >= 1.0
}

fn semitones(hz: f32) -> f32 {
    12.0 * (hz / HIST_BASE_HZ).log2()
}

fn hz_of(st: f32) -> f32 {
    HIST_BASE_HZ * (st / 12.0).exp2()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::test_signals::noise;

    fn harmonic_frame(f0: f32, phase0: f32) -> Vec<f32> {
        (0..FRAME_LEN)
            .map(|i| {
                let t = i as f32 / RATE as f32 + phase0;
                (1..6)
                    .map(|h| {
                        (2.0 * std::f32::consts::PI * f0 * h as f32 * t).sin() * 0.3 / h as f32
                    })
                    .sum()
            })
            .collect()
    }

    #[test]
    fn harmonic_tones_within_half_a_percent() {
        let mut p = PitchTracker::new(PitchConfig::default());
        for &f0 in &[
            70.0f32, 85.0, 110.0, 147.3, 200.0, 261.6, 330.0, 440.0, 490.0,
        ] {
            let hz = p.estimate(&harmonic_frame(f0, 0.013)).unwrap_or(0.0);
            assert!((hz - f0).abs() / f0 < 0.005, "{f0} Hz read as {hz}");
        }
    }

    #[test]
    fn high_tone_and_noise_are_unvoiced() {
        let mut p = PitchTracker::new(PitchConfig::default());
        let tone: Vec<f32> = (0..FRAME_LEN)
            .map(|i| (2.0 * std::f32::consts::PI * 1000.0 * i as f32 / 8000.0).sin())
            .collect();
        assert_eq!(p.estimate(&tone), None);
        assert_eq!(p.estimate(&noise(FRAME_LEN, 0.5, 99)), None);
        assert_eq!(p.estimate(&[0.0; FRAME_LEN]), None);
    }

    #[test]
    fn frames_far_below_the_loudest_are_silence() {
        // 150 Hz voice for 0.5 s, then the same voice 30 dB and 50 dB down.
        let voice = |gain: f32| -> Vec<f32> {
            (0..8000)
                .map(|i| {
                    let t = i as f32 / 16_000.0;
                    gain * (1..5)
                        .map(|h| {
                            (2.0 * std::f32::consts::PI * 150.0 * h as f32 * t).sin() / h as f32
                        })
                        .sum::<f32>()
                })
                .collect()
        };
        let db = |d: f32| 10f32.powf(-d / 20.0);
        let x = [voice(0.3), voice(0.3 * db(30.0)), voice(0.3 * db(50.0))].concat();
        let track = pitch_track(&x, PitchConfig::default());
        let voiced =
            |from: usize, to: usize| track[from..to].iter().filter(|f| f.is_some()).count();
        assert!(voiced(5, 45) >= 38, "loud part: {track:?}");
        assert!(voiced(55, 95) >= 38, "30 dB down is still voice: {track:?}");
        assert_eq!(voiced(105, 145), 0, "50 dB down is silence: {track:?}");
        // On its own, the quiet voice is the loudest thing there is.
        let alone = pitch_track(&voice(0.3 * db(50.0)), PitchConfig::default());
        assert!(alone.iter().filter(|f| f.is_some()).count() >= 38);
        // A full-scale click train (aperiodic in the pitch range: not voice)
        // before the quiet voice does not raise the bar.
        let clicks = noise(8000, 1.0, 5);
        let after = pitch_track(
            &[clicks, voice(0.3 * db(50.0))].concat(),
            PitchConfig::default(),
        );
        let voiced_after = after[55..95].iter().filter(|f| f.is_some()).count();
        assert!(voiced_after >= 38, "{after:?}");
    }

    #[test]
    fn missing_fundamental_still_reads_the_fundamental() {
        // Harmonics 2..5 of 120 Hz only, as over a telephone line.
        let x: Vec<f32> = (0..FRAME_LEN)
            .map(|i| {
                let t = i as f32 / 8000.0;
                (2..6)
                    .map(|h| (2.0 * std::f32::consts::PI * 120.0 * h as f32 * t).sin() * 0.2)
                    .sum()
            })
            .collect();
        let hz = PitchTracker::new(PitchConfig::default())
            .estimate(&x)
            .unwrap_or(0.0);
        assert!((hz - 120.0).abs() < 1.2, "{hz}");
    }
}
