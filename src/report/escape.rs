//! Text that came from outside — a file name, a transcript, a name the
//! rules quote — made safe for where it is shown. One place for each
//! output: HTML (markup characters), the terminal (control characters and
//! escape sequences, so a file name cannot move the cursor, recolour or
//! retitle the terminal), JSON (serde escapes C0 controls; this adds DEL,
//! C1 controls, bidi overrides and line separators so a report piped to a
//! terminal or pasted into a page cannot reorder or hide text).

use std::borrow::Cow;
use std::io;

/// Bidirectional formatting characters (LRE, RLE, PDF, LRO, RLO, LRI, RLI,
/// FSI, PDI, LRM, RLM, ALM): they reorder the text around them, so
/// "invoice\u{202E}fdp.exe" shows as "invoiceexe.pdf".
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters no output shows as they are: C0 and C1 controls (but tab
/// and newline), DEL, bidi controls, and the Unicode line separators.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || is_bidi_control(c)
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// For the terminal: each unsafe character written out visibly as `\x1b`
/// or `\u{202e}`, so nothing from a file reaches the terminal as a control
/// sequence. Newlines are kept for transcripts; use [`terminal_line`] for
/// one-line fields.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_visible(&mut o, c);
    }
    Cow::Owned(o)
}

/// [`terminal`], with newlines and tabs shown as `\n` and `\t` too: for a
/// file name or one line of an error.
pub fn terminal_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            c => push_visible(&mut o, c),
        }
    }
    Cow::Owned(o)
}

fn push_visible(o: &mut String, c: char) {
    if !is_unsafe(c) {
        o.push(c);
    } else if (c as u32) < 0x100 {
        o.push_str(&format!("\\x{:02x}", c as u32));
    } else {
        o.push_str(&format!("\\u{{{:x}}}", c as u32));
    }
}

/// For HTML element content and attribute values: markup characters as
/// entities, and unsafe characters shown visibly as in the terminal (a
/// numeric reference would still reorder the page).
pub fn html(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if is_unsafe(c) => push_visible(&mut o, c),
            c => o.push(c),
        }
    }
    o
}

/// Serialise as compact JSON (one line) with the extra escapes.
pub fn json_line<T: serde::Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        SafeFormatter(serde_json::ser::CompactFormatter),
    );
    value.serialize(&mut ser)?;
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// Serialise as indented JSON with the extra escapes.
pub fn json_pretty<T: serde::Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        SafeFormatter(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut ser)?;
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// A serde_json formatter that writes unsafe characters in strings as
/// `\uXXXX` (still the same string to any JSON reader).
struct SafeFormatter<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for SafeFormatter<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{:04x}", u)?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "<script>alert(1)</script></textarea>\"'&\u{202E}gpj.exe\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{2028}";

    #[test]
    fn html_leaves_no_markup_and_no_control() {
        let h = html(HOSTILE);
        for bad in [
            "<", ">", "\"", "'", "\u{202E}", "\u{1b}", "\u{7}", "\u{9b}", "\u{2028}",
        ] {
            assert!(!h.contains(bad), "{bad:?} in {h}");
        }
        assert!(
            h.contains("&lt;script&gt;") && h.contains("&lt;/textarea&gt;"),
            "{h}"
        );
        assert!(h.contains("\\u{202e}") && h.contains("\\x1b"), "{h}");
    }

    #[test]
    fn terminal_shows_every_control_visibly() {
        let t = terminal(HOSTILE);
        assert!(!t.chars().any(|c| c.is_control() && c != '\n'), "{t:?}");
        assert!(!t.contains('\u{202E}') && !t.contains('\u{2028}'));
        assert!(
            t.contains("\\x1b]0;pwned\\x07") && t.contains("\\x9b31m"),
            "{t}"
        );
        assert_eq!(terminal("plain text\nline two"), "plain text\nline two");
        assert_eq!(terminal_line("a\nb\tc"), "a\\nb\\tc");
    }

    #[test]
    fn json_escapes_yet_reads_back_the_same() {
        let line = json_line(&serde_json::json!({ "t": HOSTILE })).unwrap();
        assert!(
            !line.chars().any(|c| c.is_control() || is_bidi_control(c)),
            "{line}"
        );
        assert!(!line.contains('\u{2028}'));
        assert!(line.contains("\\u202e") && line.contains("\\u001b") && line.contains("\\u009b"));
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["t"], HOSTILE);
        let pretty = json_pretty(&serde_json::json!({ "t": HOSTILE, "a": [1, 2] })).unwrap();
        assert!(pretty.contains("\n  \"a\": [\n"), "{pretty}");
        let back: serde_json::Value = serde_json::from_str(&pretty).unwrap();
        assert_eq!(back["t"], HOSTILE);
    }
}
