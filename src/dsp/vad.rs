//! Voice activity: which frames are speech, where speech starts and ends.
//!
//! The decision is relative to an adaptive noise floor, so a quiet office
//! and a noisy car both work: the floor is the minimum frame energy over the
//! last few seconds (minimum statistics, kept as a handful of sub-window
//! minima so it can follow a rising noise level without storing frames).
//! A frame is *active* when it stands `off_db` above the floor, or when its
//! 4–8 kHz band stands `high_band_off_db` above that band's own floor (a
//! fricative at a word edge is weak full-band but clear up there). Speech starts
//! when an active run lasts `min_speech_s` and at least one of its frames
//! stands `on_db` above the floor with some energy in the speech band (a hum
//! or a rumble alone never starts speech); it ends after `hangover_s` of
//! inactive frames, at the last active frame. Hysteresis between the two
//! thresholds keeps soft word endings inside the speech.
//!
//! Streaming: one frame in, at most one event out, no allocation after `new`.

use super::frames::{Frame, FRAME_SECONDS};
use super::kernels;

/// Tuning of the voice activity detector.
#[derive(Debug, Clone, PartialEq)]
pub struct VadConfig {
    /// dB above the noise floor a frame must reach for speech to start.
    pub on_db: f32,
    /// dB above the noise floor a frame must keep to count as active.
    pub off_db: f32,
    /// dB above its own floor the 4–8 kHz band must reach to make a frame
    /// active (catches "s" and "f" at word edges that noise hides full-band).
    pub high_band_off_db: f32,
    /// Frames quieter than this (dBFS) are never speech, whatever the floor.
    pub min_level_dbfs: f32,
    /// Shortest active run that counts as speech, seconds (clicks are shorter).
    pub min_speech_s: f64,
    /// Silence that ends a speech segment, seconds (gaps between words are shorter).
    pub hangover_s: f64,
    /// How far back the noise floor looks, seconds.
    pub floor_window_s: f64,
    /// Least share of energy in 250–4000 Hz for a frame to start speech.
    pub min_band_ratio: f32,
}

impl Default for VadConfig {
    fn default() -> Self {
        Self {
            on_db: 10.0,
            off_db: 5.0,
            high_band_off_db: 3.0,
            min_level_dbfs: -60.0,
            min_speech_s: 0.08,
            hangover_s: 0.3,
            floor_window_s: 3.0,
            min_band_ratio: 0.2,
        }
    }
}

/// A change of speech state, with frame-centre times in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VadEvent {
    /// Speech confirmed, starting at `start` (a few frames in the past).
    SpeechStart { start: f64 },
    /// A speech segment finished.
    SpeechEnd { start: f64, end: f64 },
}

/// What the detector says about one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VadFrame {
    /// The frame stands above the floor by `off_db` (and above `min_level_dbfs`).
    pub active: bool,
    /// Inside a speech segment (after confirmation, including hangover).
    pub speaking: bool,
    /// Waiting to see whether the current activity is speech.
    pub candidate: bool,
    /// Noise floor at this frame, dBFS.
    pub floor_db: f32,
    pub event: Option<VadEvent>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Silence,
    /// An active run that may become speech.
    Candidate {
        /// Start of the first active run of the candidate.
        start: f64,
        /// Length of the current active run, frames.
        run: usize,
        /// Inactive frames since the current run ended.
        quiet: usize,
        /// The current run has a frame loud enough to start speech.
        loud: bool,
    },
    Speech {
        start: f64,
        last_active: f64,
        quiet_frames: usize,
    },
}

/// Sub-windows the floor window is split into.
const FLOOR_SUBWINDOWS: usize = 6;
/// Floors below this are treated as this (dBFS): digital silence is not a usable reference.
const LOWEST_FLOOR_DB: f32 = -90.0;

/// Minimum statistics over a sliding window, as sub-window minima.
#[derive(Debug, Clone)]
struct FloorTracker {
    sub_mins: [f32; FLOOR_SUBWINDOWS],
    sub_pos: usize,
    sub_len: usize,
    sub_count: usize,
    cur_min: f32,
    hint: Option<f32>,
}

impl FloorTracker {
    fn new(sub_len: usize) -> Self {
        Self {
            sub_mins: [f32::INFINITY; FLOOR_SUBWINDOWS],
            sub_pos: 0,
            sub_len: sub_len.max(1),
            sub_count: 0,
            cur_min: f32::INFINITY,
            hint: None,
        }
    }

    fn set_hint(&mut self, hint: Option<f32>) {
        self.hint = hint.filter(|f| f.is_finite());
        self.sub_mins = [self.hint.unwrap_or(f32::INFINITY); FLOOR_SUBWINDOWS];
    }

