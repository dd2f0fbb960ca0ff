//! Whisper tokens → words with times.
//!
//! Whisper emits BPE pieces; a piece starting with a space starts a word,
//! others (suffixes, punctuation) join the word before. Special and timestamp
//! tokens carry no text. Token times can overlap or run past the audio, so
//! the words' times are clamped to be ordered, non-overlapping and inside
//! `[0, duration]`. Pieces are joined as bytes, because one UTF-8 character
//! can be split across two tokens.

use crate::message::{TimeRange, Transcript};

/// One token as the runner or a transcript file gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub bytes: Vec<u8>,
    /// Start and end in seconds, if known (whisper.cpp uses -1 for "none").
    pub time: Option<(f64, f64)>,
    /// 0..1, if known.
    pub p: Option<f32>,
}

/// A run of tokens Whisper decoded together; a word never spans two segments.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Segment {
    /// Segment start and end in seconds, used for tokens without times.
    pub time: Option<(f64, f64)>,
    pub tokens: Vec<Token>,
}

/// True for whisper.cpp's special-token spellings: `[_BEG_]`, `[_TT_150]`,
/// `[_EOT_]`, … and OpenAI's `<|endoftext|>`.
pub fn is_special_text(t: &[u8]) -> bool {
    (t.starts_with(b"[_") && t.ends_with(b"]")) || (t.starts_with(b"<|") && t.ends_with(b"|>"))
}

/// A word before its times are clamped: text, (start, end), probability.
type RawWord = (String, Option<(f64, f64)>, Option<f32>);
/// A word ready for [`Transcript::from_timed_words`].
type TimedWord = (String, Option<TimeRange>, Option<f32>);

struct Pending {
    bytes: Vec<u8>,
    start: Option<f64>,
    end: Option<f64>,
    p_sum: f64,
    p_n: u32,
}

/// Merge the segments' tokens into a transcript. `duration` is the audio's
/// length in seconds (times are clamped to it); `None` leaves the end open.
pub fn words_from_segments(segments: &[Segment], duration: Option<f64>) -> Transcript {
    let mut raw: Vec<RawWord> = Vec::new();
    for seg in segments {
        let timed = spread_segment_times(seg);
        let mut cur: Option<Pending> = None;
        let mut seg_words = Vec::new();
        for (tok, time) in seg.tokens.iter().zip(timed) {
            if tok.bytes.is_empty() || is_special_text(&tok.bytes) {
                continue;
            }
            let starts_word = tok.bytes.first().is_some_and(u8::is_ascii_whitespace);
            if starts_word {
                if let Some(w) = cur.take() {
                    seg_words.push(w);
                }
            }
            let w = cur.get_or_insert_with(|| Pending {
                bytes: Vec::new(),
                start: None,
                end: None,
                p_sum: 0.0,
                p_n: 0,
            });
            w.bytes.extend_from_slice(&tok.bytes);
            if let Some((t0, t1)) = time {
                w.start = Some(w.start.map_or(t0, |s| s.min(t0)));
                w.end = Some(w.end.map_or(t1, |e| e.max(t1)));
            }
            if let Some(p) = tok.p.filter(|p| p.is_finite()) {
                w.p_sum += f64::from(p.clamp(0.0, 1.0));
                w.p_n += 1;
            }
        }
        seg_words.extend(cur.take());
        let seg_words: Vec<_> = seg_words
            .into_iter()
            .map(|w| {
                let text = String::from_utf8_lossy(&w.bytes).trim().to_string();
                let time = w.start.zip(w.end);
                let p = (w.p_n > 0).then(|| (w.p_sum / f64::from(w.p_n)) as f32);
                (text, time, p)
            })
            .filter(|(t, _, _)| !t.is_empty())
            .collect();
        raw.extend(drop_annotations(seg_words));
    }
    let words = clamp_times(raw, duration);
    Transcript::from_timed_words(words)
}

/// Per-token times: the token's own when valid, else a share of the
/// segment's span proportional to the token's length.
fn spread_segment_times(seg: &Segment) -> Vec<Option<(f64, f64)>> {
    let valid = |t: &(f64, f64)| t.0.is_finite() && t.1.is_finite() && t.0 >= 0.0 && t.1 >= 0.0;
    let own: Vec<Option<(f64, f64)>> = seg.tokens.iter().map(|t| t.time.filter(valid)).collect();
    let Some((s0, s1)) = seg.time.filter(valid) else {
        return own;
    };
    let text_len = |t: &Token| {
        if is_special_text(&t.bytes) {
            0
        } else {
            t.bytes.len()
        }
    };
    let total: usize = seg.tokens.iter().map(text_len).sum();
    if total == 0 {
        return own;
    }
    let span = (s1 - s0).max(0.0);
    let mut acc = 0usize;
    seg.tokens
        .iter()
        .zip(own)
        .map(|(t, o)| {
            let a = s0 + span * acc as f64 / total as f64;
            acc += text_len(t);
            let b = s0 + span * acc as f64 / total as f64;
            o.or(Some((a, b)))
        })
        .collect()
}

