//! Summaries of how the message sounds, as reported and as the VM1xx rules read them.

use serde::{Deserialize, Serialize};

/// Delivery measures of a whole message.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Prosody {
    pub pitch: PitchSummary,
    pub level: LevelSummary,
    pub rate: RateSummary,
}

/// Pitch over voiced speech. `None` fields mean no voiced speech was found.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PitchSummary {
    /// Number of 10 ms frames judged voiced.
    pub voiced_frames: usize,
    pub median_hz: Option<f32>,
    /// 10th and 90th percentile of pitch, Hz.
    pub p10_hz: Option<f32>,
    pub p90_hz: Option<f32>,
    /// Standard deviation of pitch in semitones (VM106 reads this).
    pub spread_semitones: Option<f32>,
}

/// Loudness and quality.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LevelSummary {
    /// RMS over speech frames, dBFS. `None` when no speech was found.
    pub speech_rms_dbfs: Option<f32>,
    /// Highest absolute sample, dBFS.
    pub peak_dbfs: f32,
    /// Share of samples at or beyond full scale (0..1).
    pub clipped_fraction: f32,
    /// Level of the quietest non-speech frames, dBFS.
    pub noise_floor_dbfs: Option<f32>,
    /// Speech level over noise floor, dB.
    pub snr_db: Option<f32>,
}

/// Speech rate estimated from the audio alone (syllable nuclei).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RateSummary {
    pub syllables: usize,
    pub syllables_per_second: Option<f32>,
    pub estimated_wpm: Option<f32>,
}