    fn reset(&mut self) {
        self.sub_mins = [self.hint.unwrap_or(f32::INFINITY); FLOOR_SUBWINDOWS];
        self.sub_pos = 0;
        self.sub_count = 0;
        self.cur_min = f32::INFINITY;
    }

    fn floor(&self) -> f32 {
        let m = self.sub_mins.iter().copied().fold(self.cur_min, f32::min);
        if m.is_finite() {
            m.max(LOWEST_FLOOR_DB)
        } else {
            LOWEST_FLOOR_DB
        }
    }

    fn push(&mut self, e: f32) {
        self.cur_min = self.cur_min.min(e);
        self.sub_count += 1;
        if self.sub_count >= self.sub_len {
            if let Some(slot) = self.sub_mins.get_mut(self.sub_pos) {
                *slot = self.cur_min;
            }
            self.sub_pos = (self.sub_pos + 1) % FLOOR_SUBWINDOWS;
            self.sub_count = 0;
            self.cur_min = f32::INFINITY;
        }
    }
}

/// The streaming voice activity detector.
pub struct Vad {
    cfg: VadConfig,
    full: FloorTracker,
    high: FloorTracker,
    /// The last three high-band energies, dB: averaged, their noise wobbles
    /// half as much, which lets the high-band margin be small.
    high_recent: [f32; 3],
    high_pos: usize,
    min_speech_frames: usize,
    hangover_frames: usize,
    state: State,
}

impl Vad {
    pub fn new(cfg: VadConfig) -> Self {
        let window_frames = (cfg.floor_window_s.max(0.1) / FRAME_SECONDS).round() as usize;
        let sub_len = (window_frames / FLOOR_SUBWINDOWS).max(1);
        let min_speech_frames = (cfg.min_speech_s.max(0.0) / FRAME_SECONDS).round() as usize;
        let hangover_frames = (cfg.hangover_s.max(0.0) / FRAME_SECONDS).round() as usize;
        let mut vad = Self {
            cfg,
            full: FloorTracker::new(sub_len),
            high: FloorTracker::new(sub_len),
            high_recent: [super::frames::SILENCE_DB; 3],
            high_pos: usize::MAX,
            min_speech_frames: min_speech_frames.max(1),
            hangover_frames: hangover_frames.max(1),
            state: State::Silence,
        };
        vad.reset();
        vad
    }

    /// Starts the noise floor at `floor_db` instead of learning it from the
    /// first frames. A whole file can be scanned first (see
    /// [`estimate_floor_db`]) so speech at the very start is not taken as noise.
    pub fn set_floor_hint(&mut self, floor_db: Option<f32>) {
        self.full.set_hint(floor_db);
    }

    /// Back to the state after `new` (the floor hint is kept).
    pub fn reset(&mut self) {
        self.full.reset();
        self.high.reset();
        self.high_recent = [super::frames::SILENCE_DB; 3];
        // usize::MAX: not started; the first whole frame fills the history.
        self.high_pos = usize::MAX;
        self.state = State::Silence;
    }

    /// True while inside a speech segment (for the live display).
    pub(crate) fn is_speaking(&self) -> bool {
        matches!(self.state, State::Speech { .. })
    }

