//! Word times reconciled with the audio (DESIGN.md, "Timing you can trust").
//!
//! Whisper is the authority on *what* was said, the signal analysis on
//! *when*. Whisper's times are rough (DTW starts run a few hundred
//! milliseconds late on fast speech; timestamp tokens pile a segment's last
//! words onto its end and start the first word at 0.00 s), so the words are
//! laid again onto the audio:
//!
//! 1. an energy envelope (10 ms hop) gives each frame a soft activity 0..1,
//!    gated by the voice-activity segments, so nothing outside detected
//!    speech is ever active;
//! 2. a dynamic programme places the words, in order, each as one span:
//!    silence inside a word and sound between words cost, a word's length
//!    is pulled towards its expected share of the speaking time (syllables;
//!    each digit counts as a long syllable), and its start towards
//!    Whisper's time (a number's start only weakly: DTW times the first
//!    token of a long digit run late, as the word before it stretches over
//!    the first digits). A word may only start and end inside a detected
//!    speech segment. (Measured on the development set, `vmcoach eval
//!    devset`: correcting Whisper's starts by a lag measured in a first,
//!    anchor-free pass only repeated that pass's mistakes, whole phrases a
//!    segment late; with DTW read as token ends, see
//!    `transcribe::whisper::dtw_times`, the starts need no correction.)
//! 3. each word is trimmed to its first and last active frame, so a word
//!    starts at its acoustic onset and ends at its offset — which makes a
//!    phone number's span, from its first digit to its last, acoustic even
//!    when Whisper writes the whole number as one token.
//!
//! The result: no word before the detected speech start or inside a pause,
//! no zero-length word, no pile of words on a segment's end.

use crate::message::{TimeRange, Transcript};

/// Analysis hop, seconds.
const HOP_S: f64 = 0.010;
/// Window of one energy frame, samples at 16 kHz (25 ms).
const WINDOW: usize = 400;
const HOP: usize = 160;
/// Shortest word, frames (no zero-length words).
const MIN_WORD_FRAMES: usize = 3;
/// Longest span one expected second of word may take, ×.
const MAX_STRETCH: f64 = 4.0;
/// Longest any word may take, seconds, whatever its expected length.
const MAX_WORD_S: f64 = 6.0;
/// Cost of one second of silence inside a word.
const W_SILENT_IN_WORD: f64 = 1.0;
/// The same inside a word of several digits ("555-212-3456" as one token
/// spans the pauses between its digit groups).
const W_SILENT_IN_NUMBER: f64 = 0.1;
/// Cost of sound right after a word that ends a phrase ("," "." "?" "!"),
/// per unit of mean activity over [`PHRASE_GAP_FRAMES`]: a phrase usually
/// ends in a breath, so its last word should not run into the next.
const W_PHRASE_END: f64 = 0.5;
const PHRASE_GAP_FRAMES: usize = 8;
/// Cost of one second of sound between words (speech no word accounts for).
const W_SOUND_IN_GAP: f64 = 4.0;
/// Cost per unit of squared log-ratio between a word's length and its share
/// (1.0 rather than 0.4 kept the word before a number from stretching over
/// its first digits: digit rate within ±10% 62% → 66% on the development set).
const W_DURATION: f64 = 1.0;
/// Cost of starting a word inside continuous sound rather than at a dip:
/// with nothing to pull them (no Whisper times), a long number would
/// otherwise start anywhere in the word before it.
const W_START_IN_SOUND: f64 = 0.3;
/// Cost per second a word starts away from Whisper's time, beyond
/// [`ANCHOR_SLACK_S`].
const W_ANCHOR: f64 = 2.0;
/// The same, as a share, for a word of several digits: DTW times the first
/// token of "7753014418" late (the word before stretches over the first
/// digits), so where the number starts is the audio's to say. 0.2 against
/// 1.0 moved the median mention start error on the development set from
/// 324 ms to 19 ms.
const NUMBER_ANCHOR_WEIGHT: f64 = 0.2;
const ANCHOR_SLACK_S: f64 = 0.12;
/// Frames kept either side of a voice-activity segment (soft word edges).
const GATE_PAD: usize = 3;
/// Share of [`W_SOUND_IN_GAP`] that sound inside a possible filler costs
/// (see [`reconcile_around`]): a steady voiced island Whisper wrote no word
/// for is speech no word accounts for, and leaving it out should cost
/// about nothing. Measured with the fillers of the development set (issue 16).
const W_FILLER_GAP: f64 = 0.0;

/// How the words were placed, for the report's notes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alignment {
    /// Words placed on the audio.
    pub words: usize,
    /// Median of Whisper's start minus the placed start, seconds.
    pub lag: f64,
}

/// Why the words were left as they came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAligned {
    /// No word has a time.
    Untimed,
    /// The audio holds no detected speech (so it cannot say when).
    NoSpeech,
    /// More words than the speech has room for (10 ms per frame, 30 ms each).
    TooManyWords,
}

/// Frame activity from the audio.
struct Envelope {
    /// Soft activity per hop, 0..1, zero outside voice-activity segments.
    act: Vec<f64>,
    /// Inside a voice-activity segment (padded), per hop.
    speech: Vec<bool>,
    /// What a hop of sound left between words costs, × [`W_SOUND_IN_GAP`]:
    /// 1, or [`W_FILLER_GAP`] inside a possible filler.
    gap_weight: Vec<f64>,
}

