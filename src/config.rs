//! `vmcoach.toml`: the context and rule settings a rep would otherwise type
//! on every run. Looked for in the current folder, then in the user's
//! config folder (`~/.config/vmcoach/vmcoach.toml` on Linux); `--config`
//! names one. Flags win over the file.
//!
//! ```toml
//! prospect = "Sarah Lee"
//! caller = "Mike Jones"
//! company = "Butler Street"
//! number = "555-212-3456"
//! left_at = "2026-11-23T07:15"
//! prior_contact = false
//! profile = "callback"      # or "email"
//! select = ["VM2"]
//! ignore = ["VM215"]
//!
//! [thresholds]
//! too_long_warning_s = 20
//! max_wpm = 170
//! ```
//!
//! Unknown keys and bad values are errors that name the file and line —
//! a misspelt threshold silently ignored would be worse than none.

use crate::message::{Context, LeftAt, LeftAtSource};
use crate::rules::{self, RawThresholds, RuleConfig};
use serde::Deserialize;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file name looked for.
pub const FILE_NAME: &str = "vmcoach.toml";

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    prospect: Option<Spanned<String>>,
    caller: Option<Spanned<String>>,
    company: Option<Spanned<String>>,
    number: Option<Spanned<String>>,
    left_at: Option<Spanned<String>>,
    prior_contact: Option<bool>,
    profile: Option<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    thresholds: Option<RawThresholds>,
}

/// A checked config file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileConfig {
    /// Where it was read from.
    pub path: PathBuf,
    pub prospect: Option<String>,
    pub caller: Option<String>,
    pub company: Option<String>,
    pub number: Option<String>,
    pub left_at: Option<String>,
    /// The rule settings: defaults with the file's thresholds, selection
    /// and `prior_contact` applied.
    pub rules: RuleConfig,
}

/// The config file to use: `explicit` if given, else `./vmcoach.toml`,
/// else the user's config folder's, else none.
pub fn find(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let here = PathBuf::from(FILE_NAME);
    if here.is_file() {
        return Some(here);
    }
    let user = directories::ProjectDirs::from("", "", "vmcoach")?
        .config_dir()
        .join(FILE_NAME);
    user.is_file().then_some(user)
}

/// Find and read the config file, if there is one.
pub fn load(explicit: Option<&Path>) -> Result<Option<FileConfig>, ConfigError> {
    match find(explicit) {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
            parse(&text, &path).map(Some)
        }
        None => Ok(None),
    }
}

fn line_of(text: &str, span: Range<usize>) -> usize {
    text.get(..span.start.min(text.len()))
        .map_or(1, |b| b.matches('\n').count() + 1)
}

/// Parse and check a config file's text; `path` is only for messages.
pub fn parse(text: &str, path: &Path) -> Result<FileConfig, ConfigError> {
    let invalid = |span: Range<usize>, message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        line: line_of(text, span),
        message,
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s));
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            message: e.message().trim().replace('\n', " "),
        }
    })?;

    let mut out = FileConfig {
        path: path.to_path_buf(),
        ..Default::default()
    };
    let nonempty = |v: Option<Spanned<String>>, key: &str| -> Result<Option<String>, ConfigError> {
        match v {
            Some(s) if s.get_ref().trim().is_empty() => {
                Err(invalid(s.span(), format!("`{key}` is empty")))
            }
            Some(s) => Ok(Some(s.into_inner().trim().to_string())),
            None => Ok(None),
        }
    };
    out.prospect = nonempty(raw.prospect, "prospect")?;
    out.caller = nonempty(raw.caller, "caller")?;
    out.company = nonempty(raw.company, "company")?;
    if let Some(n) = raw.number {
        check_number(n.get_ref()).map_err(|m| invalid(n.span(), m))?;
        out.number = Some(n.into_inner());
    }
    if let Some(t) = raw.left_at {
        check_left_at(t.get_ref()).map_err(|m| invalid(t.span(), m))?;
        out.left_at = Some(t.into_inner());
    }
    let cfg = &mut out.rules;
    if let Some(p) = raw.prior_contact {
        cfg.prior_contact = p;
    }
    if let Some(p) = raw.profile {
        cfg.profile = rules::Profile::parse(p.get_ref()).ok_or_else(|| {
            invalid(
                p.span(),
                format!(
                    "`profile` = {:?} is not one of {}",
                    p.get_ref(),
                    rules::Profile::NAMES.join(", ")
                ),
            )
        })?;
    }
    for (list, target) in [(raw.select, &mut cfg.select), (raw.ignore, &mut cfg.ignore)] {
        for s in list.unwrap_or_default() {
            let code =
                rules::parse_selector(s.get_ref()).map_err(|e| invalid(s.span(), e.to_string()))?;
            target.push(code);
        }
    }

    let first_span = raw
        .thresholds
        .unwrap_or_default()
        .apply(cfg)
        .map_err(|bad| invalid(bad.span, bad.message))?;
    let span = first_span.unwrap_or(0..0);
    if cfg.too_long_warning_s > cfg.too_long_error_s {
        return Err(invalid(
            span,
            format!(
                "`too_long_warning_s` ({}) is above `too_long_error_s` ({})",
                cfg.too_long_warning_s, cfg.too_long_error_s
            ),
        ));
    }
    if cfg.min_wpm >= cfg.max_wpm {
        return Err(invalid(
            span,
            format!(
                "`min_wpm` ({}) is not below `max_wpm` ({})",
                cfg.min_wpm, cfg.max_wpm
            ),
        ));
    }
    Ok(out)
}

