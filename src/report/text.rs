//! The terminal report. Styles are written as ANSI codes; print through
//! `anstream`, which strips them when stdout is not a terminal or
//! `NO_COLOR` is set.

use super::escape::{terminal, terminal_line};
use super::Report;
use crate::analyze::phone::format_number;
use crate::rules::Severity;
use std::fmt::Write as _;

use super::width::wrap as wrap_to;

use super::style::severity_style;
use super::style::{paint, score_style, BOLD, DIM, GREEN, RED, YELLOW};

fn secs(t: f64) -> String {
    format!("{t:.2} s")
}

/// The full report for one message, wrapped to stdout's width. A typed
/// script gets the linter-style listing of `report::script` instead: its
/// findings are located by line and column, and it has no audio to describe.
pub fn render(r: &Report) -> String {
    if r.is_script() {
        return super::script::render(r);
    }
    render_width(r, super::width::stdout_width())
}

/// The full report for one recording, findings wrapped to `width` columns.
pub fn render_width(r: &Report, width: usize) -> String {
    let mut o = String::new();
    // Header.
    // Everything from the file or the transcript is shown through
    // escape::terminal: a file name or a word cannot steer the terminal.
    let name = terminal_line(r.file.as_deref().unwrap_or("(typed script)"));
    let _ = write!(o, "{}", paint(BOLD, name));
    if let Some(a) = &r.audio {
        let ch = if a.channels == 1 {
            "mono".to_string()
        } else {
            format!("{} ch", a.channels)
        };
        let _ = write!(
            o,
            "  {}",
            paint(
                DIM,
                format!(
                    "{:.1} s · {} Hz {ch} · {}",
                    a.duration,
                    a.sample_rate,
                    a.describe()
                )
            )
        );
    }
    let src = match &r.transcript_source.path {
        Some(p) => format!("{} ({})", r.transcript_source.kind, terminal_line(p)),
        None => r.transcript_source.kind.to_string(),
    };
    let _ = writeln!(o, "\n{}", paint(DIM, format!("transcript: {src}")));
    let _ = writeln!(
        o,
        "\n  Score {}",
        paint(score_style(r.score.value), format!("{}/100", r.score.value))
    );
    // What moved it: one labelled line per rule that cost points.
    for item in r.score.breakdown.iter().filter(|i| i.points != 0) {
        let _ = writeln!(o, "  {}", paint(DIM, item.label()));
    }
    o.push_str(&fixes_text(r, width));

    // Transcript.
    let _ = writeln!(o, "\n{}", paint(BOLD, "Transcript"));
    if r.transcript.words.is_empty() {
        let _ = writeln!(o, "  (no words)");
    } else {
        let start = r
            .transcript
            .words
            .first()
            .and_then(|w| w.time)
            .map(|t| format!("[{:.2}] ", t.start))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  {start}{}",
            wrap(&terminal(&r.transcript.text), 76, "  ")
        );
    }

    // Timing.
    let t = &r.timing;
    let _ = writeln!(o, "\n{}", paint(BOLD, "Timing"));
    if let Some(d) = t.duration {
        let _ = writeln!(o, "  duration        {}", secs(d));
    }
    match t.speech {
        Some(s) => {
            let _ = writeln!(
                o,
                "  speech          {:.2}–{:.2} s ({})",
                s.start,
                s.end,
                secs(s.duration())
            );
        }
        None => {
            let _ = writeln!(o, "  speech          none found");
        }
    }
    if let Some(st) = t.speaking_time {
        let _ = writeln!(o, "  speaking time   {}", secs(st));
    }
    match t.words_per_minute {
        Some(w) => {
            let _ = writeln!(o, "  words/minute    {w:.0} ({} words)", t.spoken_words);
        }
        None => {
            let _ = writeln!(o, "  words           {}", t.spoken_words);
        }
    }
    if t.pauses.is_empty() {
        let _ = writeln!(o, "  pauses > 1 s    none");
    } else {
        let list: Vec<String> = t
            .pauses
            .iter()
            .map(|p| format!("{:.1} s at {:.2}", p.duration(), p.start))
            .collect();
        let _ = writeln!(o, "  pauses > 1 s    {}", list.join(", "));
    }

    // Phone numbers.
    let _ = writeln!(o, "\n{}", paint(BOLD, "Phone numbers"));
    if r.phone_numbers.is_empty() {
        let _ = writeln!(o, "  none said");
    }
    for n in &r.phone_numbers {
        let _ = writeln!(
            o,
            "  {}  said {}{}",
            paint(BOLD, format_number(&n.digits)),
            crate::text::times(n.count),
            crate::analyze::phone::heard_note(n)
        );
        for (k, &i) in n.mentions.iter().enumerate() {
            let Some(m) = r.phone_mentions.get(i) else {
                continue;
            };
            let mut line = format!(
                "    #{} \"{}\"",
                k + 1,
                terminal_line(r.transcript.text.get(m.span.range()).unwrap_or(""))
            );
            if let Some(tr) = m.time {
                let _ = write!(line, "  {:.2}–{:.2} s", tr.start, tr.end);
            }
            if let Some(dps) = m.digits_per_second {
                let _ = write!(line, "  {dps:.1} digits/s");
            }
            let _ = writeln!(o, "{line}");
        }
    }

    // Delivery.
    if let Some(p) = r.signal.as_ref().and_then(|s| s.prosody.as_ref()) {
        let _ = writeln!(o, "\n{}", paint(BOLD, "Delivery (from the audio)"));
        let l = &p.level;
        match l.speech_rms_dbfs {
            Some(rms) => {
                let snr = l
                    .snr_db
                    .map(|s| format!(", SNR {s:.0} dB"))
                    .unwrap_or_default();
                let _ = writeln!(
                    o,
                    "  level   speech {rms:.1} dBFS, peak {:.1} dBFS, clipped {:.2}%{snr}",
                    l.peak_dbfs,
                    l.clipped_fraction * 100.0
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "  level   no speech found (peak {:.1} dBFS)",
                    l.peak_dbfs
                );
            }
        }
        match (p.pitch.median_hz, p.pitch.spread_semitones) {
            (Some(m), Some(s)) => {
                let range = match (p.pitch.p10_hz, p.pitch.p90_hz) {
                    (Some(a), Some(b)) => format!(", 10–90% {a:.0}–{b:.0} Hz"),
                    _ => String::new(),
                };
                let _ = writeln!(
                    o,
                    "  pitch   median {m:.0} Hz, spread {s:.1} semitones{range}"
                );
            }
            _ => {
                let _ = writeln!(o, "  pitch   no voiced speech found");
            }
        }
        if let (Some(sps), Some(wpm)) = (p.rate.syllables_per_second, p.rate.estimated_wpm) {
            let cross = match &r.rate_check {
                Some(c) if c.disagree => paint(
                    YELLOW,
                    format!(
                        " — differs from the transcript's {:.0} wpm by {:.0}%",
                        c.transcript_wpm,
                        c.difference * 100.0
                    ),
                ),
                _ => String::new(),
            };
            let _ = writeln!(o, "  rate    {sps:.1} syllables/s (≈ {wpm:.0} wpm){cross}");
        }
    }

    // Findings.
    let _ = writeln!(o, "\n{}", paint(BOLD, "Findings"));
    if r.findings.is_empty() {
        let _ = writeln!(o, "  {}", paint(GREEN, "none — good message"));
    }
    // Continuation lines hang under the message; words are never cut.
    const HANG: &str = "          ";
    for f in &r.findings {
        let head = 2 + 7 + 1 + f.code.len() + 1 + f.name.chars().count() + 2;
        let _ = writeln!(
            o,
            "  {} {} {}  {}",
            paint(
                severity_style(f.severity),
                format!("{:<7}", f.severity.as_str())
            ),
            paint(BOLD, f.code),
            paint(DIM, f.name),
            wrap_to(&terminal(&f.message), head, width, HANG)
        );
        for e in f.evidence.iter().take(3) {
            let at = e
                .time
                .map(|t| format!("at {:.2}–{:.2} s: ", t.start, t.end))
                .unwrap_or_default();
            let line = wrap_to(
                &format!("{at}\"{}\"", terminal_line(&e.text)),
                HANG.len(),
                width,
                HANG,
            );
            let _ = writeln!(o, "{HANG}{}", paint(DIM, line));
        }
        if f.evidence.len() > 3 {
            let _ = writeln!(
                o,
                "{HANG}{}",
                paint(DIM, format!("… and {} more", f.evidence.len() - 3))
            );
        }
        if !f.suggestion.is_empty() {
            let _ = writeln!(
                o,
                "{HANG}→ {}",
                wrap_to(
                    &terminal(&f.suggestion),
                    HANG.len() + 2,
                    width,
                    &format!("{HANG}  ")
                )
            );
        }
    }
    for note in &r.notes {
        let line = wrap_to(&format!("note: {}", terminal(note)), 2, width, "        ");
        let _ = writeln!(o, "  {}", paint(DIM, line));
    }
    if !r.skipped.is_empty() {
        let line = wrap_to(
            &format!("skipped: {}", r.skipped_summary()),
            2,
            width,
            "           ",
        );
        let _ = writeln!(o, "  {}", paint(DIM, line));
    }
    o
}