impl Envelope {
    fn new(pcm: &[f32], segments: &[TimeRange]) -> Self {
        let n = pcm.len().div_ceil(HOP);
        let mut db = Vec::with_capacity(n);
        for i in 0..n {
            let c = i * HOP + HOP / 2;
            let a = c.saturating_sub(WINDOW / 2);
            let b = (c + WINDOW / 2).min(pcm.len());
            let w = &pcm[a.min(b)..b];
            let ms =
                w.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / w.len().max(1) as f64;
            db.push(10.0 * (ms + 1e-12).log10());
        }
        let mut speech = vec![false; n];
        for s in segments {
            let a = ((s.start / HOP_S).floor() as usize).saturating_sub(GATE_PAD);
            let b = ((s.end / HOP_S).ceil() as usize + GATE_PAD).min(n);
            speech.iter_mut().take(b).skip(a).for_each(|x| *x = true);
        }
        // Floor: a low percentile of the whole file; level: a high one of speech.
        let floor = percentile(db.iter().copied(), 0.10).unwrap_or(-100.0);
        let level = percentile(
            db.iter().zip(&speech).filter(|(_, s)| **s).map(|(d, _)| *d),
            0.90,
        )
        .unwrap_or(floor + 40.0);
        let lo = floor + 6.0;
        let hi = (floor + 0.45 * (level - floor)).max(lo + 3.0);
        let act = db
            .iter()
            .zip(&speech)
            .map(|(&d, &s)| {
                if s {
                    ((d - lo) / (hi - lo)).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            })
            .collect();
        Envelope {
            act,
            speech,
            gap_weight: vec![1.0; n],
        }
    }
}

/// What the placement knows of one word.
struct WordModel {
    /// Its share of the speaking time, seconds.
    expected: f64,
    /// Cost of a second of silence inside it.
    silence_weight: f64,
    /// Ends with phrase punctuation.
    ends_phrase: bool,
    /// Weight of Whisper's start for this word.
    anchor_weight: f64,
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn percentile(values: impl Iterator<Item = f64>, q: f64) -> Option<f64> {
    let mut v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let i = ((v.len() - 1) as f64 * q).round() as usize;
    v.get(i).copied()
}

/// A word's expected length in syllable units: vowel groups of its letters
/// (at least one for a word with letters), and 1.6 for each digit (a digit
/// is said slowly and "seven"/"zero" have two syllables).
pub fn expected_units(word: &str) -> f64 {
    let mut units = 0.0;
    let mut letters = false;
    let mut vowel_groups = 0usize;
    let mut in_vowel = false;
    for c in word.chars() {
        if c.is_ascii_digit() {
            units += 1.6;
            in_vowel = false;
        } else if c.is_alphabetic() {
            letters = true;
            let v = matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
            if v && !in_vowel {
                vowel_groups += 1;
            }
            in_vowel = v;
        } else {
            in_vowel = false;
        }
    }
    if letters {
        units += vowel_groups.max(1) as f64;
    }
    units.max(0.5)
}

/// Where the words' own times may pull them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starts {
    /// Whisper's DTW times: each word's start pulls it.
    Whisper,
    /// Times that cannot be trusted (timestamp tokens piled on a segment's
    /// end, a model without alignment heads): the audio and the words'
    /// lengths alone place them.
    AudioOnly,
}

/// Lay the transcript's words onto the audio. `segments` are the voice-
/// activity segments of `pcm_16k` (the signal analysis's). On success every
/// word has a time inside a segment; otherwise the words are left as they were.
pub fn reconcile(
    transcript: &mut Transcript,
    pcm_16k: &[f32],
    segments: &[TimeRange],
    starts: Starts,
) -> Result<Alignment, NotAligned> {
    reconcile_around(transcript, pcm_16k, segments, starts, &[])
}

/// [`reconcile`], knowing where the audio may hold a filled pause
/// (`fillers`: the steady voiced islands of `dsp::fillers`). Whisper
/// mostly writes no word for an "um", so without this the placement lays
/// the next word on it (sound between words costs) and squeezes that word's
/// own sound into its neighbour; here sound inside those ranges costs
/// nothing when no word takes it, and a word still takes it when its own
/// time and length say so (a held "Oh," said on its own).
pub fn reconcile_around(
    transcript: &mut Transcript,
    pcm_16k: &[f32],
    segments: &[TimeRange],
    starts: Starts,
    fillers: &[TimeRange],
) -> Result<Alignment, NotAligned> {
    if transcript.words.is_empty() || transcript.words.iter().all(|w| w.time.is_none()) {
        return Err(NotAligned::Untimed);
    }
    if segments.is_empty() {
        return Err(NotAligned::NoSpeech);
    }
    let mut env = Envelope::new(pcm_16k, segments);
    for r in fillers {
        let a = ((r.start / HOP_S).round().max(0.0) as usize).min(env.gap_weight.len());
        let b = ((r.end / HOP_S).round().max(0.0) as usize).min(env.gap_weight.len());
        env.gap_weight
            .iter_mut()
            .take(b)
            .skip(a)
            .for_each(|w| *w = W_FILLER_GAP);
    }
    let speech_frames = env.speech.iter().filter(|s| **s).count();
    if speech_frames < MIN_WORD_FRAMES * transcript.words.len() {
        return Err(NotAligned::TooManyWords);
    }
    let units: Vec<f64> = transcript
        .words
        .iter()
        .map(|w| expected_units(&w.text))
        .collect();
    // Whisper's starts, filled forward for untimed words.
    let mut anchors = Vec::with_capacity(units.len());
    let mut last = 0.0;
    for w in &transcript.words {
        if let Some(t) = w.time {
            last = t.start;
        }
        anchors.push(last);
    }
    let active_s: f64 = env.act.iter().sum::<f64>() * HOP_S;
    let total_units: f64 = units.iter().sum();
    let per_unit = (active_s / total_units).max(0.02);
    let words: Vec<WordModel> = transcript
        .words
        .iter()
        .zip(&units)
        .map(|(w, u)| WordModel {
            expected: u * per_unit,
            silence_weight: if w.text.chars().filter(char::is_ascii_digit).count() >= 2 {
                W_SILENT_IN_NUMBER
            } else {
                W_SILENT_IN_WORD
            },
            ends_phrase: w.text.ends_with([',', '.', '?', '!', ';', ':']),
            anchor_weight: if w.text.chars().filter(char::is_ascii_digit).count() >= 2 {
                NUMBER_ANCHOR_WEIGHT
            } else {
                1.0
            },
        })
        .collect();

    let pull = (starts == Starts::Whisper).then_some(anchors.as_slice());
    let spans = place(&env, &words, pull).ok_or(NotAligned::TooManyWords)?;
    let starts_moved: Vec<f64> = spans
        .iter()
        .zip(&anchors)
        .map(|(&(s, _), a)| a - s as f64 * HOP_S)
        .collect();
    let lag = median(&starts_moved);

    let duration = pcm_16k.len() as f64 / f64::from(crate::dsp::SAMPLE_RATE);
    for (w, (s, e)) in transcript.words.iter_mut().zip(spans) {
        let (s, e) = trim(&env, s, e);
        let end = ((e + 1) as f64 * HOP_S).min(duration);
        w.time = Some(TimeRange::new(s as f64 * HOP_S, end));
    }
    snap_mentions(transcript, &env);
    Ok(Alignment {
        words: transcript.words.len(),
        lag,
    })
}

/// "5," "five." "oh": a word that is one spoken digit.
fn is_one_digit(word: &str) -> bool {
    let w: String = word
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    (w.len() == 1 && w.chars().all(|c| c.is_ascii_digit()))
        || matches!(
            w.as_str(),
            "zero"
                | "oh"
                | "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
        )
}

/// Quiet frames before an onset (or after an offset) for it to count.
const EDGE_QUIET_FRAMES: usize = 4;
/// A mention's first or last digit word longer than this × the mention's
/// median digit word took in a neighbour.
const DIGIT_OVERRUN: f64 = 1.6;

/// A phone number's span is its first digit's onset to its last digit's
/// offset. When the number is said digit by digit, a digit word much
/// longer than its mention's median has taken in a neighbouring word
/// (Whisper missed "that's" before "five": the first "five" then spans
/// both); its edge moves to the onset (offset) inside it that leaves it
/// nearest the median length.
fn snap_mentions(transcript: &mut Transcript, env: &Envelope) {
    let frame = |t: f64| ((t / HOP_S).round() as usize).min(env.act.len().saturating_sub(1));
    let on = |f: usize| env.act.get(f).is_some_and(|a| *a >= 0.5);
    let quiet = |r: std::ops::Range<usize>| r.into_iter().all(|f| !on(f));
    for m in crate::analyze::phone::find_mentions(transcript) {
        let digit_words: Vec<usize> = m
            .words
            .clone()
            .filter(|&i| is_one_digit(&transcript.words[i].text))
            .collect();
        if digit_words.len() < 4 {
            continue;
        }
        let lens: Vec<f64> = digit_words
            .iter()
            .filter_map(|&i| transcript.words[i].time.map(|t| t.duration()))
            .collect();
        let typical = median(&lens);
        if typical <= 0.0 {
            continue;
        }
        let (first, last) = (digit_words[0], digit_words[digit_words.len() - 1]);
        if let Some(t) = transcript.words[first].time {
            if t.duration() > DIGIT_OVERRUN * typical {
                let (a, b) = (frame(t.start), frame(t.end));
                let best = (a + EDGE_QUIET_FRAMES + 1..b)
                    .filter(|&f| on(f) && quiet(f - EDGE_QUIET_FRAMES..f))
                    .min_by(|&x, &y| {
                        let d = |f: usize| ((b - f) as f64 * HOP_S - typical).abs();
                        d(x).total_cmp(&d(y))
                    });
                if let Some(f) = best {
                    transcript.words[first].time = Some(TimeRange::new(f as f64 * HOP_S, t.end));
                }
            }
        }
        if let Some(t) = transcript.words[last].time {
            if t.duration() > DIGIT_OVERRUN * typical {
                let (a, b) = (frame(t.start), frame(t.end));
                let best = (a + 1..b.saturating_sub(EDGE_QUIET_FRAMES))
                    .filter(|&f| on(f) && quiet(f + 1..f + 1 + EDGE_QUIET_FRAMES))
                    .min_by(|&x, &y| {
                        let d = |f: usize| ((f + 1 - a) as f64 * HOP_S - typical).abs();
                        d(x).total_cmp(&d(y))
                    });
                if let Some(f) = best {
                    transcript.words[last].time =
                        Some(TimeRange::new(t.start, (f + 1) as f64 * HOP_S));
                }
            }
        }
    }
}

/// First and last clearly active frame of `[s, e]`, or the span itself when
/// none is (a word Whisper heard in sound too soft for the envelope).
fn trim(env: &Envelope, s: usize, e: usize) -> (usize, usize) {
    let on = |f: &usize| env.act[*f] >= 0.5;
    match ((s..=e).find(on), (s..=e).rev().find(on)) {
        (Some(a), Some(b)) => {
            // Never shorter than the shortest word: widen inside the span.
            let b = b.max(a + MIN_WORD_FRAMES - 1).min(e);
            let a = a.min((b + 1).saturating_sub(MIN_WORD_FRAMES)).max(s);
            (a, b)
        }
        _ => (s, e),
    }
}

/// The dynamic programme: word `i` spans frames `[s_i, e_i]`, in order,
/// with gaps between; returns each word's span, or `None` when the words
/// cannot all fit.
fn place(
    env: &Envelope,
    words: &[WordModel],
    anchors: Option<&[f64]>,
) -> Option<Vec<(usize, usize)>> {
    let n = env.act.len();
    let inf = f64::INFINITY;
    // Prefix sums of sound (for gaps) and of silence (inside words), seconds.
    let mut sound = vec![0.0; n + 1];
    let mut silent = vec![0.0; n + 1];
    // Sound as a gap between words costs it (`gap_weight`).
    let mut gap_sound = vec![0.0; n + 1];
    for f in 0..n {
        sound[f + 1] = sound[f] + env.act[f] * HOP_S;
        gap_sound[f + 1] = gap_sound[f] + env.act[f] * env.gap_weight[f] * HOP_S;
        silent[f + 1] = silent[f] + (1.0 - env.act[f]) * HOP_S;
    }
    // best[f]: cost of the words so far with the last ending at frame f-1
    // (f = 0: none placed yet, the gap starts at 0).
    let mut best = vec![inf; n + 1];
    best[0] = 0.0;
    let mut back: Vec<Vec<u32>> = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let exp = word.expected;
        // gap[f]: least cost of being free to start word i at frame f:
        // min over g <= f of best[g] + sound in [g, f).
        let mut gap = vec![inf; n + 1];
        let mut gap_from = vec![0u32; n + 1];
        let (mut run, mut run_at) = (inf, 0usize);
        for f in 0..=n {
            let c = best[f] - W_SOUND_IN_GAP * gap_sound[f];
            if c < run {
                run = c;
                run_at = f;
            }
            gap[f] = run + W_SOUND_IN_GAP * gap_sound[f];
            gap_from[f] = run_at as u32;
        }
        // Sound just after the word's end, if it ends a phrase.
        let after: Vec<f64> = (0..=n)
            .map(|end| {
                if !word.ends_phrase {
                    return 0.0;
                }
                let b = (end + PHRASE_GAP_FRAMES).min(n);
                W_PHRASE_END * (sound[b] - sound[end]) / (PHRASE_GAP_FRAMES as f64 * HOP_S)
            })
            .collect();
        let max_len = ((exp * MAX_STRETCH).clamp(0.6, MAX_WORD_S) / HOP_S) as usize;
        let mut next = vec![inf; n + 1];
        let mut from = vec![0u32; n + 1];
        for s in 0..n {
            if !env.speech[s] || !gap[s].is_finite() {
                continue;
            }
            let anchor_cost = anchors.map_or(0.0, |a| {
                let d = (s as f64 * HOP_S - a[i]).abs();
                word.anchor_weight * W_ANCHOR * (d - ANCHOR_SLACK_S).max(0.0)
            });
            // Words start where the sound dips, when it does.
            let inside_sound = if s > 0 {
                env.act[s - 1].min(env.act[s])
            } else {
                0.0
            };
            let base = gap[s] + anchor_cost + W_START_IN_SOUND * inside_sound;
            let last = (s + max_len).min(n);
            for end in (s + MIN_WORD_FRAMES)..=last {
                // Word is [s, end): it must end inside speech too.
                if !env.speech[end - 1] {
                    continue;
                }
                let len = (end - s) as f64 * HOP_S;
                let r = (len / exp).ln();
                let c = base
                    + word.silence_weight * (silent[end] - silent[s])
                    + W_DURATION * r * r
                    + after[end];
                if c < next[end] {
                    next[end] = c;
                    from[end] = s as u32;
                }
            }
        }
        // Remember, per end, where the word started and where its gap began.
        let mut bp = Vec::with_capacity(2 * (n + 1));
        for &s in &from {
            bp.push(s);
            bp.push(gap_from[s as usize]);
        }
        back.push(bp);
        best = next;
    }
    // The last word ends anywhere; the rest of the file is gap.
    let (mut end, mut cost) = (0usize, inf);
    for f in 0..=n {
        let c = best[f] + (gap_sound[n] - gap_sound[f]) * W_SOUND_IN_GAP;
        if c < cost {
            cost = c;
            end = f;
        }
    }
    if !cost.is_finite() {
        return None;
    }
    let mut spans = vec![(0usize, 0usize); words.len()];
    for i in (0..words.len()).rev() {
        let s = back[i][2 * end] as usize;
        let g = back[i][2 * end + 1] as usize;
        spans[i] = (s, end - 1);
        end = g;
    }
    Some(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_percentile_pick_the_middle_and_the_share() {
        assert_eq!(median(&[5.0, 1.0, 4.0, 2.0, 3.0]), 3.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 3.0);
        assert_eq!(median(&[]), 0.0);
        let eleven = || (1..=11).map(f64::from);
        assert_eq!(percentile(eleven(), 0.5), Some(6.0));
        assert_eq!(percentile(eleven(), 0.1), Some(2.0));
        assert_eq!(percentile(eleven(), 1.0), Some(11.0));
        assert_eq!(percentile(eleven().chain([f64::NAN]), 0.0), Some(1.0));
        assert_eq!(percentile(std::iter::empty(), 0.5), None);
    }

    const SR: f64 = 16_000.0;

    /// A voiced-sounding burst per word (harmonics of 150 Hz) on a faint
    /// noise floor; returns the samples.
    fn bursts(total_s: f64, words: &[(f64, f64)]) -> Vec<f32> {
        let n = (total_s * SR) as usize;
        let mut seed = 12345u32;
        let mut pcm: Vec<f32> = (0..n)
            .map(|_| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (f64::from(seed >> 8) / f64::from(1u32 << 24) - 0.5) as f32 * 2e-4
            })
            .collect();
        for &(a, b) in words {
            let first = (a * SR) as usize;
            let last = ((b * SR) as usize).min(n);
            for (i, x) in pcm.iter_mut().enumerate().take(last).skip(first) {
                let t = i as f64 / SR;
                let v: f64 = (1..=12)
                    .map(|k| (2.0 * std::f64::consts::PI * 150.0 * k as f64 * t).sin() / k as f64)
                    .sum();
                *x += (0.15 * v) as f32;
            }
        }
        pcm
    }

