//! A folder's `index.html`: one row per recording, linking its page, with
//! the figures a manager compares (score, length, pace, how often and how
//! fast the number was said, errors, warnings, the first thing to fix);
//! a click on a column heading sorts by it. The same rows make the
//! folder's `summary.csv` (`report::csv`).

use super::escape;
use super::page::head;
use crate::report::Report;
use crate::rules::Severity;
use std::fmt::Write as _;

const CSS: &str = include_str!("index.css");
/// Sorting by a column heading.
const JS: &str = include_str!("index.js");

/// One recording of a folder, scored or not.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    /// The recording as the user named it.
    pub file: String,
    /// Its page, relative to the index (`None` when it was not scored).
    pub page: Option<String>,
    pub outcome: Result<IndexFigures, String>,
}

/// A scored recording's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexFigures {
    pub score: u32,
    /// Speech span, seconds.
    pub speech: Option<f64>,
    pub wpm: Option<f64>,
    /// Times the callback (most said) number was said.
    pub number_said: usize,
    /// Its fastest mention, digits per second.
    pub fastest_digits_per_second: Option<f64>,
    pub errors: usize,
    pub warnings: usize,
    /// The first of the top fixes, in plain words.
    pub first_fix: Option<String>,
    /// Codes of every finding, once each, in order.
    pub codes: Vec<&'static str>,
}

impl IndexFigures {
    pub fn of(r: &Report) -> Self {
        let count = |s: Severity| r.findings.iter().filter(|f| f.severity == s).count();
        let top = r.phone_numbers.first();
        let mut codes: Vec<&'static str> = Vec::new();
        for f in &r.findings {
            if !codes.contains(&f.code) {
                codes.push(f.code);
            }
        }
        IndexFigures {
            score: r.score.value,
            speech: r.timing.speech.map(|s| s.duration()),
            wpm: r.timing.words_per_minute,
            number_said: top.map_or(0, |n| n.count),
            fastest_digits_per_second: top.and_then(|n| {
                n.mentions
                    .iter()
                    .filter_map(|&i| r.phone_mentions.get(i)?.digits_per_second)
                    .reduce(f64::max)
            }),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            first_fix: r.top_fixes.first().map(|f| f.fix.clone()),
            codes,
        }
    }
}

/// The index page.
pub fn render(rows: &[IndexRow]) -> String {
    let mut o = head("vmcoach — recordings", CSS, JS);
    let scored = rows.iter().filter(|r| r.outcome.is_ok()).count();
    let _ = write!(
        o,
        "<body><main><h1>Recordings</h1><p class=\"dim\">{} scored{}. Click a heading to sort.</p>\
         <div class=\"wrap\"><table id=\"index\"><thead><tr>\
         <th data-type=\"text\">File</th><th data-type=\"num\">Score</th><th data-type=\"num\">Speech s</th>\
         <th data-type=\"num\">Words/min</th><th data-type=\"num\">Number said</th><th data-type=\"num\">Fastest digits/s</th>\
         <th data-type=\"num\">Errors</th><th data-type=\"num\">Warnings</th><th data-type=\"text\">Fix first</th>\
         </tr></thead><tbody>",
        scored,
        match rows.len() - scored {
            0 => String::new(),
            n => format!(", {n} could not be"),
        }
    );
    for r in rows {
        let file = match &r.page {
            Some(p) => format!("<a href=\"{}\">{}</a>", escape(p), escape(&r.file)),
            None => escape(&r.file),
        };
        match &r.outcome {
            Ok(f) => {
                let num = |v: Option<f64>, digits: usize| match v {
                    Some(v) => format!("<td data-v=\"{v}\">{v:.digits$}</td>"),
                    None => "<td data-v=\"\">–</td>".to_string(),
                };
                let class = match f.score {
                    80.. => "good",
                    50..=79 => "fair",
                    _ => "poor",
                };
                let _ = write!(
                    o,
                    "<tr><td data-v=\"{}\">{file}</td><td data-v=\"{}\" class=\"{class}\"><b>{}</b></td>{}{}\
                     <td data-v=\"{}\">{}×</td>{}<td data-v=\"{}\">{}</td><td data-v=\"{}\">{}</td><td>{}</td></tr>",
                    escape(&r.file),
                    f.score,
                    f.score,
                    num(f.speech, 1),
                    num(f.wpm, 0),
                    f.number_said,
                    f.number_said,
                    num(f.fastest_digits_per_second, 1),
                    f.errors,
                    f.errors,
                    f.warnings,
                    f.warnings,
                    escape(f.first_fix.as_deref().unwrap_or("—"))
                );
            }
            Err(e) => {
                let _ = write!(
                    o,
                    "<tr class=\"failed\"><td data-v=\"{}\">{file}</td><td data-v=\"-1\" colspan=\"8\">error: {}</td></tr>",
                    escape(&r.file),
                    escape(e)
                );
            }
        }
    }
    let _ = writeln!(
        o,
        "</tbody></table></div><p class=\"dim\">The same table: <a href=\"summary.csv\">summary.csv</a>. \
         Made by vmcoach on this machine; nothing was sent anywhere.</p></main><script>{JS}</script></body></html>"
    );
    o
}
