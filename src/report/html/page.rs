//! One report as one page: header, score and what to fix first, the
//! player with the timeline and transcript, the delivery figures, the phone
//! numbers, every finding, and notes. Layout only; the figures were all
//! computed before (`report`), the drawing is `timeline`'s and the words
//! `transcript`'s.

use super::transcript::{finding_id, severity_class};
use super::{escape, timeline, transcript, AudioSource, PageOptions};
use crate::analyze::phone::{format_number, heard_note};
use crate::report::Report;
use crate::rules::{penalty, Severity};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The page's look; phones first (one column), wider screens get two.
const CSS: &str = include_str!("page.css");
/// The player, the word highlighting and the self-test (`?selftest`).
const JS: &str = include_str!("page.js");

/// The Content-Security-Policy of every page: nothing from the network,
/// only this page's own script (by hash), audio from the page's folder or
/// inside it.
pub(super) fn content_security_policy(script: &str) -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'; \
         media-src 'self' file: data:; base-uri 'none'; form-action 'none'"
    )
}

/// The document's head, shared with the index page.
pub(super) fn head(title: &str, css: &str, script: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\
         <title>{}</title><style>{css}</style></head>",
        content_security_policy(script),
        escape(title)
    )
}

pub fn render(r: &Report, opts: &PageOptions) -> String {
    let name = r.file.as_deref().unwrap_or("typed script");
    let mut o = head(&format!("vmcoach — {name}"), CSS, JS);
    o.push_str("<body><main>");
    header(&mut o, r, name);
    o.push_str("<div class=\"top\">");
    score(&mut o, r);
    fixes(&mut o, r);
    o.push_str("</div>");
    listen(&mut o, r, opts);
    delivery(&mut o, r);
    numbers(&mut o, r);
    findings(&mut o, r);
    footer(&mut o, r);
    let _ = writeln!(o, "</main><script>{JS}</script></body></html>");
    o
}

fn header(o: &mut String, r: &Report, name: &str) {
    let _ = write!(o, "<header><h1>{}</h1>", escape(name));
    let mut facts = Vec::new();
    if let Some(a) = &r.audio {
        let ch = if a.channels == 1 {
            "mono".to_string()
        } else {
            format!("{} channels", a.channels)
        };
        facts.push(format!(
            "{:.1} s · {} Hz {ch} · {}",
            a.duration,
            a.sample_rate,
            a.describe()
        ));
    }
    facts.push(format!("words: {}", r.transcript_source.kind));
    let _ = write!(
        o,
        "<p class=\"dim\">{}</p></header>",
        escape(&facts.join(" · "))
    );
}

/// The first finding of a rule, for links from the breakdown.
fn first_of(r: &Report, code: &str) -> Option<usize> {
    r.findings.iter().position(|f| f.code == code)
}

fn score(o: &mut String, r: &Report) {
    let class = match r.score.value {
        80.. => "good",
        50..=79 => "fair",
        _ => "poor",
    };
    let _ = write!(
        o,
        "<section id=\"score\" class=\"card\"><h2>Score</h2>\
         <div class=\"score {class}\">{}<small>/100</small></div>",
        r.score.value
    );
    let lost: Vec<_> = r.score.breakdown.iter().filter(|i| i.points != 0).collect();
    if lost.is_empty() {
        o.push_str("<p>Nothing cost points.</p>");
    } else {
        o.push_str("<table class=\"breakdown\"><caption>What moved it</caption>");
        for item in lost {
            let sev = if -item.points >= penalty(Severity::Error) {
                "error"
            } else {
                "warning"
            };
            let label = match first_of(r, item.code) {
                Some(i) => format!(
                    "<a href=\"#{}\">{}</a> {}",
                    finding_id(i),
                    escape(item.code),
                    escape(item.name)
                ),
                None => format!("{} {}", escape(item.code), escape(item.name)),
            };
            let _ = write!(
                o,
                "<tr class=\"{sev}\"><td class=\"pts\">−{}</td><td>{label}</td></tr>",
                -item.points
            );
        }
        o.push_str("</table>");
    }
    let _ = write!(
        o,
        "<p class=\"dim small\">100, less {} per rule with an error and {} per rule with a warning; tips cost nothing.</p></section>",
        penalty(Severity::Error),
        penalty(Severity::Warning)
    );
}