    fn transcript(words: &[(&str, f64, f64)]) -> Transcript {
        Transcript::from_timed_words(
            words
                .iter()
                .map(|(w, s, e)| (w.to_string(), Some(TimeRange::new(*s, *e)), None)),
        )
    }

    fn aligned(pcm: &[f32], t: &mut Transcript) -> Alignment {
        aligned_with(pcm, t, Starts::Whisper)
    }

    fn aligned_with(pcm: &[f32], t: &mut Transcript, starts: Starts) -> Alignment {
        let signal = crate::dsp::analyze_signal(pcm);
        reconcile(t, pcm, &signal.segments, starts).expect("aligned")
    }

    /// "Hi Dana, [um] this is Priya.": a burst no word was written for,
    /// with Whisper's start for "this" inside it. Returns where "Dana,"
    /// and "this" land.
    fn around_an_um(fillers: &[TimeRange]) -> (TimeRange, TimeRange) {
        let pcm = bursts(
            4.0,
            &[
                (0.5, 0.8),
                (0.9, 1.3),
                (1.6, 1.95),
                (2.15, 2.4),
                (2.5, 2.7),
                (2.8, 3.3),
            ],
        );
        let mut t = transcript(&[
            ("Hi", 0.5, 0.8),
            ("Dana,", 0.9, 1.3),
            ("this", 1.75, 2.3),
            ("is", 2.5, 2.7),
            ("Priya.", 2.8, 3.3),
        ]);
        let signal = crate::dsp::analyze_signal(&pcm);
        reconcile_around(&mut t, &pcm, &signal.segments, Starts::Whisper, fillers)
            .expect("aligned");
        let at = |i: usize| t.words[i].time.expect("timed");
        (at(1), at(2))
    }

