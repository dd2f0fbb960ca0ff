//! The live display on stderr while recording.
//!
//! On a terminal: one line redrawn in place (`\r` + erase) at the worker's
//! refresh rate: elapsed time against the time limit (green, then red
//! from the 20 s target), a level meter with a clipping warning, speaking/silent,
//! the running words-per-minute estimate and the um/uh heard so far. Not on a terminal: one plain
//! line per second, easy to log and to grep. Colour follows `NO_COLOR`.

use std::io::Write;

use anstyle::{AnsiColor, Style};

/// The target length of a voicemail, seconds: VM101's warning threshold.
pub const TARGET_SECONDS: f64 = crate::rules::TOO_LONG_WARNING_S;
/// Where recording stops unless `--max-seconds` says otherwise: VM101's
/// error threshold, so the meter's "/ 30 s" is the limit that applies.
pub const DEFAULT_MAX_SECONDS: f64 = crate::rules::TOO_LONG_ERROR_S;
/// Meter range: -60 dBFS (empty) to 0 dBFS (full).
const METER_FLOOR_DB: f32 = -60.0;
const METER_WIDTH: usize = 24;
/// How long a clipping warning stays up after the last clipped sample.
const CLIP_HOLD_S: f64 = 1.0;

/// One refresh's worth of figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiveFigures {
    /// Seconds of audio recorded.
    pub elapsed_s: f64,
    /// Level of the latest frame, dBFS.
    pub level_db: f32,
    /// A clipped sample in the latest block.
    pub clipping_now: bool,
    pub speaking: bool,
    pub estimated_wpm: Option<f32>,
    /// Filled pauses (um/uh) heard so far.
    pub fillers: usize,
    /// Overrun events so far (ring full or device xrun).
    pub overruns: u64,
}

/// Where the live figures go.
pub trait LiveView {
    /// Called at the refresh rate while recording.
    fn update(&mut self, figures: &LiveFigures);
    /// Called once when recording ends (ends the redrawn line).
    fn finish(&mut self);
}

/// A view that shows nothing (for `--json` without a terminal, benches).
pub struct NoView;

impl LiveView for NoView {
    fn update(&mut self, _figures: &LiveFigures) {}
    fn finish(&mut self) {}
}

/// The stderr display.
pub struct LiveDisplay {
    tty: bool,
    color: bool,
    /// Elapsed time of the last plain line, to print one per second.
    last_plain_s: f64,
    /// Elapsed time of the last clipped block.
    last_clip_s: Option<f64>,
    line: String,
    drawn: bool,
    /// Where recording stops, shown as "/ 30 s".
    max_seconds: f64,
}

impl LiveDisplay {
    /// `tty`: stderr is a terminal. Colour only on a terminal without NO_COLOR.
    pub fn new(tty: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            tty,
            color: tty && !no_color,
            last_plain_s: f64::NEG_INFINITY,
            last_clip_s: None,
            line: String::with_capacity(256),
            drawn: false,
            max_seconds: DEFAULT_MAX_SECONDS,
        }
    }

    /// Show the elapsed time against this limit (`--max-seconds`).
    pub fn with_max_seconds(mut self, max_seconds: f64) -> Self {
        self.max_seconds = max_seconds;
        self
    }

    fn paint(&self, style: Style, text: &str, out: &mut String) {
        use std::fmt::Write as _;
        if self.color {
            let _ = write!(out, "{}{}{}", style.render(), text, style.render_reset());
        } else {
            out.push_str(text);
        }
    }

    /// The line for a terminal (without the leading `\r`).
    pub fn render_line(&mut self, f: &LiveFigures) -> String {
        use std::fmt::Write as _;
        if f.clipping_now {
            self.last_clip_s = Some(f.elapsed_s);
        }
        let clipping = self
            .last_clip_s
            .is_some_and(|t| f.elapsed_s - t <= CLIP_HOLD_S);
        let mut line = String::with_capacity(160);
        let time_style = if f.elapsed_s >= TARGET_SECONDS {
            AnsiColor::Red.on_default().bold()
        } else {
            AnsiColor::Green.on_default()
        };
        let time = format!("● {:5.1} s / {:.0} s", f.elapsed_s, self.max_seconds);
        self.paint(time_style, &time, &mut line);
        line.push_str("  ");
        line.push_str(&meter_bar(f.level_db));
        let _ = write!(line, " {:>4.0} dBFS", f.level_db.max(-99.0));
        if clipping {
            line.push(' ');
            self.paint(AnsiColor::Red.on_default().bold(), "CLIPPING", &mut line);
        }
        line.push_str("  ");
        if f.speaking {
            self.paint(AnsiColor::Cyan.on_default(), "speaking", &mut line);
        } else {
            line.push_str("silent  ");
        }
        match f.estimated_wpm {
            Some(w) => {
                let _ = write!(line, "  ~{w:.0} wpm");
            }
            None => line.push_str("  ~– wpm"),
        }
        if f.fillers > 0 {
            line.push_str("  ");
            let n = format!("{} um/uh", f.fillers);
            self.paint(AnsiColor::Yellow.on_default(), &n, &mut line);
        }
        if f.overruns > 0 {
            line.push_str("  ");
            let o = format!("{} overruns", f.overruns);
            self.paint(AnsiColor::Yellow.on_default(), &o, &mut line);
        }
        if f.elapsed_s < TARGET_SECONDS {
            line.push_str("  Enter to stop");
        } else {
            let _ = write!(line, "  past {TARGET_SECONDS:.0} s: wrap up");
        }
        line
    }

    /// The plain line (no terminal).
    pub fn render_plain(f: &LiveFigures) -> String {
        let wpm = f
            .estimated_wpm
            .map_or_else(|| "-".to_string(), |w| format!("{w:.0}"));
        format!(
            "recording t={:.1}s level={:.1}dBFS{} {} wpm~{} fillers={} overruns={}",
            f.elapsed_s,
            f.level_db.max(-99.0),
            if f.clipping_now { " CLIPPING" } else { "" },
            if f.speaking { "speaking" } else { "silent" },
            wpm,
            f.fillers,
            f.overruns
        )
    }

    /// A short countdown before the stream starts (terminal only).
    pub fn countdown(&mut self, seconds: u32) {
        if !self.tty {
            return;
        }
        let mut err = std::io::stderr().lock();
        for n in (1..=seconds).rev() {
            let _ = write!(err, "\rRecording in {n}…  (Enter or Ctrl-C stops)\x1b[K");
            let _ = err.flush();
            std::thread::sleep(std::time::Duration::from_millis(600));
        }
        let _ = write!(err, "\r\x1b[K");
        let _ = err.flush();
    }
}

