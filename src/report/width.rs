//! How wide the reader's terminal is, and wrapping text to it at word
//! boundaries (a terminal left to wrap on its own breaks words in two).

use std::io::IsTerminal;

/// Width used when stdout is not a terminal and `COLUMNS` is not set.
pub const DEFAULT_WIDTH: usize = 100;
/// Never wrap narrower than this, however narrow the terminal claims to be.
const MIN_WIDTH: usize = 40;

/// Columns available on stdout: the terminal's width, else `$COLUMNS`,
/// else [`DEFAULT_WIDTH`].
pub fn stdout_width() -> usize {
    let tty = std::io::stdout().is_terminal();
    let from_tty = tty
        .then(|| terminal_size::terminal_size_of(std::io::stdout()))
        .flatten()
        .map(|(w, _)| usize::from(w.0));
    let from_env = || {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
    };
    from_tty
        .or_else(from_env)
        .filter(|w| *w > 0)
        .unwrap_or(DEFAULT_WIDTH)
        .max(MIN_WIDTH)
}

/// Wrap `text` so no line passes `width` columns, breaking only between
/// words. The first line starts at column `first_col` (something is
/// already printed before it); later lines start with `indent`. A word
/// longer than a line stays whole on a line of its own.
pub fn wrap(text: &str, first_col: usize, width: usize, indent: &str) -> String {
    let indent_cols = indent.chars().count();
    let mut out = String::new();
    let mut col = first_col;
    let mut line_empty = true;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if !line_empty && col + 1 + len > width {
            out.push('\n');
            out.push_str(indent);
            col = indent_cols;
            line_empty = true;
        }
        if !line_empty {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += len;
        line_empty = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_between_words_with_a_hanging_indent() {
        let w = wrap("the quick brown fox jumps over the lazy dog", 4, 20, "    ");
        assert_eq!(w, "the quick brown\n    fox jumps over\n    the lazy dog");
        // No word is ever cut.
        let joined: Vec<&str> = w.split_whitespace().collect();
        assert_eq!(
            joined.join(" "),
            "the quick brown fox jumps over the lazy dog"
        );
    }

    #[test]
    fn a_long_word_stays_whole() {
        assert_eq!(
            wrap("a supercalifragilistic b", 0, 8, ""),
            "a\nsupercalifragilistic\nb"
        );
    }
}
