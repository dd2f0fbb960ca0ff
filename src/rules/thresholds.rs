//! The rules' settings, each threshold declared once.
//!
//! One line in [`rule_config!`]'s list gives a threshold its field in
//! [`RuleConfig`], its default, its `vmcoach.toml` key under
//! `[thresholds]`, the check on a value read from the file, and the words
//! of the error when the check fails. Adding a threshold is adding a line.

use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

/// VM101's default thresholds: a voicemail should be under 20 s (seed 004);
/// 30 s is too long. The live meter and `record --max-seconds` use them too.
pub const TOO_LONG_WARNING_S: f64 = 20.0;
pub const TOO_LONG_ERROR_S: f64 = 30.0;

/// What a value from the file must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// A finite number above zero.
    Positive,
    /// A finite number, zero or more.
    NonNegative,
    /// A count, 1 or more.
    Count,
    /// A level in dBFS: finite, 0 or below.
    Dbfs,
    /// A fraction between 0 and 1.
    Fraction,
}

impl Check {
    fn accepts(self, v: f64) -> bool {
        v.is_finite()
            && match self {
                Check::Positive => v > 0.0,
                Check::NonNegative => v >= 0.0,
                Check::Count => v >= 1.0,
                Check::Dbfs => v <= 0.0,
                Check::Fraction => (0.0..=1.0).contains(&v),
            }
    }
}

/// One threshold as the file and the docs see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdInfo {
    /// The field and the `[thresholds]` key.
    pub key: &'static str,
    /// Its default, as a number.
    pub default: f64,
}

/// A threshold value read from `vmcoach.toml` that fails its check.
#[derive(Debug, Clone, PartialEq)]
pub struct BadThreshold {
    /// Where the value is in the file's text.
    pub span: Range<usize>,
    pub message: String,
}

/// A value a threshold field can hold, read through `f64` for its check.
trait ThresholdValue: Copy + std::fmt::Display {
    fn as_f64(self) -> f64;
}
impl ThresholdValue for f64 {
    fn as_f64(self) -> f64 {
        self
    }
}
impl ThresholdValue for usize {
    fn as_f64(self) -> f64 {
        self as f64
    }
}

fn checked<T: ThresholdValue>(
    key: &str,
    value: Spanned<T>,
    check: Check,
    what: &str,
) -> Result<(T, Range<usize>), BadThreshold> {
    let span = value.span();
    let v = value.into_inner();
    if check.accepts(v.as_f64()) {
        Ok((v, span))
    } else {
        Err(BadThreshold {
            span,
            message: format!("`{key}` = {v} is not {what}"),
        })
    }
}