impl LiveView for LiveDisplay {
    fn update(&mut self, f: &LiveFigures) {
        let mut err = std::io::stderr().lock();
        if self.tty {
            let line = self.render_line(f);
            self.line.clear();
            self.line.push('\r');
            self.line.push_str(&line);
            self.line.push_str("\x1b[K");
            let _ = err.write_all(self.line.as_bytes());
            let _ = err.flush();
            self.drawn = true;
        } else if f.elapsed_s - self.last_plain_s >= 1.0 {
            self.last_plain_s = f.elapsed_s;
            let _ = writeln!(err, "{}", Self::render_plain(f));
        }
    }

    fn finish(&mut self) {
        if self.tty && self.drawn {
            let _ = writeln!(std::io::stderr());
            self.drawn = false;
        }
    }
}

/// `[██████░░░░]`: the level on a -60..0 dBFS scale.
pub fn meter_bar(level_db: f32) -> String {
    let frac = ((level_db - METER_FLOOR_DB) / -METER_FLOOR_DB).clamp(0.0, 1.0);
    let filled = (frac * METER_WIDTH as f32).round() as usize;
    let mut s = String::with_capacity(METER_WIDTH * 3 + 2);
    s.push('[');
    for i in 0..METER_WIDTH {
        s.push(if i < filled { '█' } else { '░' });
    }
    s.push(']');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figs(elapsed_s: f64, level_db: f32) -> LiveFigures {
        LiveFigures {
            elapsed_s,
            level_db,
            clipping_now: false,
            speaking: true,
            estimated_wpm: Some(150.0),
            fillers: 0,
            overruns: 0,
        }
    }

    #[test]
    fn meter_spans_minus_60_to_0() {
        assert_eq!(meter_bar(-120.0).matches('█').count(), 0);
        assert_eq!(meter_bar(-30.0).matches('█').count(), METER_WIDTH / 2);
        assert_eq!(meter_bar(3.0).matches('█').count(), METER_WIDTH);
    }

    #[test]
    fn colour_turns_red_at_twenty_seconds() {
        let mut d = LiveDisplay::new(true);
        d.color = true;
        let red = AnsiColor::Red.on_default().bold().render().to_string();
        let green = AnsiColor::Green.on_default().render().to_string();
        let before = d.render_line(&figs(19.9, -20.0));
        assert!(before.starts_with(&green), "{before:?}");
        let after = d.render_line(&figs(20.0, -20.0));
        assert!(after.starts_with(&red), "{after:?}");
        assert!(after.contains("wrap up"));
    }

    #[test]
    fn the_meter_shows_the_limit_that_applies() {
        let mut d = LiveDisplay::new(false);
        assert!(d.render_line(&figs(1.0, -20.0)).contains("/ 30 s"));
        let mut d = LiveDisplay::new(false).with_max_seconds(45.0);
        assert!(d.render_line(&figs(1.0, -20.0)).contains("/ 45 s"));
        assert!(d.render_line(&figs(21.0, -20.0)).contains("past 20 s"));
    }

    #[test]
    fn clipping_warning_is_held_for_a_second() {
        let mut d = LiveDisplay::new(true);
        d.color = false;
        let mut f = figs(5.0, -1.0);
        f.clipping_now = true;
        assert!(d.render_line(&f).contains("CLIPPING"));
        f.clipping_now = false;
        f.elapsed_s = 5.8;
        assert!(d.render_line(&f).contains("CLIPPING"));
        f.elapsed_s = 6.3;
        assert!(!d.render_line(&f).contains("CLIPPING"));
    }

    #[test]
    fn plain_line_has_every_figure() {
        let l = LiveDisplay::render_plain(&figs(3.25, -18.04));
        assert_eq!(
            l,
            "recording t=3.2s level=-18.0dBFS speaking wpm~150 fillers=0 overruns=0"
        );
    }

    #[test]
    fn the_filler_count_shows_once_there_is_one() {
        let mut d = LiveDisplay::new(true);
        d.color = false;
        let mut f = figs(6.0, -20.0);
        assert!(!d.render_line(&f).contains("um/uh"));
        f.fillers = 2;
        assert!(d.render_line(&f).contains("  2 um/uh"));
        assert!(LiveDisplay::render_plain(&f).contains(" fillers=2 "));
    }
}
