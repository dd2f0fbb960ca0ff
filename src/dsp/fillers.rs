//! Filled pauses heard in the audio (issue 16): "um" and "uh" are a held
//! vowel — voiced, at a steady pitch, with a spectrum that hardly changes
//! and a level that stays flat or falls — lasting 0.15–1.2 s. Ordinary
//! speech changes its spectrum every few tens of milliseconds (a new
//! phoneme) and glides its pitch, so a long steady stretch is rare inside a
//! word. Whisper mostly leaves fillers out of its text; this module is the
//! second witness.
//!
//! The analyzer keeps a small summary of every frame it has already
//! computed (voiced?, pitch, level, spectral flux over 16 coarse bands of
//! the power spectrum it already has) — no FFT is redone. [`candidates`]
//! finds the steady stretches; [`uncovered`] keeps those no transcript word
//! covers, which is what makes a steady vowel a filler rather than a long
//! "so" or "Dana".

use super::frames::{Frame, FRAME_SECONDS};
use crate::message::TimeRange;

/// Quiet on each side that makes a stretch an island, seconds.
const ISOLATION_S: f64 = 0.06;
/// Where the quiet is looked for on each side, seconds.
const QUIET_WINDOW_S: f64 = 0.2;
/// How far under the stretch a frame must be to count as quiet, dB.
const QUIET_BELOW_DB: f32 = 10.0;
/// Confidence factor for a stretch joined to speech on either side.
const NOT_ISOLATED: f32 = 0.5;
/// Frames kept (10 minutes at 10 ms); later frames are not summarised.
pub const MAX_TRACK_FRAMES: usize = 60_000;
/// Coarse bands the flux is measured over.
const BANDS: usize = 16;
/// Pitch change between neighbouring voiced frames that still counts as
/// steady, in semitones. A held vowel drifts well under this; a glide
/// between syllables moves more.
const STEADY_STEP_ST: f32 = 0.8;
/// Mean coarse-band change (dB per band) between frames that still counts
/// as the same sound.
const STEADY_FLUX_DB: f32 = 3.5;
/// Shortest and longest filled pause, seconds.
const MIN_FILLER_S: f64 = 0.15;
const MAX_FILLER_S: f64 = 1.2;
/// Unvoiced frames bridged inside one stretch (a pitch dropout).
const MAX_GAP_FRAMES: usize = 2;
/// Share of a candidate a transcript word may cover before it counts as
/// that word's vowel rather than a filler.
const MAX_COVERED: f64 = 0.35;

/// One frame, as the filler detector needs it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FrameSummary {
    /// Pitch, Hz; 0 when unvoiced or not speech.
    pub f0: f32,
    pub energy_db: f32,
    /// Mean absolute change of the coarse band levels from the previous frame, dB.
    pub flux_db: f32,
}

/// A candidate needs at least this confidence to be reported as a filler
/// (by the report when no word covers it, live when it is an island).
pub const MIN_CONFIDENCE: f32 = 0.5;
/// Frames between two scans for the live count (100 ms).
const LIVE_SCAN_FRAMES: usize = 10;

/// Per-frame summaries, allocated once.
pub struct FrameTrack {
    frames: Vec<FrameSummary>,
    prev_bands: [f32; BANDS],
    have_prev: bool,
    /// Where the next live scan starts, and what it has counted.
    scan_pos: usize,
    live_count: usize,
}

impl Default for FrameTrack {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameTrack {
    /// Room for [`MAX_TRACK_FRAMES`], allocated now.
    pub fn new() -> Self {
        Self {
            frames: Vec::with_capacity(MAX_TRACK_FRAMES),
            prev_bands: [0.0; BANDS],
            have_prev: false,
            scan_pos: 0,
            live_count: 0,
        }
    }

    pub fn reset(&mut self) {
        self.frames.clear();
        self.have_prev = false;
        self.scan_pos = 0;
        self.live_count = 0;
    }