/// "Fix these first": the report's top fixes, numbered, each with how to
/// do it in the rep's own words; nothing when there is nothing to fix.
pub fn fixes_text(r: &Report, width: usize) -> String {
    let mut o = String::new();
    if r.top_fixes.is_empty() {
        return o;
    }
    let _ = writeln!(o, "\n{}", paint(BOLD, "Fix these first"));
    const HANG: &str = "     ";
    for (k, f) in r.top_fixes.iter().enumerate() {
        let cost = match f.points {
            0 => f.severity.as_str().to_string(),
            p => format!("{}, −{p}", f.severity.as_str()),
        };
        let times = if f.count > 1 {
            format!(", {} times", f.count)
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "  {}. {}  {}",
            k + 1,
            paint(severity_style(f.severity), &f.fix),
            paint(DIM, format!("({cost}{times}; {})", f.code))
        );
        let _ = writeln!(
            o,
            "{HANG}{}",
            wrap_to(&terminal(&f.how), HANG.len(), width, HANG)
        );
    }
    o
}

/// One line per file, for the folder summary table.
pub fn summary_table(rows: &[SummaryRow]) -> String {
    let mut o = String::new();
    let width = rows
        .iter()
        .map(|r| terminal_line(&r.file).chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 60);
    let _ = writeln!(
        o,
        "{}",
        paint(
            BOLD,
            format!(
                "{:<width$}  {:>5}  {:>6}  {:>4}  {:>7}  {:>6}  {:>5}  {}",
                "file", "score", "speech", "wpm", "numbers", "errors", "warns", "codes"
            )
        )
    );
    for r in rows {
        match &r.outcome {
            Ok(s) => {
                let _ = writeln!(
                    o,
                    "{:<width$}  {}  {:>6}  {:>4}  {:>7}  {:>6}  {:>5}  {}",
                    terminal_line(&r.file),
                    paint(score_style(s.score), format!("{:>5}", s.score)),
                    s.speech
                        .map(|v| format!("{v:.1}s"))
                        .unwrap_or_else(|| "-".into()),
                    s.wpm
                        .map(|v| format!("{v:.0}"))
                        .unwrap_or_else(|| "-".into()),
                    s.numbers,
                    s.errors,
                    s.warnings,
                    s.codes.join(",")
                );
            }
            Err(e) => {
                let _ = writeln!(
                    o,
                    "{:<width$}  {}",
                    terminal_line(&r.file),
                    paint(RED, format!("error: {}", terminal_line(e)))
                );
            }
        }
    }
    o
}

