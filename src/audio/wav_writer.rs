//! Writing a WAV file while it is being recorded, so a crash loses little.
//!
//! hound's `WavWriter` only writes correct sizes into the header on
//! `flush()` or `finalize()`. This writer calls `flush()` whenever the last
//! checkpoint is older than its interval (the caller picks it; `record`
//! uses half a second), so a killed process leaves a file that opens and
//! holds everything up to the last checkpoint. Samples are 16-bit PCM:
//! what every player and `vmcoach score` reads, and far finer than a
//! laptop microphone's noise.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Why the WAV could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WavWriteError {
    #[error("cannot write {path}")]
    Create { path: PathBuf, source: hound::Error },
    #[error("writing {path}")]
    Write { path: PathBuf, source: hound::Error },
}

/// A mono 16-bit WAV written block by block, with periodic header updates.
pub struct CheckpointWavWriter {
    path: PathBuf,
    writer: Option<hound::WavWriter<BufWriter<File>>>,
    rate: u32,
    frames: u64,
    interval: Duration,
    last_checkpoint: Instant,
}

impl CheckpointWavWriter {
    /// Create (or truncate) `path`. This is the writability check: it fails
    /// before any audio is captured if the path cannot be written.
    pub fn create(path: &Path, rate: u32, interval: Duration) -> Result<Self, WavWriteError> {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut writer =
            hound::WavWriter::create(path, spec).map_err(|source| WavWriteError::Create {
                path: path.to_path_buf(),
                source,
            })?;
        // An empty but valid file from the very start.
        writer.flush().map_err(|source| WavWriteError::Create {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            writer: Some(writer),
            rate,
            frames: 0,
            interval,
            last_checkpoint: Instant::now(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Samples written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Seconds written so far.
    pub fn seconds(&self) -> f64 {
        self.frames as f64 / f64::from(self.rate)
    }

    fn err(&self, source: hound::Error) -> WavWriteError {
        WavWriteError::Write {
            path: self.path.clone(),
            source,
        }
    }

    /// Append samples (-1..1; beyond is clipped). Checkpoints when due.
    pub fn write(&mut self, samples: &[f32]) -> Result<(), WavWriteError> {
        let Some(writer) = self.writer.as_mut() else {
            return Ok(());
        };
        let mut failed = None;
        for &s in samples {
            let v = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
            if let Err(e) = writer.write_sample(v) {
                failed = Some(e);
                break;
            }
        }
        if let Some(e) = failed {
            return Err(self.err(e));
        }
        self.frames += samples.len() as u64;
        if self.last_checkpoint.elapsed() >= self.interval {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Bring the header up to date now and push the data to the OS.
    pub fn checkpoint(&mut self) -> Result<(), WavWriteError> {
        self.last_checkpoint = Instant::now();
        let Some(writer) = self.writer.as_mut() else {
            return Ok(());
        };
        match writer.flush() {
            Ok(()) => Ok(()),
            Err(e) => Err(self.err(e)),
        }
    }

    /// Final header update; reports its error (hound's `Drop` would not).
    pub fn finalize(&mut self) -> Result<(), WavWriteError> {
        match self.writer.take() {
            Some(w) => w.finalize().map_err(|e| self.err(e)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpointed_file_opens_before_finalize() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        let mut w = CheckpointWavWriter::create(&path, 16_000, Duration::ZERO).unwrap();
        let block: Vec<f32> = (0..1600).map(|i| (i as f32 * 0.01).sin() * 0.5).collect();
        w.write(&block).unwrap();
        w.write(&block).unwrap();
        // Not finalized: a reader must already see both blocks.
        let r = hound::WavReader::open(&path).unwrap();
        assert_eq!(r.duration(), 3200);
        let first: Vec<i16> = r
            .into_samples::<i16>()
            .take(3)
            .map(|s| s.unwrap())
            .collect();
        let want: Vec<i16> = block[..3]
            .iter()
            .map(|s| (s * 32767.0).round() as i16)
            .collect();
        assert_eq!(first, want);
        w.finalize().unwrap();
        assert_eq!(hound::WavReader::open(&path).unwrap().duration(), 3200);
    }

    #[test]
    fn unwritable_path_fails_at_create() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-dir").join("a.wav");
        let err = CheckpointWavWriter::create(&path, 16_000, Duration::ZERO)
            .err()
            .unwrap();
        assert!(err.to_string().contains("no-such-dir"), "{err}");
    }

    #[test]
    fn out_of_range_samples_are_clipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.wav");
        let mut w = CheckpointWavWriter::create(&path, 8_000, Duration::from_secs(60)).unwrap();
        w.write(&[2.0, -2.0, 0.0]).unwrap();
        w.finalize().unwrap();
        let s: Vec<i16> = hound::WavReader::open(&path)
            .unwrap()
            .into_samples::<i16>()
            .map(|s| s.unwrap())
            .collect();
        assert_eq!(s, vec![32767, -32767, 0]);
    }
}
