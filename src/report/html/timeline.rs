//! The timeline under the player: the waveform (the lowest and highest
//! sample of each step, from `dsp::outline`) over the speech the detector
//! found, the pauses shaded, each phone-number mention marked with its
//! digits per second, the findings' moments as ticks, and the pitch
//! contour beneath. Drawn as SVG stretched to the page's width; the text
//! on it is HTML placed by percentage, so it never stretches with it.

use super::escape;
use super::transcript::{finding_id, severity_class};
use crate::analyze::phone::format_number;
use crate::dsp::Outline;
use crate::report::Report;
use std::fmt::Write as _;

/// SVG user units across the timeline.
const WIDTH: f64 = 1000.0;
/// Height of the waveform and pitch drawings, SVG units.
const WAVE_H: f64 = 100.0;
const PITCH_H: f64 = 60.0;
/// Labels of number mentions closer than this (percent of the width) go
/// on two rows.
const MARK_SPACING_PCT: f64 = 16.0;
/// Pitch further than this from the median (semitones) is left out of the
/// contour: octave errors and squeaks, not intonation (as the pitch
/// summary leaves them out of the spread).
const PITCH_WINDOW_ST: f64 = 9.0;

/// The timeline, or `None` without an outline (a typed script).
pub fn render(r: &Report) -> Option<String> {
    let outline = r.outline.as_ref()?;
    let duration = outline.duration;
    if !(duration.is_finite() && duration > 0.0) || outline.envelope.is_empty() {
        return None;
    }
    let x = |t: f64| (t / duration * WIDTH).clamp(0.0, WIDTH);
    let pct = |t: f64| (t / duration * 100.0).clamp(0.0, 100.0);
    let mut o = String::new();
    let _ = write!(
        o,
        "<div class=\"tl\" id=\"timeline\" data-d=\"{duration:.3}\"><div class=\"lane\">\
         <svg class=\"wave\" viewBox=\"0 0 {WIDTH} {WAVE_H}\" preserveAspectRatio=\"none\" role=\"img\" \
         aria-label=\"Waveform: speech shaded, pauses hatched, phone numbers and fillers marked\">"
    );
    for s in &outline.segments {
        let _ = write!(
            o,
            "<rect class=\"speech\" x=\"{:.1}\" y=\"0\" width=\"{:.1}\" height=\"{WAVE_H}\"/>",
            x(s.start),
            x(s.end) - x(s.start)
        );
    }
    for p in &r.timing.pauses {
        let _ = write!(
            o,
            "<rect class=\"pause\" x=\"{:.1}\" y=\"0\" width=\"{:.1}\" height=\"{WAVE_H}\"><title>pause {:.1} s</title></rect>",
            x(p.start),
            x(p.end) - x(p.start),
            p.duration()
        );
    }
    let fast = fast_mentions(r);
    for (i, m) in r.phone_mentions.iter().enumerate() {
        if let Some(t) = m.time {
            let _ = write!(
                o,
                "<rect class=\"num{}\" x=\"{:.1}\" y=\"0\" width=\"{:.1}\" height=\"{WAVE_H}\"/>",
                if fast[i].is_some() { " fast" } else { "" },
                x(t.start),
                (x(t.end) - x(t.start)).max(2.0)
            );
        }
    }
    // Fillers (issue 16), under the waveform like the numbers: each "um"
    // where it was said, from either witness.
    for f in &r.fillers {
        if let Some(t) = f.time {
            let _ = write!(
                o,
                "<rect class=\"filler\" x=\"{:.1}\" y=\"0\" width=\"{:.1}\" height=\"{WAVE_H}\"><title>{} at {:.1} s</title></rect>",
                x(t.start),
                (x(t.end) - x(t.start)).max(2.0),
                escape(&f.kind),
                t.start
            );
        }
    }
    let _ = write!(
        o,
        "<path class=\"env\" d=\"{}\"/></svg></div>",
        envelope_path(outline)
    );

    // Number mentions, labelled: the digits and how fast they went by. A
    // label too close to the one before it drops to a second row.
    let mut marks = String::new();
    let mut last_left = f64::NEG_INFINITY;
    let mut second_row = false;
    let mut rows = 1;
    for (i, m) in r.phone_mentions.iter().enumerate() {
        let Some(t) = m.time else { continue };
        second_row = pct(t.start) - last_left < MARK_SPACING_PCT && !second_row;
        if !second_row {
            last_left = pct(t.start);
        } else {
            rows = 2;
        }
        let rate = m
            .digits_per_second
            .map(|d| format!("{d:.1} digits/s"))
            .unwrap_or_default();
        let _ = write!(
            marks,
            "<button type=\"button\" class=\"mark{}{}{}\" data-s=\"{:.2}\" style=\"left:{:.2}%\" title=\"{} at {:.1}–{:.1} s\">{}<br><b>{}</b></button>",
            if fast[i].is_some() { " fast" } else { "" },
            if second_row { " alt" } else { "" },
            // Near an edge, the label hangs inwards from its mark.
            match pct(t.start) {
                p if p > 88.0 => " end",
                p if p < 8.0 => " start",
                _ => "",
            },
            t.start,
            pct(t.start),
            escape(&format_number(&m.digits)),
            t.start,
            t.end,
            escape(&format_number(&m.digits)),
            escape(&rate)
        );
    }
    if !marks.is_empty() {
        let _ = write!(o, "<div class=\"marks rows{rows}\">{marks}</div>");
    }

    // When each finding happens, as ticks linking to it.
    let mut ticks = String::new();
    for (i, f) in r.findings.iter().enumerate() {
        for e in &f.evidence {
            let Some(t) = e.time else { continue };
            let _ = write!(
                ticks,
                "<a class=\"tick {}\" href=\"#{}\" style=\"left:{:.2}%;width:{:.2}%\" title=\"{} {}\"></a>",
                severity_class(f.severity),
                finding_id(i),
                pct(t.start),
                (pct(t.end) - pct(t.start)).max(0.4),
                escape(f.code),
                escape(f.name)
            );
        }
    }
    if !ticks.is_empty() {
        let _ = write!(o, "<div class=\"ticks\">{ticks}</div>");
    }

    if let Some(pitch) = pitch_lane(outline) {
        o.push_str(&pitch);
    }
    o.push_str("<div class=\"axis\">");
    let step = tick_step(duration);
    let mut t = 0.0;
    while t <= duration + 1e-9 {
        let _ = write!(o, "<span style=\"left:{:.2}%\">{t:.0} s</span>", pct(t));
        t += step;
    }
    o.push_str("</div><div class=\"playhead\" id=\"playhead\"></div></div>");
    o.push_str(
        "<p class=\"legend\"><span class=\"key speech\"></span>speech \
         <span class=\"key pause\"></span>pause over 1 s \
         <span class=\"key num\"></span>phone number \
         <span class=\"key fast\"></span>number too fast \
         <span class=\"key filler\"></span>filler (um, uh) \
         <span class=\"key pitch\"></span>pitch</p>",
    );
    Some(o)
}