/// Merge the file under the flags: each context field from the flag when
/// given, else from the file (its `left_at` marked as from "config"). The
/// rule settings are the file's, or the defaults without a file.
pub fn merge(file: Option<&FileConfig>, flags: Context) -> (Context, RuleConfig) {
    let Some(f) = file else {
        return (flags, RuleConfig::default());
    };
    let ctx = Context {
        prospect: flags.prospect.or_else(|| f.prospect.clone()),
        caller: flags.caller.or_else(|| f.caller.clone()),
        company: flags.company.or_else(|| f.company.clone()),
        number: flags.number.or_else(|| f.number.clone()),
        left_at: flags.left_at.or_else(|| {
            f.left_at.as_ref().map(|t| LeftAt {
                local: t.clone(),
                source: LeftAtSource::Config,
            })
        }),
    };
    (ctx, f.rules.clone())
}

/// A callback number: phone punctuation and 7 to 15 digits, as the phone
/// module reads it (see `analyze::phone::number::parse_given`).
pub fn check_number(n: &str) -> Result<(), String> {
    crate::analyze::phone::number::parse_given(n).map(|_| ())
}

/// A `left_at` must be a local date and time.
pub fn check_left_at(t: &str) -> Result<(), String> {
    rules::when::parse_left_at(t)
        .map(|_| ())
        .ok_or_else(|| format!("`{t}` is not a local date and time (use 2026-11-23T07:15)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<FileConfig, ConfigError> {
        parse(s, Path::new("vmcoach.toml"))
    }

    #[test]
    fn reads_context_thresholds_and_selection() {
        let c = p(r#"
prospect = "Sarah Lee"
number = "555-212-3456"
left_at = "2026-11-23T07:15"
select = ["vm2", "VM301"]
ignore = ["VM215"]
[thresholds]
too_long_warning_s = 25
max_words = 80
"#)
        .unwrap();
        assert_eq!(c.prospect.as_deref(), Some("Sarah Lee"));
        assert_eq!(c.rules.too_long_warning_s, 25.0);
        assert_eq!(c.rules.max_words, 80);
        assert_eq!(c.rules.select, ["VM2", "VM301"]);
        assert!(!c.rules.is_selected("VM215"));
        assert!(c.rules.is_selected("VM203"));
        assert!(!c.rules.is_selected("VM101"));
    }

    fn err_line(s: &str) -> (usize, String) {
        match p(s) {
            Err(ConfigError::Invalid { line, message, .. }) => (line, message),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn unknown_key_is_reported_with_its_line() {
        let (line, msg) = err_line("prospect = \"Sarah\"\n\nprospekt = \"x\"\n");
        assert_eq!(line, 3);
        assert!(msg.contains("prospekt"), "{msg}");
        let (line, msg) = err_line("[thresholds]\nmax_wpm = 170\nmax_wmp = 10\n");
        assert_eq!(line, 3);
        assert!(msg.contains("max_wmp"), "{msg}");
    }

    #[test]
    fn bad_values_are_reported_with_their_line() {
        assert_eq!(err_line("\n[thresholds]\nmax_wpm = -3\n").0, 3);
        assert_eq!(err_line("\n[thresholds]\nmax_wpm = \"fast\"\n").0, 3);
        assert_eq!(err_line("left_at = \"yesterday\"\n").0, 1);
        assert_eq!(err_line("\n\nnumber = \"call me\"\n").0, 3);
        assert_eq!(err_line("ignore = [\"VM999\"]\n").0, 1);
        assert_eq!(err_line("\nprofile = \"fax\"\n").0, 2);
        assert_eq!(
            p("profile = \"Email\"\n").unwrap().rules.profile,
            rules::Profile::Email
        );
        assert!(err_line("[thresholds]\nmin_wpm = 200\n")
            .1
            .contains("min_wpm"));
    }
}