    /// Summarises a frame (pitch from the tracker, `None` when unvoiced).
    /// Does not allocate.
    pub fn push(&mut self, frame: &Frame, f0: Option<f32>) {
        let mut bands = [0.0f32; BANDS];
        // Bins 3..=131 (~94–4100 Hz at 512 points / 16 kHz) in 16 equal groups of 8.
        for (b, out) in bands.iter_mut().enumerate() {
            let lo = 3 + b * 8;
            let sum: f32 = frame.power.get(lo..lo + 8).map_or(0.0, |p| p.iter().sum());
            *out = 10.0 * (sum + 1e-12).log10();
        }
        let flux_db = if self.have_prev {
            bands
                .iter()
                .zip(self.prev_bands.iter())
                .map(|(a, b)| (a - b).abs())
                .sum::<f32>()
                / BANDS as f32
        } else {
            0.0
        };
        self.prev_bands = bands;
        self.have_prev = true;
        if self.frames.len() < MAX_TRACK_FRAMES {
            self.frames.push(FrameSummary {
                f0: f0.filter(|h| h.is_finite() && *h > 0.0).unwrap_or(0.0),
                energy_db: frame.energy_db,
                flux_db,
            });
            if self.frames.len().is_multiple_of(LIVE_SCAN_FRAMES) {
                let count = &mut self.live_count;
                self.scan_pos = scan(&self.frames, self.scan_pos, true, &mut |c| {
                    *count += usize::from(c.is_live_filler());
                });
            }
        }
    }

    pub fn frames(&self) -> &[FrameSummary] {
        &self.frames
    }

    /// Fillers heard so far (`record`'s running count): the islands with
    /// [`MIN_CONFIDENCE`] that have ended. No transcript yet, so a held
    /// word said on its own counts too; the report's list does not.
    pub fn live_count(&self) -> usize {
        self.live_count
    }
}

pub use crate::message::FillerCandidate;

impl FillerCandidate {
    /// Quiet on both sides: said on its own.
    pub fn is_island(&self) -> bool {
        self.quiet_before_s.min(self.quiet_after_s) >= ISOLATION_S
    }

