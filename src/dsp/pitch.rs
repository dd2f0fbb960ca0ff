//! Pitch per frame (stub; YIN lands next).

use super::frames::Frame;
use super::prosody::PitchSummary;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PitchConfig {}

pub struct PitchTracker {}

impl PitchTracker {
    pub fn new(_cfg: PitchConfig) -> Self {
        Self {}
    }
    pub fn reset(&mut self) {}
    pub fn push(&mut self, _frame: &Frame, _active: bool) -> Option<f32> {
        None
    }
    pub fn summary(&self) -> PitchSummary {
        PitchSummary::default()
    }
}
