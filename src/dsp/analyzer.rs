//! The whole DSP chain as one streaming stage: framing, voice activity,
//! level, pitch and syllable rate. `score` feeds a file through it in
//! blocks; `record` feeds the microphone worker's blocks and reads
//! [`SignalAnalyzer::live`] for the display. Same code, same numbers.

use crate::message::{TimeRange, PAUSE_THRESHOLD_S};

use super::fillers::{self, FillerCandidate, FrameTrack};
use super::frames::{Frame, Framer, FRAME_SECONDS};
use super::level::{LevelMeter, LiveLevel};
use super::pitch::{PitchConfig, PitchTracker};
use super::syllables::{rate_summary, SyllableConfig, SyllableCounter};
use super::vad::{estimate_floor_db, Vad, VadConfig, VadEvent};
use super::SAMPLE_RATE;
use crate::message::Prosody;

/// Speech segments kept per stream; later ones still count in the totals.
const MAX_SEGMENTS: usize = 4096;
/// Pauses kept per stream.
const MAX_PAUSES: usize = 1024;
/// Voiced frames held while the detector decides whether activity is speech.
const MAX_PENDING_PITCH: usize = 64;
/// Block size `analyze_signal` feeds the chain with (as the mic worker would).
const FILE_BLOCK: usize = 4096;

/// Settings of the chain.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DspConfig {
    pub vad: VadConfig,
    pub pitch: PitchConfig,
    pub syllables: SyllableConfig,
}

/// What the signal says, for the report and the rules.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct SignalAnalysis {
    /// Length of the signal, seconds.
    pub duration: f64,
    /// First speech start to last speech end; `None` when no speech was found.
    pub speech: Option<TimeRange>,
    /// Silences inside the speech span longer than the pause threshold.
    pub pauses: Vec<TimeRange>,
    /// Every speech segment (runs of speech separated by at least the hangover).
    pub segments: Vec<TimeRange>,
    /// The speech span minus the pauses, seconds: the time the rates are per.
    pub speaking_time: f64,
    pub prosody: Prosody,
    /// Steady voiced stretches that are filled pauses unless a word covers
    /// them (see `dsp::fillers`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filler_candidates: Vec<FillerCandidate>,
    /// The pitch of every 10 ms frame (frame `k` at `k`·10 ms), `None`
    /// where unvoiced or quiet: what the report draws. Kept only when asked
    /// for ([`SignalAnalyzer::keep_pitch_track`]; [`analyze_signal`] does).
    #[serde(skip)]
    pub pitch_track: Vec<Option<f32>>,
}

/// Figures for the live display, cheap to read after every block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiveStatus {
    pub elapsed_s: f64,
    pub speaking: bool,
    pub level: LiveLevel,
    /// Syllables per second of speaking time so far.
    pub syllables_per_second: Option<f32>,
    pub estimated_wpm: Option<f32>,
    /// Filled pauses heard so far (`dsp::fillers`, the audio's witness alone).
    pub fillers: usize,
}

/// Everything but the framer, so a frame can be handed to it while the
/// framer is borrowed.
struct Stages {
    vad: Vad,
    level: LevelMeter,
    pitch: PitchTracker,
    syllables: SyllableCounter,
    /// Per-frame summaries for the filler detector.
    filler_track: FrameTrack,
    segments: Vec<TimeRange>,
    pauses: Vec<TimeRange>,
    first_start: Option<f64>,
    last_end: Option<f64>,
    /// Start of the segment in progress, if any.
    open_start: Option<f64>,
    /// Total length of the pauses found so far, seconds.
    paused: f64,
    /// Syllable nuclei inside confirmed speech.
    syllable_count: usize,
    /// Each frame's pitch, when kept: filled up to its capacity, never
    /// grown while processing.
    track: Vec<Option<f32>>,
    /// What candidate (not yet confirmed) frames would add to the
    /// summaries: kept aside, added on confirmation, dropped otherwise, so a
    /// click, a tone or a door never leaves a level, a pitch or a syllable.
    pending: Pending,
}

struct Pending {
    mean_square_sum: f64,
    active_frames: u64,
    pitch: [f32; MAX_PENDING_PITCH],
    pitch_len: usize,
    syllables: usize,
}

impl Pending {
    fn new() -> Self {
        Self {
            mean_square_sum: 0.0,
            active_frames: 0,
            pitch: [0.0; MAX_PENDING_PITCH],
            pitch_len: 0,
            syllables: 0,
        }
    }