    /// Takes the next frame. Does not allocate.
    pub fn push(&mut self, frame: &Frame) -> VadFrame {
        let e = if frame.energy_db.is_finite() {
            frame.energy_db
        } else {
            super::frames::SILENCE_DB
        };
        let h_now = if frame.high_band_db.is_finite() {
            frame.high_band_db
        } else {
            super::frames::SILENCE_DB
        };
        // Frames 0 and 1 reach back before the signal (zeros): they would
        // pull both floors low and make the first seconds of noise "active".
        let whole =
            frame.index * (super::frames::HOP as u64) >= (super::frames::ENERGY_LEN / 2) as u64;
        if whole {
            if self.high_pos == usize::MAX {
                self.high_recent = [h_now; 3];
                self.high_pos = 0;
            }
            if let Some(slot) = self.high_recent.get_mut(self.high_pos) {
                *slot = h_now;
            }
            self.high_pos = (self.high_pos + 1) % 3;
        }
        let h = self.high_recent.iter().sum::<f32>() / 3.0;
        if whole {
            self.full.push(e);
            self.high.push(h);
        }
        let floor = self.full.floor();
        let high_floor = self.high.floor();
        let active = (e >= floor + self.cfg.off_db && e >= self.cfg.min_level_dbfs)
            // no absolute gate up here: a quiet talker's "s" is far below
            // min_level_dbfs, and the floor's own clamp keeps digital silence out
            || h >= high_floor + self.cfg.high_band_off_db;
        let loud = e >= floor + self.cfg.on_db
            && e >= self.cfg.min_level_dbfs
            && frame.speech_band_ratio >= self.cfg.min_band_ratio;
        let t = frame.time;

        let mut event = None;
        self.state = match self.state {
            State::Silence if active => self.confirm(t, 1, loud, t, &mut event),
            State::Silence => State::Silence,
            // A short word ("Hi") before a pause shorter than the hangover
            // belongs to the speech the next run confirms.
            State::Candidate {
                start,
                run,
                quiet,
                loud: was_loud,
            } if active => {
                let (run, loud) = if quiet > 0 {
                    (1, loud)
                } else {
                    (run + 1, was_loud || loud)
                };
                self.confirm(start, run, loud, t, &mut event)
            }
            State::Candidate {
                start,
                run,
                quiet,
                loud,
            } => {
                if quiet + 1 >= self.hangover_frames {
                    State::Silence
                } else {
                    State::Candidate {
                        start,
                        run,
                        quiet: quiet + 1,
                        loud,
                    }
                }
            }
            State::Speech { start, .. } if active => State::Speech {
                start,
                last_active: t,
                quiet_frames: 0,
            },
            State::Speech {
                start,
                last_active,
                quiet_frames,
            } => {
                if quiet_frames + 1 >= self.hangover_frames {
                    event = Some(VadEvent::SpeechEnd {
                        start,
                        end: last_active,
                    });
                    State::Silence
                } else {
                    State::Speech {
                        start,
                        last_active,
                        quiet_frames: quiet_frames + 1,
                    }
                }
            }
        };
        VadFrame {
            active,
            speaking: self.is_speaking(),
            candidate: matches!(self.state, State::Candidate { .. }),
            floor_db: floor,
            event,
        }
    }

    /// Closes an open segment at the end of the stream.
    pub fn finish(&mut self) -> Option<VadEvent> {
        let ev = match self.state {
            State::Speech {
                start, last_active, ..
            } => Some(VadEvent::SpeechEnd {
                start,
                end: last_active,
            }),
            _ => None,
        };
        self.state = State::Silence;
        ev
    }

    fn confirm(
        &self,
        start: f64,
        run: usize,
        loud: bool,
        now: f64,
        event: &mut Option<VadEvent>,
    ) -> State {
        if loud && run >= self.min_speech_frames {
            *event = Some(VadEvent::SpeechStart { start });
            State::Speech {
                start,
                last_active: now,
                quiet_frames: 0,
            }
        } else {
            State::Candidate {
                start,
                run,
                quiet: 0,
                loud,
            }
        }
    }
}

/// A noise-floor starting point for a whole recording: the 10th percentile
/// of 25 ms frame energies (after removing each frame's mean), in dBFS.
/// `None` for signals shorter than one frame. Allocates; offline use only.
pub fn estimate_floor_db(pcm: &[f32]) -> Option<f32> {
    let mut est = FloorEstimator::new();
    est.push(pcm);
    est.finish()
}

/// [`estimate_floor_db`] fed in blocks, for a recording too long to hold:
/// the same frames and the same figure, keeping only one energy per hop
/// (4 bytes per 10 ms: 1.4 MB for an hour) and a frame's worth of samples.
pub struct FloorEstimator {
    /// Samples not yet covered by a whole frame (fewer than a frame plus a block).
    tail: Vec<f32>,
    energies: Vec<f32>,
}

impl Default for FloorEstimator {
    fn default() -> Self {
        Self::new()
    }
}

impl FloorEstimator {
    pub fn new() -> Self {
        Self {
            tail: Vec::new(),
            energies: Vec::new(),
        }
    }

    /// Takes the next block of 16 kHz samples.
    pub fn push(&mut self, block: &[f32]) {
        if self.tail.is_empty() {
            // A whole recording in one block is not copied.
            let used = energies_of(block, &mut self.energies);
            self.tail.extend_from_slice(&block[used..]);
        } else {
            self.tail.extend_from_slice(block);
            let used = energies_of(&self.tail, &mut self.energies);
            self.tail.drain(..used);
        }
    }

    /// The floor of everything pushed.
    pub fn finish(mut self) -> Option<f32> {
        if self.energies.is_empty() {
            return None;
        }
        let energies = &mut self.energies;
        energies.sort_by(f32::total_cmp);
        energies.get(energies.len() / 10).copied()
    }
}