/// Drop Whisper's non-speech annotations ("[BLANK_AUDIO]", "(music)",
/// "[Music]") — a bracketed run of at most four words with no digits, so an
/// area code such as "(555)" is kept.
fn drop_annotations<T>(words: Vec<(String, T, Option<f32>)>) -> Vec<(String, T, Option<f32>)> {
    let opens = |s: &str| s.starts_with('[') || s.starts_with('(');
    let closes = |s: &str| s.ends_with(']') || s.ends_with(')');
    let mut keep = vec![true; words.len()];
    let mut i = 0;
    while i < words.len() {
        if opens(&words[i].0) {
            let end = (i..words.len().min(i + 4)).find(|&j| closes(&words[j].0));
            if let Some(j) = end {
                let digits = words[i..=j]
                    .iter()
                    .any(|w| w.0.chars().any(|c| c.is_ascii_digit()));
                if !digits {
                    keep[i..=j].iter_mut().for_each(|k| *k = false);
                    i = j + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    words
        .into_iter()
        .zip(keep)
        .filter_map(|(w, k)| k.then_some(w))
        .collect()
}

/// Order and bound the words' times: each starts no earlier than the
/// previous one ended, ends no earlier than it starts, and lies in
/// `[0, duration]`.
fn clamp_times(words: Vec<RawWord>, duration: Option<f64>) -> Vec<TimedWord> {
    let max = duration.filter(|d| d.is_finite() && *d >= 0.0);
    let mut prev_end = 0.0f64;
    words
        .into_iter()
        .map(|(text, time, p)| {
            let time = time.map(|(s, e)| {
                let mut s = s.max(prev_end);
                let mut e = e.max(s);
                if let Some(m) = max {
                    s = s.min(m);
                    e = e.min(m);
                }
                prev_end = e;
                TimeRange::new(s, e)
            });
            (text, time, p)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(t: &str, t0: f64, t1: f64, p: f32) -> Token {
        Token {
            bytes: t.as_bytes().to_vec(),
            time: Some((t0, t1)),
            p: Some(p),
        }
    }

    #[test]
    fn merges_pieces_on_leading_space_and_drops_specials() {
        let seg = Segment {
            time: Some((0.0, 3.0)),
            tokens: vec![
                tok("[_BEG_]", 0.0, 0.0, 1.0),
                tok(" Hi", 0.1, 0.3, 0.9),
                tok(" Sar", 0.4, 0.6, 0.8),
                tok("ah", 0.6, 0.8, 0.6),
                tok(",", 0.8, 0.85, 1.0),
                tok(" call", 1.0, 1.4, 0.5),
                tok("[_TT_150]", 3.0, 3.0, 1.0),
            ],
        };
        let t = words_from_segments(&[seg], Some(3.0));
        let texts: Vec<&str> = t.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["Hi", "Sarah,", "call"]);
        assert_eq!(t.text, "Hi Sarah, call");
        let w = &t.words[1];
        assert_eq!(w.time, Some(TimeRange::new(0.4, 0.85)));
        let p = w.probability.unwrap_or(0.0);
        assert!((p - 0.8).abs() < 1e-6, "mean of 0.8, 0.6, 1.0: {p}");
        assert_eq!(&t.text[w.span.range()], "Sarah,");
    }

    #[test]
    fn times_are_clamped_monotonic_and_inside_the_audio() {
        let seg = Segment {
            time: None,
            tokens: vec![
                tok(" a", 1.0, 2.0, 1.0),
                tok(" b", 1.5, 1.2, 1.0),  // overlaps and is reversed
                tok(" c", 9.0, 12.0, 1.0), // runs past a 10 s file
                tok(" d", 11.0, 13.0, 1.0),
            ],
        };
        let t = words_from_segments(&[seg], Some(10.0));
        let times: Vec<(f64, f64)> = t
            .words
            .iter()
            .filter_map(|w| w.time.map(|r| (r.start, r.end)))
            .collect();
        assert_eq!(times, [(1.0, 2.0), (2.0, 2.0), (9.0, 10.0), (10.0, 10.0)]);
    }

    #[test]
    fn utf8_split_across_tokens_is_rejoined() {
        let e_acute = "é".as_bytes();
        let seg = Segment {
            time: Some((0.0, 1.0)),
            tokens: vec![
                Token {
                    bytes: vec![b' ', b'c', b'a', b'f', e_acute[0]],
                    time: None,
                    p: None,
                },
                Token {
                    bytes: vec![e_acute[1]],
                    time: None,
                    p: None,
                },
            ],
        };
        let t = words_from_segments(&[seg], None);
        assert_eq!(t.text, "café");
        // No token times: the segment's span is shared out by length.
        let r = t.words[0].time.unwrap_or_default();
        assert_eq!((r.start, r.end), (0.0, 1.0));
        assert_eq!(t.words[0].probability, None);
    }

    #[test]
    fn annotations_go_but_area_codes_stay() {
        let seg = Segment {
            time: Some((0.0, 5.0)),
            tokens: vec![
                tok(" [BLANK_AUDIO]", 0.0, 1.0, 1.0),
                tok(" (555)", 1.0, 2.0, 1.0),
                tok(" 212", 2.0, 3.0, 1.0),
                tok(" (upbeat", 3.0, 3.5, 1.0),
                tok(" music)", 3.5, 4.0, 1.0),
            ],
        };
        let t = words_from_segments(&[seg], Some(5.0));
        assert_eq!(t.text, "(555) 212");
    }

    #[test]
    fn a_segment_boundary_breaks_a_word_and_empty_is_clean() {
        let a = Segment {
            time: Some((0.0, 1.0)),
            tokens: vec![tok("Hello", 0.0, 0.5, 1.0)],
        };
        let b = Segment {
            time: Some((1.0, 2.0)),
            tokens: vec![tok("there", 1.0, 1.5, 1.0)],
        };
        let t = words_from_segments(&[a, b], Some(2.0));
        assert_eq!(t.text, "Hello there");
        let empty = words_from_segments(&[], Some(2.0));
        assert!(empty.words.is_empty() && empty.text.is_empty());
        let only_special = Segment {
            time: Some((0.0, 1.0)),
            tokens: vec![tok("[_BEG_]", 0.0, 0.0, 1.0), tok(" ", 0.0, 0.1, 1.0)],
        };
        assert!(words_from_segments(&[only_special], None).words.is_empty());
    }
}
