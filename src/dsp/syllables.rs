//! Syllable nuclei (stub; lands after pitch).

use super::frames::Frame;
use super::prosody::RateSummary;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyllableConfig {}

pub struct SyllableCounter {}

impl SyllableCounter {
    pub fn new(_cfg: SyllableConfig) -> Self {
        Self {}
    }
    pub fn reset(&mut self) {}
    pub fn finish(&mut self) {}
    pub fn push(&mut self, _frame: &Frame, _active: bool, _floor_db: f32, _voiced: bool) {}
    pub fn summary(&self, _speaking_time: f64) -> RateSummary {
        RateSummary::default()
    }
}
