//! The live level meter, read from the device's own samples.
//!
//! Why not the DSP chain's level stage: that one sees 16 kHz frames, after
//! the resampler (about 20 ms of buffering) and a 48 ms analysis frame, so
//! the meter would trail the voice by 30 ms before the display even
//! refreshes. And clipping is a property of the converter's samples: the
//! resampler's low-pass rounds the corners off a clipped waveform, so it
//! must be detected before it. This meter takes each block the worker pops
//! (at most 10 ms) and holds the loudest block and any clipped sample until
//! the display reads it, as a peak-hold meter does.

use crate::dsp::frames::power_db;
use crate::dsp::level::CLIP_LEVEL;

/// Peak-hold level of the blocks since the last read.
#[derive(Debug, Clone, Default)]
pub struct RawMeter {
    /// Loudest block's mean square since the last `take`.
    max_ms: f32,
    clipped: bool,
    fresh: bool,
    /// What the last `take` returned, shown again if nothing new came.
    last_db: Option<f32>,
}

impl RawMeter {
    pub fn new() -> Self {
        Self::default()
    }

    /// One block of device-rate mono samples. Does not allocate.
    pub fn push(&mut self, block: &[f32]) {
        if block.is_empty() {
            return;
        }
        let mut sum = 0.0f32;
        let mut clipped = false;
        for &s in block {
            sum += s * s;
            clipped |= s.abs() >= CLIP_LEVEL;
        }
        let ms = sum / block.len() as f32;
        if !self.fresh || ms > self.max_ms {
            self.max_ms = ms;
        }
        self.clipped |= clipped;
        self.fresh = true;
    }

    /// Level (dBFS) and clipping since the last call; starts a new hold.
    pub fn take(&mut self) -> (f32, bool) {
        let db = if self.fresh {
            power_db(self.max_ms)
        } else {
            self.last_db.unwrap_or(power_db(0.0))
        };
        let clipped = self.clipped;
        self.last_db = Some(db);
        self.fresh = false;
        self.clipped = false;
        self.max_ms = 0.0;
        (db, clipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_the_loudest_block_and_any_clip_until_read() {
        let mut m = RawMeter::new();
        m.push(&[0.1; 480]);
        m.push(&[1.0, 0.0, 0.0, 0.0]);
        m.push(&[0.001; 480]);
        let (db, clipped) = m.take();
        assert!((db - (-6.02)).abs() < 0.1, "{db}");
        assert!(clipped);
        // Nothing new: the same level, no clip.
        let (db2, clipped2) = m.take();
        assert_eq!(db2, db);
        assert!(!clipped2);
        m.push(&[0.1; 480]);
        let (db3, _) = m.take();
        assert!((db3 - (-20.0)).abs() < 0.1, "{db3}");
    }

    #[test]
    fn silence_reads_as_the_floor() {
        let mut m = RawMeter::new();
        assert!(m.take().0 <= -100.0);
        m.push(&[0.0; 480]);
        assert!(m.take().0 <= -100.0);
    }
}
