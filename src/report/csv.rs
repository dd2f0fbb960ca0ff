//! A folder's `summary.csv`: the index table for a spreadsheet (RFC 4180:
//! comma-separated, CRLF line ends, a field quoted when it holds a comma,
//! a quote or a line break, quotes doubled). A text field that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
//! tab or a carriage return, as a hostile file name can) gets a leading
//! `'`, OWASP's advice against CSV injection; control characters are
//! shown, not written (`escape::terminal`).

use super::html::IndexRow;

const HEADER: &[&str] = &[
    "file",
    "page",
    "score",
    "speech_s",
    "words_per_minute",
    "number_said",
    "fastest_digits_per_second",
    "errors",
    "warnings",
    "fix_first",
    "codes",
    "error",
];

/// The whole file.
pub fn summary(rows: &[IndexRow]) -> String {
    let mut o = String::new();
    line(&mut o, HEADER.iter().map(|h| h.to_string()));
    for r in rows {
        let page = r.page.clone().unwrap_or_default();
        let fields: Vec<String> = match &r.outcome {
            Ok(f) => vec![
                text(&r.file),
                text(&page),
                f.score.to_string(),
                opt(f.speech, 2),
                opt(f.wpm, 1),
                f.number_said.to_string(),
                opt(f.fastest_digits_per_second, 2),
                f.errors.to_string(),
                f.warnings.to_string(),
                text(f.first_fix.as_deref().unwrap_or("")),
                f.codes.join(" "),
                String::new(),
            ],
            Err(e) => {
                let mut v = vec![text(&r.file), text(&page)];
                v.extend(std::iter::repeat_n(String::new(), HEADER.len() - 3));
                v.push(text(e));
                v
            }
        };
        line(&mut o, fields.into_iter());
    }
    o
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}")).unwrap_or_default()
}

/// A text field, defused if a spreadsheet would read it as a formula, and
/// with control characters shown as `\x1b` (as in the terminal report),
/// so `cat summary.csv` cannot steer a terminal.
fn text(s: &str) -> String {
    let s = super::escape::terminal(s);
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.into_owned(),
    }
}

/// One record, each field quoted where it must be.
fn line(o: &mut String, fields: impl Iterator<Item = String>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            o.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            o.push('"');
            o.push_str(&f.replace('"', "\"\""));
            o.push('"');
        } else {
            o.push_str(&f);
        }
    }
    o.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::html::index::IndexFigures;

    #[test]
    fn quotes_what_needs_quoting_and_defuses_formulas() {
        let figures = IndexFigures {
            score: 72,
            speech: Some(18.456),
            wpm: Some(156.04),
            number_said: 2,
            fastest_digits_per_second: None,
            errors: 0,
            warnings: 1,
            first_fix: Some("Say your number twice".into()),
            codes: vec!["VM202", "VM215"],
        };
        let rows = vec![
            IndexRow {
                file: "calls/a, \"b\"\nc.wav".into(),
                page: Some("a-b-c.html".into()),
                outcome: Ok(figures),
            },
            IndexRow {
                file: "=HYPERLINK(\"x\").wav".into(),
                page: None,
                outcome: Err("not audio".into()),
            },
        ];
        let csv = summary(&rows);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], HEADER.join(","));
        assert!(
            csv.contains("\"calls/a, \"\"b\"\"\nc.wav\",a-b-c.html,72,18.46,156.0,2,,0,1,Say your number twice,VM202 VM215,\r\n"),
            "{csv}"
        );
        assert!(
            csv.contains("\"'=HYPERLINK(\"\"x\"\").wav\",,,,,,,,,,,not audio\r\n"),
            "{csv}"
        );
        assert!(csv.ends_with("\r\n"));
    }
}
