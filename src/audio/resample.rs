//! Resampling mono audio to 16 kHz, as a streaming stage.
//!
//! rubato's synchronous FFT resampler does the work (fixed ratio, high
//! quality, cheap). The stage takes blocks of any size, keeps a partial
//! chunk between calls, drops the resampler's start-up delay so output
//! sample 0 lines up with input sample 0, and on `finish` flushes the tail
//! so the output is exactly `round(input_len * 16000 / rate)` samples long.
//! When the input is already 16 kHz it passes samples through untouched.
//! After `new`, nothing allocates.

use audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler as _, WindowFunction};

use crate::dsp::SAMPLE_RATE;

/// Why a resampler could not be built or run.
#[derive(Debug, thiserror::Error)]
pub enum ResampleError {
    #[error("cannot resample from {rate} Hz: {reason}")]
    Construction { rate: u32, reason: String },
    #[error("resampling failed: {0}")]
    Process(String),
}

/// Input frames per resampler call (a hint; rubato rounds it to fit the ratio).
/// 10 ms at 48 kHz: a short FFT is cheaper per sample here (pipeline bench:
/// load + resample of 20 s at 48 kHz 19.8 → 14.7 ms) and lowers the latency
/// for `record`, while aliases still stay under -60 dB (see the tests).
const CHUNK_HINT: usize = 480;

/// A streaming resampler from one fixed rate to 16 kHz.
pub struct To16k {
    rate: u32,
    inner: Option<Fft<f32>>,
    /// Input collected until a full chunk is there.
    pending: Vec<f32>,
    pending_len: usize,
    out_buf: Vec<f32>,
    /// Output frames still to drop (the resampler's delay).
    delay_left: usize,
    input_total: u64,
    output_total: u64,
}

impl To16k {
    /// Build a resampler from `rate` Hz. Allocates every buffer it will use.
    pub fn new(rate: u32) -> Result<Self, ResampleError> {
        if rate == 0 {
            return Err(ResampleError::Construction {
                rate,
                reason: "the rate is zero".into(),
            });
        }
        if rate == SAMPLE_RATE {
            return Ok(Self {
                rate,
                inner: None,
                pending: Vec::new(),
                pending_len: 0,
                out_buf: Vec::new(),
                delay_left: 0,
                input_total: 0,
                output_total: 0,
            });
        }
        // One FFT per chunk (no sub-chunks): a longer filter than rubato's
        // default, which keeps aliases of 44.1 kHz material under -60 dB.
        let inner = Fft::<f32>::new_custom(
            rate as usize,
            SAMPLE_RATE as usize,
            CHUNK_HINT,
            1,
            1,
            WindowFunction::BlackmanHarris2,
            FixedSync::Both,
        )
        .map_err(|e| ResampleError::Construction {
            rate,
            reason: e.to_string(),
        })?;
        let pending = vec![0.0; inner.input_frames_max()];
        let out_buf = vec![0.0; inner.output_frames_max()];
        let delay_left = inner.output_delay();
        Ok(Self {
            rate,
            inner: Some(inner),
            pending,
            pending_len: 0,
            out_buf,
            delay_left,
            input_total: 0,
            output_total: 0,
        })
    }

    /// Feed a block; `emit` receives each run of 16 kHz samples produced.
    pub fn process(
        &mut self,
        mut input: &[f32],
        emit: &mut dyn FnMut(&[f32]),
    ) -> Result<(), ResampleError> {
        self.input_total += input.len() as u64;
        let Some(inner) = self.inner.as_mut() else {
            self.output_total += input.len() as u64;
            emit(input);
            return Ok(());
        };
        while !input.is_empty() {
            let need = inner.input_frames_next();
            let take = (need - self.pending_len).min(input.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&input[..take]);
            self.pending_len += take;
            input = &input[take..];
            if self.pending_len == need {
                Self::run_chunk(
                    inner,
                    &self.pending[..need],
                    &mut self.out_buf,
                    &mut self.delay_left,
                    &mut self.output_total,
                    u64::MAX,
                    emit,
                )?;
                self.pending_len = 0;
            }
        }
        Ok(())
    }

