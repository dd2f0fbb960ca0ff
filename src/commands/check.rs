//! `vmcoach check`: the rule catalog on a typed script, before recording.

use super::output::OutputArgs;
use super::score::FailOn;
use super::settings::RuleSettingsArgs;
use super::ExitStatus;
use crate::audio::AudioLimits;
use crate::pipeline::{self, ScoreOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest script accepted. A 20-second voicemail is about 60 words,
/// some 400 bytes; 100 KB leaves room for notes and stops a wrong file
/// (a log, a recording) from being read whole.
pub const MAX_SCRIPT_BYTES: usize = 100 * 1024;

/// Check a typed voicemail script before you record it.
///
/// Runs every content rule (VM2xx) and, with --left-at, VM301. Rules that
/// need audio (VM1xx) are listed as skipped. Settings come from
/// ./vmcoach.toml or the user config folder's vmcoach.toml; flags win.
///
/// Exit status: 0 no error-severity finding, 1 at least one, 2 bad input.
///
/// Examples:
///   vmcoach check script.txt
///   vmcoach check script.txt --prospect "Sarah Lee" --number 555-212-3456
///   echo "Hi Sarah, …" | vmcoach check - --format json
///   vmcoach check script.txt --select VM2 --ignore VM215
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    /// The script: a UTF-8 text file (up to 100 KB), or `-` for standard input.
    #[arg(value_name = "SCRIPT")]
    pub script: PathBuf,

    #[command(flatten)]
    pub settings: RuleSettingsArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Why a script could not be read. One line each, for the rep.
#[derive(Debug, thiserror::Error)]
pub enum ScriptError {
    #[error("cannot read {name}: {source}")]
    Io {
        name: String,
        source: std::io::Error,
    },
    #[error("{name} is a folder; give a text file (or - for standard input)")]
    Folder { name: String },
    #[error("{name} is larger than {limit} KB; a voicemail script is a few hundred bytes")]
    TooLarge { name: String, limit: usize },
    #[error("{name} looks like a binary file, not a text script (to score a recording, use `vmcoach score`)")]
    Binary { name: String },
    #[error("{name} is not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8")]
    NotUtf8 { name: String, offset: usize },
    #[error("{name} is empty; write the voicemail you plan to leave")]
    Empty { name: String },
}

/// Read a script from a file or `-` (stdin), refusing what isn't one.
pub fn read_script(path: &Path) -> Result<String, ScriptError> {
    let from_stdin = path.as_os_str() == "-";
    let name = if from_stdin {
        "standard input".to_string()
    } else {
        path.display().to_string()
    };
    let io = |source| ScriptError::Io {
        name: name.clone(),
        source,
    };
    let mut bytes = Vec::new();
    let limit = MAX_SCRIPT_BYTES as u64 + 1;
    if from_stdin {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(io)?;
    } else {
        if path.is_dir() {
            return Err(ScriptError::Folder { name });
        }
        std::fs::File::open(path)
            .map_err(io)?
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(io)?;
    }
    script_from_bytes(bytes, name)
}

/// Check bytes for being a script: size, binary content, UTF-8, not empty.
pub fn script_from_bytes(bytes: Vec<u8>, name: String) -> Result<String, ScriptError> {
    if bytes.len() > MAX_SCRIPT_BYTES {
        return Err(ScriptError::TooLarge {
            name,
            limit: MAX_SCRIPT_BYTES / 1024,
        });
    }
    // NUL never occurs in text; neither do many other control bytes.
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if bytes.contains(&0) || controls * 20 > bytes.len().max(1) {
        return Err(ScriptError::Binary { name });
    }
    let text = String::from_utf8(bytes).map_err(|e| ScriptError::NotUtf8 {
        name: name.clone(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ScriptError::Empty { name });
    }
    Ok(text)
}

pub fn run(args: CheckArgs) -> anyhow::Result<ExitStatus> {
    let mut emitter = args.output.emitter(false)?;
    let (context, rules) = args.settings.resolve()?;
    let text = read_script(&args.script)?;
    let opts = ScoreOptions {
        limits: AudioLimits::default(),
        context,
        rules,
    };
    let origin = args.script.display().to_string();
    let report = pipeline::score_script(Some(origin.clone()), &text, &opts);
    emitter.report(&origin, &report)?;
    Ok(FailOn::Error.status(report.worst_severity()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<String, ScriptError> {
        script_from_bytes(bytes.to_vec(), "s.txt".into())
    }

    #[test]
    fn bad_scripts_are_refused_with_a_reason() {
        assert!(matches!(read(b""), Err(ScriptError::Empty { .. })));
        assert!(matches!(read(b" \n\t\n"), Err(ScriptError::Empty { .. })));
        assert!(matches!(
            read(b"RIFF\0\0\0\0WAVE"),
            Err(ScriptError::Binary { .. })
        ));
        assert!(matches!(
            read(b"Hi \xff Sarah"),
            Err(ScriptError::NotUtf8 { offset: 3, .. })
        ));
        let big = vec![b'a'; MAX_SCRIPT_BYTES + 1];
        assert!(matches!(read(&big), Err(ScriptError::TooLarge { .. })));
        assert_eq!(read("\u{feff}Hi Sarah".as_bytes()).unwrap(), "Hi Sarah");
    }
}