fn fixes(o: &mut String, r: &Report) {
    o.push_str("<section id=\"fixes\" class=\"card\"><h2>Fix these first</h2>");
    if r.top_fixes.is_empty() {
        o.push_str("<p class=\"good\">Nothing to fix: a good message.</p></section>");
        return;
    }
    o.push_str("<ol class=\"fixes\">");
    for f in &r.top_fixes {
        let cost = match f.points {
            0 => f.severity.as_str().to_string(),
            p => format!("{} · −{p}", f.severity.as_str()),
        };
        let _ = write!(
            o,
            "<li class=\"{}\"><a href=\"#{}\">{}</a> <span class=\"dim\">{}</span><p>{}</p></li>",
            severity_class(f.severity),
            finding_id(f.finding),
            escape(&f.fix),
            escape(&cost),
            escape(&f.how)
        );
    }
    o.push_str("</ol></section>");
}

fn listen(o: &mut String, r: &Report, opts: &PageOptions) {
    let title = if r.is_script() {
        "Script"
    } else {
        "Listen along"
    };
    let _ = write!(o, "<section id=\"listen\"><h2>{title}</h2>");
    let src = match &opts.audio {
        AudioSource::None => None,
        AudioSource::Link(url) => Some(url.clone()),
        AudioSource::Embedded { mime, bytes } => Some(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )),
    };
    if let Some(src) = &src {
        let _ = write!(
            o,
            "<audio id=\"player\" controls preload=\"metadata\" src=\"{}\"></audio>\
             <p id=\"playerror\" class=\"dim\" hidden>This browser cannot play the recording{}.</p>",
            escape(src),
            if matches!(opts.audio, AudioSource::Link(_)) {
                " (keep it where it was when the page was made, beside the page's folder)"
            } else {
                " in its format"
            }
        );
    }
    if let Some(t) = timeline::render(r) {
        o.push_str(&t);
    }
    let timed = r.transcript.words.iter().any(|w| w.time.is_some());
    if src.is_some() && timed {
        o.push_str(
            "<p class=\"dim small\">Click a word to hear it; the word being said lights up.</p>",
        );
    }
    let _ = write!(
        o,
        "<p id=\"transcript\" class=\"transcript{}\">{}</p></section>",
        if r.is_script() { " script" } else { "" },
        transcript::render(r)
    );
}