    #[test]
    fn no_word_is_stretched_over_a_possible_filler() {
        let near =
            |r: TimeRange, s: f64, e: f64| (r.start - s).abs() < 0.05 && (r.end - e).abs() < 0.05;
        let (dana, this) = around_an_um(&[TimeRange::new(1.6, 1.95)]);
        assert!(
            near(dana, 0.9, 1.3) && near(this, 2.15, 2.4),
            "{dana:?} {this:?}"
        );
        // Without knowing of the filler, "Dana," is stretched over it; so
        // it is when the only possible filler is elsewhere (in the silence
        // after the message): only the frames given are free.
        let (dana, _) = around_an_um(&[]);
        assert!(dana.end > 1.9, "{dana:?}");
        let (dana, _) = around_an_um(&[TimeRange::new(3.5, 3.6)]);
        assert!(dana.end > 1.9, "{dana:?}");
    }

    #[test]
    fn late_whisper_times_land_on_the_sound() {
        // Three words after 2 s of silence; Whisper says the first started
        // at 0.0 (piled at the start) and the others 0.4 s late.
        let truth = [(2.0, 2.4), (2.5, 2.9), (3.4, 4.0)];
        let pcm = bursts(5.0, &truth);
        let mut t = transcript(&[
            ("Hi", 0.0, 1.0),
            ("Dana,", 2.9, 3.3),
            ("goodbye.", 3.8, 5.0),
        ]);
        let a = aligned(&pcm, &mut t);
        assert_eq!(a.words, 3);
        // Whisper's starts were 0.4 s late (the median word's).
        assert!((a.lag - 0.4).abs() < 0.04, "{}", a.lag);
        for (w, (s, e)) in t.words.iter().zip(truth) {
            let r = w.time.unwrap();
            assert!(
                (r.start - s).abs() < 0.04 && (r.end - e).abs() < 0.04,
                "{w:?} vs {s}-{e}"
            );
        }
    }