    /// Counted live: an island at [`MIN_CONFIDENCE`].
    fn is_live_filler(&self) -> bool {
        self.is_island() && self.confidence >= MIN_CONFIDENCE
    }
}

fn semitones(a: f32, b: f32) -> f32 {
    12.0 * (a / b).log2()
}

/// Steady voiced stretches in the track, in time order.
pub fn candidates(frames: &[FrameSummary]) -> Vec<FillerCandidate> {
    let mut out = Vec::new();
    scan(frames, 0, false, &mut |c| out.push(c));
    out
}

/// Frames looked at after a stretch for the quiet that follows it.
const LOOKAHEAD_FRAMES: usize = (QUIET_WINDOW_S / FRAME_SECONDS) as usize + 1;

/// Finds the steady stretches in `frames[from..]` and hands each to `emit`.
/// With `more` (the stream goes on: `record`'s live count), it stops before
/// a stretch that may still grow or whose quiet after is not yet seen, and
/// returns where the next scan starts; without, it scans to the end.
/// Allocates nothing.
pub(crate) fn scan(
    frames: &[FrameSummary],
    from: usize,
    more: bool,
    emit: &mut impl FnMut(FillerCandidate),
) -> usize {
    let max_frames = (MAX_FILLER_S / FRAME_SECONDS).round() as usize;
    let mut i = from;
    while i < frames.len() {
        if frames[i].f0 <= 0.0 {
            i += 1;
            continue;
        }
        // Grow a stretch while each voiced frame is a small step from the
        // last voiced one, bridging short dropouts.
        let start = i;
        let mut last_voiced = i;
        let mut j = i + 1;
        let mut closed = false;
        while j < frames.len() {
            let f = frames[j];
            if f.f0 <= 0.0 {
                if j - last_voiced > MAX_GAP_FRAMES {
                    closed = true;
                    break;
                }
                j += 1;
                continue;
            }
            let step = semitones(f.f0, frames[last_voiced].f0).abs();
            if step > STEADY_STEP_ST || f.flux_db > STEADY_FLUX_DB * 2.0 {
                closed = true;
                break;
            }
            last_voiced = j;
            j += 1;
        }
        let end = last_voiced + 1;
        let waiting = !closed || end + LOOKAHEAD_FRAMES > frames.len();
        if more && waiting && end - start <= max_frames {
            return start;
        }
        let dur = (end - start) as f64 * FRAME_SECONDS;
        if (MIN_FILLER_S..=MAX_FILLER_S).contains(&dur) {
            if let Some(c) = describe(frames, start, end) {
                emit(c);
            }
        }
        i = end.max(i + 1);
    }
    i
}

/// Quiet time next to a stretch, seconds: unvoiced frames at least
/// [`QUIET_BELOW_DB`] under the stretch's level within [`QUIET_WINDOW_S`]
/// (the onset of a held vowel may take a few unsteady frames).
fn quiet_run(frames: impl Iterator<Item = FrameSummary>, level_db: f32) -> f64 {
    let max = (QUIET_WINDOW_S / FRAME_SECONDS).round() as usize;
    frames
        .take(max)
        .filter(|f| f.f0 <= 0.0 && f.energy_db < level_db - QUIET_BELOW_DB)
        .count() as f64
        * FRAME_SECONDS
}

fn describe(frames: &[FrameSummary], first: usize, end: usize) -> Option<FillerCandidate> {
    let run = frames.get(first..end)?;
    // Two passes over the voiced frames (no buffer): mean log pitch, then spread.
    let voiced = || run.iter().filter(|f| f.f0 > 0.0).map(|f| f.f0.log2());
    let n = voiced().count();
    if n < 2 {
        return None;
    }
    let mean_log = voiced().sum::<f32>() / n as f32;
    let var = voiced()
        .map(|l| (12.0 * (l - mean_log)).powi(2))
        .sum::<f32>()
        / n as f32;
    let pitch_spread_st = var.sqrt();
    // The first frame's flux is the onset: leave it out.
    let flux_db = run[1..].iter().map(|f| f.flux_db).sum::<f32>() / (run.len() - 1) as f32;
    let third = (run.len() / 3).max(1);
    let mean_db = |s: &[FrameSummary]| s.iter().map(|f| f.energy_db).sum::<f32>() / s.len() as f32;
    let head = mean_db(&run[..third]);
    let tail = mean_db(&run[run.len() - third..]);
    let level_slope_db = tail - head;
    let level = mean_db(run);
    let quiet_before = quiet_run(frames[..first].iter().rev().copied(), level);
    let quiet_after = quiet_run(frames[end..].iter().copied(), level);
    let start = first as f64 * FRAME_SECONDS;
    let end = (first + run.len()) as f64 * FRAME_SECONDS;
    let dur = end - start;
    let confidence = confidence(dur, pitch_spread_st, flux_db, level_slope_db)
        * if quiet_before.min(quiet_after) >= ISOLATION_S {
            1.0
        } else {
            NOT_ISOLATED
        };
    Some(FillerCandidate {
        time: TimeRange::new(start, end),
        pitch_spread_st,
        flux_db,
        level_slope_db,
        nasal_end: level_slope_db < -4.0,
        quiet_before_s: quiet_before,
        quiet_after_s: quiet_after,
        confidence,
    })
}

/// How much a stretch looks like a held "uh": each feature scores 0..1 and
/// the weakest decides (a stretch must be long enough *and* steady *and*
/// unchanging *and* not rising in level).
pub fn confidence(dur: f64, pitch_spread_st: f32, flux_db: f32, level_slope_db: f32) -> f32 {
    let lin = |x: f32, zero: f32, one: f32| ((x - zero) / (one - zero)).clamp(0.0, 1.0);
    let long = lin(dur as f32, 0.10, 0.18);
    let steady = lin(pitch_spread_st, 2.5, 1.0);
    let unchanging = lin(flux_db, STEADY_FLUX_DB, STEADY_FLUX_DB * 0.6);
    let not_rising = lin(level_slope_db, 6.0, 2.0);
    long.min(steady).min(unchanging).min(not_rising)
}

/// The candidates no word covers (at most [`MAX_COVERED`] of each), with
/// at least `min_confidence`.
pub fn uncovered(
    candidates: &[FillerCandidate],
    words: &[TimeRange],
    min_confidence: f32,
) -> Vec<FillerCandidate> {
    candidates
        .iter()
        .filter(|c| c.confidence >= min_confidence && is_uncovered(c, words))
        .copied()
        .collect()
}

/// No word covers more than [`MAX_COVERED`] of the candidate, and what the
/// words leave of it is still as long as the shortest filler: a steady
/// stretch squeezed into a 0.12 s gap between two words ("with … Field")
/// is where those words meet, not a filled pause.
pub fn is_uncovered(candidate: &FillerCandidate, words: &[TimeRange]) -> bool {
    let c = candidate.time;
    let covered: f64 = words
        .iter()
        .map(|w| (w.end.min(c.end) - w.start.max(c.start)).max(0.0))
        .sum();
    covered <= MAX_COVERED * c.duration() && c.duration() - covered >= MIN_FILLER_S
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::analyze_signal;
    use crate::dsp::test_signals::noise;

    const SR: f32 = 16_000.0;

    /// A vowel-like harmonic sound: `f0` gliding by `glide_st` semitones
    /// per second, its timbre (formant weighting) changing every `syll` s
    /// when given (speech), steady otherwise (a held "uh").
    fn voiced(seconds: f32, f0: f32, glide_st: f32, syll: Option<f32>) -> Vec<f32> {
        let n = (seconds * SR) as usize;
        let mut phase = 0.0f32;
        (0..n)
            .map(|i| {
                let t = i as f32 / SR;
                let hz = f0 * 2f32.powf(glide_st * t / 12.0);
                phase += 2.0 * std::f32::consts::PI * hz / SR;
                let (w2, w5) = match syll {
                    Some(p) if ((t / p) as usize) % 2 == 1 => (0.2, 0.9),
                    _ => (0.8, 0.2),
                };
                let env = (t / 0.03).min(1.0) * ((seconds - t) / 0.03).min(1.0);
                0.1 * env
                    * ((phase).sin()
                        + w2 * (2.0 * phase).sin()
                        + 0.5 * (3.0 * phase).sin()
                        + w5 * (5.0 * phase).sin())
            })
            .collect()
    }

    fn silence(seconds: f32) -> Vec<f32> {
        noise((seconds * SR) as usize, 1e-4, 3)
    }

    /// speech, gap, `middle`, gap, speech.
    fn message(middle: Vec<f32>) -> Vec<f32> {
        let mut x = silence(0.5);
        x.extend(voiced(1.0, 140.0, 20.0, Some(0.08)));
        x.extend(silence(0.25));
        x.extend(middle);
        x.extend(silence(0.25));
        x.extend(voiced(1.0, 150.0, -20.0, Some(0.08)));
        x.extend(silence(0.5));
        x
    }

    fn words() -> Vec<TimeRange> {
        vec![TimeRange::new(0.5, 1.5), TimeRange::new(2.25, 3.25)]
    }

    #[test]
    fn a_steady_hum_between_words_is_a_filler() {
        let x = message(voiced(0.4, 110.0, -1.0, None));
        let c = analyze_signal(&x).filler_candidates;
        let f = uncovered(&c, &words(), 0.5);
        assert_eq!(f.len(), 1, "{c:?}");
        assert!((f[0].time.start - 1.75).abs() < 0.1, "{f:?}");
    }

    #[test]
    fn the_live_count_sees_the_hum_once_it_has_ended() {
        let x = message(voiced(0.4, 110.0, -1.0, None));
        let mut a = crate::dsp::SignalAnalyzer::new(Default::default());
        // The hum is at 1.75–2.15 s.
        let (head, tail) = x.split_at((2.0 * SR) as usize);
        a.process(head);
        assert_eq!(a.live().fillers, 0, "not before it ends");
        a.process(tail);
        assert_eq!(a.live().fillers, 1);
        // The same decision as the whole file's.
        let c = analyze_signal(&x).filler_candidates;
        let whole = c
            .iter()
            .filter(|c| c.is_island() && c.confidence >= MIN_CONFIDENCE)
            .count();
        assert_eq!(whole, 1, "{c:?}");
    }

    #[test]
    fn a_noise_burst_between_words_is_not() {
        let x = message(noise(6400, 0.05, 9));
        let c = analyze_signal(&x).filler_candidates;
        assert!(uncovered(&c, &words(), 0.5).is_empty(), "{c:?}");
    }

    #[test]
    fn the_same_hum_covered_by_a_word_is_not() {
        let x = message(voiced(0.4, 110.0, -1.0, None));
        let c = analyze_signal(&x).filler_candidates;
        let mut w = words();
        w.push(TimeRange::new(1.75, 2.15));
        assert!(uncovered(&c, &w, 0.5).is_empty(), "{c:?}");
    }

    fn frame(f0: f32, db: f32, flux: f32) -> FrameSummary {
        FrameSummary {
            f0,
            energy_db: db,
            flux_db: flux,
        }
    }

    #[test]
    fn a_held_vowel_is_a_candidate_a_glide_is_not() {
        let mut t = vec![frame(0.0, -70.0, 0.0); 20];
        t.extend((0..30).map(|_| frame(110.0, -25.0, 1.0)));
        t.extend(vec![frame(0.0, -70.0, 0.0); 20]);
        // A syllable-rate glide: pitch moving two semitones per frame.
        t.extend((0..30).map(|i| frame(100.0 * 2f32.powf(i as f32 / 6.0), -25.0, 1.0)));
        let c = candidates(&t);
        assert_eq!(c.len(), 1, "{c:?}");
        assert!((c[0].time.start - 0.2).abs() < 0.011);
        assert!((c[0].time.duration() - 0.3).abs() < 0.011);
        assert!(c[0].confidence > 0.9);
    }

    #[test]
    fn changing_spectrum_lowers_confidence() {
        let t: Vec<_> = (0..30).map(|_| frame(110.0, -25.0, 6.0)).collect();
        let c = candidates(&t);
        assert!(c.iter().all(|c| c.confidence < 0.1), "{c:?}");
    }

    #[test]
    fn too_short_or_too_long_is_no_candidate() {
        let short: Vec<_> = (0..10).map(|_| frame(110.0, -25.0, 1.0)).collect();
        assert!(candidates(&short).is_empty());
        let long: Vec<_> = (0..200).map(|_| frame(110.0, -25.0, 1.0)).collect();
        assert!(candidates(&long).is_empty());
    }

    #[test]
    fn a_covered_candidate_is_a_word() {
        let c = FillerCandidate {
            time: TimeRange::new(1.0, 1.3),
            pitch_spread_st: 0.2,
            flux_db: 1.0,
            level_slope_db: 0.0,
            nasal_end: false,
            quiet_before_s: 0.2,
            quiet_after_s: 0.2,
            confidence: 1.0,
        };
        assert_eq!(uncovered(&[c], &[TimeRange::new(0.5, 1.5)], 0.5).len(), 0);
        assert_eq!(uncovered(&[c], &[TimeRange::new(0.5, 1.05)], 0.5).len(), 1);
        assert_eq!(uncovered(&[c], &[], 0.5).len(), 1);
        // A short one the words on both sides cover a third of, leaving
        // 0.12 s: too little for a filler (one side alone leaves 0.16 s).
        let short = FillerCandidate {
            time: TimeRange::new(1.0, 1.18),
            ..c
        };
        let sides = [TimeRange::new(0.5, 1.02), TimeRange::new(1.14, 1.6)];
        assert_eq!(uncovered(&[short], &sides, 0.5).len(), 0);
        assert_eq!(uncovered(&[short], &sides[..1], 0.5).len(), 1);
    }
}
