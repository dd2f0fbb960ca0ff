//! The DSP chain against the synthetic fixtures' ground truth
//! (fixtures/*.wav + *.truth.json, built by fixtures/make_fixtures.py):
//! speech start and end within 100 ms, clean and with white noise added at
//! 10 dB SNR, and the syllable-based words per minute within 20% (and, on
//! dev-set messages, in order of pace and within 12%).
//!
//! Run: `cargo test --test dsp_fixtures -- --nocapture` (prints the figures).

use crate::support::{fixtures, signals};
use std::path::PathBuf;

use vmcoach::dsp::{analyze_signal, SignalAnalysis};

struct Fixture {
    name: String,
    pcm: Vec<f32>,
    start: f64,
    end: f64,
    wpm: f64,
    speech_rms_dbfs: f64,
}

fn load_fixtures() -> Vec<Fixture> {
    let dir = fixtures();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.to_string_lossy().ends_with(".truth.json"));
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no fixtures/*.truth.json in {} (run fixtures/make_fixtures.py)",
        dir.display()
    );
    paths
        .iter()
        .map(|truth_path| {
            let text = std::fs::read_to_string(truth_path).expect("read truth");
            let truth: serde_json::Value = serde_json::from_str(&text).expect("parse truth");
            let name = truth["name"].as_str().expect("name").to_string();
            let wav = dir.join(format!("{name}.wav"));
            let mut reader = hound::WavReader::open(&wav).expect("open fixture wav");
            let spec = reader.spec();
            assert_eq!(spec.sample_rate, 16_000, "{name}: fixtures are 16 kHz");
            assert_eq!(spec.channels, 1, "{name}: fixtures are mono");
            let pcm: Vec<f32> = reader
                .samples::<i16>()
                .map(|s| s.expect("sample") as f32 / 32768.0)
                .collect();
            Fixture {
                name,
                pcm,
                start: truth["speech"]["start"].as_f64().expect("speech.start"),
                end: truth["speech"]["end"].as_f64().expect("speech.end"),
                wpm: truth["wpm"].as_f64().expect("wpm"),
                speech_rms_dbfs: truth["levels"]["speech_rms_dbfs"]
                    .as_f64()
                    .expect("levels.speech_rms_dbfs"),
            }
        })
        .collect()
}

/// Seeded white noise, uniform, with the given RMS.
fn add_noise(pcm: &[f32], rms: f64, seed: u64) -> Vec<f32> {
    // uniform on [-a, a] has RMS a / sqrt(3)
    let a = (rms * 3f64.sqrt()) as f32;
    let noise = signals::noise(pcm.len(), a, seed);
    pcm.iter().zip(noise).map(|(&x, n)| x + n).collect()
}

fn check_span(f: &Fixture, a: &SignalAnalysis, label: &str) -> Vec<String> {
    let mut errors = Vec::new();
    match a.speech {
        None => errors.push(format!("{} ({label}): no speech found", f.name)),
        Some(r) => {
            println!(
                "{:10} {label:6} start {:.3} (truth {:.3}, {:+.0} ms)  end {:.3} (truth {:.3}, {:+.0} ms)",
                f.name,
                r.start,
                f.start,
                (r.start - f.start) * 1000.0,
                r.end,
                f.end,
                (r.end - f.end) * 1000.0
            );
            if (r.start - f.start).abs() > 0.1 {
                errors.push(format!(
                    "{} ({label}): start {:.3} vs truth {:.3}",
                    f.name, r.start, f.start
                ));
            }
            if (r.end - f.end).abs() > 0.1 {
                errors.push(format!(
                    "{} ({label}): end {:.3} vs truth {:.3}",
                    f.name, r.end, f.end
                ));
            }
        }
    }
    errors
}

#[test]
fn speech_span_within_100ms_clean_and_at_10db_snr() {
    let mut errors = Vec::new();
    for (i, f) in load_fixtures().iter().enumerate() {
        errors.extend(check_span(f, &analyze_signal(&f.pcm), "clean"));
        let noise_rms = 10f64.powf((f.speech_rms_dbfs - 10.0) / 20.0);
        let noisy = add_noise(&f.pcm, noise_rms, 1000 + i as u64);
        errors.extend(check_span(f, &analyze_signal(&noisy), "10dB"));
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// A sanity bound on the synthetic fixtures. It was 15% while
/// `SYLLABLES_PER_WORD` was fitted on these same files (issue 15); with the
/// factor fitted on real speech they read up to 19% low (`fast`, `cryptic`:
/// the synthetic voice's fast speech loses syllables). The tight check is
/// [`syllable_wpm_orders_fast_normal_and_slow_messages`], on messages the
/// factor never saw.
#[test]
fn syllable_wpm_within_20_percent() {
    let mut errors = Vec::new();
    for f in load_fixtures() {
        let a = analyze_signal(&f.pcm);
        let wpm = a.prosody.rate.estimated_wpm.map(f64::from);
        println!(
            "{:10} syllables {:3}  speaking {:.2} s  wpm {:?} (truth {:.0})",
            f.name, a.prosody.rate.syllables, a.speaking_time, wpm, f.wpm
        );
        match wpm {
            Some(w) if (w - f.wpm).abs() / f.wpm <= 0.20 => {}
            _ => errors.push(format!("{}: wpm {wpm:?} vs truth {:.0}", f.name, f.wpm)),
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn levels_match_the_generator() {
    // The generator sets speech RMS and the noise floor exactly; our speech RMS
    // is over active frames (not the whole span), so allow 3 dB.
    for f in load_fixtures() {
        let a = analyze_signal(&f.pcm);
        let l = &a.prosody.level;
        let speech = l.speech_rms_dbfs.map(f64::from);
        println!(
            "{:10} speech {speech:?} dBFS (truth {:.1})  floor {:?}  snr {:?}",
            f.name, f.speech_rms_dbfs, l.noise_floor_dbfs, l.snr_db
        );
        let speech = speech.unwrap_or(f64::NAN);
        assert!(
            (speech - f.speech_rms_dbfs).abs() < 3.0,
            "{}: speech rms {speech} vs {}",
            f.name,
            f.speech_rms_dbfs
        );
        assert!(l.snr_db.is_some_and(|s| s > 20.0), "{}: {l:?}", f.name);
        assert!(a.prosody.pitch.median_hz.is_some(), "{}: no pitch", f.name);
    }
}

/// A dev-set message (`devset/`, a voice the fixtures do not use): its
/// samples and its truth's words per minute.
fn devset_message(name: &str) -> (Vec<f32>, f64) {
    let dir = crate::support::root().join("devset");
    let text = std::fs::read_to_string(dir.join(format!("{name}.truth.json"))).expect("truth");
    let truth: serde_json::Value = serde_json::from_str(&text).expect("parse truth");
    let mut reader = hound::WavReader::open(dir.join(format!("{name}.wav"))).expect("open wav");
    let spec = reader.spec();
    assert_eq!((spec.sample_rate, spec.channels), (16_000, 1), "{name}");
    let pcm = reader
        .samples::<i16>()
        .map(|s| f32::from(s.expect("sample")) / 32768.0)
        .collect();
    (pcm, truth["wpm"].as_f64().expect("wpm"))
}

/// The speech rate follows the speaker, which a constant estimate cannot:
/// rushed messages (200–210 wpm) read faster than ordinary ones (140–160),
/// which read faster than slow ones (101–116), each within
/// [`RATE_BOUND`] of its truth. A constant c would have to lie within the
/// bound of both 210 and 101 wpm, which needs a bound of ±35%.
/// `SYLLABLES_PER_WORD` was fitted on real speech (`scripts/eval_rate.py`),
/// not on these messages.
#[test]
fn syllable_wpm_orders_fast_normal_and_slow_messages() {
    const RATE_BOUND: f64 = 0.12;
    let groups: [(&str, &[&str]); 3] = [
        ("fast", &["n19_joe_fast_pace", "n06_joe_rushed"]),
        ("normal", &["n01_joe_twice", "n02_joe_once"]),
        ("slow", &["n20_joe_slow_pace", "n07_joe_slow"]),
    ];
    let mut errors = Vec::new();
    let mut ranges = Vec::new();
    for (label, names) in groups {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for name in names {
            let (pcm, truth) = devset_message(name);
            let wpm = analyze_signal(&pcm)
                .prosody
                .rate
                .estimated_wpm
                .map(f64::from)
                .unwrap_or(f64::NAN);
            let err = (wpm - truth) / truth;
            println!(
                "{label:6} {name:20} wpm {wpm:5.1} truth {truth:5.1} ({:+.1}%)",
                err * 100.0
            );
            // NaN (no estimate) fails too.
            let within = err.abs() <= RATE_BOUND;
            if !within {
                errors.push(format!("{name}: {wpm:.1} wpm vs truth {truth:.1}"));
            }
            lo = lo.min(wpm);
            hi = hi.max(wpm);
        }
        ranges.push((label, lo, hi));
    }
    for pair in ranges.windows(2) {
        let ((faster, f_lo, _), (slower, _, s_hi)) = (pair[0], pair[1]);
        let ordered = f_lo > s_hi;
        if !ordered {
            errors.push(format!(
                "every {faster} message must read faster than every {slower} one: {f_lo:.1} vs {s_hi:.1}"
            ));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
