//! Level and quality: speech loudness, peak, clipping, noise floor, SNR.
//!
//! Peak and clipping are read from the raw samples (before the DC blocker:
//! a clipped sample is clipped whatever its offset). Speech loudness is the
//! RMS over the active frames of confirmed speech (the chain decides which,
//! see `analyzer.rs`); the noise floor is the 20th
//! percentile of the other frames' energies, from a fixed histogram so the
//! meter never allocates after `new`.

use super::frames::{power_db, Frame, SILENCE_DB};
use crate::message::LevelSummary;

/// Samples at or beyond this magnitude count as clipped (16-bit full scale
/// is 32767/32768; anything this close to 1.0 has hit the converter's limit).
pub const CLIP_LEVEL: f32 = 0.999;

/// Histogram of frame energies: 0.5 dB bins from SILENCE_DB to 0 dBFS.
const BIN_DB: f32 = 0.5;
const BINS: usize = (-SILENCE_DB / BIN_DB) as usize + 1;
/// Which percentile of quiet frames is called the noise floor.
const FLOOR_PERCENTILE: f64 = 0.2;

/// Running level figures for the live display.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiveLevel {
    /// Energy of the latest frame, dBFS.
    pub frame_db: f32,
    /// Highest absolute sample so far, dBFS.
    pub peak_dbfs: f32,
    /// Any clipped sample in the latest block.
    pub clipping_now: bool,
}

/// The level stage.
pub struct LevelMeter {
    peak: f32,
    clipped: u64,
    samples: u64,
    clipping_now: bool,
    speech_sum: f64,
    speech_frames: u64,
    quiet_hist: Vec<u32>,
    quiet_frames: u64,
    last_frame_db: f32,
}

impl Default for LevelMeter {
    fn default() -> Self {
        Self::new()
    }
}

impl LevelMeter {
    pub fn new() -> Self {
        Self {
            peak: 0.0,
            clipped: 0,
            samples: 0,
            clipping_now: false,
            speech_sum: 0.0,
            speech_frames: 0,
            quiet_hist: vec![0; BINS],
            quiet_frames: 0,
            last_frame_db: SILENCE_DB,
        }
    }

    pub fn reset(&mut self) {
        self.peak = 0.0;
        self.clipped = 0;
        self.samples = 0;
        self.clipping_now = false;
        self.speech_sum = 0.0;
        self.speech_frames = 0;
        self.quiet_hist.fill(0);
        self.quiet_frames = 0;
        self.last_frame_db = SILENCE_DB;
    }

    /// Raw input samples: peak and clipping. Does not allocate.
    pub fn push_samples(&mut self, raw: &[f32]) {
        let mut clipped_here = 0;
        for &x in raw {
            let a = if x.is_finite() { x.abs() } else { 0.0 };
            if a > self.peak {
                self.peak = a;
            }
            if a >= CLIP_LEVEL {
                clipped_here += 1;
            }
        }
        self.clipped += clipped_here;
        self.samples += raw.len() as u64;
        self.clipping_now = clipped_here > 0;
    }

    /// One frame with the detector's verdict: inactive frames go into the
    /// noise-floor histogram. Does not allocate.
    pub fn push_frame(&mut self, frame: &Frame, active: bool) {
        self.last_frame_db = frame.energy_db;
        if !active {
            let bin = ((frame.energy_db - SILENCE_DB) / BIN_DB).floor();
            let bin = if bin.is_finite() {
                bin.max(0.0) as usize
            } else {
                0
            };
            if let Some(slot) = self.quiet_hist.get_mut(bin.min(BINS - 1)) {
                *slot += 1;
            }
            self.quiet_frames += 1;
        }
    }

    /// Adds frames of confirmed speech (their summed mean squares) to the speech level.
    pub fn add_speech(&mut self, mean_square_sum: f64, frames: u64) {
        if mean_square_sum.is_finite() {
            self.speech_sum += mean_square_sum;
            self.speech_frames += frames;
        }
    }

    pub fn live(&self) -> LiveLevel {
        LiveLevel {
            frame_db: self.last_frame_db,
            peak_dbfs: amp_db(self.peak),
            clipping_now: self.clipping_now,
        }
    }

    pub fn summary(&self) -> LevelSummary {
        let speech_rms_dbfs = (self.speech_frames > 0)
            .then(|| power_db((self.speech_sum / self.speech_frames as f64) as f32));
        let noise_floor_dbfs = self.quiet_percentile(FLOOR_PERCENTILE);
        let snr_db = match (speech_rms_dbfs, noise_floor_dbfs) {
            (Some(s), Some(n)) => Some(s - n),
            _ => None,
        };
        LevelSummary {
            speech_rms_dbfs,
            peak_dbfs: amp_db(self.peak),
            clipped_fraction: if self.samples > 0 {
                (self.clipped as f64 / self.samples as f64) as f32
            } else {
                0.0
            },
            noise_floor_dbfs,
            snr_db,
        }
    }

    fn quiet_percentile(&self, p: f64) -> Option<f32> {
        if self.quiet_frames == 0 {
            return None;
        }
        let target = ((self.quiet_frames as f64 * p).ceil() as u64).max(1);
        let mut seen = 0u64;
        for (i, &n) in self.quiet_hist.iter().enumerate() {
            seen += n as u64;
            if seen >= target {
                // the bin's centre
                return Some(SILENCE_DB + (i as f32 + 0.5) * BIN_DB);
            }
        }
        None
    }
}

/// An amplitude (0..1) in dBFS, silence at [`SILENCE_DB`].
pub fn amp_db(a: f32) -> f32 {
    power_db(a * a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::frames::Framer;

    #[test]
    fn peak_and_clipping_from_raw_samples() {
        let mut m = LevelMeter::new();
        let mut x = vec![0.25f32; 1000];
        x[10] = 1.0;
        x[11] = -1.0;
        x[12] = 0.5;
        m.push_samples(&x);
        let s = m.summary();
        assert!((s.peak_dbfs - 0.0).abs() < 0.01);
        assert!((s.clipped_fraction - 0.002).abs() < 1e-6);
        assert_eq!(s.speech_rms_dbfs, None);
    }

    #[test]
    fn speech_rms_and_floor_and_snr() {
        // 1 s of a -20 dBFS-RMS tone marked active, 1 s of a -60 dBFS-RMS tone marked quiet.
        let tone = |rms: f32| -> Vec<f32> {
            let a = rms * 2f32.sqrt();
            (0..16000)
                .map(|i| a * (2.0 * std::f32::consts::PI * 300.0 * i as f32 / 16000.0).sin())
                .collect()
        };
        let mut m = LevelMeter::new();
        let mut f = Framer::new();
        let loud = tone(0.1);
        let quiet = tone(0.001);
        f.process(&loud, |fr| {
            if fr.index > 5 {
                m.push_frame(fr, true);
                m.add_speech(fr.mean_square as f64, 1);
            }
        });
        f.process(&quiet, |fr| {
            if fr.index > 110 {
                m.push_frame(fr, false)
            }
        });
        let s = m.summary();
        let speech = s.speech_rms_dbfs.unwrap_or(f32::NAN);
        let floor = s.noise_floor_dbfs.unwrap_or(f32::NAN);
        assert!((speech + 20.0).abs() < 0.3, "{s:?}");
        assert!((floor + 60.0).abs() < 0.6, "{s:?}");
        assert!((s.snr_db.unwrap_or(f32::NAN) - 40.0).abs() < 1.0, "{s:?}");
    }
}