    #[test]
    fn a_number_written_as_one_token_spans_its_digits() {
        // "Call" then ten digit bursts of 0.3 s with 0.1 s gaps, a pause, "thanks".
        let mut truth = vec![(0.5, 0.8)];
        for k in 0..10 {
            let s = 1.0 + 0.4 * k as f64;
            truth.push((s, s + 0.3));
        }
        truth.push((5.6, 6.0));
        let pcm = bursts(6.5, &truth);
        // Whisper's timestamp tokens: the whole number as one token, all at
        // the segment's end (a model without DTW).
        let mut t = transcript(&[
            ("Call", 0.0, 0.9),
            ("555-212-3456.", 6.0, 6.0),
            ("Thanks.", 6.0, 6.5),
        ]);
        aligned_with(&pcm, &mut t, Starts::AudioOnly);
        let r = t.words[1].time.unwrap();
        assert!(
            (r.start - 1.0).abs() < 0.04 && (r.end - 4.9).abs() < 0.04,
            "{r:?}"
        );
        let rate = 10.0 / r.duration();
        assert!((rate - 10.0 / 3.9).abs() < 0.05, "{rate}");
    }

    #[test]
    fn whisper_s_start_for_a_number_pulls_less_than_its_digits_sound() {
        // As above, but with Whisper's times: DTW puts the one-token number
        // 1.2 s late (it has one timestamp for ten digits). The number's own
        // start barely pulls; its digits' sound places it.
        let mut truth = vec![(0.5, 0.8)];
        for k in 0..10 {
            let s = 1.0 + 0.4 * k as f64;
            truth.push((s, s + 0.3));
        }
        truth.push((5.6, 6.0));
        let pcm = bursts(6.5, &truth);
        let mut t = transcript(&[
            ("Call", 0.5, 0.8),
            ("555-212-3456.", 2.2, 5.0),
            ("Thanks.", 5.6, 6.0),
        ]);
        aligned(&pcm, &mut t);
        let r = t.words[1].time.unwrap();
        assert!(
            (r.start - 1.0).abs() < 0.04 && (r.end - 4.9).abs() < 0.04,
            "{r:?}"
        );
    }

