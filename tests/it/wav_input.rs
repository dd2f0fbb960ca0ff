//! WAV input: every encoding, channel count and rate the issue names, and
//! every bad file it names, through the library's reader and resampler.

use std::f64::consts::PI;
use std::path::Path;

use vmcoach::audio::{read_mono, AudioError, AudioLimits};
use vmcoach::pipeline::load_16k;

fn tone(rate: u32, seconds: f64, freq: f64) -> Vec<f64> {
    let n = (f64::from(rate) * seconds) as usize;
    (0..n)
        .map(|i| 0.5 * (2.0 * PI * freq * i as f64 / f64::from(rate)).sin())
        .collect()
}

/// Write `mono` to every channel (channel c scaled by (c+1)/channels so the
/// downmix is a known mix), in the given encoding.
fn write_wav(path: &Path, rate: u32, channels: u16, bits: u16, float: bool, mono: &[f64]) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    let full = (1i64 << (bits - 1)) as f64 - 1.0;
    for &v in mono {
        for c in 0..channels {
            let x = v * f64::from(c + 1) / f64::from(channels);
            if float {
                w.write_sample(x as f32).unwrap();
            } else if bits == 8 {
                w.write_sample((x * full).round() as i8).unwrap();
            } else if bits == 16 {
                w.write_sample((x * full).round() as i16).unwrap();
            } else {
                w.write_sample((x * full).round() as i32).unwrap();
            }
        }
    }
    w.finalize().unwrap();
}

fn limits() -> AudioLimits {
    AudioLimits::default()
}

#[test]
fn every_width_and_float_reads_to_the_same_signal() {
    let dir = tempfile::tempdir().unwrap();
    let x = tone(16_000, 0.6, 440.0);
    for (bits, float, tol) in [
        (8u16, false, 1.0 / 64.0),
        (16, false, 1e-4),
        (24, false, 1e-6),
        (32, false, 1e-6),
        (32, true, 1e-6),
    ] {
        let p = dir.path().join(format!("t{bits}{float}.wav"));
        write_wav(&p, 16_000, 1, bits, float, &x);
        let a = read_mono(&p, limits()).unwrap();
        assert_eq!(a.info.bits_per_sample, Some(bits));
        assert_eq!(a.samples.len(), x.len());
        for (got, want) in a.samples.iter().zip(&x) {
            assert!(
                (f64::from(*got) - want).abs() < tol,
                "{bits}-bit {float}: {got} vs {want}"
            );
        }
    }
}

#[test]
fn one_to_eight_channels_are_averaged() {
    let dir = tempfile::tempdir().unwrap();
    let x = tone(16_000, 0.6, 300.0);
    for channels in 1..=8u16 {
        let p = dir.path().join(format!("c{channels}.wav"));
        write_wav(&p, 16_000, channels, 16, false, &x);
        let a = read_mono(&p, limits()).unwrap();
        // Mean of (c+1)/channels over c = (channels+1)/(2*channels).
        let gain = f64::from(channels + 1) / (2.0 * f64::from(channels));
        for (got, want) in a.samples.iter().zip(&x) {
            assert!(
                (f64::from(*got) - want * gain).abs() < 2e-4,
                "{channels} ch"
            );
        }
    }
}

#[test]
fn any_rate_from_8_to_192_khz_comes_out_at_16_khz_with_the_same_tone() {
    let dir = tempfile::tempdir().unwrap();
    for rate in [
        8_000, 11_025, 16_000, 22_050, 32_000, 44_100, 48_000, 88_200, 96_000, 192_000,
    ] {
        let x = tone(rate, 1.0, 1_000.0);
        let p = dir.path().join(format!("r{rate}.wav"));
        write_wav(&p, rate, 2, 16, false, &x);
        let a = load_16k(&p, limits()).unwrap();
        assert_eq!(a.info.sample_rate, rate);
        assert!(
            (a.samples.len() as i64 - 16_000).abs() <= 1,
            "{rate}: {}",
            a.samples.len()
        );
        // Level of the 1 kHz tone after downmix (gain 0.75) is unchanged.
        let mid = &a.samples[4_000..12_000];
        let rms =
            (mid.iter().map(|v| f64::from(*v).powi(2)).sum::<f64>() / mid.len() as f64).sqrt();
        let want = 0.5 * 0.75 / 2f64.sqrt();
        assert!(
            (20.0 * (rms / want).log10()).abs() < 0.1,
            "{rate}: rms {rms}"
        );
    }
}

fn expect_err(path: &Path, lim: AudioLimits) -> AudioError {
    match read_mono(path, lim) {
        Ok(_) => panic!("{} should not load", path.display()),
        Err(e) => e,
    }
}

#[test]
fn not_a_wav() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.wav");
    std::fs::write(&p, "these are my notes, not audio").unwrap();
    let e = expect_err(&p, limits());
    assert!(matches!(e, AudioError::NotWav { .. }), "{e}");
    let flac = dir.path().join("x.wav");
    std::fs::write(&flac, b"fLaC\0\0\0\x22rest of a flac file").unwrap();
    assert!(expect_err(&flac, limits()).to_string().contains("FLAC"));
    let empty = dir.path().join("empty.wav");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        expect_err(&empty, limits()),
        AudioError::NotWav { .. }
    ));
}