    /// Flush what is held back; afterwards the total output is the input
    /// length times the rate ratio, rounded.
    pub fn finish(&mut self, emit: &mut dyn FnMut(&[f32])) -> Result<(), ResampleError> {
        let expected = (self.input_total as f64 * f64::from(SAMPLE_RATE) / f64::from(self.rate))
            .round() as u64;
        let Some(inner) = self.inner.as_mut() else {
            return Ok(());
        };
        // First the partial chunk, then silence until the delayed tail is out.
        let mut partial = Some(self.pending_len);
        let mut guard = 0;
        while self.output_total < expected && guard < 64 {
            guard += 1;
            let need = inner.input_frames_next();
            let len = partial.take().unwrap_or(0);
            self.pending[len..need].fill(0.0);
            Self::run_chunk(
                inner,
                &self.pending[..need],
                &mut self.out_buf,
                &mut self.delay_left,
                &mut self.output_total,
                expected,
                emit,
            )?;
        }
        self.pending_len = 0;
        Ok(())
    }

    /// Start again for a new stream at the same rate.
    pub fn reset(&mut self) {
        if let Some(inner) = self.inner.as_mut() {
            inner.reset();
            self.delay_left = inner.output_delay();
        }
        self.pending_len = 0;
        self.input_total = 0;
        self.output_total = 0;
    }

    #[allow(clippy::too_many_arguments)]
    fn run_chunk(
        inner: &mut Fft<f32>,
        chunk: &[f32],
        out_buf: &mut [f32],
        delay_left: &mut usize,
        output_total: &mut u64,
        cap: u64,
        emit: &mut dyn FnMut(&[f32]),
    ) -> Result<(), ResampleError> {
        let frames_in = chunk.len();
        let frames_out = out_buf.len();
        let input = InterleavedSlice::new(chunk, 1, frames_in)
            .map_err(|e| ResampleError::Process(e.to_string()))?;
        let mut output = InterleavedSlice::new_mut(out_buf, 1, frames_out)
            .map_err(|e| ResampleError::Process(e.to_string()))?;
        let (_, produced) = inner
            .process_into_buffer(&input, &mut output, None)
            .map_err(|e| ResampleError::Process(e.to_string()))?;
        let mut produced_slice = &out_buf[..produced];
        let skip = (*delay_left).min(produced_slice.len());
        *delay_left -= skip;
        produced_slice = &produced_slice[skip..];
        let room = cap.saturating_sub(*output_total) as usize;
        let produced_slice = &produced_slice[..produced_slice.len().min(room)];
        if !produced_slice.is_empty() {
            *output_total += produced_slice.len() as u64;
            emit(produced_slice);
        }
        Ok(())
    }
}