/// Appends the energy of every whole frame of `pcm` (frames a hop apart);
/// returns where the first frame not yet whole starts.
fn energies_of(pcm: &[f32], out: &mut Vec<f32>) -> usize {
    const LEN: usize = super::frames::ENERGY_LEN;
    const STEP: usize = super::frames::HOP;
    out.reserve(pcm.len() / STEP + 1);
    let mut start = 0;
    while start + LEN <= pcm.len() {
        let w = &pcm[start..start + LEN];
        // Non-finite samples count as zero deviation.
        let mean = kernels::sum_by(w, |x| if x.is_finite() { x } else { 0.0 }) / LEN as f32;
        let ms = kernels::sum_by(w, |x| {
            if x.is_finite() {
                (x - mean) * (x - mean)
            } else {
                0.0
            }
        }) / LEN as f32;
        out.push(super::frames::power_db(ms));
        start += STEP;
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::frames::Framer;
    use crate::dsp::test_signals::noise;

    /// A crude voiced burst: a 150 Hz pulse-rich tone with a 4 Hz syllable envelope.
    fn voiced(n: usize, amp: f32) -> Vec<f32> {
        (0..n)
            .map(|i| {
                let t = i as f32 / 16000.0;
                let env = 0.6 + 0.4 * (2.0 * std::f32::consts::PI * 4.0 * t).sin();
                let mut v = 0.0;
                for h in 1..8 {
                    v += (2.0 * std::f32::consts::PI * 150.0 * h as f32 * t).sin() / h as f32;
                }
                amp * env * v
            })
            .collect()
    }

    fn events(x: &[f32], hint: bool) -> Vec<VadEvent> {
        let mut framer = Framer::new();
        let mut vad = Vad::new(VadConfig::default());
        if hint {
            vad.set_floor_hint(estimate_floor_db(x));
        }
        let mut out = Vec::new();
        for chunk in x.chunks(500) {
            framer.process(chunk, |f| out.extend(vad.push(f).event));
        }
        framer.finish(|f| out.extend(vad.push(f).event));
        out.extend(vad.finish());
        out
    }

    fn segments(ev: &[VadEvent]) -> Vec<(f64, f64)> {
        ev.iter()
            .filter_map(|e| match e {
                VadEvent::SpeechEnd { start, end } => Some((*start, *end)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn finds_two_bursts_in_noise() {
        let mut x = noise(16000 * 5, 0.003, 7);
        let b = voiced(16000, 0.2);
        for (i, v) in b.iter().enumerate() {
            x[16000 + i] += v;
            x[48000 + i] += v;
        }
        let segs = segments(&events(&x, true));
        assert_eq!(segs.len(), 2, "{segs:?}");
        assert!(
            (segs[0].0 - 1.0).abs() < 0.05 && (segs[0].1 - 2.0).abs() < 0.05,
            "{segs:?}"
        );
        assert!(
            (segs[1].0 - 3.0).abs() < 0.05 && (segs[1].1 - 4.0).abs() < 0.05,
            "{segs:?}"
        );
    }

    #[test]
    fn steady_noise_and_silence_are_not_speech() {
        assert!(segments(&events(&noise(16000 * 3, 0.3, 1), true)).is_empty());
        assert!(segments(&events(&vec![0.0; 16000 * 3], true)).is_empty());
    }

    #[test]
    fn a_click_is_not_speech() {
        let mut x = noise(16000 * 2, 0.001, 3);
        // 3 ms of a loud crackle
        for (i, v) in x[16000..16000 + 48].iter_mut().enumerate() {
            *v += if i % 2 == 0 { 0.5 } else { -0.5 };
        }
        assert!(segments(&events(&x, true)).is_empty());
    }

    /// A long recording's floor, fed in blocks of any size, is the whole
    /// recording's to the bit (the streamed path relies on it).
    #[test]
    fn the_floor_in_blocks_is_the_floor_of_the_whole() {
        let mut x = noise(16000 * 4, 0.01, 5);
        x.extend(voiced(16000 * 2, 0.3));
        x.extend(noise(16000, 0.002, 6));
        let whole = estimate_floor_db(&x);
        assert!(whole.is_some());
        for block in [1usize, 7, 160, 399, 400, 401, 4096, 100_000] {
            let mut est = FloorEstimator::new();
            for chunk in x.chunks(block) {
                est.push(chunk);
            }
            assert_eq!(
                est.finish().map(f32::to_bits),
                whole.map(f32::to_bits),
                "block {block}"
            );
        }
        assert_eq!(FloorEstimator::new().finish(), None);
        assert_eq!(estimate_floor_db(&x[..399]), None);
    }
}