#[test]
fn truncated_wav() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cut.wav");
    write_wav(&p, 16_000, 1, 16, false, &tone(16_000, 2.0, 440.0));
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    let e = expect_err(&p, limits());
    assert!(matches!(e, AudioError::Truncated { .. }), "{e}");
    // Cut inside the header.
    std::fs::write(&p, &bytes[..30]).unwrap();
    let e = expect_err(&p, limits());
    assert!(
        matches!(
            e,
            AudioError::Malformed { .. } | AudioError::Truncated { .. }
        ),
        "{e}"
    );
}

#[test]
fn zero_samples_and_too_short() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("zero.wav");
    write_wav(&p, 16_000, 1, 16, false, &[]);
    assert!(matches!(expect_err(&p, limits()), AudioError::Empty { .. }));
    let p = dir.path().join("short.wav");
    write_wav(&p, 16_000, 1, 16, false, &tone(16_000, 0.3, 440.0));
    assert!(matches!(
        expect_err(&p, limits()),
        AudioError::TooShort { .. }
    ));
}

#[test]
fn too_long_is_refused_from_the_header_alone() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("long.wav");
    write_wav(&p, 16_000, 1, 16, false, &tone(16_000, 3.0, 440.0));
    let lim = AudioLimits {
        max_seconds: 2.0,
        ..limits()
    };
    assert!(matches!(expect_err(&p, lim), AudioError::TooLong { .. }));
    // A header that claims two hours of 48 kHz stereo: refused before reading.
    let mut bytes = std::fs::read(&p).unwrap();
    let claim: u32 = 2 * 3600 * 48_000 * 4;
    bytes[40..44].copy_from_slice(&claim.to_le_bytes());
    bytes[22..24].copy_from_slice(&2u16.to_le_bytes()); // channels
    bytes[24..28].copy_from_slice(&48_000u32.to_le_bytes()); // rate
    bytes[28..32].copy_from_slice(&(48_000u32 * 4).to_le_bytes()); // byte rate
    bytes[32..34].copy_from_slice(&4u16.to_le_bytes()); // block align
    std::fs::write(&p, &bytes).unwrap();
    let e = expect_err(&p, limits());
    assert!(matches!(e, AudioError::TooLong { .. }), "{e}");
}

#[test]
fn nan_and_infinite_samples() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bad) in [("nan", f64::NAN), ("inf", f64::INFINITY)] {
        let mut x = tone(16_000, 1.0, 440.0);
        x[8_000] = bad;
        let p = dir.path().join(format!("{name}.wav"));
        write_wav(&p, 16_000, 1, 32, true, &x);
        let e = expect_err(&p, limits());
        match e {
            AudioError::InvalidSample { seconds, .. } => assert!((seconds - 0.5).abs() < 1e-3),
            other => panic!("{other}"),
        }
    }
}

/// A hand-made WAV header with the given format tag.
fn wav_with_tag(tag: u16, bits: u16) -> Vec<u8> {
    let data = vec![0xD5u8; 16_000];
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&tag.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&8_000u32.to_le_bytes());
    b.extend_from_slice(&(8_000u32 * u32::from(bits) / 8).to_le_bytes());
    b.extend_from_slice(&(bits / 8).to_le_bytes());
    b.extend_from_slice(&bits.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(&data);
    b
}

#[test]
fn a_law_and_mu_law_are_read() {
    // Every byte 0xD5: A-law's smallest positive step (+8), µ-law's -
    // a different value, so a swapped table fails.
    let dir = tempfile::tempdir().unwrap();
    for (tag, want) in [(6u16, 8.0f32 / 32_768.0), (7, 716.0 / 32_768.0)] {
        let p = dir.path().join(format!("{tag}.wav"));
        std::fs::write(&p, wav_with_tag(tag, 8)).unwrap();
        let a = read_mono(&p, limits()).unwrap();
        assert_eq!(a.samples.len(), 16_000);
        assert!(
            a.samples.iter().all(|s| (s - want).abs() < 1e-6),
            "tag {tag}: {} vs {want}",
            a.samples[0]
        );
    }
    // An encoding nobody decodes (GSM 6.10) still gets a one-line hint.
    let p = dir.path().join("gsm.wav");
    std::fs::write(&p, wav_with_tag(0x31, 8)).unwrap();
    let e = expect_err(&p, limits());
    let msg = e.to_string();
    assert!(matches!(e, AudioError::UnsupportedEncoding { .. }), "{msg}");
    assert!(msg.contains("GSM") && msg.contains("ffmpeg"), "{msg}");
    assert!(!msg.contains('\n'));
}

#[test]
fn odd_rates_and_widths_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("4k.wav");
    write_wav(&p, 4_000, 1, 16, false, &tone(4_000, 1.0, 300.0));
    assert!(matches!(
        expect_err(&p, limits()),
        AudioError::UnsupportedRate { .. }
    ));
    let p = dir.path().join("9ch.wav");
    write_wav(&p, 16_000, 9, 16, false, &tone(16_000, 1.0, 300.0));
    assert!(matches!(
        expect_err(&p, limits()),
        AudioError::UnsupportedChannels { .. }
    ));
}

#[test]
fn silence_reads_fine() {
    // Silent audio is valid input; the analysis says there is no speech.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("silent.wav");
    write_wav(&p, 16_000, 1, 16, false, &vec![0.0; 16_000]);
    let a = read_mono(&p, limits()).unwrap();
    assert!(a.samples.iter().all(|v| *v == 0.0));
}
