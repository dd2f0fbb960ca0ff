//! Every input format a rep's phone or phone system exports, read through
//! the one `SampleSource` interface: the committed fixtures in
//! `fixtures/formats/` (made by its `make.sh`) hold the same 1.5 s 440 Hz
//! tone at half scale, so each decode is checked for length, pitch and
//! level; each bad variant must give one line and exit 2.

use crate::support::{assert_one_line_error, fixtures, formats, run, write_wav_i16};
use std::io::Cursor;
use std::path::Path;

use vmcoach::audio::source::{Codec, Container};
use vmcoach::audio::wav::WavSource;
use vmcoach::audio::{read_mono, AudioError, AudioLimits, SampleSource};
use vmcoach::pipeline::{load_16k, measure_signal};

fn rms(x: &[f32]) -> f64 {
    (x.iter().map(|v| f64::from(*v).powi(2)).sum::<f64>() / x.len() as f64).sqrt()
}

/// Frequency from rising zero crossings over the middle of the clip (the
/// ends hold encoder delay and fades).
fn frequency(x: &[f32], rate: u32) -> f64 {
    let mid = &x[x.len() / 4..x.len() * 3 / 4];
    let ups: Vec<usize> = mid
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] < 0.0 && w[1] >= 0.0)
        .map(|(i, _)| i)
        .collect();
    let (first, last) = (ups[0], ups[ups.len() - 1]);
    (ups.len() - 1) as f64 * f64::from(rate) / (last - first) as f64
}