    #[test]
    fn no_word_before_speech_or_inside_a_pause_and_none_zero_length() {
        let truth = [(1.0, 1.5), (1.6, 2.0), (4.0, 4.5), (4.6, 5.0)];
        let pcm = bursts(6.0, &truth);
        // Whisper piles all four on the segment end.
        let mut t = transcript(&[
            ("a", 5.9, 6.0),
            ("b", 6.0, 6.0),
            ("c", 6.0, 6.0),
            ("d", 6.0, 6.0),
        ]);
        aligned(&pcm, &mut t);
        let signal = crate::dsp::analyze_signal(&pcm);
        let speech = signal.speech.unwrap();
        let mut prev = 0.0;
        for w in &t.words {
            let r = w.time.unwrap();
            assert!(r.start >= speech.start - 0.05, "{w:?} before {speech:?}");
            assert!(r.duration() >= 0.02, "{w:?}");
            assert!(r.start >= prev, "{w:?}");
            for p in &signal.pauses {
                assert!(
                    !(r.start > p.start + 0.05 && r.start < p.end - 0.05),
                    "{w:?} in {p:?}"
                );
            }
            prev = r.end;
        }
    }

    #[test]
    fn nothing_to_align_leaves_words_alone() {
        let silence = vec![0.0f32; 32_000];
        let mut t = transcript(&[("Hi", 0.0, 1.0)]);
        let before = t.clone();
        let signal = crate::dsp::analyze_signal(&silence);
        assert_eq!(
            reconcile(&mut t, &silence, &signal.segments, Starts::Whisper),
            Err(NotAligned::NoSpeech)
        );
        assert_eq!(t, before);
        let mut untimed = Transcript::from_text("Hi there");
        assert_eq!(
            reconcile(
                &mut untimed,
                &silence,
                &[TimeRange::new(0.0, 1.0)],
                Starts::Whisper
            ),
            Err(NotAligned::Untimed)
        );
    }

    #[test]
    fn expected_units_count_syllables_and_digits() {
        assert_eq!(expected_units("Hi,"), 1.0);
        assert_eq!(expected_units("logistics."), 3.0);
        assert!((expected_units("555-0199") - 7.0 * 1.6).abs() < 1e-9);
        assert_eq!(expected_units("—"), 0.5);
    }

    #[test]
    fn a_first_digit_that_took_in_the_word_before_is_cut_back() {
        // "that's" (missed by Whisper) then ten digits of 0.35 s, 0.12 s apart.
        let mut truth = vec![(0.5, 0.8)];
        for k in 0..10 {
            let s = 0.95 + 0.47 * k as f64;
            truth.push((s, s + 0.35));
        }
        let pcm = bursts(6.0, &truth);
        let mut words = vec![("Call", 0.5, 0.6)];
        let digits = ["5", "5", "5,", "2", "1", "2,", "3", "4", "5", "6."];
        for (k, d) in digits.iter().enumerate() {
            words.push((d, 0.9 + 0.47 * k as f64, 1.2 + 0.47 * k as f64));
        }
        let mut t = transcript(&words);
        // Take "Call" out, as if Whisper had missed it: the first "5" may
        // now start on its sound.
        t = Transcript::from_timed_words(
            t.words.into_iter().skip(1).map(|w| (w.text, w.time, None)),
        );
        aligned(&pcm, &mut t);
        let first = t.words[0].time.unwrap();
        let last = t.words[9].time.unwrap();
        assert!((first.start - 0.95).abs() < 0.05, "{first:?}");
        assert!(
            (last.end - (0.95 + 0.47 * 9.0 + 0.35)).abs() < 0.05,
            "{last:?}"
        );
    }

