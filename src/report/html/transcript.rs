//! The transcript as the page shows it: each timed word a span that knows
//! when it was said (the script seeks the player to it on a click and
//! lights it while it plays), and the words a finding points at marked in
//! the colour of its severity, followed by links to those findings.

use super::escape;
use crate::report::Report;
use crate::rules::Severity;
use std::fmt::Write as _;

/// The anchor of finding `i` on the page.
pub fn finding_id(i: usize) -> String {
    format!("f-{i}")
}

/// The class for a severity ("error", "warning", "info").
pub fn severity_class(s: Severity) -> &'static str {
    s.as_str()
}

/// The transcript's HTML: words (spans with `data-s`/`data-e` when timed),
/// highlights (`mark`) and links to the findings they belong to.
pub fn render(r: &Report) -> String {
    let t = &r.transcript;
    let text = t.text.as_str();
    // For each word, the findings whose evidence covers part of it.
    let covers: Vec<Vec<usize>> = t
        .words
        .iter()
        .map(|w| {
            r.findings
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    f.evidence.iter().any(|e| {
                        e.span.start < e.span.end
                            && e.span.start < w.span.end
                            && w.span.start < e.span.end
                    })
                })
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    let mut o = String::new();
    let mut pos = 0usize;
    let mut open: Option<&[usize]> = None;
    for (k, w) in t.words.iter().enumerate() {
        let (start, end) = (w.span.start, w.span.end);
        if start < pos || end > text.len() || start > end {
            continue;
        }
        let set = covers[k].as_slice();
        let gap = text.get(pos..start).unwrap_or("");
        // A highlight runs over the gaps between its words.
        if open.is_some_and(|cur| cur != set) {
            close_mark(&mut o, r, open.unwrap_or(&[]));
            open = None;
        }
        o.push_str(&escape(gap));
        if open.is_none() && !set.is_empty() {
            let worst = set
                .iter()
                .filter_map(|&i| r.findings.get(i))
                .map(|f| f.severity)
                .max()
                .unwrap_or(Severity::Info);
            let _ = write!(o, "<mark class=\"{}\">", severity_class(worst));
            open = Some(set);
        }
        let word = escape(text.get(start..end).unwrap_or(""));
        match w.time {
            Some(tr) if tr.start.is_finite() && tr.end.is_finite() => {
                let _ = write!(
                    o,
                    "<span class=\"w\" data-s=\"{:.2}\" data-e=\"{:.2}\">{word}</span>",
                    tr.start, tr.end
                );
            }
            _ => o.push_str(&word),
        }
        pos = end;
    }
    if let Some(set) = open {
        close_mark(&mut o, r, set);
    }
    o.push_str(&escape(text.get(pos..).unwrap_or("")));
    o
}

/// End a highlight, then link each of its findings by code.
fn close_mark(o: &mut String, r: &Report, set: &[usize]) {
    o.push_str("</mark>");
    if set.is_empty() {
        return;
    }
    o.push_str("<sup class=\"refs\">");
    for &i in set {
        if let Some(f) = r.findings.get(i) {
            let _ = write!(
                o,
                "<a class=\"ref {}\" href=\"#{}\" title=\"{}\">{}</a>",
                severity_class(f.severity),
                finding_id(i),
                escape(f.name),
                escape(f.code)
            );
        }
    }
    o.push_str("</sup>");
}