fn delivery(o: &mut String, r: &Report) {
    let t = &r.timing;
    let mut rows: Vec<(&str, String)> = Vec::new();
    if let Some(w) = t.words_per_minute {
        let over = t
            .speaking_time
            .map(|s| format!(" in {s:.1} s of speaking"))
            .unwrap_or_default();
        rows.push((
            "Pace",
            format!("{w:.0} words per minute ({} words{over})", t.spoken_words),
        ));
    } else {
        rows.push(("Words", t.spoken_words.to_string()));
    }
    let prosody = r.signal.as_ref().and_then(|s| s.prosody.as_ref());
    if let Some(p) = prosody {
        if let (Some(sps), Some(wpm)) = (p.rate.syllables_per_second, p.rate.estimated_wpm) {
            let cross = match &r.rate_check {
                Some(c) if c.disagree => format!(
                    "; differs from the transcript's {:.0} by {:.0}%",
                    c.transcript_wpm,
                    c.difference * 100.0
                ),
                _ => String::new(),
            };
            rows.push((
                "Rate from the audio",
                format!("{sps:.1} syllables per second (about {wpm:.0} words per minute){cross}"),
            ));
        }
        rows.push((
            "Pitch",
            match (p.pitch.median_hz, p.pitch.spread_semitones) {
                (Some(m), Some(s)) => {
                    let range = match (p.pitch.p10_hz, p.pitch.p90_hz) {
                        (Some(a), Some(b)) => format!(", most of it {a:.0}–{b:.0} Hz"),
                        _ => String::new(),
                    };
                    format!("median {m:.0} Hz{range}, varies by {s:.1} semitones")
                }
                _ => "no voiced speech found".to_string(),
            },
        ));
        let l = &p.level;
        rows.push((
            "Level",
            match l.speech_rms_dbfs {
                Some(rms) => {
                    let snr = l
                        .snr_db
                        .map(|s| format!(", {s:.0} dB above the background"))
                        .unwrap_or_default();
                    format!(
                        "speech {rms:.1} dBFS, peak {:.1} dBFS, clipped {:.2}%{snr}",
                        l.peak_dbfs,
                        l.clipped_fraction * 100.0
                    )
                }
                None => format!("no speech found (peak {:.1} dBFS)", l.peak_dbfs),
            },
        ));
    }
    if let Some(s) = t.speech {
        let of = t
            .duration
            .map(|d| format!(" of {d:.1} s"))
            .unwrap_or_default();
        rows.push((
            "Speech",
            format!("{:.2}–{:.2} s ({:.1} s{of})", s.start, s.end, s.duration()),
        ));
    }
    if t.speech.is_some() {
        rows.push((
            "Pauses over 1 s",
            if t.pauses.is_empty() {
                "none".to_string()
            } else {
                t.pauses
                    .iter()
                    .map(|p| format!("{:.1} s at {:.1} s", p.duration(), p.start))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ));
    }
    o.push_str("<section id=\"delivery\"><h2>Delivery</h2><table class=\"facts\">");
    for (k, v) in rows {
        let _ = write!(o, "<tr><th>{k}</th><td>{}</td></tr>", escape(&v));
    }
    o.push_str("</table></section>");
}

fn numbers(o: &mut String, r: &Report) {
    o.push_str("<section id=\"numbers\"><h2>Phone numbers</h2>");
    if r.phone_numbers.is_empty() {
        o.push_str("<p>None said.</p></section>");
        return;
    }
    o.push_str(
        "<table class=\"facts\"><tr><th>Number</th><th>Said</th><th>When, how fast</th></tr>",
    );
    for n in &r.phone_numbers {
        let mut mentions = String::new();
        for &i in &n.mentions {
            let Some(m) = r.phone_mentions.get(i) else {
                continue;
            };
            if !mentions.is_empty() {
                mentions.push_str("<br>");
            }
            match (m.time, m.digits_per_second) {
                (Some(t), dps) => {
                    let _ = write!(
                        mentions,
                        "<button type=\"button\" class=\"seek\" data-s=\"{:.2}\">▶ {:.1}–{:.1} s</button>{}",
                        t.start,
                        t.start,
                        t.end,
                        dps.map(|d| format!(", {d:.1} digits/s")).unwrap_or_default()
                    );
                }
                (None, _) => mentions.push_str("untimed"),
            }
        }
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{mentions}</td></tr>",
            escape(&format!("{}{}", format_number(&n.digits), heard_note(n))),
            escape(&crate::text::times(n.count)),
        );
    }
    o.push_str("</table></section>");
}

fn findings(o: &mut String, r: &Report) {
    o.push_str("<section id=\"findings\"><h2>Findings</h2>");
    if r.findings.is_empty() {
        o.push_str("<p class=\"good\">None: a good message.</p></section>");
        return;
    }
    o.push_str("<ol class=\"findings\">");
    for (i, f) in r.findings.iter().enumerate() {
        let sev = severity_class(f.severity);
        let _ = write!(
            o,
            "<li id=\"{}\" class=\"finding {sev}\"><span class=\"sev {sev}\">{sev}</span> <b>{}</b> <span class=\"dim\">{}</span><p>{}</p>",
            finding_id(i),
            escape(f.code),
            escape(f.name),
            escape(&f.message)
        );
        if !f.suggestion.is_empty() {
            let _ = write!(o, "<p class=\"how\">→ {}</p>", escape(&f.suggestion));
        }
        let timed: Vec<_> = f
            .evidence
            .iter()
            .filter_map(|e| e.time.map(|t| (e, t)))
            .take(5)
            .collect();
        if !timed.is_empty() {
            o.push_str("<p class=\"ev\">");
            for (e, t) in timed {
                let quote = if e.text.is_empty() {
                    String::new()
                } else {
                    format!(" “{}”", e.text)
                };
                let _ = write!(
                    o,
                    "<button type=\"button\" class=\"seek\" data-s=\"{:.2}\">▶ {:.1} s{}</button> ",
                    t.start,
                    t.start,
                    escape(&quote)
                );
            }
            o.push_str("</p>");
        }
        o.push_str("</li>");
    }
    o.push_str("</ol></section>");
}

fn footer(o: &mut String, r: &Report) {
    o.push_str("<footer>");
    for n in &r.notes {
        let _ = write!(o, "<p class=\"dim small\">Note: {}</p>", escape(n));
    }
    if !r.skipped.is_empty() {
        let _ = write!(
            o,
            "<p class=\"dim small\">Skipped: {}</p>",
            escape(&r.skipped_summary())
        );
    }
    o.push_str("<p class=\"dim small\">Made by vmcoach on this machine; nothing was sent anywhere.</p></footer>");
}
