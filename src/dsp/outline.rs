//! A recording drawn small, for the HTML report: the waveform as the
//! lowest and highest sample of each of a few hundred steps, and the pitch
//! of each step, from the samples and the pitch track the analysis already
//! made (nothing is measured twice).

use super::frames::FRAME_SECONDS;
use super::SAMPLE_RATE;
use crate::message::TimeRange;

/// Steps an outline has at most: enough for a page's width, few enough to
/// keep the page small (a waveform of 600 steps is about 10 kB of SVG).
pub const OUTLINE_STEPS: usize = 600;

/// A recording drawn small.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outline {
    /// Length of the recording, seconds.
    pub duration: f64,
    /// Seconds per step.
    pub step: f64,
    /// Lowest and highest sample of each step, −1..1.
    pub envelope: Vec<(f32, f32)>,
    /// Median pitch of the voiced frames of each step, Hz; `None` where
    /// no frame of the step was voiced speech.
    pub pitch: Vec<Option<f32>>,
    /// Speech as the voice-activity detector found it.
    pub segments: Vec<TimeRange>,
}

/// Outline 16 kHz mono `samples`, with `pitch_track` one value per 10 ms
/// frame (frame `k` at `k`·10 ms) and the detected speech `segments`.
pub fn outline(samples: &[f32], pitch_track: &[Option<f32>], segments: &[TimeRange]) -> Outline {
    let mut b = OutlineBuilder::new(samples.len());
    b.push(samples);
    b.finish(pitch_track, segments)
}

/// [`outline`] fed in blocks, for a recording too long to hold (issue 13):
/// told the number of samples up front, it keeps one step's extremes at a
/// time and gives the same outline to the bit.
#[derive(Debug, Clone)]
pub struct OutlineBuilder {
    /// Samples the recording has (the steps are sized from it).
    total: usize,
    /// Samples per step.
    per: usize,
    /// Samples in the step being filled, and its extremes so far.
    filled: usize,
    current: (f32, f32),
    envelope: Vec<(f32, f32)>,
}

impl OutlineBuilder {
    pub fn new(total_samples: usize) -> Self {
        let steps = OUTLINE_STEPS.min(total_samples).max(1);
        OutlineBuilder {
            total: total_samples,
            per: total_samples.div_ceil(steps).max(1),
            filled: 0,
            current: (0.0, 0.0),
            envelope: Vec::with_capacity(steps),
        }
    }

    /// The next samples.
    pub fn push(&mut self, block: &[f32]) {
        for &x in block {
            if self.filled == self.per {
                self.close_step();
            }
            if x.is_finite() {
                let (lo, hi) = self.current;
                self.current = (lo.min(x), hi.max(x));
            }
            self.filled += 1;
        }
    }

    fn close_step(&mut self) {
        let (lo, hi) = self.current;
        self.envelope.push((lo.max(-1.0), hi.min(1.0)));
        self.current = (0.0, 0.0);
        self.filled = 0;
    }

    /// The outline, with the analysis's pitch track and speech segments.
    pub fn finish(mut self, pitch_track: &[Option<f32>], segments: &[TimeRange]) -> Outline {
        if self.total == 0 {
            return Outline::default();
        }
        if self.filled > 0 {
            self.close_step();
        }
        let envelope = self.envelope;
        let duration = self.total as f64 / f64::from(SAMPLE_RATE);
        let step = self.per as f64 / f64::from(SAMPLE_RATE);
        let mut voiced = Vec::new();
        let pitch = (0..envelope.len())
            .map(|i| {
                // The frames the step overlaps (at least one: a short
                // recording's steps are shorter than a frame).
                let from = (i as f64 * step / FRAME_SECONDS).floor() as usize;
                let to = (((i + 1) as f64 * step / FRAME_SECONDS).ceil() as usize).max(from + 1);
                voiced.clear();
                voiced.extend(
                    pitch_track
                        .get(from.min(pitch_track.len())..to.min(pitch_track.len()))
                        .unwrap_or(&[])
                        .iter()
                        .flatten()
                        .filter(|hz| hz.is_finite() && **hz > 0.0),
                );
                median(&mut voiced)
            })
            .collect();
        Outline {
            duration,
            step,
            envelope,
            pitch,
            segments: segments.to_vec(),
        }
    }
}

fn median(v: &mut [f32]) -> Option<f32> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f32::total_cmp);
    Some(v[v.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_hold_the_extremes_and_the_voiced_pitch() {
        // 2 s: silence, then a full-scale square wave in the second half.
        let n = 32_000;
        let x: Vec<f32> = (0..n)
            .map(|i| {
                if i < n / 2 {
                    0.0
                } else if i % 2 == 0 {
                    0.5
                } else {
                    -0.5
                }
            })
            .collect();
        let track: Vec<Option<f32>> = (0..200).map(|k| (k >= 100).then_some(150.0)).collect();
        let o = outline(&x, &track, &[TimeRange::new(1.0, 2.0)]);
        let len = o.envelope.len();
        assert!((OUTLINE_STEPS - 10..=OUTLINE_STEPS).contains(&len), "{len}");
        assert_eq!(o.pitch.len(), len);
        assert!((o.duration - 2.0).abs() < 1e-9);
        assert!((o.step * o.envelope.len() as f64 - 2.0).abs() < 0.01);
        assert_eq!(o.envelope[10], (0.0, 0.0));
        assert_eq!(o.envelope[len - 10], (-0.5, 0.5));
        assert_eq!(o.pitch[10], None);
        assert_eq!(o.pitch[len - 10], Some(150.0));
        assert_eq!(o.segments.len(), 1);
    }

    /// Fed in blocks of any size, the same outline as from the whole.
    #[test]
    fn the_outline_in_blocks_is_the_outline_of_the_whole() {
        let x: Vec<f32> = (0..48_017)
            .map(|i| ((i as f32 * 0.013).sin() * (i as f32 * 0.0007).cos()) * 1.3)
            .collect();
        let track: Vec<Option<f32>> = (0..301)
            .map(|k| (k % 3 == 0).then_some(100.0 + k as f32))
            .collect();
        let segs = [TimeRange::new(0.5, 2.0)];
        let whole = outline(&x, &track, &segs);
        for block in [1usize, 7, 80, 4096, 100_000] {
            let mut b = OutlineBuilder::new(x.len());
            for c in x.chunks(block) {
                b.push(c);
            }
            assert_eq!(b.finish(&track, &segs), whole, "block {block}");
        }
    }

    #[test]
    fn tiny_and_broken_input_never_panics() {
        assert_eq!(outline(&[], &[], &[]), Outline::default());
        let o = outline(&[f32::NAN, 2.0, -3.0], &[], &[]);
        assert_eq!(o.envelope, vec![(0.0, 0.0), (0.0, 1.0), (-1.0, 0.0)]);
        assert!(o.pitch.iter().all(Option::is_none));
    }
}