/// For each mention, the VM105 finding that says it went by too fast.
fn fast_mentions(r: &Report) -> Vec<Option<usize>> {
    r.phone_mentions
        .iter()
        .map(|m| {
            r.findings.iter().position(|f| {
                f.code == "VM105"
                    && f.evidence
                        .iter()
                        .any(|e| e.span.start < m.span.end && m.span.start < e.span.end)
            })
        })
        .collect()
}

/// The waveform as one closed path: the highs left to right, the lows
/// back. Scaled to the loudest step, so a quiet recording still shows its
/// shape (the level figures say how loud it was).
fn envelope_path(outline: &Outline) -> String {
    let peak = outline
        .envelope
        .iter()
        .map(|(lo, hi)| lo.abs().max(hi.abs()))
        .fold(0.0f32, f32::max);
    let scale = if peak > 1e-6 {
        f64::from(0.48 / peak) * WAVE_H
    } else {
        0.0
    };
    let n = outline.envelope.len() as f64;
    let mid = WAVE_H / 2.0;
    let mut d = String::new();
    for (i, (_, hi)) in outline.envelope.iter().enumerate() {
        let _ = write!(
            d,
            "{}{:.1},{:.1}",
            if i == 0 { "M" } else { "L" },
            (i as f64 + 0.5) / n * WIDTH,
            mid - f64::from(*hi) * scale
        );
    }
    for (i, (lo, _)) in outline.envelope.iter().enumerate().rev() {
        let _ = write!(
            d,
            "L{:.1},{:.1}",
            (i as f64 + 0.5) / n * WIDTH,
            mid - f64::from(*lo) * scale
        );
    }
    d.push('Z');
    d
}