    fn clear(&mut self) {
        self.mean_square_sum = 0.0;
        self.active_frames = 0;
        self.pitch_len = 0;
        self.syllables = 0;
    }
}

/// The streaming chain.
pub struct SignalAnalyzer {
    framer: Framer,
    stages: Stages,
}

impl SignalAnalyzer {
    /// Builds every stage and allocates every buffer.
    pub fn new(cfg: DspConfig) -> Self {
        Self {
            framer: Framer::new(),
            stages: Stages {
                vad: Vad::new(cfg.vad),
                level: LevelMeter::new(),
                pitch: PitchTracker::new(cfg.pitch),
                syllables: SyllableCounter::new(cfg.syllables),
                filler_track: FrameTrack::new(),
                segments: Vec::with_capacity(MAX_SEGMENTS),
                pauses: Vec::with_capacity(MAX_PAUSES),
                first_start: None,
                last_end: None,
                open_start: None,
                paused: 0.0,
                syllable_count: 0,
                track: Vec::new(),
                pending: Pending::new(),
            },
        }
    }

    /// Keep the pitch of each of the next `frames` frames for
    /// [`SignalAnalysis::pitch_track`]. Allocates here, once; frames past
    /// `frames` are not kept.
    pub fn keep_pitch_track(&mut self, frames: usize) {
        self.stages.track = Vec::with_capacity(frames);
    }

    /// Starts the noise floor at a known level (see [`estimate_floor_db`]).
    pub fn set_floor_hint(&mut self, floor_db: Option<f32>) {
        self.stages.vad.set_floor_hint(floor_db);
    }

    /// Takes a block of 16 kHz mono samples. Does not allocate.
    pub fn process(&mut self, block: &[f32]) {
        self.stages.level.push_samples(block);
        let stages = &mut self.stages;
        self.framer.process(block, |f| stages.on_frame(f));
    }

    /// Flushes the last frames and returns the summary of the stream so far.
    /// Call [`reset`](Self::reset) before feeding another stream.
    pub fn finish(&mut self) -> SignalAnalysis {
        let stages = &mut self.stages;
        self.framer.finish(|f| stages.on_frame(f));
        let was_speaking = stages.vad.is_speaking();
        if let Some(ev) = stages.vad.finish() {
            stages.on_event(ev);
        }
        if stages.syllables.finish().is_some() && was_speaking {
            stages.syllable_count += 1;
        }
        stages.pending.clear();
        let duration = self.framer.samples_in() as f64 / SAMPLE_RATE as f64;
        let s = &self.stages;
        let speech = match (s.first_start, s.last_end) {
            (Some(a), Some(b)) => Some(TimeRange::new(a, b.max(a))),
            _ => None,
        };
        let speaking_time = speech.map_or(0.0, |r| (r.duration() - s.paused).max(0.0));
        SignalAnalysis {
            duration,
            speech,
            pauses: s.pauses.clone(),
            segments: s.segments.clone(),
            speaking_time,
            prosody: Prosody {
                pitch: s.pitch.summary(),
                level: s.level.summary(),
                rate: rate_summary(s.syllable_count, speaking_time),
            },
            filler_candidates: fillers::candidates(s.filler_track.frames()),
            pitch_track: s.track.clone(),
        }
    }

    /// Back to the state after `new` (a floor hint is kept).
    pub fn reset(&mut self) {
        self.framer.reset();
        let s = &mut self.stages;
        s.vad.reset();
        s.level.reset();
        s.pitch.reset();
        s.syllables.reset();
        s.filler_track.reset();
        s.segments.clear();
        s.pauses.clear();
        s.first_start = None;
        s.last_end = None;
        s.open_start = None;
        s.paused = 0.0;
        s.syllable_count = 0;
        s.track.clear();
        s.pending.clear();
    }

    /// The speech segments found so far, the one still open (if any)
    /// running to `until` seconds: what Whisper's words are laid onto when
    /// a long recording is transcribed a window at a time.
    pub fn segments_so_far(&self, until: f64) -> Vec<TimeRange> {
        let s = &self.stages;
        let mut out = s.segments.clone();
        if let Some(start) = s.open_start {
            out.push(TimeRange::new(start, until.max(start)));
        }
        out
    }