/// One file's line in the folder summary.
pub struct SummaryRow {
    pub file: String,
    pub outcome: Result<SummaryFigures, String>,
}

pub struct SummaryFigures {
    pub score: u32,
    pub speech: Option<f64>,
    pub wpm: Option<f64>,
    /// Times the most-said number was said.
    pub numbers: usize,
    pub errors: usize,
    pub warnings: usize,
    pub codes: Vec<&'static str>,
}

impl SummaryFigures {
    pub fn of(r: &Report) -> Self {
        SummaryFigures {
            score: r.score.value,
            speech: r.timing.speech.map(|s| s.duration()),
            wpm: r.timing.words_per_minute,
            numbers: r.phone_numbers.first().map_or(0, |n| n.count),
            errors: r
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count(),
            warnings: r
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .count(),
            codes: r.findings.iter().map(|f| f.code).collect(),
        }
    }
}

/// Wrap text at `width` columns, indenting continuation lines.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut col = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if col > 0 && col + 1 + len > width {
            out.push('\n');
            out.push_str(indent);
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_wrap_to_the_width_between_words() {
        use crate::rules::{Finding, Severity};
        let mut r = Report::new(
            Some("x.wav".into()),
            None,
            super::super::TranscriptSource {
                kind: super::super::SourceKind::Text,
                path: None,
            },
            crate::message::Transcript::from_text("Hi"),
            None,
            crate::analyze::Analysis::default(),
            crate::rules::RuleResults {
                findings: Vec::new(),
                skipped: Vec::new(),
                score: Default::default(),
                notes: Vec::new(),
                prospect: None,
            },
        );
        let long = "You give your name but not your company, so the listener cannot place you or look you up afterwards.";
        r.findings.push(Finding {
            code: "VM204",
            name: "caller-not-identified",
            severity: Severity::Error,
            message: long.into(),
            suggestion: long.into(),
            evidence: Vec::new(),
        });
        let out = render_width(&r, 60);
        let block: Vec<&str> = out
            .lines()
            .skip_while(|l| !l.contains("VM204"))
            .take_while(|l| !l.trim().is_empty())
            .collect();
        assert!(block.len() >= 4, "{out}");
        for line in &block {
            // Colour codes aside, nothing passes the width.
            let plain: String = strip(line);
            assert!(plain.chars().count() <= 60, "{plain:?} in\n{out}");
        }
        let words: Vec<String> = block
            .iter()
            .flat_map(|l| {
                strip(l)
                    .split_whitespace()
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(words.iter().any(|w| w == "afterwards."), "{out}");
        assert!(words.iter().any(|w| w == "company,"), "{out}");
    }

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut esc = false;
        for c in s.chars() {
            match (esc, c) {
                (false, '\u{1b}') => esc = true,
                (true, 'm') => esc = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }

    #[test]
    fn wrap_keeps_words_whole() {
        let w = wrap("aaa bbb ccc ddd", 7, "  ");
        assert_eq!(w, "aaa bbb\n  ccc ddd");
    }
}