/// Resample a whole clip to 16 kHz (a convenience over the streaming stage).
pub fn to_16k(samples: &[f32], rate: u32) -> Result<Vec<f32>, ResampleError> {
    if rate == SAMPLE_RATE {
        return Ok(samples.to_vec());
    }
    let mut stage = To16k::new(rate)?;
    let expected = (samples.len() as f64 * f64::from(SAMPLE_RATE) / f64::from(rate)).round();
    let mut out = Vec::with_capacity(expected as usize + 16);
    for block in samples.chunks(8192) {
        stage.process(block, &mut |s| out.extend_from_slice(s))?;
    }
    stage.finish(&mut |s| out.extend_from_slice(s))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f32, rate: u32, seconds: f32) -> Vec<f32> {
        let n = (rate as f32 * seconds) as usize;
        (0..n)
            .map(|i| {
                // f64 phase: an f32 phase this long adds phase noise near -60 dB.
                let phase =
                    2.0 * std::f64::consts::PI * f64::from(freq) * i as f64 / f64::from(rate);
                0.5 * phase.sin() as f32
            })
            .collect()
    }

    /// RMS over the middle half, away from edge effects.
    fn mid_rms(x: &[f32]) -> f32 {
        let a = x.len() / 4;
        let b = 3 * x.len() / 4;
        let s: f64 = x[a..b].iter().map(|v| f64::from(*v) * f64::from(*v)).sum();
        (s / (b - a) as f64).sqrt() as f32
    }

    fn db(ratio: f32) -> f32 {
        20.0 * ratio.log10()
    }

    #[test]
    fn passthrough_at_16k() {
        let x = sine(440.0, 16_000, 0.5);
        assert_eq!(to_16k(&x, 16_000).unwrap(), x);
    }

    #[test]
    fn output_length_matches_ratio() {
        for rate in [8_000, 11_025, 22_050, 44_100, 48_000, 96_000, 192_000] {
            let x = sine(300.0, rate, 1.37);
            let y = to_16k(&x, rate).unwrap();
            let expected = (x.len() as f64 * 16_000.0 / rate as f64).round() as usize;
            assert_eq!(y.len(), expected, "rate {rate}");
        }
    }

    #[test]
    fn passband_level_within_a_tenth_of_a_db() {
        for rate in [8_000, 22_050, 44_100, 48_000] {
            for freq in [200.0, 1_000.0, 3_000.0, 3_800.0] {
                let x = sine(freq, rate, 1.0);
                let y = to_16k(&x, rate).unwrap();
                let change = db(mid_rms(&y) / mid_rms(&x));
                assert!(
                    change.abs() < 0.1,
                    "{rate} Hz, {freq} Hz tone: {change:.3} dB"
                );
            }
        }
        for freq in [5_000.0, 6_500.0] {
            let x = sine(freq, 48_000, 1.0);
            let y = to_16k(&x, 48_000).unwrap();
            let change = db(mid_rms(&y) / mid_rms(&x));
            assert!(change.abs() < 0.1, "48 kHz, {freq} Hz tone: {change:.3} dB");
        }
    }

    #[test]
    fn aliases_below_minus_60_db() {
        // Tones above the new Nyquist (8 kHz) must not fold back into the band.
        for rate in [44_100, 48_000, 96_000] {
            for freq in [9_000.0, 11_000.0, 15_000.0] {
                let x = sine(freq, rate, 1.0);
                let y = to_16k(&x, rate).unwrap();
                let level = db(mid_rms(&y) / mid_rms(&x));
                assert!(
                    level < -60.0,
                    "{rate} Hz, {freq} Hz tone: alias at {level:.1} dB"
                );
            }
        }
    }

    #[test]
    fn streaming_in_odd_blocks_matches_whole() {
        let x = sine(700.0, 44_100, 0.8);
        let whole = to_16k(&x, 44_100).unwrap();
        let mut stage = To16k::new(44_100).unwrap();
        let mut out = Vec::new();
        for block in x.chunks(333) {
            stage
                .process(block, &mut |s| out.extend_from_slice(s))
                .unwrap();
        }
        stage.finish(&mut |s| out.extend_from_slice(s)).unwrap();
        assert_eq!(out.len(), whole.len());
        for (a, b) in out.iter().zip(&whole) {
            assert!((a - b).abs() < 1e-5);
        }
    }

    #[test]
    fn no_time_shift() {
        // A click at 0.25 s stays at 0.25 s.
        let rate = 48_000;
        let mut x = vec![0.0f32; rate as usize / 2];
        x[rate as usize / 4] = 1.0;
        let y = to_16k(&x, rate).unwrap();
        let peak = y
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .map(|(i, _)| i)
            .unwrap();
        assert!((peak as i64 - 4_000).abs() <= 1, "peak at {peak}");
    }
}