    /// The live display's figures.
    pub fn live(&self) -> LiveStatus {
        let s = &self.stages;
        // Speaking time so far: from the first speech to now (or to the last
        // speech end when silent), less the pauses.
        let now = self.framer.frames_out() as f64 * FRAME_SECONDS;
        let until = if s.open_start.is_some() {
            Some(now)
        } else {
            s.last_end
        };
        let speaking = match (s.first_start, until) {
            (Some(a), Some(b)) => (b - a - s.paused).max(0.0),
            _ => 0.0,
        };
        let rate = rate_summary(s.syllable_count, speaking);
        LiveStatus {
            elapsed_s: self.framer.samples_in() as f64 / SAMPLE_RATE as f64,
            speaking: s.vad.is_speaking(),
            level: s.level.live(),
            syllables_per_second: rate.syllables_per_second,
            estimated_wpm: rate.estimated_wpm,
            fillers: s.filler_track.live_count(),
        }
    }
}

impl Stages {
    fn on_frame(&mut self, f: &Frame) {
        let v = self.vad.push(f);
        self.level.push_frame(f, v.active);
        let pitch = self.pitch.push(f, v.active);
        self.filler_track.push(f, pitch);
        if self.track.len() < self.track.capacity() {
            self.track.push(pitch);
        }
        let nucleus = self
            .syllables
            .push(f, v.active, v.floor_db, pitch.is_some());
        if let Some(ev) = v.event {
            self.on_event(ev);
        }
        let ms = if v.active { f.mean_square as f64 } else { 0.0 };
        let active = u64::from(v.active);
        if v.speaking {
            self.level.add_speech(ms, active);
            if let Some(hz) = pitch {
                self.pitch.record(hz);
            }
            self.syllable_count += usize::from(nucleus.is_some());
        } else if v.candidate {
            let p = &mut self.pending;
            p.mean_square_sum += ms;
            p.active_frames += active;
            if let (Some(hz), Some(slot)) = (pitch, p.pitch.get_mut(p.pitch_len)) {
                *slot = hz;
                p.pitch_len += 1;
            }
            p.syllables += usize::from(nucleus.is_some());
        } else {
            self.pending.clear();
            // A nucleus completes a few frames after its top, which may be
            // after the segment ended: count it if the top was inside.
            if let (Some(t), Some(end)) = (nucleus, self.last_end) {
                if t <= end + FRAME_SECONDS {
                    self.syllable_count += 1;
                }
            }
        }
    }

    fn on_event(&mut self, ev: VadEvent) {
        match ev {
            VadEvent::SpeechStart { start } => {
                if let Some(prev_end) = self.last_end {
                    if start - prev_end > PAUSE_THRESHOLD_S && self.pauses.len() < MAX_PAUSES {
                        self.pauses.push(TimeRange::new(prev_end, start));
                    }
                    if start - prev_end > PAUSE_THRESHOLD_S {
                        self.paused += start - prev_end;
                    }
                }
                self.first_start.get_or_insert(start);
                self.open_start = Some(start);
                let p = &mut self.pending;
                self.level.add_speech(p.mean_square_sum, p.active_frames);
                for &hz in p.pitch.get(..p.pitch_len).unwrap_or(&[]) {
                    self.pitch.record(hz);
                }
                self.syllable_count += p.syllables;
                p.clear();
            }
            VadEvent::SpeechEnd { start, end } => {
                self.first_start.get_or_insert(start);
                self.last_end = Some(end);
                self.open_start = None;
                if self.segments.len() < MAX_SEGMENTS {
                    self.segments.push(TimeRange::new(start, end));
                }
            }
        }
    }
}

/// Analyses a whole 16 kHz mono recording: speech span, pauses over 1 s,
/// pitch, level and syllable rate. Runs the streaming chain in blocks,
/// after a quick scan for the noise floor so speech at the very start is
/// found too.
pub fn analyze_signal(pcm_16k: &[f32]) -> SignalAnalysis {
    analyze_signal_with(pcm_16k, DspConfig::default())
}

/// [`analyze_signal`] with explicit settings.
pub fn analyze_signal_with(pcm_16k: &[f32], cfg: DspConfig) -> SignalAnalysis {
    let mut a = SignalAnalyzer::new(cfg);
    a.set_floor_hint(estimate_floor_db(pcm_16k));
    a.keep_pitch_track(pcm_16k.len() / super::frames::HOP + 2);
    for block in pcm_16k.chunks(FILE_BLOCK) {
        a.process(block);
    }
    a.finish()
}