    /// An envelope `frames` hops long, fully on inside `on` (seconds) and
    /// off elsewhere, all of it inside speech.
    fn envelope(frames: usize, on: &[(f64, f64)]) -> Envelope {
        let mut act = vec![0.0; frames];
        for &(a, b) in on {
            let (a, b) = ((a / HOP_S).round() as usize, (b / HOP_S).round() as usize);
            act[a..b].iter_mut().for_each(|x| *x = 1.0);
        }
        Envelope {
            act,
            speech: vec![true; frames],
            gap_weight: vec![1.0; frames],
        }
    }

    /// "Call 5 5 5 2 1 2 3 4 5 6." with digit k sounding at 1.0 + 0.5k for
    /// 0.3 s; `first` and `last` are the first and last digit words' times.
    fn ten_digits(first: (f64, f64), last: (f64, f64)) -> Transcript {
        let mut words = vec![("Call", 0.0, 0.3)];
        let digits = ["5", "5", "5", "2", "1", "2", "3", "4", "5", "6."];
        for (k, d) in digits.iter().enumerate() {
            let s = 1.0 + 0.5 * k as f64;
            words.push((d, s, s + 0.3));
        }
        words[1] = ("5", first.0, first.1);
        words[10] = ("6.", last.0, last.1);
        transcript(&words)
    }

    #[test]
    fn an_overrun_digit_edge_moves_to_the_onset_that_leaves_it_typical() {
        // The first "5" (0.40-1.30) took in "that's" (0.40-0.70); inside it
        // are onsets at 0.85, 1.00 (the digit's own: leaves it 0.30 s, the
        // typical digit) and 1.15. The last "6." (5.50-6.40) took in the
        // start of "thanks" (6.10-6.40); it has offsets at 5.65, 5.80 (its
        // own) and 6.05.
        let mut on = vec![(0.40, 0.70), (0.85, 0.95), (1.00, 1.10), (1.15, 1.30)];
        for k in 1..9 {
            let s = 1.0 + 0.5 * k as f64;
            on.push((s, s + 0.3));
        }
        on.extend([(5.50, 5.65), (5.70, 5.80), (5.95, 6.05), (6.10, 6.40)]);
        let env = envelope(700, &on);
        let mut t = ten_digits((0.40, 1.30), (5.50, 6.40));
        let before = t.clone();
        snap_mentions(&mut t, &env);
        let at = |i: usize| t.words[i].time.expect("timed");
        assert!((at(1).start - 1.0).abs() < 1e-9, "{:?}", at(1));
        assert_eq!(at(1).end, 1.30);
        assert_eq!(at(10).start, 5.50);
        assert!((at(10).end - 5.80).abs() < 1e-9, "{:?}", at(10));
        // The digits between, and "Call", are left alone.
        for i in (0..1).chain(2..10) {
            assert_eq!(t.words[i], before.words[i]);
        }
    }

    #[test]
    fn an_edge_with_no_onset_inside_or_within_typical_length_stays() {
        // Sound runs on through both long edge digits, with no quiet before
        // an onset inside them (the first starts 4 frames before its sound, the
        // last ends 3 after):
        // nothing to move to.
        let mut on = vec![(0.40, 1.30)];
        for k in 1..9 {
            let s = 1.0 + 0.5 * k as f64;
            on.push((s, s + 0.3));
        }
        on.push((5.50, 6.40));
        let env = envelope(700, &on);
        let mut t = ten_digits((0.36, 1.30), (5.50, 6.43));
        let before = t.clone();
        snap_mentions(&mut t, &env);
        assert_eq!(t, before);
        // Edges no longer than 1.6 typical digits are not looked into, even
        // with an onset inside.
        let env = envelope(
            700,
            &[(0.80, 0.90), (1.00, 1.30), (5.50, 5.80), (5.90, 5.95)],
        );
        let mut t = ten_digits((0.85, 1.30), (5.50, 5.96));
        let before = t.clone();
        snap_mentions(&mut t, &env);
        assert_eq!(t, before);
        // A last digit whose first hop alone sounds before a quiet moment:
        // its start is no offset.
        let env = envelope(700, &[(1.0, 1.3), (5.50, 5.51), (5.60, 6.40)]);
        let mut t = ten_digits((1.0, 1.3), (5.50, 6.40));
        let before = t.clone();
        snap_mentions(&mut t, &env);
        assert_eq!(t, before);
    }

    #[test]
    fn an_offset_needs_four_quiet_hops_after_it() {
        // The last "6." (5.50-6.40) dips for three hops at 5.78 (inside the
        // word, not its end) and ends at 5.90, four quiet hops and more
        // before the taken-in "thanks" (6.00-6.40).
        let mut on = vec![(1.0, 1.3)];
        for k in 1..9 {
            let s = 1.0 + 0.5 * k as f64;
            on.push((s, s + 0.3));
        }
        on.extend([(5.50, 5.78), (5.81, 5.90), (6.00, 6.40)]);
        let env = envelope(700, &on);
        let mut t = ten_digits((1.0, 1.3), (5.50, 6.40));
        snap_mentions(&mut t, &env);
        let end = t.words[10].time.expect("timed").end;
        assert!((end - 5.90).abs() < 1e-9, "{end}");
        // Of two offsets, the one that leaves the digit nearest the typical
        // length (0.28 s against 0.33 s) wins.
        let mut on = vec![(1.0, 1.3)];
        for k in 1..9 {
            let s = 1.0 + 0.5 * k as f64;
            on.push((s, s + 0.3));
        }
        on.extend([(5.50, 5.78), (5.82, 5.83), (6.00, 6.40)]);
        let env = envelope(700, &on);
        let mut t = ten_digits((1.0, 1.3), (5.50, 6.40));
        snap_mentions(&mut t, &env);
        let end = t.words[10].time.expect("timed").end;
        assert!((end - 5.78).abs() < 1e-9, "{end}");
    }