/// The pitch contour on a semitone scale between its lowest and highest
/// values, broken where the voice stops; `None` without voiced speech.
fn pitch_lane(outline: &Outline) -> Option<String> {
    let mut voiced: Vec<f32> = outline
        .pitch
        .iter()
        .flatten()
        .copied()
        .filter(|hz| hz.is_finite() && *hz > 0.0)
        .collect();
    if voiced.is_empty() {
        return None;
    }
    voiced.sort_by(f32::total_cmp);
    let median = voiced[voiced.len() / 2];
    let near = |hz: f32| (12.0 * f64::from(hz / median).log2()).abs() <= PITCH_WINDOW_ST;
    let kept: Vec<f32> = voiced.into_iter().filter(|hz| near(*hz)).collect();
    let lo = kept.first().copied()?;
    let hi = kept.last().copied()?;
    let span = (12.0 * f64::from(hi / lo).log2()).max(1.0);
    let n = outline.pitch.len() as f64;
    let steps: Vec<Option<f32>> = outline
        .pitch
        .iter()
        .map(|p| p.filter(|hz| hz.is_finite() && *hz > 0.0 && near(*hz)))
        .collect();
    let mut d = String::new();
    let mut drawing = false;
    for (i, p) in smooth(&steps).into_iter().enumerate() {
        match p {
            Some(hz) => {
                let st = 12.0 * f64::from(hz / lo).log2();
                let y = PITCH_H - 5.0 - st / span * (PITCH_H - 10.0);
                let _ = write!(
                    d,
                    "{}{:.1},{:.1}",
                    if drawing { "L" } else { "M" },
                    (i as f64 + 0.5) / n * WIDTH,
                    y
                );
                drawing = true;
            }
            None => drawing = false,
        }
    }
    let mut o = String::new();
    let _ = write!(
        o,
        "<div class=\"lane pitchlane\"><svg class=\"pitch\" viewBox=\"0 0 {WIDTH} {PITCH_H}\" preserveAspectRatio=\"none\" role=\"img\" \
         aria-label=\"Pitch contour, {lo:.0} to {hi:.0} Hz\"><path d=\"{d}\"/></svg>\
         <span class=\"hz top\">{hi:.0} Hz</span><span class=\"hz bottom\">{lo:.0} Hz</span></div>"
    );
    Some(o)
}

/// Each voiced step as the median of itself and its voiced neighbours,
/// so a one-step jump (a creak at a word's edge, a half-pitch frame) does
/// not draw a spike; unvoiced steps stay gaps.
fn smooth(steps: &[Option<f32>]) -> Vec<Option<f32>> {
    (0..steps.len())
        .map(|i| {
            let hz = steps[i]?;
            let before = i.checked_sub(1).and_then(|j| steps[j]);
            let after = steps.get(i + 1).copied().flatten();
            Some(match (before, after) {
                (Some(a), Some(b)) => {
                    let mut v = [a, hz, b];
                    v.sort_by(f32::total_cmp);
                    v[1]
                }
                _ => hz,
            })
        })
        .collect()
}

/// Seconds between axis labels: at most about ten of them.
fn tick_step(duration: f64) -> f64 {
    [1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0]
        .into_iter()
        .find(|s| duration / s <= 10.0)
        .unwrap_or(600.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_stay_few() {
        assert_eq!(tick_step(9.0), 1.0);
        assert_eq!(tick_step(19.5), 2.0);
        assert_eq!(tick_step(36.7), 5.0);
        assert_eq!(tick_step(1e6), 600.0);
    }

    #[test]
    fn a_one_step_spike_is_smoothed_and_gaps_stay() {
        let steps = [
            Some(100.0),
            Some(50.0),
            Some(102.0),
            None,
            Some(90.0),
            Some(95.0),
        ];
        assert_eq!(
            smooth(&steps),
            [
                Some(100.0),
                Some(100.0),
                Some(102.0),
                None,
                Some(90.0),
                Some(95.0)
            ]
        );
        assert!(smooth(&[]).is_empty());
    }

    #[test]
    fn each_timed_filler_is_marked_where_it_was_said() {
        use crate::analyze::fillers::{Filler, Witness};
        use crate::message::TimeRange;
        let mut r =
            crate::pipeline::score_script(None, "Hi Dana, um, call me.", &Default::default());
        r.outline = Some(Outline {
            duration: 10.0,
            step: 0.5,
            envelope: vec![(-0.5, 0.5); 20],
            pitch: vec![None; 20],
            segments: vec![TimeRange::new(0.5, 9.5)],
        });
        let filler = |kind: &str, time: Option<TimeRange>| Filler {
            kind: kind.to_string(),
            time,
            witness: Witness::Audio,
            confidence: 0.8,
            words: None,
            retimed: false,
        };
        r.fillers = vec![
            filler("um", Some(TimeRange::new(2.5, 3.0))),
            filler("uh", Some(TimeRange::new(7.0, 7.25))),
            filler("like", None),
        ];
        let page = render(&r).expect("a timeline");
        assert_eq!(page.matches("<rect class=\"filler\"").count(), 2, "{page}");
        assert!(
            page.contains("<rect class=\"filler\" x=\"250.0\""),
            "{page}"
        );
        assert!(page.contains("<title>uh at 7.0 s</title>"), "{page}");
        assert!(page.contains("key filler"));
    }

    #[test]
    fn a_silent_outline_draws_a_flat_line() {
        let o = Outline {
            duration: 1.0,
            step: 0.5,
            envelope: vec![(0.0, 0.0), (0.0, 0.0)],
            pitch: vec![None, None],
            segments: Vec::new(),
        };
        assert_eq!(
            envelope_path(&o),
            "M250.0,50.0L750.0,50.0L750.0,50.0L250.0,50.0Z"
        );
        assert!(pitch_lane(&o).is_none());
    }
}