#[test]
fn every_format_decodes_to_the_same_tone() {
    let cases = [
        ("tone-ulaw.wav", Container::Wav, Codec::MuLaw, 8_000),
        ("tone-alaw.wav", Container::Wav, Codec::ALaw, 8_000),
        ("tone-ima-adpcm.wav", Container::Wav, Codec::Adpcm, 8_000),
        ("tone-ms-adpcm.wav", Container::Wav, Codec::Adpcm, 8_000),
        ("tone-rf64.wav", Container::Rf64, Codec::Pcm, 8_000),
        ("tone-streamed.wav", Container::Wav, Codec::Pcm, 8_000),
        ("tone.mp3", Container::Mp3, Codec::Mp3, 16_000),
        ("tone-stereo.mp3", Container::Mp3, Codec::Mp3, 22_050),
        ("tone.m4a", Container::Mp4, Codec::Aac, 16_000),
        ("tone.aac", Container::Adts, Codec::Aac, 16_000),
        ("tone.flac", Container::Flac, Codec::Flac, 8_000),
        ("tone.ogg", Container::Ogg, Codec::Vorbis, 16_000),
        ("tone.aiff", Container::Aiff, Codec::Pcm, 8_000),
    ];
    for (name, format, codec, rate) in cases {
        let a = read_mono(&formats(name), AudioLimits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(a.info.format, format, "{name}");
        assert_eq!(a.info.codec, codec, "{name}");
        assert_eq!(a.info.sample_rate, rate, "{name}");
        // AAC adds a 1024-frame priming block; the rest are within a frame.
        let secs = a.samples.len() as f64 / f64::from(rate);
        assert!((secs - 1.5).abs() < 0.12, "{name}: {secs} s");
        assert_eq!(a.info.frames, a.samples.len() as u64, "{name}");
        assert!((a.info.duration - secs).abs() < 1e-9, "{name}");
        let f = frequency(&a.samples, rate);
        assert!((f - 440.0).abs() < 4.0, "{name}: {f} Hz");
        // Half-scale sine: RMS 0.354. Lossy codecs and G.711 stay within 10%.
        let level = rms(&a.samples[a.samples.len() / 4..a.samples.len() * 3 / 4]);
        assert!((level - 0.3536).abs() < 0.035, "{name}: rms {level}");
        assert_eq!(a.info.clipped_samples, 0, "{name}");
    }
}

#[test]
fn compressed_formats_reach_16_khz_through_the_pipeline() {
    for name in ["tone.mp3", "tone.m4a", "tone-stereo.mp3", "tone-ulaw.wav"] {
        let a = load_16k(&formats(name), AudioLimits::default()).unwrap();
        let secs = a.samples.len() as f64 / 16_000.0;
        assert!((secs - a.info.duration).abs() < 0.01, "{name}: {secs}");
        assert!(
            (frequency(&a.samples, 16_000) - 440.0).abs() < 4.0,
            "{name}"
        );
    }
}

#[test]
fn the_length_limit_holds_for_every_format() {
    let limits = AudioLimits {
        max_seconds: 1.0,
        ..AudioLimits::default()
    };
    for name in [
        "tone.mp3",
        "tone.m4a",
        "tone.ogg",
        "tone-streamed.wav",
        "tone.flac",
    ] {
        match read_mono(&formats(name), limits) {
            Err(AudioError::TooLong { .. }) => {}
            other => panic!("{name}: {:?}", other.map(|a| a.info)),
        }
    }
}

#[test]
fn bad_variants_are_one_line_and_exit_2() {
    let words = fixtures()
        .join("good.transcript.json")
        .display()
        .to_string();
    for (name, needle) in [
        ("bad-cut.mp3", "truncated"),
        ("bad-photo.m4a", "JPEG image"),
        ("bad-empty.m4a", "empty"),
        ("bad-cut-header.m4a", "M4A"),
        ("tone.opus", "Opus"),
    ] {
        let f = formats(name).display().to_string();
        let o = run(&["score", &f, "--transcript", &words]);
        assert_one_line_error(&o, needle);
    }
}

#[test]
fn an_m4a_is_scored_not_refused() {
    let words = fixtures()
        .join("good.transcript.json")
        .display()
        .to_string();
    let f = formats("tone.m4a").display().to_string();
    let o = run(&["score", &f, "--transcript", &words, "--json"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{err}");
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["audio"]["format"], "mp4");
    assert_eq!(doc["audio"]["codec"], "aac");
    assert!(doc["audio"]["bits_per_sample"].is_null());
}

/// A 16-bit mono WAV with a JUNK chunk of `junk` bytes before `fmt `.
fn wav_with_junk(junk: usize, frames: usize) -> Vec<u8> {
    let mut data = Vec::with_capacity(frames * 2);
    for i in 0..frames {
        let v = (0.5 * (i as f64 * 0.1).sin() * 32_767.0) as i16;
        data.extend_from_slice(&v.to_le_bytes());
    }
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&((4 + 8 + junk + 24 + 8 + data.len()) as u32).to_le_bytes());
    b.extend_from_slice(b"WAVEJUNK");
    b.extend_from_slice(&(junk as u32).to_le_bytes());
    b.extend(std::iter::repeat_n(0u8, junk));
    b.extend_from_slice(b"fmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&16_000u32.to_le_bytes());
    b.extend_from_slice(&32_000u32.to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(&data);
    b
}

#[test]
fn truncation_is_caught_wherever_the_data_chunk_starts() {
    let dir = tempfile::tempdir().unwrap();
    for junk in [0usize, 600, 5_000] {
        let whole = wav_with_junk(junk, 32_000);
        // Whole: reads.
        let p = dir.path().join(format!("whole{junk}.wav"));
        std::fs::write(&p, &whole).unwrap();
        assert_eq!(
            read_mono(&p, AudioLimits::default()).unwrap().samples.len(),
            32_000
        );
        // Cut by 1000 samples: refused from the header, with the counts.
        let p = dir.path().join(format!("cut{junk}.wav"));
        std::fs::write(&p, &whole[..whole.len() - 2_000]).unwrap();
        match read_mono(&p, AudioLimits::default()) {
            Err(AudioError::Truncated { expected, got, .. }) => {
                assert_eq!((expected, got), (32_000, 31_000), "junk {junk}");
            }
            other => panic!("junk {junk}: {:?}", other.map(|a| a.samples.len())),
        }
    }
}

#[test]
fn truncation_is_caught_while_reading_a_stream_of_unknown_length() {
    // No length known (a pipe): only the read-time check can see the cut,
    // and it must say how many samples did arrive.
    let mut whole = wav_with_junk(600, 32_000);
    whole.truncate(whole.len() - 2_000);
    let mut src = WavSource::from_reader(
        Box::new(Cursor::new(whole)),
        None,
        Path::new("pipe.wav"),
        AudioLimits::default(),
    )
    .unwrap();
    let mut block = vec![0.0f32; 4_096];
    let mut read = 0;
    let err = loop {
        match src.read_block(&mut block) {
            Ok(0) => panic!("a cut stream read to its end as complete ({read} frames)"),
            Ok(n) => read += n,
            Err(e) => break e,
        }
    };
    match err {
        AudioError::Truncated { expected, got, .. } => {
            assert_eq!(expected, 32_000);
            assert_eq!(got, 31_000);
            assert_eq!(read as u64, 31_000 / 4_096 * 4_096);
        }
        other => panic!("{other}"),
    }
}

#[test]
fn a_streamed_wav_without_a_length_reads_to_its_end() {
    let mut bytes = std::fs::read(formats("tone-streamed.wav")).unwrap();
    // Lose the length a file would give: a pipe.
    let pipe = Cursor::new(std::mem::take(&mut bytes));
    let mut src =
        WavSource::from_reader(Box::new(pipe), None, Path::new("-"), AudioLimits::default())
            .unwrap();
    let mut block = vec![0.0f32; 1_000];
    let mut total = 0;
    loop {
        let n = src.read_block(&mut block).unwrap();
        if n == 0 {
            break;
        }
        total += n;
    }
    assert_eq!(total, 12_000);
    assert_eq!(src.info().frames, 12_000);
    assert!((src.info().duration - 1.5).abs() < 1e-9);
}

#[test]
fn clipping_is_counted_at_the_files_own_rate() {
    // Isolated full-scale samples at 48 kHz: the resampler's low-pass
    // would shave them below the clip level, so a count on the 16 kHz copy
    // finds none. One sample in 100 clipped → 1%.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("spiky.wav");
    let spiky = (0..96_000).map(|i| {
        if i % 100 == 0 {
            i16::MAX
        } else {
            (0.1 * (i as f64 * 0.05).sin() * 32_767.0) as i16
        }
    });
    write_wav_i16(&p, 48_000, spiky);
    let audio = load_16k(&p, AudioLimits::default()).unwrap();
    assert_eq!(audio.info.clipped_samples, 960);
    let facts = measure_signal(&audio);
    let level = facts.prosody.unwrap().level;
    assert!((level.clipped_fraction - 0.01).abs() < 1e-6, "{level:?}");
}