    #[test]
    fn an_edge_exactly_one_point_six_typical_digits_long_is_not_an_overrun() {
        // Digits of 0.3125 s (dyadic, so 1.6 × it is exactly 0.5); both edge
        // digits 0.5 s long with an onset (offset) inside.
        let mut words = vec![("Call", 0.0, 0.25), ("5", 0.5, 1.0)];
        let digits = ["5", "5", "2", "1", "2", "3", "4", "5"];
        for (k, d) in digits.iter().enumerate() {
            let s = 1.5 + 0.5 * k as f64;
            words.push((d, s, s + 0.3125));
        }
        words.push(("6.", 5.5, 6.0));
        let mut t = transcript(&words);
        let env = envelope(700, &[(0.5, 0.6), (0.7, 1.0), (5.5, 5.8), (5.9, 6.0)]);
        let before = t.clone();
        snap_mentions(&mut t, &env);
        assert_eq!(t, before);
    }

    #[test]
    fn only_mentions_said_in_four_or_more_single_digits_are_snapped() {
        // "Call 555-212 3 4 5 6.": four single digits, the last overrun.
        let env = envelope(
            700,
            &[
                (1.0, 1.3),
                (2.0, 2.3),
                (2.5, 2.8),
                (3.0, 3.3),
                (3.5, 3.8),
                (4.0, 4.3),
            ],
        );
        let said = |head: &str, fifth: &str| {
            transcript(&[
                ("Call", 0.0, 0.3),
                (head, 1.0, 1.9),
                ("3", 2.0, 2.3),
                ("4", 2.5, 2.8),
                (fifth, 3.0, 3.3),
                ("6.", 3.5, 4.3),
            ])
        };
        let mut t = said("555-212", "5");
        snap_mentions(&mut t, &env);
        let end = t.words[5].time.expect("timed").end;
        assert!((end - 3.8).abs() < 1e-9, "{end}");
        // "Call 555-21 3 4 45 6.": three single digits, left alone.
        let mut t = said("555-21", "45");
        let before = t.clone();
        snap_mentions(&mut t, &env);
        assert_eq!(t, before);
    }

    #[test]
    fn a_word_ends_on_its_last_sounding_hop_and_never_after_the_recording() {
        // Two bursts on hop boundaries; the recording ends 5 ms into a hop,
        // inside the second burst.
        let pcm = bursts(2.005, &[(0.5, 1.0), (1.5, 2.005)]);
        let mut t = transcript(&[("Hello", 0.5, 1.0), ("there.", 1.5, 2.005)]);
        aligned(&pcm, &mut t);
        let first = t.words[0].time.expect("timed");
        let last = t.words[1].time.expect("timed");
        // The envelope's window blurs both edges of a burst alike: the word
        // sits centred on its sound.
        let centre = (first.start + first.end) / 2.0;
        assert!((centre - 0.75).abs() <= 0.003, "{first:?}");
        assert!(last.end <= 2.005 + 1e-9, "{last:?}");
        assert!(last.end > 1.99, "{last:?}");
    }

    #[test]
    fn too_many_words_for_the_speech_is_refused_at_three_hops_a_word() {
        let pcm = bursts(2.0, &[(0.5, 0.8)]);
        let segments = [TimeRange::new(0.5, 0.8)];
        let speech = Envelope::new(&pcm, &segments)
            .speech
            .iter()
            .filter(|s| **s)
            .count();
        let words = |n: usize| {
            transcript(
                &(0..n)
                    .map(|k| ("a", 0.5 + 0.01 * k as f64, 0.51 + 0.01 * k as f64))
                    .collect::<Vec<_>>(),
            )
        };
        let over = speech / MIN_WORD_FRAMES + 1;
        assert_eq!(
            reconcile(&mut words(over), &pcm, &segments, Starts::Whisper),
            Err(NotAligned::TooManyWords)
        );
        let fit = speech / MIN_WORD_FRAMES;
        assert!(reconcile(&mut words(fit), &pcm, &segments, Starts::Whisper).is_ok());
    }

    #[test]
    fn a_word_trimmed_to_one_sounding_hop_keeps_the_shortest_word_s_length() {
        // One hop of sound inside a word's span [40, 60]: the word is
        // widened to three hops from it, inside the span.
        let mut act = vec![0.0; 100];
        act[50] = 1.0;
        act[59] = 1.0;
        let env = Envelope {
            act,
            speech: vec![true; 100],
            gap_weight: vec![1.0; 100],
        };
        assert_eq!(trim(&env, 40, 55), (50, 52));
        assert_eq!(trim(&env, 56, 60), (58, 60));
        // No sound at all: the span stays.
        assert_eq!(trim(&env, 10, 20), (10, 20));
    }

    #[test]
    fn one_digit_words() {
        assert!(is_one_digit("5,") && is_one_digit("Five.") && is_one_digit("oh"));
        assert!(!is_one_digit("55") && !is_one_digit("fifty") && !is_one_digit("at"));
    }
}
