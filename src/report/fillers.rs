//! The report's fillers list (issue 16) as the terminal and the HTML page
//! show it: each filler with its time, its kind and the witness that found
//! it. One place, so both pages say the same thing.

use super::escape::terminal_line;
use super::style::{paint, BOLD, DIM};
use super::Report;
use crate::analyze::fillers::{Filler, Witness};
use std::fmt::Write as _;

/// "1.26 s", or "–" for an untimed filler (a typed script).
fn at(f: &Filler) -> String {
    f.time
        .map_or_else(|| "–".to_string(), |t| format!("{:.2} s", t.start))
}

/// Which witness found it, in words.
fn witness(f: &Filler) -> String {
    match f.witness {
        Witness::Transcript => "in the transcript".to_string(),
        Witness::Audio => format!(
            "heard in the audio (confidence {:.0}%)",
            f.confidence * 100.0
        ),
    }
}

/// The "Fillers" section of the terminal report.
pub(crate) fn text(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "\n{}", paint(BOLD, "Fillers"));
    if r.fillers.is_empty() {
        let _ = writeln!(o, "  none heard");
    }
    for f in &r.fillers {
        let _ = writeln!(
            o,
            "  {:>8}  {:<10} {}",
            at(f),
            format!("\"{}\"", terminal_line(&f.kind)),
            paint(DIM, witness(f))
        );
    }
    o
}

/// The "Fillers" section of the HTML page.
pub(crate) fn html(r: &Report) -> String {
    let esc = super::escape::html;
    let mut o = String::from("<section id=\"fillers\"><h2>Fillers</h2>");
    if r.fillers.is_empty() {
        o.push_str("<p>None heard.</p></section>");
        return o;
    }
    o.push_str("<table class=\"fillers\"><tr><th>Time</th><th>Filler</th><th>Found</th></tr>");
    for f in &r.fillers {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"dim\">{}</td></tr>",
            esc(&at(f)),
            esc(&format!("\u{201c}{}\u{201d}", f.kind)),
            esc(&witness(f))
        );
    }
    o.push_str("</table></section>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::TimeRange;

    fn filler(kind: &str, start: f64, witness: Witness, confidence: f32) -> Filler {
        Filler {
            kind: kind.to_string(),
            time: Some(TimeRange::new(start, start + 0.3)),
            witness,
            confidence,
            words: None,
            retimed: false,
        }
    }

    fn report(fillers: Vec<Filler>) -> Report {
        let mut r = crate::pipeline::score_script(None, "Hi Dana.", &Default::default());
        r.fillers = fillers;
        r
    }

    #[test]
    fn each_filler_has_its_time_kind_and_witness() {
        let r = report(vec![
            filler("um", 1.26, Witness::Audio, 0.85),
            filler("like", 5.1, Witness::Transcript, 1.0),
        ]);
        let t = anstream::adapter::strip_str(&text(&r)).to_string();
        assert!(t.contains("1.26 s  \"um\""), "{t}");
        assert!(t.contains("heard in the audio (confidence 85%)"), "{t}");
        assert!(t.contains("5.10 s  \"like\""), "{t}");
        assert!(t.contains("in the transcript"), "{t}");
        let h = html(&r);
        assert!(
            h.contains("<td>1.26 s</td><td>\u{201c}um\u{201d}</td>"),
            "{h}"
        );
        assert!(h.contains("in the transcript"), "{h}");
    }

    #[test]
    fn none_heard_says_so_and_kinds_are_escaped() {
        assert!(text(&report(vec![])).contains("none heard"));
        assert!(html(&report(vec![])).contains("None heard."));
        let h = html(&report(vec![filler("<b>", 1.0, Witness::Transcript, 1.0)]));
        assert!(h.contains("&lt;b&gt;") && !h.contains("<b>"), "{h}");
    }
}
