//! When-it-is-left rules (VM3xx). They need to know the local time the
//! message was left: `--left-at`, `vmcoach.toml`, or the recording's own
//! creation time from its metadata (`audio::created`). Never the file's
//! modification time: a practice take is not judged on the clock.

use super::{declare_rule, CheckInput, Finding, Rule};
use crate::message::LeftAtSource;
use chrono::{Datelike, NaiveDateTime, NaiveTime, Timelike, Weekday};

declare_rule!(BadTimeToLeave, "VM301", "bad-time-to-leave", Warning, Time);

/// Parse a local date and time: "2026-11-23T07:15", with seconds, or a space.
pub fn parse_left_at(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        // "2026-11-23T07:15:00.123" and the like.
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok()
    })
}

/// The good windows of seed 004: 6:45–8:00 and 16:30–18:30, local time.
fn in_good_window(t: NaiveTime) -> bool {
    let m = t.hour() * 60 + t.minute();
    (6 * 60 + 45..=8 * 60).contains(&m) || (16 * 60 + 30..=18 * 60 + 30).contains(&m)
}

fn source_label(source: LeftAtSource) -> &'static str {
    match source {
        LeftAtSource::Flag => "from --left-at",
        LeftAtSource::Config => "from vmcoach.toml",
        LeftAtSource::WavBext => "from the recording's WAV bext chunk",
        LeftAtSource::WavInfo => "from the recording's WAV INFO ICRD tag",
        LeftAtSource::Mp4Header => "from the recording's MP4 movie header",
    }
}

impl Rule for BadTimeToLeave {
    fn unavailable(&self, input: &CheckInput) -> Option<String> {
        let left = input.message.context.left_at.as_ref()?;
        parse_left_at(&left.local).is_none().then(|| {
            format!(
                "cannot read the time {:?} (use 2026-11-23T07:15)",
                left.local
            )
        })
    }
    /// VM301
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let Some(left) = input.message.context.left_at.as_ref() else {
            return;
        };
        let Some(at) = parse_left_at(&left.local) else {
            return;
        };
        let day = at.weekday();
        let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
        let why = if day == Weekday::Fri && at.time() >= noon {
            "Friday afternoon, when people are wrapping up the week"
        } else if day == Weekday::Mon && at.time() < noon {
            "Monday morning, when inboxes are fullest"
        } else if !in_good_window(at.time()) {
            "outside the best windows"
        } else {
            return;
        };
        out.push(Finding::new(
            &Self::META,
            format!(
                "Left {} {} ({}): {why}.",
                day_name(day),
                at.format("%H:%M"),
                source_label(left.source)
            ),
            "Leave voicemails 6:45–8:00 or 16:30–18:30 their time, not Friday afternoon or Monday morning.",
        ));
    }
}

fn day_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze::Analysis;
    use crate::message::{Context, LeftAt, LeftAtSource, Message, Transcript};
    use crate::rules::{check, RuleConfig};

    fn fires(local: &str) -> Option<bool> {
        let msg = Message {
            transcript: Transcript::from_text("Hi"),
            context: Context {
                left_at: Some(LeftAt {
                    local: local.to_string(),
                    source: LeftAtSource::Flag,
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        let r = check(&msg, &Analysis::default(), &RuleConfig::default());
        if r.skipped.iter().any(|s| s.code == "VM301") {
            return None;
        }
        Some(r.findings.iter().any(|f| f.code == "VM301"))
    }

    #[test]
    fn windows_and_days() {
        // 2026-11-24 is a Tuesday.
        assert_eq!(fires("2026-11-24T07:15"), Some(false));
        assert_eq!(fires("2026-11-24T06:44"), Some(true));
        assert_eq!(fires("2026-11-24T08:00"), Some(false));
        assert_eq!(fires("2026-11-24T08:01"), Some(true));
        assert_eq!(fires("2026-11-24T17:00"), Some(false));
        assert_eq!(fires("2026-11-24T12:00"), Some(true));
        // Monday morning, Friday afternoon: bad even in the window.
        assert_eq!(fires("2026-11-23T07:15"), Some(true));
        assert_eq!(fires("2026-11-27T17:00"), Some(true));
        assert_eq!(fires("2026-11-27T07:30"), Some(false));
    }

    #[test]
    fn unreadable_time_is_skipped_not_guessed() {
        assert_eq!(fires("tomorrow-ish"), None);
    }

    #[test]
    fn no_time_is_skipped() {
        let msg = Message {
            transcript: Transcript::from_text("Hi"),
            ..Default::default()
        };
        let r = check(&msg, &Analysis::default(), &RuleConfig::default());
        assert!(r.skipped.iter().any(|s| s.code == "VM301"));
    }
}
