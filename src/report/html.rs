//! A one-page, self-contained HTML report (no scripts, no external assets),
//! for a rep to keep or a manager to read. The transcript is shown with the
//! words each finding points at highlighted.

use super::Report;
use crate::analyze::phone::format_number;
use crate::rules::Severity;
use std::fmt::Write as _;

/// Escape text for HTML element content and attribute values.
/// (One escape for every page: `escape::html`.)
pub fn escape(s: &str) -> String {
    super::escape::html(s)
}

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}\
h1{font-size:1.3rem}h2{font-size:1.05rem;margin-top:1.6rem;border-bottom:1px solid #ddd}\
.score{font-size:2.2rem;font-weight:700}.good{color:#1a7f37}.fair{color:#9a6700}.poor{color:#cf222e}\
table{border-collapse:collapse}td,th{padding:.15rem .8rem .15rem 0;text-align:left;vertical-align:top}\
.error{color:#cf222e}.warning{color:#9a6700}.info{color:#0969da}\
mark{background:#fff3b0}.dim{color:#666}.transcript{background:#f6f8fa;padding:.8rem;border-radius:6px}";

/// Render the report as a complete HTML document.
pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let title = r.file.as_deref().unwrap_or("typed script");
    let _ = write!(
        o,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>vmcoach — {}</title><style>{STYLE}</style></head><body>",
        escape(title)
    );
    let class = match r.score.value {
        80.. => "good",
        50..=79 => "fair",
        _ => "poor",
    };
    let _ = write!(
        o,
        "<h1>{}</h1><div class=\"score {class}\">{}/100</div>",
        escape(title),
        r.score.value
    );
    if let Some(a) = &r.audio {
        let _ = write!(
            o,
            "<p class=\"dim\">{:.1} s · {} Hz · {} channel(s) · transcript: {}</p>",
            a.duration,
            a.sample_rate,
            a.channels,
            escape(r.transcript_source.kind.as_str())
        );
    }

    // Transcript with the evidence highlighted.
    let _ = write!(o, "<h2>Transcript</h2><p class=\"transcript\">");
    let mut marks: Vec<(usize, usize)> = r
        .findings
        .iter()
        .flat_map(|f| f.evidence.iter().map(|e| (e.span.start, e.span.end)))
        .filter(|(s, e)| s < e && *e <= r.transcript.text.len())
        .collect();
    marks.sort_unstable();
    let text = &r.transcript.text;
    let mut pos = 0;
    for (s, e) in marks {
        if s < pos || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        o.push_str(&escape(&text[pos..s]));
        let _ = write!(o, "<mark>{}</mark>", escape(&text[s..e]));
        pos = e;
    }
    o.push_str(&escape(text.get(pos..).unwrap_or("")));
    o.push_str("</p>");

    // Timing.
    let t = &r.timing;
    let _ = write!(o, "<h2>Timing</h2><table>");
    let mut row = |k: &str, v: String| {
        let _ = write!(o, "<tr><th>{k}</th><td>{}</td></tr>", escape(&v));
    };
    if let Some(d) = t.duration {
        row("Duration", format!("{d:.2} s"));
    }
    if let Some(s) = t.speech {
        row(
            "Speech",
            format!("{:.2}–{:.2} s ({:.2} s)", s.start, s.end, s.duration()),
        );
    }
    if let Some(st) = t.speaking_time {
        row("Speaking time", format!("{st:.2} s"));
    }
    if let Some(w) = t.words_per_minute {
        row(
            "Words per minute",
            format!("{w:.0} ({} words)", t.spoken_words),
        );
    }
    row("Pauses over 1 s", t.pauses.len().to_string());
    o.push_str("</table>");

    // Phone numbers.
    let _ = write!(o, "<h2>Phone numbers</h2>");
    if r.phone_numbers.is_empty() {
        o.push_str("<p>None said.</p>");
    } else {
        o.push_str("<table><tr><th>Number</th><th>Said</th><th>Mentions</th></tr>");
        for n in &r.phone_numbers {
            let mentions: Vec<String> = n
                .mentions
                .iter()
                .filter_map(|&i| r.phone_mentions.get(i))
                .map(|m| match (m.time, m.digits_per_second) {
                    (Some(tr), Some(d)) => {
                        format!("{:.1}–{:.1} s, {d:.1} digits/s", tr.start, tr.end)
                    }
                    _ => "untimed".to_string(),
                })
                .collect();
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}×</td><td>{}</td></tr>",
                escape(&format!(
                    "{}{}",
                    format_number(&n.digits),
                    crate::analyze::phone::heard_note(n)
                )),
                n.count,
                escape(&mentions.join("; "))
            );
        }
        o.push_str("</table>");
    }

    o.push_str(&super::fillers::html(r));

    // Findings.
    let _ = write!(o, "<h2>Findings</h2>");
    if r.findings.is_empty() {
        o.push_str("<p class=\"good\">None — good message.</p>");
    } else {
        o.push_str("<table>");
        for f in &r.findings {
            let sev = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            let _ = write!(
                o,
                "<tr><td class=\"{sev}\">{sev}</td><td><b>{}</b> <span class=\"dim\">{}</span><br>{}<br><span class=\"dim\">→ {}</span></td></tr>",
                escape(f.code),
                escape(f.name),
                escape(&f.message),
                escape(&f.suggestion)
            );
        }
        o.push_str("</table>");
    }
    if !r.skipped.is_empty() {
        let _ = write!(
            o,
            "<p class=\"dim\">Skipped: {}</p>",
            escape(&r.skipped_summary())
        );
    }
    o.push_str("<p class=\"dim\">Made by vmcoach on this machine; nothing was sent anywhere.</p></body></html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<b>\"Tom & 'Jerry'\""),
            "&lt;b&gt;&quot;Tom &amp; &#39;Jerry&#39;&quot;"
        );
    }
}