macro_rules! rule_config {
    ($(
        $(#[doc = $doc:literal])+
        $field:ident: $ty:ty = $default:expr, $check:ident, $what:literal;
    )+) => {
        /// Thresholds and selection. Defaults are RULES.md's; `vmcoach.toml`'s
        /// `[thresholds]` table uses the same field names.
        #[derive(Debug, Clone, PartialEq)]
        pub struct RuleConfig {
            $($(#[doc = $doc])+ pub $field: $ty,)+
            /// VM206: you really have spoken before, so "following up" is honest.
            pub prior_contact: bool,
            /// What the message asks the listener to do: call back (default) or
            /// look for an email.
            pub profile: super::Profile,
            /// Only run rules whose code starts with one of these (empty: all).
            pub select: Vec<String>,
            /// Never run rules whose code starts with one of these.
            pub ignore: Vec<String>,
        }

        impl Default for RuleConfig {
            fn default() -> Self {
                Self {
                    $($field: $default,)+
                    prior_contact: false,
                    profile: super::Profile::Callback,
                    select: Vec::new(),
                    ignore: Vec::new(),
                }
            }
        }

        /// Every threshold, in declaration order.
        #[allow(clippy::unnecessary_cast)]
        pub const THRESHOLDS: &[ThresholdInfo] = &[$(ThresholdInfo {
            key: stringify!($field),
            default: $default as f64,
        },)+];

        /// The `[thresholds]` table of `vmcoach.toml`, as read.
        #[derive(Debug, Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        pub(crate) struct RawThresholds {
            $($field: Option<Spanned<$ty>>,)+
        }

        impl RawThresholds {
            /// Check each value given and set it in `cfg`. Returns the span of
            /// the first value set, for errors about two values together.
            pub(crate) fn apply(
                self,
                cfg: &mut RuleConfig,
            ) -> Result<Option<Range<usize>>, BadThreshold> {
                let mut first: Option<Range<usize>> = None;
                $(if let Some(v) = self.$field {
                    let (v, span) = checked(stringify!($field), v, Check::$check, $what)?;
                    first.get_or_insert(span);
                    cfg.$field = v;
                })+
                Ok(first)
            }
        }
    };
}

rule_config! {
    /// VM101: speech this long is a warning, seconds.
    too_long_warning_s: f64 = TOO_LONG_WARNING_S, Positive, "a positive number of seconds";
    /// VM101: speech this long is an error, seconds.
    too_long_error_s: f64 = TOO_LONG_ERROR_S, Positive, "a positive number of seconds";
    /// VM102: speech shorter than this, seconds.
    too_short_s: f64 = 8.0, NonNegative, "zero or more seconds";
    /// VM103: words per minute above this is too fast.
    max_wpm: f64 = 170.0, Positive, "a positive rate";
    /// VM104: words per minute below this is too slow.
    min_wpm: f64 = 110.0, NonNegative, "zero or a positive rate";
    /// VM105: a number said faster than this many digits per second.
    max_digits_per_second: f64 = 2.5, Positive, "a positive rate";
    /// VM202: how many times the callback number should be said.
    min_number_mentions: usize = 2, Count, "1 or more";
    /// VM106: pitch standard deviation in semitones below which speech is monotone.
    min_pitch_spread_semitones: f64 = 2.0, NonNegative, "zero or more semitones";
    /// VM107: speech RMS below this (dBFS) is too quiet.
    min_speech_dbfs: f64 = -35.0, Dbfs, "a level in dBFS (0 or below)";
    /// VM107: share of clipped samples above which the recording is distorted.
    max_clipped_fraction: f64 = 0.001, Fraction, "a fraction between 0 and 1";
    /// VM107: speech-to-noise ratio below this (dB) is hard to hear.
    min_snr_db: f64 = 15.0, NonNegative, "zero or more dB";
    /// VM108: silence before the first word, seconds.
    max_leading_silence_s: f64 = 2.0, NonNegative, "zero or more seconds";
    /// VM108: longest pause inside the message, seconds.
    max_pause_s: f64 = 3.0, Positive, "a positive number of seconds";
    /// VM203: how many times the prospect's name should be said.
    min_name_uses: usize = 2, Count, "1 or more";
    /// VM213: words in the whole message (phone numbers not counted).
    max_words: usize = 60, Count, "1 or more";
    /// VM213: words in one sentence.
    max_sentence_words: usize = 30, Count, "1 or more";
    /// VM214: self-references per "you" above which the message is self-focused.
    max_self_ratio: f64 = 2.0, Positive, "a positive ratio";
    /// VM214: fewer self-references than this never fire.
    min_self_references: usize = 3, Count, "1 or more";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_threshold_is_documented_in_the_readme_with_its_default() {
        let readme = include_str!("../../README.md");
        for t in THRESHOLDS {
            let line = readme
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{} =", t.key)))
                .unwrap_or_else(|| panic!("README's vmcoach.toml lacks `{}`", t.key));
            let value: f64 = line
                .split('=')
                .nth(1)
                .and_then(|v| v.split('#').next())
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or_else(|| panic!("README's `{}` has no number: {line}", t.key));
            assert_eq!(value, t.default, "README's default for `{}`", t.key);
        }
    }

    #[test]
    fn checks_refuse_what_they_name() {
        assert!(Check::Positive.accepts(0.5) && !Check::Positive.accepts(0.0));
        assert!(Check::NonNegative.accepts(0.0) && !Check::NonNegative.accepts(-0.1));
        assert!(Check::Count.accepts(1.0) && !Check::Count.accepts(0.0));
        assert!(Check::Dbfs.accepts(-35.0) && !Check::Dbfs.accepts(3.0));
        assert!(Check::Fraction.accepts(1.0) && !Check::Fraction.accepts(1.5));
        assert!(!Check::Positive.accepts(f64::INFINITY) && !Check::Dbfs.accepts(f64::NAN));
    }
}
