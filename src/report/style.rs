//! Terminal styles shared by every text renderer (the score report and the
//! linter-style findings). Text is written with ANSI codes; printing goes
//! through `anstream`, which strips them for pipes and under `NO_COLOR`.

use crate::rules::Severity;
use anstyle::{AnsiColor, Style};

pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const RED: Style = AnsiColor::Red.on_default().bold();
pub const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
pub const BLUE: Style = AnsiColor::Blue.on_default().bold();
pub const GREEN: Style = AnsiColor::Green.on_default().bold();
pub const CYAN: Style = AnsiColor::Cyan.on_default();

/// `text` wrapped in `style`'s codes.
pub fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// Colour for a severity.
pub fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => RED,
        Severity::Warning => YELLOW,
        Severity::Info => BLUE,
    }
}

/// Colour for a 0–100 score.
pub fn score_style(value: u32) -> Style {
    match value {
        80.. => GREEN,
        50..=79 => YELLOW,
        _ => RED,
    }
}
